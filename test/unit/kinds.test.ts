import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutputKind } from '../../src/core/jobs/job';
import { outputKind } from '../../src/core/media/kinds';

describe('output kinds', () => {
  it('types a URL by the extension of its path, whatever the case, query or fragment', () => {
    const table: [OutputKind, string][] = [
      ['image', 'png jpg jpeg webp gif bmp svg tif tiff avif'],
      ['video', 'mp4 webm mov m4v mkv'],
      ['audio', 'wav mp3 flac ogg m4a aac opus'],
      ['model', 'glb gltf obj fbx usdz stl ply'],
      ['html', 'html htm xhtml'],
      ['archive', 'zip tar tgz gz 7z rar unitypackage'],
      ['json', 'json'],
      ['text', 'txt md srt vtt'],
      ['file', 'safetensors'],
    ];
    for (const [kind, exts] of table)
      for (const ext of exts.split(' ')) {
        assert.equal(outputKind({ url: `https://cdn.x/a/out.${ext}` }), kind, ext);
        assert.equal(outputKind({ url: `https://cdn.x/a/OUT.${ext.toUpperCase()}?sig=1#t` }), kind, ext);
      }
    assert.equal(outputKind({ url: 'https://cdn.x/a/build.tar.gz' }), 'archive');
    assert.equal(outputKind({ url: 'https://cdn.x/a.png/download' }), undefined, 'only the last segment counts');
    assert.equal(outputKind({ url: 'https://cdn.x/download?file=a.png' }), undefined);
    assert.equal(outputKind({ url: 'https://cdn.x/a/out.exe' }), undefined);
    assert.equal(outputKind({ url: 'not a url/clip.mp4?x' }), 'video');
  });

  it('types a data: URI by its media type', () => {
    assert.equal(outputKind({ url: 'data:image/png;base64,AAAA' }), 'image');
    assert.equal(outputKind({ url: 'data:audio/wav;base64,AAAA' }), 'audio');
    assert.equal(outputKind({ url: 'data:application/octet-stream;base64,AAAA' }), undefined);
  });

  it('lets the content type decide first, parameters and case ignored', () => {
    const cases: [string, OutputKind | undefined][] = [
      ['image/webp', 'image'],
      ['image/svg+xml', 'image'],
      ['Video/MP4', 'video'],
      ['audio/mpeg', 'audio'],
      ['model/gltf-binary', 'model'],
      ['model/vnd.usdz+zip', 'model'],
      ['application/gltf+json', 'model'],
      // Was "text" in Seisoai: only a bare "text/html" was recognised.
      ['text/html; charset=utf-8', 'html'],
      ['application/xhtml+xml', 'html'],
      ['application/json', 'json'],
      ['application/ld+json', 'json'],
      ['application/zip', 'archive'],
      ['application/x-zip-compressed', 'archive'],
      ['application/gzip', 'archive'],
      ['application/x-tar', 'archive'],
      ['application/x-7z-compressed', 'archive'],
      ['application/vnd.rar', 'archive'],
      ['text/plain', 'text'],
      ['text/markdown', 'text'],
      ['application/octet-stream', undefined],
      ['application/pdf', undefined],
    ];
    for (const [contentType, kind] of cases) assert.equal(outputKind({ contentType }), kind, contentType);
    assert.equal(outputKind({ contentType: 'image/png', url: 'https://cdn.x/a.mp4' }), 'image');
    assert.equal(outputKind({ contentType: 'application/octet-stream', url: 'https://cdn.x/a.glb' }), 'model');
  });

  it('falls back to the file name, then to words', () => {
    assert.equal(outputKind({ url: 'https://cdn.x/f/123', fileName: 'clip.mp4' }), 'video');
    assert.equal(outputKind({ url: 'https://cdn.x/a.png', fileName: 'clip.mp4' }), 'image');
    assert.equal(outputKind({ url: 'https://cdn.x/f/123', fileName: 'mesh.glb', words: 'audio' }), 'model');
    assert.equal(outputKind({ url: 'https://cdn.x/f/123', words: 'audio_file' }), 'audio');
    // Weights stay a file however the key reads.
    assert.equal(outputKind({ url: 'https://cdn.x/lora.safetensors', words: 'lora_model' }), 'file');
    assert.equal(outputKind({}), undefined);
  });

  it('reads keys and names as whole words, plurals and camelCase included', () => {
    const cases: [string, OutputKind | undefined][] = [
      // Seisoai result keys
      ['images', 'image'],
      ['outputImage', 'image'],
      ['img', 'image'],
      ['audio_file', 'audio'],
      ['vocals', 'audio'],
      ['stems', 'audio'],
      ['model_glb', 'model'],
      ['model_mesh', 'model'],
      ['3D model', 'model'],
      ['videos', 'video'],
      ['thumbnail', 'image'],
      ['last_frame', 'image'],
      // Words inside other words no longer count ("obj" in objects, "stem" in system).
      ['objects', undefined],
      ['system_fingerprint', undefined],
      // Pictures of something are images; a clip or recording is what its other words say.
      ['video_thumbnail', 'image'],
      ['model_poster', 'image'],
      ['audio_clip', 'audio'],
      ['clip', 'video'],
      ['voice recording', 'audio'],
      ['Gameplay recording', 'video'],
      // Seele artifact names and descriptions
      ['Preview Browser playable preview', 'html'],
      ['Game Project Generated Unity project package', 'archive'],
      ['WebGL build', 'html'],
      ['Play in the browser', 'html'],
      ['Model package', 'archive'],
      ['Preview', 'html'],
      ['Preview image', 'image'],
      ['Trailer', 'video'],
      ['Source code', 'archive'],
      ['source_image', 'image'],
      ['Thing', undefined],
    ];
    for (const [words, kind] of cases) assert.equal(outputKind({ words }), kind, words);
  });
});
