import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export const HASH_CHUNK = 1024 * 1024;

/**
 * A fingerprint that survives renames and moves without reading whole videos: sha256 of the size
 * (decimal, then a newline), the first MiB and the last MiB (a file of 2 MiB or less is read whole, once).
 */
export async function partialHash(file: string, size: number): Promise<string> {
  const h = createHash('sha256').update(`${size}\n`);
  const fh = await open(file, 'r');
  try {
    const read = async (pos: number, len: number) => {
      const buf = Buffer.alloc(len);
      let got = 0;
      while (got < len) {
        const { bytesRead } = await fh.read(buf, got, len - got, pos + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      h.update(buf.subarray(0, got));
    };
    if (size <= 2 * HASH_CHUNK) await read(0, size);
    else {
      await read(0, HASH_CHUNK);
      await read(size - HASH_CHUNK, HASH_CHUNK);
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}
