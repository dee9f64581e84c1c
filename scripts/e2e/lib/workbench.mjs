// Drives the real VS Code workbench (as served by code-server) through its DOM:
// command palette, quick picks / input boxes, views and tree items, notifications, webview frames.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { retryUntil, sleep, waitUntil } from './util.mjs';

const QI = '.quick-input-widget';
const QI_INPUT = `${QI} .quick-input-box input`;
const QI_ROWS = `${QI} .quick-input-list .monaco-list-row`;

export class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page, url) {
    this.page = page;
    this.url = url;
    /** The last command run from the palette, until a quick input was seen after it. */
    this.lastCommand = undefined;
  }

  async open({ timeout = 90_000 } = {}) {
    await this.page.goto(this.url, { waitUntil: 'domcontentloaded', timeout });
    await this.waitReady({ timeout });
  }

  /** The workbench is up and the (remote) extension host has started. */
  async waitReady({ timeout = 90_000 } = {}) {
    const p = this.page;
    await p.locator('.monaco-workbench .part.activitybar').first().waitFor({ state: 'visible', timeout });
    await p.locator('.monaco-workbench .part.statusbar').first().waitFor({ state: 'visible', timeout });
    // Give the workbench a moment to settle restored editors/notifications.
    await sleep(500);
  }

  async screenshot(path, opts = {}) {
    mkdirSync(dirname(path), { recursive: true });
    await this.page.screenshot({ path, ...opts });
    return path;
  }

  /** "GenDeck: Try the Sandbox" from the palette; resolves once its "sandbox is on" notification shows, then clears it. */
  async startSandbox() {
    await this.runCommand('GenDeck: Try the Sandbox');
    await waitUntil(async () => (await this.notifications()).some((n) => /sandbox is on/i.test(n.message)), {
      timeout: 30_000,
      what: 'the "sandbox is on" notification',
    });
    await this.dismissNotifications();
  }

  async closeQuickInput() {
    const p = this.page;
    for (
      let i = 0;
      i < 3 &&
      (await p
        .locator(QI)
        .isVisible()
        .catch(() => false));
      i++
    ) {
      await p.keyboard.press('Escape');
      await sleep(150);
    }
  }

  async quickInputVisible() {
    return this.page
      .locator(QI)
      .isVisible()
      .catch(() => false);
  }

  /**
   * Opens the command palette and runs the command whose label matches `title` exactly (e.g. "GenDeck: Try the
   * Sandbox"). The pick is repeated while the palette still shows it (a busy workbench drops clicks), and a quick input
   * the command should open is waited for by `waitForQuickInput`, which runs the command again if it never came.
   */
  async runCommand(title, { timeout = 20_000 } = {}) {
    const p = this.page;
    await this.closeQuickInput();
    const query = `>${title}`;
    let clicked = false;
    await retryUntil(
      async () => {
        let now = await this.quickInputState();
        if (now && !now.value.startsWith('>')) {
          await this.closeQuickInput(); // some other input is up: the palette replaces it
          now = null;
        }
        if (!now) {
          // Focus may sit inside a webview iframe; move it back to the workbench first.
          await p
            .evaluate(() => {
              if (document.activeElement && document.activeElement.tagName === 'IFRAME') document.activeElement.blur();
            })
            .catch(() => {});
          await p.keyboard.press('F1');
          await p.locator(QI_INPUT).waitFor({ state: 'visible', timeout: 5_000 });
        }
        if ((await p.locator(QI_INPUT).inputValue({ timeout: 5_000 })) !== query)
          await p.locator(QI_INPUT).fill(query, { timeout: 5_000 });
        const row = await this.waitForRow(title, { timeout: 10_000, exact: true });
        await row.click({ timeout: 5_000 });
        clicked = true;
      },
      async () => clicked && (await this.quickInputState())?.value !== query,
      { timeout: Math.max(timeout, 30_000), settle: 2_000, what: `the palette to run "${title}"` },
    );
    this.lastCommand = { title, reruns: 0 };
    await sleep(200);
  }

  /** Waits for a quick-pick row whose label is `label` (exact) or contains it; returns its locator. */
  async waitForRow(label, { timeout = 20_000, exact = false } = {}) {
    const p = this.page;
    return waitUntil(
      async () => {
        const rows = p.locator(QI_ROWS);
        const n = await rows.count();
        for (let i = 0; i < n; i++) {
          const r = rows.nth(i);
          const text =
            (await r
              .locator('.label-name')
              .first()
              .textContent()
              .catch(() => null)) ?? (await r.getAttribute('aria-label'));
          const t = (text || '').replace(/\s+/g, ' ').trim();
          if (exact ? t === label : t.includes(label)) return r;
        }
        return null;
      },
      {
        timeout,
        what: async () =>
          `quick pick row "${label}" (rows: ${JSON.stringify(await this.rowLabels().catch(() => '?'))})`,
      },
    );
  }

  async rowLabels() {
    return this.page.locator(QI_ROWS).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  }

  /** State of the current quick input: title, placeholder, message, prompt, row labels, password or not. */
  async quickInputState() {
    const p = this.page;
    if (!(await this.quickInputVisible())) return null;
    return p.locator(QI).evaluate((w) => {
      const input = w.querySelector('.quick-input-box input');
      const txt = (s) => w.querySelector(s)?.textContent?.trim() || '';
      return {
        title: txt('.quick-input-title'),
        placeholder: input?.getAttribute('placeholder') || '',
        ariaLabel: input?.getAttribute('aria-label') || '',
        type: input?.getAttribute('type') || '',
        value: input?.value || '',
        message: txt('.quick-input-message'),
        rows: [...w.querySelectorAll('.quick-input-list .monaco-list-row')].map((r) => r.getAttribute('aria-label')),
      };
    });
  }

  /** Waits for a quick input (pick or box) to be visible, optionally one whose title/placeholder/prompt matches `match`. */
  /**
   * Waits for a quick input (pick or box), optionally one whose title/placeholder/prompt matches `match`. Right after
   * `runCommand`, a command whose input has not come within 10 s is run again (twice at most): the palette may have
   * closed on a dropped click without running it.
   */
  async waitForQuickInput({ match, timeout = 20_000 } = {}) {
    const found = async () => {
      const s = await this.quickInputState();
      if (!s) return null;
      if (!match) return s;
      const hay = `${s.title}\n${s.placeholder}\n${s.message}\n${s.ariaLabel}`;
      return (match instanceof RegExp ? match.test(hay) : hay.includes(match)) ? s : null;
    };
    const what = `quick input${match ? ` matching ${match}` : ''}`;
    const deadline = Date.now() + timeout;
    for (;;) {
      const cmd = this.lastCommand;
      const left = deadline - Date.now();
      try {
        const s = await waitUntil(found, {
          timeout: cmd && cmd.reruns < 2 ? Math.min(10_000, Math.max(0, left)) : Math.max(0, left),
          what,
        });
        this.lastCommand = undefined;
        return s;
      } catch (e) {
        if (!cmd || cmd.reruns >= 2 || Date.now() >= deadline || (await this.quickInputVisible())) throw e;
        console.log(`#   no ${what} after "${cmd.title}": running it again`);
        await this.runCommand(cmd.title);
        this.lastCommand = { title: cmd.title, reruns: cmd.reruns + 1 };
      }
    }
  }

  /** True when quick-input state `s` is the same input as `first` (title, placeholder and label all equal). */
  static sameInput(s, first) {
    return (
      !!s &&
      s.title === first.title &&
      s.placeholder === first.placeholder &&
      s.ariaLabel === first.ariaLabel &&
      s.type === first.type
    );
  }

  /**
   * Does `act` on the quick input `first` until it has given way to something else. A busy workbench can hide and
   * show the widget again mid-step (a palette closing, a pick opening) or drop a key press: `act` runs again on the
   * same input until it is gone.
   */
  async untilInputTaken(first, act, { timeout = 20_000, what } = {}) {
    let acted = false;
    await retryUntil(
      async () => {
        if (acted && !Workbench.sameInput(await this.quickInputState(), first)) return;
        await waitUntil(async () => Workbench.sameInput(await this.quickInputState(), first), {
          timeout: 5_000,
          what: `the quick input "${first.title || first.ariaLabel}"`,
        });
        await act();
        acted = true;
      },
      async () => acted && !Workbench.sameInput(await this.quickInputState(), first),
      { timeout, settle: 2_000, what },
    );
    await sleep(100);
  }

  /** Picks `label` in the visible quick pick (types to filter first), again until the pick has taken it. */
  async pick(label, { match, timeout = 20_000, filter = true, exact = false } = {}) {
    const first = await this.waitForQuickInput({ match, timeout });
    const input = this.page.locator(QI_INPUT);
    await this.untilInputTaken(
      first,
      async () => {
        if (filter) await input.fill(label, { timeout: 5_000 });
        const row = await this.waitForRow(label, { timeout: 5_000, exact });
        await row.click({ timeout: 5_000 });
      },
      { timeout, what: `the pick of "${label}" to be taken` },
    );
  }

  /** Clicks Back (VS Code's `QuickInputButtons.Back`, left of the title) on the visible step, again until it has gone. */
  async quickInputBack({ timeout = 20_000 } = {}) {
    const first = await this.waitForQuickInput({ timeout });
    const back = this.page.locator(`${QI} .quick-input-left-action-bar .action-label`).first();
    await this.untilInputTaken(first, () => back.click({ timeout: 5_000 }), {
      timeout,
      what: `Back on "${first.title}"`,
    });
  }

  /** Types `text` into the visible input box and accepts it, again until the box has taken it. */
  async inputText(text, { match, timeout = 20_000, expectPassword } = {}) {
    const s = await this.waitForQuickInput({ match, timeout });
    if (expectPassword !== undefined && (s.type === 'password') !== expectPassword) {
      throw new Error(`input box password=${s.type === 'password'}, expected ${expectPassword} (${JSON.stringify(s)})`);
    }
    const input = this.page.locator(QI_INPUT);
    await this.untilInputTaken(
      s,
      async () => {
        await input.fill(text, { timeout: 5_000 });
        await input.press('Enter', { timeout: 5_000 });
      },
      { timeout, what: `the input box to take "${expectPassword ? '••••' : text}"` },
    );
    return s;
  }

  /**
   * Answers VS Code's simple file dialog (a quick input with a path box; code-server has no native one) with `path`.
   * The dialog may still be listing a folder when Enter lands, so Enter (or its `okLabel` button) is repeated until
   * the dialog has gone or given way to the next input.
   */
  async chooseFile(path, { match, okLabel, timeout = 30_000 } = {}) {
    const first = await this.waitForQuickInput({ match, timeout });
    const input = this.page.locator(QI_INPUT);
    const ok = okLabel ? this.page.locator('.quick-input-widget .monaco-button', { hasText: okLabel }).first() : null;
    let acted = false;
    await retryUntil(
      async () => {
        const now = await this.quickInputState();
        if (acted && (!now || now.title !== first.title)) return; // taken already
        if (!now) return;
        if (now.value !== path) await input.fill(path);
        if (ok && (await ok.isVisible().catch(() => false))) await ok.click();
        else await input.press('Enter');
        acted = true;
      },
      async () => {
        const now = await this.quickInputState();
        return acted && (!now || now.title !== first.title || now.placeholder !== first.placeholder) ? true : null;
      },
      { timeout, settle: 2_000, what: `the file dialog "${first.title}" to take ${path}` },
    );
    await sleep(100);
  }

  /**
   * Right-clicks `row` and picks `item` from its context menu, again until `effect()` (the item's result) is seen: a
   * busy workbench can drop the click or close the menu before the item is hit.
   */
  async contextMenu(row, item, effect, { timeout = 45_000, what } = {}) {
    const p = this.page;
    return retryUntil(
      async (tries) => {
        if (await effect().catch(() => null)) return;
        await p.keyboard.press('Escape').catch(() => {});
        await row.scrollIntoViewIfNeeded().catch(() => {});
        await row.click({ button: 'right' });
        const entry = p.locator('.context-view .action-label').filter({ hasText: item }).first();
        await entry.waitFor({ state: 'visible', timeout: 5_000 });
        // A menu item ignores a mouse-up that comes too soon after the menu opened; every other try uses the keyboard.
        if (tries % 2 === 0) {
          await entry.hover();
          await p.keyboard.press('Enter');
        } else {
          await entry.click();
        }
      },
      effect,
      { timeout, settle: 4_000, what: what ?? `the effect of "${item}"` },
    );
  }

  /** The modal dialog currently shown, or null: {message, detail, buttons}. */
  async dialog() {
    const box = this.page.locator('.monaco-dialog-box').first();
    if (!(await box.isVisible().catch(() => false))) return null;
    return box.evaluate((b) => ({
      message: b.querySelector('.dialog-message-text')?.textContent || '',
      detail: b.querySelector('.dialog-message-detail')?.textContent || '',
      buttons: [...b.querySelectorAll('.dialog-buttons .monaco-button')].map((x) => x.textContent || ''),
    }));
  }

  async waitForDialog({ match, timeout = 20_000 } = {}) {
    return waitUntil(
      async () => {
        const d = await this.dialog();
        if (!d) return null;
        const hay = `${d.message}\n${d.detail}`;
        return !match || (match instanceof RegExp ? match.test(hay) : hay.includes(match)) ? d : null;
      },
      { timeout, what: `a dialog${match ? ` matching ${match}` : ''}` },
    );
  }

  async clickDialogButton(text) {
    await this.page
      .locator('.monaco-dialog-box .dialog-buttons .monaco-button')
      .filter({ hasText: text })
      .first()
      .click();
    await sleep(200);
  }

  /**
   * Shows the view container `id` (e.g. "gendeck") whose activity-bar entry is labelled `title` (e.g. "GenDeck").
   * Clicks the activity-bar entry only when the container is not already visible (a click on the active entry hides
   * the side bar).
   */
  async openViewContainer(title, { id = title.toLowerCase(), timeout = 30_000 } = {}) {
    const p = this.page;
    const container = p.locator(`.part.sidebar [id="workbench.view.extension.${id}"]`);
    if (await container.isVisible().catch(() => false)) return;
    const item = p.locator(`.part.activitybar .action-item a.action-label[aria-label^="${title}"]`).first();
    await item.waitFor({ state: 'visible', timeout });
    await item.click();
    await container.waitFor({ state: 'visible', timeout });
  }

  /** The pane (view) in the side bar whose header reads `name`. */
  pane(name) {
    return this.page
      .locator('.part.sidebar .pane')
      .filter({
        has: this.page.locator(`.pane-header[aria-label^="${name}"], .pane-header h3.title:text-is("${name}")`),
      })
      .first();
  }

  /** All visible tree rows in the side bar: [{label, description, ariaLabel, level, expanded}]. */
  async treeRows(paneName) {
    const scope = paneName ? this.pane(paneName) : this.page.locator('.part.sidebar');
    return scope.locator('.monaco-list-row').evaluateAll((els) =>
      els.map((e) => ({
        label: e.querySelector('.label-name, .monaco-highlighted-label')?.textContent || '',
        description: e.querySelector('.label-description')?.textContent || '',
        ariaLabel: e.getAttribute('aria-label') || '',
        level: Number(e.getAttribute('aria-level') || 0),
        expanded: e.getAttribute('aria-expanded'),
        title:
          e.querySelector('.monaco-icon-label')?.getAttribute('title') ||
          e.querySelector('[title]')?.getAttribute('title') ||
          '',
      })),
    );
  }

  /** A tree row locator whose aria-label contains `text`. */
  treeRow(text, paneName) {
    const scope = paneName ? this.pane(paneName) : this.page.locator('.part.sidebar');
    return scope.locator('.monaco-list-row').filter({ hasText: text }).first();
  }

  async waitForTreeRow(text, { pane, timeout = 30_000 } = {}) {
    const row = this.treeRow(text, pane);
    await row.waitFor({ state: 'visible', timeout });
    return row;
  }

  /** Label and description of every visible row, for failure messages. */
  async rowSummaries(pane) {
    return (await this.treeRows(pane)).map((r) => ({ label: r.label, description: r.description }));
  }

  /** Waits for the row labelled `label` whose description matches `re`; returns it. */
  waitForRowDescription(label, re, { pane, timeout = 30_000 } = {}) {
    return waitUntil(
      async () => {
        const r = (await this.treeRows(pane)).find((x) => x.label === label);
        return r && re.test(r.description) ? r : null;
      },
      {
        timeout,
        what: async () =>
          `row "${label}" to match ${re} (rows: ${JSON.stringify(await this.rowSummaries(pane).catch(() => []))})`,
      },
    );
  }

  /** Expands the row containing `label` if it is collapsed. */
  async expandRow(label, pane) {
    const row = this.treeRow(label, pane);
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
  }

  /** Opens or folds the side-bar pane `name` (no-op when it is not shown). */
  async setPaneOpen(name, open) {
    const header = this.pane(name).locator('.pane-header').first();
    if (!(await header.isVisible().catch(() => false))) return;
    if (((await header.getAttribute('aria-expanded')) === 'true') !== open) await header.click();
  }

  /** The frame of the shared schema form whose heading is `title`, once rendered. */
  schemaForm(title) {
    return this.findFrame(
      async (f) =>
        (await f.locator('form.schema-form').count()) > 0 && (await f.locator('h1').first().textContent()) === title,
      { timeout: 30_000, what: `the form for ${title}` },
    );
  }

  /** Notification toasts currently shown: [{message, source, buttons}]. */
  async notifications() {
    return this.page.locator('.notifications-toasts .notification-toast, .notification-list-item').evaluateAll((els) =>
      els.map((e) => ({
        message: e.querySelector('.notification-list-item-message')?.textContent || e.textContent || '',
        buttons: [...e.querySelectorAll('.monaco-button')].map((b) => b.textContent),
      })),
    );
  }

  async clickNotificationButton(messagePart, button, { timeout = 20_000 } = {}) {
    const toast = this.page
      .locator('.notifications-toasts .notification-toast')
      .filter({ hasText: messagePart })
      .first();
    await toast.waitFor({ state: 'visible', timeout });
    await toast.locator('.monaco-button').filter({ hasText: button }).first().click();
  }

  async dismissNotifications() {
    const p = this.page;
    await this.runCommand('Notifications: Clear All Notifications').catch(() => {});
    await this.closeQuickInput();
    void p;
  }

  /** Frames that belong to webviews (VS Code nests: iframe.webview -> index.html -> #active-frame). */
  webviewFrames() {
    return this.page
      .frames()
      .filter(
        (f) => f !== this.page.mainFrame() && /\/webview\/|vscode-webview|fake\.html|index\.html\?id=/.test(f.url()),
      );
  }

  /** Finds the frame (at any depth) for which `predicate(frame)` resolves truthy. */
  async findFrame(predicate, { timeout = 30_000, what = 'frame' } = {}) {
    return waitUntil(
      async () => {
        for (const f of this.page.frames()) {
          try {
            if (await predicate(f)) return f;
          } catch {
            /* frame detached or not ready */
          }
        }
        return null;
      },
      { timeout, what },
    );
  }

  /** Evaluates `fn` in every frame (main + nested) and returns [{url, value}] (errors skipped). */
  async evalAllFrames(fn, arg) {
    const out = [];
    for (const f of this.page.frames()) {
      try {
        out.push({ url: f.url(), value: await f.evaluate(fn, arg) });
      } catch {
        /* cross-origin/detached */
      }
    }
    return out;
  }

  /** The visible text of the active editor (Monaco renders spaces as no-break spaces; they are read as spaces). */
  async editorText() {
    const text = await this.page
      .locator('.part.editor .editor-instance .view-lines')
      .first()
      .innerText()
      .catch(() => '');
    return text.replace(/\u00a0/g, ' ');
  }

  /** Shows the Output panel with channel `name` and returns its visible text (the Output view is a Monaco editor). */
  async outputText(name) {
    const p = this.page;
    await this.runCommand('Output: Show Output Channels...').catch(async () =>
      this.runCommand('Output: Show Output Channels…'),
    );
    await this.pick(name, { filter: true });
    const editor = p.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first();
    await editor.waitFor({ state: 'visible', timeout: 15_000 });
    await sleep(500);
    return editor
      .locator('.view-lines')
      .innerText()
      .catch(() => '');
  }
}
