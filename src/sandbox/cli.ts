// Runs the sandbox on its own: `node dist/sandbox.js [--port N] [--scale X] [--media DIR] [--key K] [--test-keys]`.
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
    key: arg('key'),
    acceptTestKeys: process.argv.includes('--test-keys'),
  });
  const origin = await sandbox.start();
  console.log(`GENDECK_SANDBOX_URL=${origin}`);
  // The key the emulator accepts (random unless --key); --test-keys also accepts any sk_test_… key.
  console.log(`GENDECK_SANDBOX_KEY=${sandbox.key}`);
  const stop = () => void sandbox.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
