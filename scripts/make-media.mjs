#!/usr/bin/env node
// Regenerates the sample media served by the local API emulator ("sandbox").
//
//   node scripts/make-media.mjs                         every file
//   node scripts/make-media.mjs sample.mp4 game.html    only what makes these (the
//     video step always writes sample.mp4, sample.webm and sample.jpg together)
//
// Maintenance script only: it is NOT run by tests or CI, the outputs in media/
// are committed. Requirements: ffmpeg + ffprobe on PATH (Debian: apt-get
// install ffmpeg; or the npm ones: a folder of symlinks to
// node_modules/@ffmpeg-installer/<platform>/ffmpeg and @ffprobe-installer's
// ffprobe put first on PATH), the DejaVu fonts (fonts-dejavu-core, used by
// drawtext), and the devDependencies `esbuild` and `three` (for media/game.html,
// a template the sandbox completes with dist/three.js).
// Everything else (GLB, ZIP, icon PNG, SVG) is written by plain Node code here.
// The sample WAV is no file: the sandbox makes it (src/sandbox/sampleWav.ts).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { threeFromGlobal } from './build/three-global.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'media');
mkdirSync(outDir, { recursive: true });
const out = (name) => path.join(outDir, name);

const produced = [];
function report(name, details) {
  const size = statSync(out(name)).size;
  produced.push({ name, size, details });
  console.log(`  wrote media/${name}  ${(size / 1024).toFixed(1)} KiB  ${details}`);
}

function ffmpeg(args) {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' });
}

function probe(name) {
  const json = execFileSync('ffprobe', [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    out(name),
  ]).toString();
  const info = JSON.parse(json);
  const streams = info.streams.map((s) =>
    s.codec_type === 'video'
      ? `${s.codec_name}${s.profile ? ` (${s.profile})` : ''} ${s.width}x${s.height} ${s.pix_fmt}${s.r_frame_rate && s.r_frame_rate !== '0/0' && s.codec_name !== 'png' && s.codec_name !== 'mjpeg' ? ` ${s.r_frame_rate}fps` : ''}`
      : `${s.codec_name} ${s.sample_rate}Hz ${s.channels}ch${s.bits_per_sample ? ` ${s.bits_per_sample}bit` : ''}`,
  );
  const dur = info.format.duration ? ` ${Number(info.format.duration).toFixed(2)}s` : '';
  return `${streams.join(' + ')}${dur}`;
}

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf',
  '/System/Library/Fonts/Supplemental/Arial Bold.ttf',
];
const fontFile = FONT_CANDIDATES.find((f) => existsSync(f));
const font = fontFile ? `fontfile='${fontFile}':` : '';
// Strip encoder/creation metadata so reruns produce (near) identical files.
const QUIET_META = ['-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact'];

// ---------------------------------------------------------------------------
// 1. Video: 4 s, 320x180, 24 fps, animated test pattern + caption + sine tone.
//    Encoded small for the VSIX (about 55 KiB each): H.264 Main at CRF 38
//    (preset veryslow) + AAC 24 kbit/s, and VP9 at CRF 55 + Opus 24 kbit/s; a
//    keyframe every 2 s in both, so seeks stay cheap.
// ---------------------------------------------------------------------------
function makeVideo() {
  const vsrc = 'testsrc2=size=320x180:rate=24:duration=4';
  const caption =
    `drawtext=${font}text='GenDeck sandbox':fontsize=22:fontcolor=white:` +
    `box=1:boxcolor=black@0.6:boxborderw=6:` +
    `x=(w-text_w)/2+40*sin(2*PI*t/4):y=h-text_h-16`;
  // 440 Hz tone with a short beep every second, faded in/out.
  const asrc = 'sine=frequency=440:beep_factor=2:sample_rate=48000:duration=4';
  const afilt = 'volume=0.35,afade=t=in:d=0.05,afade=t=out:st=3.9:d=0.1';
  const common = [
    '-f',
    'lavfi',
    '-i',
    vsrc,
    '-f',
    'lavfi',
    '-i',
    asrc,
    '-vf',
    caption,
    '-af',
    afilt,
    '-t',
    '4',
    ...QUIET_META,
  ];

  ffmpeg([
    ...common,
    '-c:v',
    'libx264',
    '-profile:v',
    'main',
    '-level:v',
    '3.0',
    '-pix_fmt',
    'yuv420p',
    '-preset',
    'veryslow',
    '-crf',
    '38',
    '-g',
    '48',
    '-c:a',
    'aac',
    '-b:a',
    '24k',
    '-ac',
    '1',
    '-ar',
    '44100',
    '-movflags',
    '+faststart',
    out('sample.mp4'),
  ]);
  report('sample.mp4', probe('sample.mp4'));

  ffmpeg([
    ...common,
    '-c:v',
    'libvpx-vp9',
    '-pix_fmt',
    'yuv420p',
    '-b:v',
    '0',
    '-crf',
    '55',
    '-deadline',
    'good',
    '-cpu-used',
    '1',
    '-row-mt',
    '1',
    '-g',
    '48',
    '-c:a',
    'libopus',
    '-b:a',
    '24k',
    '-ac',
    '1',
    '-ar',
    '48000',
    out('sample.webm'),
  ]);
  report('sample.webm', probe('sample.webm'));

  ffmpeg(['-ss', '1', '-i', out('sample.mp4'), '-frames:v', '1', '-q:v', '3', ...QUIET_META, out('sample.jpg')]);
  report('sample.jpg', probe('sample.jpg'));
}

