// A benchmark-only emulator: `/bench/bytes/<n>` streams n bytes of generated data (with Content-Length);
// `PUT /bench/sink` counts the bytes it receives and answers {"bytes": n}; `GET /bench/sink` tells the last count.
import { randomBytes } from 'node:crypto';
import type { Router } from '../../src/core/emulation/router';
import { json, type Emulator } from '../../src/core/emulation/emulator';

const BLOCK = randomBytes(1024 * 1024);

export class BytesEmulator implements Emulator {
  readonly id = 'bench';
  readonly basePath = '/bench';
  /** Bytes the last PUT /bench/sink received. */
  lastSink = 0;
  errorBody(_status: number, code: string, message: string): unknown {
    return { error: { code, message } };
  }
  register(router: Router): void {
    router.add('GET', '/bench/bytes/:n', ({ res, params }) => {
      const total = Number(params.n);
      if (!Number.isSafeInteger(total) || total < 0) return json(res, 400, { error: 'bad size' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          const n = Math.min(BLOCK.length, total - sent);
          sent += n;
          if (!res.write(n === BLOCK.length ? BLOCK : BLOCK.subarray(0, n))) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    router.add('GET', '/bench/sink', ({ res }) => json(res, 200, { bytes: this.lastSink }));
    router.add(
      'PUT',
      '/bench/sink',
      ({ req, res }) => {
        let bytes = 0;
        req.on('data', (c: Buffer) => (bytes += c.length));
        req.on('end', () => {
          this.lastSink = bytes;
          json(res, 200, { bytes });
        });
      },
      { raw: true },
    );
  }
}
