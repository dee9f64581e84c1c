import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { action } from '../../commandIds';
import { SetupNeeded, withActions } from '../../core/errors';
import { settings } from '../../settings';
import {
  checkTool,
  ffmpegInstallCommand,
  FFMPEG_SETTING,
  FFPROBE_SETTING,
  type ToolName,
} from '../../core/search/ffmpeg';
import type { ToolsCheck } from './videoSearch';
import type { SeekneticContext } from './context';

const exe = (tool: ToolName) => (process.platform === 'win32' ? `${tool}.exe` : tool);

/**
 * "Install ffmpeg for Video Search": runs the platform's install line (apt, dnf, pacman, zypper, apk, brew, port,
 * winget, choco, scoop — whichever is on PATH) in a terminal the user sees, and checks again when that terminal closes
 * (the line ends with `exit` when it succeeds, so a failure stays on screen).
 */
export async function installFfmpeg(c: SeekneticContext): Promise<void> {
  const { g } = c;
  const { search } = c.feature;
  const install = await ffmpegInstallCommand();
  if (!install) {
    return g.reportError(
      withActions(
        new SetupNeeded(
          vscode.l10n.t(
            'GenDeck found no package manager to install ffmpeg with. Install ffmpeg (with ffprobe) from ffmpeg.org, then choose its binary with "Locate ffmpeg…".',
          ),
        ),
        action(vscode.l10n.t('Locate ffmpeg…'), 'gendeck.seeknetic.locateFfmpeg'),
        {
          title: vscode.l10n.t('Open ffmpeg.org'),
          command: 'vscode.open',
          args: [vscode.Uri.parse('https://ffmpeg.org/download.html')],
        },
      ),
    );
  }
  const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('Install ffmpeg') });
  const closed = vscode.window.onDidCloseTerminal((t) => {
    if (t !== terminal) return;
    closed.dispose();
    void search.checkTools(true).then((check) => reportCheck(c, check, 'after the install'));
  });
  terminal.show();
  terminal.sendText(process.platform === 'win32' ? install.command : `${install.command} && exit`);
  g.log.info(`Installing ffmpeg in a terminal: ${install.command}`);
  void vscode.window.showInformationMessage(
    vscode.l10n.t(
      'Installing ffmpeg with {0} in the terminal “{1}”. GenDeck checks again when it closes; "Check Again" in the Search view does it at any time.',
      install.manager,
      terminal.name,
    ),
  );
}

/**
 * "Locate ffmpeg…": a file picker for the ffmpeg binary, then (unless a working ffprobe sits beside it) one for
 * ffprobe. Each is run with `-version` before anything is saved. Both settings are machine-scoped, so they are written
 * to the user (desktop) or the remote machine (code-server, Remote-SSH) settings, where the extension reads them.
 */
export async function locateFfmpeg(c: SeekneticContext): Promise<boolean> {
  const { g } = c;
  const { search } = c.feature;
  const ffmpeg = await pickTool('ffmpeg');
  if (!ffmpeg) return false;
  let ffprobe: string | undefined;
  const beside = join(dirname(ffmpeg.path), exe('ffprobe'));
  if (
    !(await checkTool('ffprobe', beside).then(
      () => true,
      () => false,
    ))
  ) {
    const picked = await pickTool('ffprobe', vscode.Uri.file(dirname(ffmpeg.path)));
    if (!picked) return false;
    ffprobe = picked.path;
  }
  await settings.search.setToolPaths(ffmpeg.path, ffprobe);
  g.log.info(
    `Video search uses ${ffmpeg.path} (${ffmpeg.version})${ffprobe ? ` and ${ffprobe}` : ''}; saved in "${FFMPEG_SETTING}"${ffprobe ? ` and "${FFPROBE_SETTING}"` : ''}.`,
  );
  const check = await search.checkTools(true);
  reportCheck(c, check, 'with the chosen files');
  return check.ok;
}

/** Asks for one binary until it runs as `tool -version` or the user gives up. */
async function pickTool(tool: ToolName, near?: vscode.Uri): Promise<{ path: string; version: string } | undefined> {
  for (;;) {
    const uris = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Select the {0} binary for GenDeck video search', tool),
      openLabel: vscode.l10n.t('Use as {0}', tool),
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      defaultUri: near,
    });
    const uri = uris?.[0];
    if (!uri) return undefined;
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('{0} is not a local file; choose the {1} binary on this machine.', uri.toString(true), tool),
      );
      return undefined;
    }
    try {
      return { path: uri.fsPath, version: await checkTool(tool, uri.fsPath) };
    } catch (err) {
      const another = vscode.l10n.t('Choose Another…');
      const choice = await vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err), another);
      if (choice !== another) return undefined;
      near = vscode.Uri.file(dirname(uri.fsPath));
    }
  }
}

function reportCheck(c: SeekneticContext, check: ToolsCheck, when: string): void {
  const { g } = c;
  if (check.ok) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Video search is ready: ffmpeg {0} and ffprobe {1} work.',
        String(check.tools.ffmpeg),
        String(check.tools.ffprobe),
      ),
    );
  } else {
    g.log.warn(`ffmpeg check ${when}: ${check.message}`);
    void showFfmpegMissing(c, check);
  }
}

/** The error for a missing ffmpeg/ffprobe, with the two ways forward. */
export async function showFfmpegMissing(c: SeekneticContext, check: Extract<ToolsCheck, { ok: false }>): Promise<void> {
  const install = check.install
    ? [action(vscode.l10n.t('Install with {0}', check.install.manager), 'gendeck.seeknetic.installFfmpeg')]
    : [];
  await c.g.reportError(
    withActions(
      new Error(check.message),
      ...install,
      action(vscode.l10n.t('Locate ffmpeg…'), 'gendeck.seeknetic.locateFfmpeg'),
    ),
  );
}
