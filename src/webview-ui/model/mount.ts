// Shows a 3D output in the preview, loading three.js (dist/three.js) and the viewer over it (dist/modelViewer.js)
// only when a job has a model. The scripts are added with this page's nonce, so the CSP stays nonce-only.
import { el } from '../dom';
import type { ModelViewerApi } from './viewer';

// Read while this bundle's own <script> runs: where it came from and the nonce it carries.
const self = document.currentScript as HTMLScriptElement | null;
const bundleUrl = self?.src;
const scriptNonce = self?.nonce;

let loading: Promise<ModelViewerApi> | undefined;

function loadViewer(): Promise<ModelViewerApi> {
  const w = window as unknown as { gendeckModelViewer?: ModelViewerApi };
  if (w.gendeckModelViewer) return Promise.resolve(w.gendeckModelViewer);
  loading ??= new Promise<ModelViewerApi>((resolve, reject) => {
    if (!bundleUrl) return reject(new Error('the viewer script location is unknown'));
    window.addEventListener(
      'gendeck-model-viewer',
      () => (w.gendeckModelViewer ? resolve(w.gendeckModelViewer) : reject(new Error('the 3D viewer did not start'))),
      { once: true },
    );
    for (const file of ['three.js', 'modelViewer.js']) {
      const script = document.createElement('script');
      script.src = bundleUrl.replace(/[^/?#]+(\?[^#]*)?(#.*)?$/, file);
      // Added scripts run as they arrive unless not async: then in order, three.js before the viewer that reads it.
      script.async = false;
      if (scriptNonce) script.nonce = scriptNonce;
      script.addEventListener('error', () => reject(new Error('the 3D viewer could not be loaded')));
      document.head.append(script);
    }
  }).catch((err) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/** Appends an orbitable view of the glTF/GLB at `src` to `box` (a message instead if WebGL is unavailable). */
export function mountModel(box: HTMLElement, src: string): void {
  const stage = el('div', { class: 'model-stage' });
  const status = el('p', { class: 'muted model-status' }, 'Loading 3D model…');
  box.append(stage, status);
  loadViewer()
    .then((viewer) => viewer.mount(stage, src))
    .then(() => {
      status.textContent = 'Drag to orbit, scroll to zoom.';
    })
    .catch((err: unknown) => {
      stage.remove();
      status.textContent = `The 3D preview is not available here (${err instanceof Error ? err.message : String(err)}). Download the model to open it in a viewer.`;
    });
}
