// The sandbox plus the benchmark-only BytesEmulator, run in its own process so the transfer benchmark measures
// only the client's memory. Prints GENDECK_SANDBOX_URL=….
import { join } from 'node:path';
import { createSandbox } from '../../src/sandbox/index';
import { BytesEmulator } from '../../test/support/bytesEmulator';

async function main() {
  const sandbox = createSandbox({
    mediaDir: process.argv[2] ?? join(process.cwd(), 'media'),
    timeScale: 0.01,
    acceptTestKeys: true,
  });
  sandbox.use(new BytesEmulator());
  const origin = await sandbox.start();
  process.stdout.write(`GENDECK_SANDBOX_URL=${origin}\n`);
  process.on('SIGTERM', () => void sandbox.stop().then(() => process.exit(0)));
}

if (require.main === module) void main();
