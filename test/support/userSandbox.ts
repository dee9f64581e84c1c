// Another face's process (the CLI's `--sandbox`, the MCP server) opening the user's sandbox, for the editor's tests:
//   node userSandbox.js <dir> <mediaDir>
// Prints {origin, key, owned} once open; stops it (when it serves it) and exits when stdin ends.
import { openUserSandbox } from '../../src/sandbox/shared';

async function main(): Promise<void> {
  const [dir, mediaDir] = process.argv.slice(2);
  const sandbox = await openUserSandbox(dir, mediaDir);
  process.stdout.write(`${JSON.stringify({ origin: sandbox.origin, key: sandbox.key, owned: sandbox.owned })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void sandbox.stop().then(() => process.exit(0)));
}

main().catch((err: Error) => {
  process.stdout.write(`${JSON.stringify({ error: err.message })}\n`);
  process.exit(1);
});
