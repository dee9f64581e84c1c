import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { GenDeck } from '../context';
import { formatCost, isActive, type Job } from '../core/jobs/job';
import { mayFrame } from '../core/preview/frames';
import { PROVIDER_LABELS, PROVIDERS } from '../core/providers/index';
import { jobParams, statusText, stepStateText } from '../views/format';
import { previewHtml } from './html';
import { receive } from './messages';
import {
  OUTPUT_ACTIONS,
  PreviewToHost,
  type HostToPreview,
  type PreviewJob,
  type PreviewOutput,
  type PreviewState,
} from './protocol';
import { runCommand } from '../commandIds';

import { PREVIEW_VIEW_TYPE } from '../shell/views';

export { PREVIEW_VIEW_TYPE };

/** One preview panel per job; panels follow their job as it changes and come back after a reload. */
export class PreviewPanels implements vscode.WebviewPanelSerializer<PreviewState>, vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; origins: string }>();

  constructor(private readonly g: GenDeck) {}

  open(key: string): void {
    const existing = this.panels.get(key);
    if (existing) return existing.panel.reveal();
    const job = this.g.store.get(key);
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      job ? vscode.l10n.t('Preview: {0}', job.title) : vscode.l10n.t('GenDeck Preview'),
      vscode.ViewColumn.Active,
      this.options(),
    );
    void this.attach(panel, key);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PreviewState | undefined): Promise<void> {
    if (!state?.key) return panel.dispose();
    panel.webview.options = this.options();
    await this.attach(panel, state.key);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const roots = [
      vscode.Uri.joinPath(this.g.context.extensionUri, 'dist'),
      vscode.Uri.joinPath(this.g.context.extensionUri, 'media'),
      ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri),
    ];
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: roots };
  }

  private async attach(panel: vscode.WebviewPanel, key: string): Promise<void> {
    const entry = { panel, origins: '' };
    this.panels.set(key, entry);
    const post = async () => {
      const job = this.g.store.get(key);
      if (!job) return void panel.webview.postMessage({ type: 'missing', key } satisfies HostToPreview);
      panel.title = vscode.l10n.t('Preview: {0}', job.title);
      const view = await this.toView(job, panel.webview);
      const origins = JSON.stringify(view.origins);
      if (origins !== entry.origins) {
        // New media or frame origins: the page's CSP must name them, so render it again.
        entry.origins = origins;
        panel.webview.html = previewHtml(panel.webview, this.g.context.extensionUri, {
          ...view.origins,
          title: job.title,
        });
        return; // the page says 'ready' and gets the job then
      }
      await panel.webview.postMessage({ type: 'show', job: view.job } satisfies HostToPreview);
    };
    const subs = [
      this.g.store.onDidChange((keys) => {
        if (!keys.includes(key)) return;
        // Removed from the list: its preview goes with it.
        if (!this.g.store.get(key)) return panel.dispose();
        void post();
      }),
      // A sandbox job's media come and go with the sandbox.
      this.g.sandbox.onDidChange(() => void (this.g.store.get(key)?.sandbox && post())),
      receive(panel.webview, 'preview', PreviewToHost, this.g.log, async (msg) => {
        // A page acts on its own job only.
        if ('key' in msg && msg.key !== key)
          return this.g.log.debug(`Preview of ${key}: ignored a ${msg.type} for another job.`);
        switch (msg.type) {
          case 'ready': {
            const job = this.g.store.get(key);
            if (!job) return void panel.webview.postMessage({ type: 'missing', key } satisfies HostToPreview);
            const view = await this.toView(job, panel.webview);
            return void panel.webview.postMessage({ type: 'show', job: view.job } satisfies HostToPreview);
          }
          case 'download':
            return void runCommand('gendeck.downloadOutputs', { type: 'job', key }, msg.index);
          case 'retry':
            return void runCommand('gendeck.retryJob', { type: 'job', key });
          case 'openExternal':
            if (/^https?:\/\//i.test(msg.url)) await vscode.env.openExternal(vscode.Uri.parse(msg.url));
            return;
          case 'copy':
            return void vscode.env.clipboard.writeText(msg.text);
          case 'output':
            return this.outputAction(key, msg.index, msg.action);
          case 'startSandbox':
            return void runCommand('gendeck.trySandbox');
        }
      }),
    ];
    panel.onDidDispose(() => {
      subs.forEach((s) => s.dispose());
      if (this.panels.get(key)?.panel === panel) this.panels.delete(key);
    });
    await post();
  }

  /** Maps a URL the extension host can reach to one the webview can (code-server proxies localhost). */
  private async external(url: string): Promise<string> {
    try {
      const u = new URL(url);
      if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') return url;
      return (await vscode.env.asExternalUri(vscode.Uri.parse(url))).toString(true);
    } catch {
      return url;
    }
  }

  private async toView(
    job: Job,
    webview: vscode.Webview,
  ): Promise<{ job: PreviewJob; origins: { mediaOrigins: string[]; frameOrigins: string[] } }> {
    const mediaOrigins = new Set<string>();
    const frameOrigins = new Set<string>();
    const poster = job.outputs.find(
      (o) => o.kind === 'image' && /thumb|poster/i.test(`${o.label ?? ''}${o.url ?? ''}`),
    );
    // A sandbox job's media are served by the sandbox only: while it is off they are shown as offline, not broken.
    const offline = !!job.sandbox && !this.g.sandbox.active;
    const posterSrc = poster?.url && !offline ? await this.external(poster.url) : undefined;
    const outputs: PreviewOutput[] = [];
    for (const [index, o] of job.outputs.entries()) {
      const out: PreviewOutput = {
        kind: o.kind,
        label: o.label ?? o.name ?? o.kind,
        url: o.url,
        description: o.description,
        saved: o.localPath && existsSync(o.localPath) ? vscode.workspace.asRelativePath(o.localPath, false) : undefined,
        canSave: !!o.url || o.value !== undefined,
        index,
      };
      if (offline && !(o.localPath && o.kind !== 'html')) {
        if (o.url && /^https?:/i.test(o.url)) out.offline = true;
      } else if (o.kind === 'html') {
        // A page plays from where it was served (its assets sit beside it there), downloaded or not.
        if (
          o.url &&
          /^https?:/i.test(o.url) &&
          mayFrame(PROVIDERS[job.provider].frameHosts, o.url, this.g.sandbox.origin)
        ) {
          out.frameSrc = await this.external(o.url);
          frameOrigins.add(new URL(out.frameSrc).origin);
        }
      } else if (o.localPath) out.src = webview.asWebviewUri(vscode.Uri.file(o.localPath)).toString();
      else if (o.url && /^(https?:|data:)/i.test(o.url)) {
        const src = o.url.startsWith('data:') ? o.url : await this.external(o.url);
        out.src = src;
        if (!src.startsWith('data:')) mediaOrigins.add(new URL(src).origin);
      }
      if (o.kind === 'video' && posterSrc) out.poster = posterSrc;
      if (o.value !== undefined) out.text = typeof o.value === 'string' ? o.value : JSON.stringify(o.value, null, 2);
      outputs.push(out);
    }
    const { prompt, params } = jobParams(job);
    const view: PreviewJob = {
      key: job.key,
      provider: PROVIDER_LABELS[job.provider],
      title: job.title,
      kind: job.kind,
      status: job.status,
      statusLabel: statusText(job.status),
      remoteStatus: job.remoteStatus,
      progress: job.progress,
      summary: typeof job.meta.summary === 'string' ? job.meta.summary : undefined,
      cost: formatCost(job),
      error: job.error?.message,
      prompt: prompt && prompt !== job.title ? prompt : undefined,
      params,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
      webUrl: job.webUrl,
      sandbox: !!job.sandbox,
      offline,
      outputs,
      steps: (job.steps ?? []).map((s) => ({
        prompt: s.prompt,
        state: s.state,
        stateLabel: stepStateText(s.state),
        id: s.id,
      })),
      raw: JSON.stringify(job.raw ?? null, null, 2),
      canRetry: Object.keys(job.request).length > 0 && !isActive(job),
    };
    return { job: view, origins: { mediaOrigins: [...mediaOrigins].sort(), frameOrigins: [...frameOrigins].sort() } };
  }

  /** An output's file: its local copy opened in the editor, or one of the Jobs view's output commands. */
  private async outputAction(key: string, index: number, action: (typeof OUTPUT_ACTIONS)[number]): Promise<void> {
    const node = { type: 'output', key, index };
    switch (action) {
      case 'open': {
        const path = this.g.store.get(key)?.outputs[index]?.localPath;
        if (path && existsSync(path)) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path));
        return;
      }
      case 'saveAs':
        return void runCommand('gendeck.saveOutputAs', node);
      case 'copyPath':
        return void runCommand('gendeck.copyOutputPath', node);
      case 'copyReference':
        return void runCommand('gendeck.copyOutputReference', node);
      case 'reveal':
        return void runCommand('gendeck.revealOutput', node);
    }
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}