// ---------------------------------------------------------------------------
// 2. PNG 256x256: concentric colour rings + "GenDeck" label, as a 128-colour
//    palette image (pal8, its own palette, no dithering, no row filters):
//    about 14 KiB instead of 55-69 KiB as RGB.
// ---------------------------------------------------------------------------
function makeSamplePng() {
  const rings = 'hypot(X-128,Y-128)';
  const vf = [
    `geq=r='40+60*(1+sin(${rings}/9))':g='30+40*(1+sin(${rings}/9+2))':b='90+70*(1+sin(${rings}/9+4))'`,
    'drawbox=x=0:y=0:w=iw:h=ih:color=white@0.9:t=6',
    `drawtext=${font}text='GenDeck':fontsize=46:fontcolor=white:borderw=3:bordercolor=black@0.8:x=(w-text_w)/2:y=(h-text_h)/2`,
    `drawtext=${font}text='sample image':fontsize=16:fontcolor=white:borderw=2:bordercolor=black@0.8:x=(w-text_w)/2:y=(h/2)+34`,
  ].join(',');
  const palette = 'palettegen=max_colors=128:stats_mode=single:reserve_transparent=0';
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'color=c=black:s=256x256:d=1',
    '-filter_complex',
    `${vf},split[img][pal];[pal]${palette}[p];[img][p]paletteuse=dither=none`,
    '-frames:v',
    '1',
    ...QUIET_META,
    '-pred',
    'none',
    out('sample.png'),
  ]);
  report('sample.png', probe('sample.png'));
}

