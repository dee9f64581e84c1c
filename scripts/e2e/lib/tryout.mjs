// The code-server session `npm start` opens, as data, so the e2e suite (test/e2e/start.e2e.mjs) opens the same one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkoutFfmpegSettings } from './codeserver.mjs';

/**
 * User settings, remote Machine settings and workspace files of a try-out session: the sandbox starts by itself (a
 * user setting), a sample image and video sit in the workspace, and the checkout's npm ffmpeg/ffprobe are handed
 * to the extension in the Machine settings (the VSIX carries none, and code-server reads machine-scoped settings from
 * there only), so video search works with nothing installed.
 */
export function tryoutSession(repo) {
  return {
    // A user setting: GenDeck ignores it in a workspace, so a cloned repository cannot switch it on.
    settings: { 'workbench.startupEditor': 'none', 'gendeck.sandbox.startOnLaunch': true },
    machineSettings: checkoutFfmpegSettings(repo),
    files: {
      'sample.png': readFileSync(join(repo, 'media', 'sample.png')),
      'sample.mp4': readFileSync(join(repo, 'media', 'sample.mp4')),
    },
  };
}
