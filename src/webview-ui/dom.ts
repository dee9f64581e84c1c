// DOM helpers for the webview bundles. Text is always set with textContent; no HTML parsing anywhere.

type Attrs = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') node.className = String(v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === undefined || c === false) continue;
    node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

export function clear(node: Element): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

interface VsCodeApi<S> {
  postMessage(msg: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

let api: VsCodeApi<unknown> | undefined;
export function vscodeApi<S>(): VsCodeApi<S> {
  api ??= acquireVsCodeApi<unknown>();
  return api as VsCodeApi<S>;
}

/**
 * Listens for messages from the extension host only. VS Code's webview host frame delivers them from this page's own
 * origin (it sets `window.parent` to the page itself, so that cannot be compared). A message from anywhere else — a
 * provider page framed inside this one (another origin, or an opaque one when sandboxed), any frame of ours — is
 * ignored, so it cannot redraw the page or rewire its buttons.
 */
export function onHostMessage<T>(handle: (msg: T) => void): void {
  window.addEventListener('message', (e: MessageEvent<T>) => {
    if (e.origin !== window.origin) return;
    for (let i = 0; i < window.frames.length; i++) if (e.source === window.frames[i]) return;
    handle(e.data);
  });
}
