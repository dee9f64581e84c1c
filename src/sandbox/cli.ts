// Runs the sandbox on its own: `node dist/sandbox.js [--port N] [--scale X] [--media DIR]`.
import { join } from 'node:path';
import { createSandbox } from './index';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const sandbox = createSandbox({
    port: arg('port') ? Number(arg('port')) : 0,
    timeScale: arg('scale') ? Number(arg('scale')) : 1,
    mediaDir: arg('media') ?? join(__dirname, '..', 'media'),
  });
  const origin = await sandbox.start();
  console.log(`GENDECK_SANDBOX_URL=${origin}`);
  const stop = () => void sandbox.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
