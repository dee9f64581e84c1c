import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referenceFor, referenceStyle } from '../../src/core/media/reference';

describe('references to an output, by the language of the file they go into', () => {
  it('picks the style from the language id, a plain path otherwise', () => {
    assert.equal(referenceStyle('markdown'), 'markdown');
    assert.equal(referenceStyle('typescriptreact'), 'html');
    assert.equal(referenceStyle('scss'), 'css');
    assert.equal(referenceStyle('typescript'), 'path');
    assert.equal(referenceStyle(undefined), 'path');
  });

  it('writes each style, with the path percent-encoded where it is a URL', () => {
    const rel = '../gendeck-outputs/2026-12-01-red boat/poster.png';
    assert.equal(
      referenceFor('image', rel, 'markdown', 'red [boat]'),
      '![red boat](../gendeck-outputs/2026-12-01-red%20boat/poster.png)',
    );
    assert.equal(referenceFor('video', 'a/clip.mp4', 'markdown', 'clip'), '[clip](a/clip.mp4)');
    assert.equal(referenceFor('image', 'a/p.png', 'html', 'say "hi"'), '<img src="a/p.png" alt="say hi">');
    assert.equal(referenceFor('video', 'a/c.mp4', 'html', 'c'), '<video src="a/c.mp4" controls></video>');
    assert.equal(referenceFor('audio', 'a/s.wav', 'html', 's'), '<audio src="a/s.wav" controls></audio>');
    assert.equal(referenceFor('archive', 'a/p.zip', 'html', 'p'), '<a href="a/p.zip">p</a>');
    assert.equal(referenceFor('image', 'a b/p.png', 'css', 'p'), 'url("a%20b/p.png")');
    assert.equal(referenceFor('image', 'a b\\p.png', 'path', 'p'), 'a b/p.png');
  });
});