// ---------------------------------------------------------------------------
// 3. WAV: none any more. The sandbox makes its 2 s chirp in memory, sample for
//    sample what ffmpeg's aevalsrc made here before (src/sandbox/sampleWav.ts).
// ---------------------------------------------------------------------------
// 4. GLB: glTF 2.0 binary, coloured cube (24 verts with flat normals).
// ---------------------------------------------------------------------------
function makeGlb() {
  const faces = [
    // normal, u axis, v axis  (u x v = normal => CCW winding seen from outside)
    { n: [1, 0, 0], u: [0, 0, -1], v: [0, 1, 0] },
    { n: [-1, 0, 0], u: [0, 0, 1], v: [0, 1, 0] },
    { n: [0, 1, 0], u: [1, 0, 0], v: [0, 0, -1] },
    { n: [0, -1, 0], u: [1, 0, 0], v: [0, 0, 1] },
    { n: [0, 0, 1], u: [1, 0, 0], v: [0, 1, 0] },
    { n: [0, 0, -1], u: [-1, 0, 0], v: [0, 1, 0] },
  ];
  const pos = [];
  const nrm = [];
  const idx = [];
  const h = 0.5;
  faces.forEach(({ n, u, v }, f) => {
    for (const [su, sv] of [
      [-1, -1],
      [1, -1],
      [1, 1],
      [-1, 1],
    ]) {
      for (let k = 0; k < 3; k++) pos.push(h * (n[k] + su * u[k] + sv * v[k]));
      nrm.push(...n);
    }
    const b = f * 4;
    idx.push(b, b + 1, b + 2, b, b + 2, b + 3);
  });
  const posBuf = Buffer.from(new Float32Array(pos).buffer);
  const nrmBuf = Buffer.from(new Float32Array(nrm).buffer);
  const idxBuf = Buffer.from(new Uint16Array(idx).buffer); // 72 bytes, already 4-aligned
  const bin = Buffer.concat([posBuf, nrmBuf, idxBuf]);

  const gltf = {
    asset: { version: '2.0', generator: 'GenDeck scripts/make-media.mjs' },
    scene: 0,
    scenes: [{ name: 'Scene', nodes: [0] }],
    nodes: [{ name: 'Cube', mesh: 0, rotation: [0.1464466, 0.3535534, 0.3535534, 0.8535534] }],
    meshes: [
      {
        name: 'Cube',
        primitives: [{ attributes: { POSITION: 0, NORMAL: 1 }, indices: 2, material: 0, mode: 4 }],
      },
    ],
    materials: [
      {
        name: 'GenDeckOrange',
        pbrMetallicRoughness: { baseColorFactor: [1.0, 0.42, 0.1, 1.0], metallicFactor: 0.1, roughnessFactor: 0.5 },
      },
    ],
    accessors: [
      { bufferView: 0, componentType: 5126, count: 24, type: 'VEC3', min: [-h, -h, -h], max: [h, h, h] },
      { bufferView: 1, componentType: 5126, count: 24, type: 'VEC3' },
      { bufferView: 2, componentType: 5123, count: 36, type: 'SCALAR' },
    ],
    bufferViews: [
      { buffer: 0, byteOffset: 0, byteLength: posBuf.length, target: 34962 },
      { buffer: 0, byteOffset: posBuf.length, byteLength: nrmBuf.length, target: 34962 },
      { buffer: 0, byteOffset: posBuf.length + nrmBuf.length, byteLength: idxBuf.length, target: 34963 },
    ],
    buffers: [{ byteLength: bin.length }],
  };

  const pad = (buf, byte) => {
    const rem = buf.length % 4;
    return rem ? Buffer.concat([buf, Buffer.alloc(4 - rem, byte)]) : buf;
  };
  const jsonChunk = pad(Buffer.from(JSON.stringify(gltf), 'utf8'), 0x20); // spaces
  const binChunk = pad(bin, 0x00); // zeros
  const total = 12 + 8 + jsonChunk.length + 8 + binChunk.length;
  const header = Buffer.alloc(12);
  header.write('glTF', 0, 'ascii');
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(total, 8);
  const chunkHeader = (len, type) => {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(len, 0);
    b.write(type, 4, 'ascii');
    return b;
  };
  const glb = Buffer.concat([
    header,
    chunkHeader(jsonChunk.length, 'JSON'),
    jsonChunk,
    chunkHeader(binChunk.length, 'BIN\0'),
    binChunk,
  ]);
  writeFileSync(out('sample.glb'), glb);
  verifyGlb(glb);
  report(
    'sample.glb',
    `glTF 2.0 binary, 1 mesh (24 verts, 12 tris), JSON ${jsonChunk.length} B + BIN ${binChunk.length} B`,
  );
}

function verifyGlb(glb) {
  const fail = (m) => {
    throw new Error(`sample.glb: ${m}`);
  };
  if (glb.toString('ascii', 0, 4) !== 'glTF') fail('bad magic');
  if (glb.readUInt32LE(4) !== 2) fail('bad version');
  if (glb.readUInt32LE(8) !== glb.length) fail('length mismatch');
  const jLen = glb.readUInt32LE(12);
  if (glb.toString('ascii', 16, 20) !== 'JSON' || jLen % 4) fail('bad JSON chunk');
  const json = JSON.parse(glb.toString('utf8', 20, 20 + jLen));
  const bOff = 20 + jLen;
  const bLen = glb.readUInt32LE(bOff);
  if (glb.toString('ascii', bOff + 4, bOff + 8) !== 'BIN\0' || bLen % 4) fail('bad BIN chunk');
  if (bOff + 8 + bLen !== glb.length) fail('trailing bytes');
  if (json.buffers[0].byteLength > bLen) fail('buffer larger than BIN chunk');
}

