import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where GenDeck keeps what every face shares and what outlives one process (the job store, receipts, the user's
 * sandbox): `GENDECK_STATE_DIR`, else the platform's per-user state folder.
 */
export function stateDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.GENDECK_STATE_DIR) return env.GENDECK_STATE_DIR;
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'gendeck');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'gendeck');
  return join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'gendeck');
}
