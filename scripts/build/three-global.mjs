// three.js ships once, as dist/three.js: an IIFE that sets `GenDeckThree` to the exports below. The 3D model viewer
// (dist/modelViewer.js) and the sandbox game (media/game.html) are built against that global by `threeFromGlobal`.

/** The global dist/three.js defines (a top-level `var` of a classic script, so a property of `window`). */
export const THREE_GLOBAL = 'GenDeckThree';

/** Per module: the names the viewer and the game import from it. An import of any other name fails the build. */
export const THREE_EXPORTS = {
  three: [
    // The model viewer (src/webview-ui/model/viewer.ts).
    'AmbientLight',
    'Box3',
    'DirectionalLight',
    'PerspectiveCamera',
    'Scene',
    'Vector3',
    'WebGLRenderer',
    // The sandbox game (scripts/make-media.mjs, GAME_ENTRY) besides those.
    'BoxGeometry',
    'Color',
    'CylinderGeometry',
    'Fog',
    'GridHelper',
    'HemisphereLight',
    'MathUtils',
    'Mesh',
    'MeshStandardMaterial',
    'PCFShadowMap',
    'PlaneGeometry',
    'TorusGeometry',
  ],
  'three/examples/jsm/controls/OrbitControls.js': ['OrbitControls'],
  'three/examples/jsm/loaders/GLTFLoader.js': ['GLTFLoader'],
};

/** The entry of dist/three.js: every name of THREE_EXPORTS, re-exported from its module. */
export function threeEntry() {
  return Object.entries(THREE_EXPORTS)
    .map(([module, names]) => `export { ${names.join(', ')} } from ${JSON.stringify(module)};`)
    .join('\n');
}

const MODULES = new RegExp(
  `^(${Object.keys(THREE_EXPORTS)
    .map((m) => m.replace(/[./]/g, '\\$&'))
    .join('|')})$`,
);

/** esbuild plugin: an import of a THREE_EXPORTS module reads its names from the global dist/three.js sets. */
export const threeFromGlobal = {
  name: 'three-from-global',
  setup(build) {
    build.onResolve({ filter: MODULES }, (args) => ({ path: args.path, namespace: 'three-global' }));
    build.onLoad({ filter: /.*/, namespace: 'three-global' }, (args) => ({
      contents: `export const { ${THREE_EXPORTS[args.path].join(', ')} } = globalThis.${THREE_GLOBAL};`,
      loader: 'js',
    }));
  },
};