// ---------------------------------------------------------------------------
// 5. game.html: three.js coin-collector (no network). The file holds the game's
// own code, built against dist/three.js's global; the sandbox inlines
// dist/three.js at THREE_MARKER when it serves the page (src/sandbox/gamePage.ts).
// ---------------------------------------------------------------------------
const GAME_ENTRY = String.raw`
import {
  BoxGeometry, Color, CylinderGeometry, DirectionalLight, Fog, GridHelper, HemisphereLight,
  Mesh, MeshStandardMaterial, PerspectiveCamera, PlaneGeometry, Scene, Vector3, WebGLRenderer,
  PCFShadowMap, TorusGeometry, MathUtils,
} from 'three';

const ARENA = 14;          // half-size of the playable square
const ROUND_SECONDS = __ROUND_SECONDS__;
const COIN_COUNT = 7;

const $ = (id) => document.getElementById(id);
const hudScore = $('score'), hudTime = $('time'), hudBest = $('best');
const overlay = $('overlay'), overlayTitle = $('overlay-title'), overlayText = $('overlay-text');

let best = 0;
try { best = Number(window.localStorage.getItem('gendeck-coins-best')) || 0; } catch { /* sandboxed iframe */ }
hudBest.textContent = String(best);

let renderer;
try {
  renderer = new WebGLRenderer({ antialias: true, canvas: $('view') });
} catch (err) {
  overlayTitle.textContent = 'WebGL unavailable';
  overlayText.textContent = 'This game needs WebGL. (' + (err && err.message ? err.message : err) + ')';
  throw err;
}
renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
renderer.shadowMap.enabled = true;
renderer.shadowMap.type = PCFShadowMap;

const scene = new Scene();
scene.background = new Color(0x141726);
scene.fog = new Fog(0x141726, 22, 48);

const camera = new PerspectiveCamera(55, 1, 0.1, 100);
camera.position.set(0, 12, 14);

scene.add(new HemisphereLight(0xbcc8ff, 0x202030, 0.9));
const sun = new DirectionalLight(0xffffff, 1.6);
sun.position.set(8, 16, 6);
sun.castShadow = true;
sun.shadow.mapSize.set(1024, 1024);
Object.assign(sun.shadow.camera, { left: -20, right: 20, top: 20, bottom: -20, near: 1, far: 50 });
sun.shadow.camera.updateProjectionMatrix();
scene.add(sun);

const ground = new Mesh(new PlaneGeometry(ARENA * 2 + 2, ARENA * 2 + 2),
  new MeshStandardMaterial({ color: 0x23283f, roughness: 0.95 }));
ground.rotation.x = -Math.PI / 2;
ground.receiveShadow = true;
scene.add(ground);
const grid = new GridHelper(ARENA * 2 + 2, ARENA * 2 + 2, 0x7c5cff, 0x3a4066);
grid.position.y = 0.01;
scene.add(grid);

// Low walls marking the arena edge.
const wallMat = new MeshStandardMaterial({ color: 0x7c5cff, emissive: 0x2a1a66, roughness: 0.6 });
for (const [x, z, w, d] of [[0, ARENA + 1, ARENA * 2 + 2.4, 0.4], [0, -ARENA - 1, ARENA * 2 + 2.4, 0.4],
  [ARENA + 1, 0, 0.4, ARENA * 2 + 2.4], [-ARENA - 1, 0, 0.4, ARENA * 2 + 2.4]]) {
  const wall = new Mesh(new BoxGeometry(w, 0.6, d), wallMat);
  wall.position.set(x, 0.3, z);
  wall.castShadow = wall.receiveShadow = true;
  scene.add(wall);
}

const player = new Mesh(new BoxGeometry(1, 1, 1),
  new MeshStandardMaterial({ color: 0x3fb6ff, emissive: 0x0a2a44, roughness: 0.35, metalness: 0.2 }));
player.castShadow = true;
player.position.set(0, 0.5, 0);
scene.add(player);
const velocity = new Vector3();

const coinGeo = new CylinderGeometry(0.5, 0.5, 0.14, 28);
coinGeo.rotateX(Math.PI / 2);
const coinMat = new MeshStandardMaterial({ color: 0xffcc33, emissive: 0x664400, metalness: 0.8, roughness: 0.25 });
const ringGeo = new TorusGeometry(0.5, 0.06, 8, 28);
const coins = [];
function placeCoin(coin) {
  for (let tries = 0; tries < 20; tries++) {
    coin.position.set(MathUtils.randFloat(-ARENA + 1, ARENA - 1), 0.8, MathUtils.randFloat(-ARENA + 1, ARENA - 1));
    if (coin.position.distanceTo(player.position) > 4) break;
  }
  coin.userData.pop = 0;
  coin.scale.setScalar(1);
}
for (let i = 0; i < COIN_COUNT; i++) {
  const coin = new Mesh(coinGeo, coinMat);
  coin.add(new Mesh(ringGeo, coinMat));
  coin.castShadow = true;
  coin.rotation.y = Math.random() * Math.PI;
  placeCoin(coin);
  coins.push(coin);
  scene.add(coin);
}

// ---- input: keyboard (arrows / WASD) + pointer (hold to steer toward it) ----
const keys = new Set();
const KEYMAP = { ArrowUp: 'up', KeyW: 'up', ArrowDown: 'down', KeyS: 'down',
  ArrowLeft: 'left', KeyA: 'left', ArrowRight: 'right', KeyD: 'right' };
window.addEventListener('keydown', (e) => {
  const k = KEYMAP[e.code];
  if (k) { keys.add(k); e.preventDefault(); }
  if (e.code === 'Space' || e.code === 'Enter') { e.preventDefault(); if (state !== 'playing') start(); }
  else if (k && state === 'ready') start();
  if (e.code === 'KeyP' || e.code === 'Escape') togglePause();
});
window.addEventListener('keyup', (e) => { const k = KEYMAP[e.code]; if (k) keys.delete(k); });
let pointer = null;
const canvas = renderer.domElement;
canvas.addEventListener('pointerdown', (e) => { pointer = e; canvas.setPointerCapture(e.pointerId); window.focus(); });
canvas.addEventListener('pointermove', (e) => { if (pointer) pointer = e; });
const endPointer = () => { pointer = null; };
canvas.addEventListener('pointerup', endPointer);
canvas.addEventListener('pointercancel', endPointer);
overlay.addEventListener('click', () => { window.focus(); if (state !== 'playing') start(); });
window.addEventListener('blur', () => { keys.clear(); pointer = null; if (state === 'playing') togglePause(); });

// ---- game state ----
let state = 'ready';
let score = 0;
let timeLeft = ROUND_SECONDS;
function showOverlay(title, text) {
  overlayTitle.textContent = title;
  overlayText.textContent = text;
  overlay.hidden = false;
}
function start() {
  if (state === 'paused') { state = 'playing'; overlay.hidden = true; return; }
  score = 0;
  timeLeft = ROUND_SECONDS;
  player.position.set(0, 0.5, 0);
  velocity.set(0, 0, 0);
  coins.forEach(placeCoin);
  state = 'playing';
  overlay.hidden = true;
  updateHud();
}
function togglePause() {
  if (state === 'playing') { state = 'paused'; showOverlay('Paused', 'Click or press Space to resume'); }
  else if (state === 'paused') start();
}
function gameOver() {
  state = 'over';
  if (score > best) {
    best = score;
    try { window.localStorage.setItem('gendeck-coins-best', String(best)); } catch { /* ignore */ }
  }
  updateHud();
  showOverlay('Time!', 'You collected ' + score + ' coin' + (score === 1 ? '' : 's') + '. Click or press Space to play again');
}
function updateHud() {
  hudScore.textContent = String(score);
  hudTime.textContent = String(Math.ceil(timeLeft));
  hudBest.textContent = String(best);
}

// ---- main loop ----
function resize() {
  const w = Math.max(1, window.innerWidth), h = Math.max(1, window.innerHeight);
  renderer.setSize(w, h, false);
  camera.aspect = w / h;
  camera.updateProjectionMatrix();
}
window.addEventListener('resize', resize);
resize();

const input = new Vector3();
const camTarget = new Vector3();
let last = performance.now();
function frame(now) {
  const dt = Math.min(0.05, (now - last) / 1000);
  last = now;
  const t = now / 1000;

  if (state === 'playing') {
    input.set(0, 0, 0);
    if (keys.has('up')) input.z -= 1;
    if (keys.has('down')) input.z += 1;
    if (keys.has('left')) input.x -= 1;
    if (keys.has('right')) input.x += 1;
    if (pointer) {
      const r = canvas.getBoundingClientRect();
      input.x += (pointer.clientX - r.left) / r.width * 2 - 1;
      input.z += (pointer.clientY - r.top) / r.height * 2 - 1;
    }
    if (input.lengthSq() > 1) input.normalize();
    velocity.addScaledVector(input, 38 * dt);
    velocity.multiplyScalar(Math.pow(0.04, dt)); // friction
    player.position.addScaledVector(velocity, dt);
    for (const axis of ['x', 'z']) {
      if (Math.abs(player.position[axis]) > ARENA) {
        player.position[axis] = Math.sign(player.position[axis]) * ARENA;
        velocity[axis] *= -0.4;
      }
    }
    player.rotation.y += velocity.x * dt * 0.6;
    player.rotation.x += velocity.z * dt * 0.6;

    for (const coin of coins) {
      if (coin.userData.pop === 0 && coin.position.distanceTo(player.position) < 1.1) {
        coin.userData.pop = 0.0001;
        score++;
        updateHud();
      }
    }
    timeLeft -= dt;
    if (timeLeft <= 0) { timeLeft = 0; gameOver(); }
    hudTime.textContent = String(Math.ceil(timeLeft));
  }

  for (const coin of coins) {
    coin.rotation.y += dt * 2.5;
    if (coin.userData.pop > 0) {
      coin.userData.pop += dt * 4;
      coin.position.y += dt * 6;
      coin.scale.setScalar(Math.max(0.01, 1 - coin.userData.pop));
      if (coin.userData.pop >= 1) placeCoin(coin);
    } else {
      coin.position.y = 0.8 + Math.sin(t * 3 + coin.id) * 0.12;
    }
  }

  camTarget.set(player.position.x * 0.6, 13, player.position.z * 0.6 + 13);
  camera.position.lerp(camTarget, 1 - Math.pow(0.02, dt));
  camera.lookAt(player.position.x * 0.8, 0, player.position.z * 0.8);
  renderer.render(scene, camera);
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
showOverlay('GenDeck Coins', 'Arrow keys / WASD (or hold the mouse) to move. Collect as many coins as you can in '
  + ROUND_SECONDS + ' s. Click or press Space to start');
`;

