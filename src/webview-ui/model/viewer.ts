// The 3D (glTF/GLB) viewer: three.js with GLTFLoader and OrbitControls (no CDN), as its own script,
// dist/modelViewer.js, which the preview loads only when a job has a 3D output. Its three imports are built to read
// the global of dist/three.js, loaded just before it (scripts/build/three-global.mjs).
import { AmbientLight, Box3, DirectionalLight, PerspectiveCamera, Scene, Vector3, WebGLRenderer } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';

export interface ModelViewerApi {
  /** Shows the model at `src` inside `stage`; resolves once it is drawn. */
  mount(stage: HTMLElement, src: string): Promise<void>;
}

interface Viewer {
  canvas: HTMLCanvasElement;
  fit(): void;
  ready: Promise<void>;
}

// The preview page redraws on every job update: one renderer per model, moved into the new stage,
// so the model is not fetched again and WebGL contexts are not used up.
const viewers = new Map<string, Viewer>();

function create(src: string): Viewer {
  const renderer = new WebGLRenderer({ antialias: true, alpha: true });
  renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
  const scene = new Scene();
  scene.add(new AmbientLight(0xffffff, 1.2));
  const sun = new DirectionalLight(0xffffff, 2.2);
  sun.position.set(3, 5, 4);
  scene.add(sun);
  const camera = new PerspectiveCamera(45, 16 / 9, 0.01, 1000);
  const controls = new OrbitControls(camera, renderer.domElement);
  controls.enableDamping = false;
  const draw = () => renderer.render(scene, camera);
  controls.addEventListener('change', draw);
  const canvas = renderer.domElement;
  canvas.className = 'model-canvas';
  canvas.tabIndex = 0;
  canvas.setAttribute('aria-label', '3D model: drag to orbit, scroll to zoom');
  const fit = () => {
    const parent = canvas.parentElement;
    const width = Math.max(200, parent?.clientWidth ?? 640);
    const height = Math.round(Math.min(480, width * 0.6));
    renderer.setSize(width, height, true);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    draw();
  };
  new ResizeObserver(() => fit()).observe(document.body);
  const ready = new GLTFLoader().loadAsync(src).then((gltf) => {
    const root = gltf.scene;
    scene.add(root);
    const box = new Box3().setFromObject(root);
    const size = box.getSize(new Vector3()).length() || 1;
    const center = box.getCenter(new Vector3());
    root.position.sub(center);
    camera.near = size / 100;
    camera.far = size * 100;
    camera.position.set(size * 0.6, size * 0.45, size * 0.9);
    camera.lookAt(0, 0, 0);
    controls.target.set(0, 0, 0);
    controls.update();
    fit();
  });
  return { canvas, fit, ready };
}

const api: ModelViewerApi = {
  async mount(stage, src) {
    let v = viewers.get(src);
    if (!v) {
      v = create(src);
      viewers.set(src, v);
      v.ready.catch(() => viewers.delete(src));
    }
    stage.append(v.canvas);
    v.fit();
    await v.ready;
  },
};

(window as unknown as { gendeckModelViewer?: ModelViewerApi }).gendeckModelViewer = api;
window.dispatchEvent(new Event('gendeck-model-viewer'));