const GAME_ROUND_SECONDS = 45;
// The sandbox's src/sandbox/gamePage.ts looks for this exact line.
const THREE_MARKER = '<!-- gendeck:inline dist/three.js -->';
const GAME_HTML = (bundle) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>GenDeck Coins - sandbox game</title>
<style>
  html, body { margin: 0; height: 100%; overflow: hidden; background: #141726; color: #eef0ff;
    font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; user-select: none; }
  #view { display: block; width: 100%; height: 100%; touch-action: none; outline: none; }
  #hud { position: fixed; top: 10px; left: 10px; display: flex; gap: 14px; padding: 6px 12px;
    background: rgba(10, 12, 24, .65); border-radius: 8px; font-weight: 600; pointer-events: none; }
  #hud b { color: #ffcc33; }
  #overlay { position: fixed; inset: 0; display: flex; flex-direction: column; align-items: center;
    justify-content: center; gap: 8px; background: rgba(10, 12, 24, .55); text-align: center; cursor: pointer; padding: 16px; }
  #overlay[hidden] { display: none; }
  #overlay-title { margin: 0; font-size: 28px; color: #fff; }
  #overlay-text { margin: 0; max-width: 34em; opacity: .9; }
</style>
</head>
<body>
<canvas id="view" tabindex="0" aria-label="GenDeck Coins game"></canvas>
<div id="hud">Score <b id="score">0</b> Time <b id="time">${GAME_ROUND_SECONDS}</b> Best <b id="best">0</b></div>
<div id="overlay"><h1 id="overlay-title">GenDeck Coins</h1><p id="overlay-text">Loading...</p></div>
${THREE_MARKER}
<script>
${bundle}
</script>
</body>
</html>
`;

async function makeGame() {
  const { build } = await import('esbuild');
  const result = await build({
    stdin: {
      contents: GAME_ENTRY.replace('__ROUND_SECONDS__', String(GAME_ROUND_SECONDS)),
      resolveDir: root,
      loader: 'js',
      sourcefile: 'game-entry.js',
    },
    bundle: true,
    plugins: [threeFromGlobal],
    format: 'iife',
    minify: true,
    legalComments: 'none',
    target: ['chrome110'],
    write: false,
    logLevel: 'warning',
  });
  // Never let the inline script terminate early or open an HTML comment.
  const js = result.outputFiles[0].text.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
  const html = GAME_HTML(js);
  writeFileSync(out('game.html'), html);
  const urls = [...new Set(html.match(/https?:\/\/[^\s"'`)]*/g) ?? [])];
  if (urls.length) throw new Error(`game.html contains URLs: ${urls.join(', ')}`);
  if (/\bimport\s*\(|\bfetch\s*\(|src\s*=\s*["']/.test(html)) {
    throw new Error('game.html references external resources');
  }
  if (html.split(THREE_MARKER).length !== 2) throw new Error('game.html must hold the three.js marker once');
  report('game.html', 'HTML template, the game minified (IIFE) over dist/three.js, which the sandbox inlines');
}

// ---------------------------------------------------------------------------
// 6. project.zip: tiny "project package" (README.md + index.html + game.js).
// ---------------------------------------------------------------------------
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function zipFiles(files) {
  // Fixed timestamp (2025-01-01 12:00:00) => reproducible archive.
  const dosTime = (12 << 11) | (0 << 5) | 0;
  const dosDate = ((2025 - 1980) << 9) | (1 << 5) | 1;
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of files) {
    const raw = Buffer.from(data, 'utf8');
    const deflated = zlib.deflateRawSync(raw, { level: 9 });
    const method = deflated.length < raw.length ? 8 : 0;
    const body = method === 8 ? deflated : raw;
    const crc = crc32(raw);
    const nameBuf = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBuf, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(files.length, 8);
  eocd.writeUInt16LE(files.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

function makeProjectZip() {
  const files = [
    {
      name: 'README.md',
      data: `# Dot Catcher (GenDeck sample project)

A tiny browser game generated as a sample "project package" for the GenDeck sandbox.

- \`index.html\` - page with a canvas and the score display
- \`game.js\` - game logic (plain JavaScript, no dependencies)

Open \`index.html\` in a browser. Move the paddle with the mouse or the arrow keys
and catch the falling dots. Missing three dots ends the round.
`,
    },
    {
      name: 'index.html',
      data: `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Dot Catcher</title>
<style>
  body { margin: 0; display: grid; place-items: center; height: 100vh; background: #141726; color: #eef0ff; font: 16px system-ui, sans-serif; }
  canvas { background: #1f2438; border-radius: 8px; }
</style>
</head>
<body>
<div>
  <p>Score: <b id="score">0</b> &middot; Lives: <b id="lives">3</b></p>
  <canvas id="c" width="360" height="240"></canvas>
</div>
<script src="game.js"></script>
</body>
</html>
`,
    },
    {
      name: 'game.js',
      data: `// Dot Catcher - sample project for GenDeck. No dependencies.
const canvas = document.getElementById('c');
const ctx = canvas.getContext('2d');
const scoreEl = document.getElementById('score');
const livesEl = document.getElementById('lives');
const paddle = { x: 150, w: 60, h: 10 };
let dots = [];
let score = 0;
let lives = 3;
let keys = {};
let spawn = 0;

addEventListener('keydown', (e) => { keys[e.key] = true; });
addEventListener('keyup', (e) => { keys[e.key] = false; });
canvas.addEventListener('mousemove', (e) => {
  paddle.x = e.offsetX - paddle.w / 2;
});

function reset() { dots = []; score = 0; lives = 3; }

function step(dt) {
  if (keys.ArrowLeft) paddle.x -= 300 * dt;
  if (keys.ArrowRight) paddle.x += 300 * dt;
  paddle.x = Math.max(0, Math.min(canvas.width - paddle.w, paddle.x));
  spawn -= dt;
  if (spawn <= 0) {
    dots.push({ x: 10 + Math.random() * (canvas.width - 20), y: -10, v: 80 + Math.random() * 60 + score * 4 });
    spawn = 0.8;
  }
  for (const d of dots) d.y += d.v * dt;
  const py = canvas.height - 20;
  dots = dots.filter((d) => {
    if (d.y >= py && d.y <= py + paddle.h && d.x >= paddle.x && d.x <= paddle.x + paddle.w) { score++; return false; }
    if (d.y > canvas.height + 10) { lives--; return false; }
    return true;
  });
  if (lives <= 0) reset();
  scoreEl.textContent = score;
  livesEl.textContent = lives;
}

function draw() {
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#ffcc33';
  for (const d of dots) { ctx.beginPath(); ctx.arc(d.x, d.y, 7, 0, Math.PI * 2); ctx.fill(); }
  ctx.fillStyle = '#3fb6ff';
  ctx.fillRect(paddle.x, canvas.height - 20, paddle.w, paddle.h);
}

let last = performance.now();
function loop(now) {
  step(Math.min(0.05, (now - last) / 1000));
  last = now;
  draw();
  requestAnimationFrame(loop);
}
requestAnimationFrame(loop);
`,
    },
  ];
  writeFileSync(out('project.zip'), zipFiles(files));
  report('project.zip', `zip (deflate), ${files.map((f) => f.name).join(', ')}`);
}

// ---------------------------------------------------------------------------
// 7. icon.png (128x128, rasterised here) + gendeck.svg (24x24 activity bar).
// ---------------------------------------------------------------------------
function encodePng(width, height, rgba) {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function makeIcon() {
  const S = 128;
  const img = new Float32Array(S * S * 4); // premultiplied-free straight RGBA, 0..1
  const hex = (h) => [((h >> 16) & 255) / 255, ((h >> 8) & 255) / 255, (h & 255) / 255];
  const over = (i, [r, g, b], a) => {
    if (a <= 0) return;
    const da = img[i + 3];
    const oa = a + da * (1 - a);
    for (let k = 0; k < 3; k++) img[i + k] = ([r, g, b][k] * a + img[i + k] * da * (1 - a)) / oa;
    img[i + 3] = oa;
  };
  const clamp01 = (v) => Math.max(0, Math.min(1, v));
  // Signed distance to a rounded rectangle centred at (cx,cy), rotated by deg.
  const sdRoundRect = (px, py, cx, cy, hw, hh, r, deg = 0) => {
    const a = (-deg * Math.PI) / 180;
    const dx = px - cx,
      dy = py - cy;
    const x = Math.abs(dx * Math.cos(a) - dy * Math.sin(a)) - (hw - r);
    const y = Math.abs(dx * Math.sin(a) + dy * Math.cos(a)) - (hh - r);
    return Math.hypot(Math.max(x, 0), Math.max(y, 0)) + Math.min(Math.max(x, y), 0) - r;
  };
  // Signed distance (approx.) to a convex polygon given counter-clockwise in screen space.
  const sdConvex = (px, py, pts) => {
    let d = -Infinity;
    for (let i = 0; i < pts.length; i++) {
      const [x1, y1] = pts[i],
        [x2, y2] = pts[(i + 1) % pts.length];
      const ex = x2 - x1,
        ey = y2 - y1,
        len = Math.hypot(ex, ey);
      d = Math.max(d, ((px - x1) * ey - (py - y1) * ex) / len);
    }
    return d;
  };
  const cards = [
    { cx: 54, cy: 70, deg: -20, color: hex(0x7c5cff) },
    { cx: 64, cy: 66, deg: -8, color: hex(0x3fb6ff) },
    { cx: 76, cy: 63, deg: 4, color: hex(0xf4f5fb) },
  ];
  const play = [
    [67, 49],
    [67, 77],
    [91, 63],
  ].map(([x, y]) => {
    // rotate with the front card
    const a = (4 * Math.PI) / 180,
      dx = x - 76,
      dy = y - 63;
    return [76 + dx * Math.cos(a) - dy * Math.sin(a), 63 + dx * Math.sin(a) + dy * Math.cos(a)];
  });
  // Triangle vertex order must be clockwise in y-down pixel space for sdConvex's sign.
  const tri = [play[0], play[2], play[1]];
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const i = (y * S + x) * 4;
      const px = x + 0.5,
        py = y + 0.5;
      // background: rounded square with a subtle vertical gradient
      const t = py / S;
      const bg = [0.15 - 0.06 * t, 0.16 - 0.06 * t, 0.24 - 0.08 * t];
      over(i, bg, clamp01(0.5 - sdRoundRect(px, py, 64, 64, 64, 64, 22)));
      for (const c of cards) {
        const shadow = sdRoundRect(px, py, c.cx + 2, c.cy + 4, 26, 36, 7, c.deg);
        over(i, [0, 0, 0], 0.35 * clamp01(1 - (shadow + 1) / 7));
        over(i, c.color, clamp01(0.5 - sdRoundRect(px, py, c.cx, c.cy, 26, 36, 7, c.deg)));
      }
      over(i, hex(0x7c5cff), clamp01(0.5 - sdConvex(px, py, tri)));
    }
  }
  const rgba = Buffer.alloc(S * S * 4);
  for (let k = 0; k < img.length; k++) rgba[k] = Math.round(clamp01(img[k]) * 255);
  writeFileSync(out('icon.png'), encodePng(S, S, rgba));
  report('icon.png', probe('icon.png'));

  // Activity-bar glyph: back card peeking out (L shape) + front card with a
  // play-triangle cut-out. One path, even-odd fill, currentColor.
  const d = [
    'M4 18V4.5A2.5 2.5 0 0 1 6.5 2H16v2H6v14z', // back card edge
    'M10 6h8a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-8a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2z', // front card
    'M12 10.5v7l5.5-3.5z', // play cut-out
  ].join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><path fill="currentColor" fill-rule="evenodd" d="${d}"/></svg>\n`;
  writeFileSync(out('gendeck.svg'), svg);
  report('gendeck.svg', 'SVG 24x24, single path, fill=currentColor (even-odd)');
}

// ---------------------------------------------------------------------------
const STEPS = [
  { files: ['sample.mp4', 'sample.webm', 'sample.jpg'], make: makeVideo },
  { files: ['sample.png'], make: makeSamplePng },
  { files: ['sample.glb'], make: makeGlb },
  { files: ['game.html'], make: makeGame },
  { files: ['project.zip'], make: makeProjectZip },
  { files: ['icon.png', 'gendeck.svg'], make: makeIcon },
];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !STEPS.some((step) => step.files.includes(name)));
if (unknown.length) {
  const known = STEPS.flatMap((step) => step.files).join(', ');
  console.error(`make-media: no step writes ${unknown.join(', ')} (it writes ${known})`);
  process.exit(2);
}
console.log(`GenDeck media -> ${path.relative(process.cwd(), outDir) || '.'}/`);
for (const step of STEPS) {
  if (!wanted.length || step.files.some((name) => wanted.includes(name))) await step.make();
}
const total = produced.reduce((s, p) => s + p.size, 0);
console.log(`done: ${produced.length} files, ${(total / 1024).toFixed(1)} KiB total`);
