import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkMediaValue,
  coerceFieldValue,
  dataUriBytes,
  describeFieldErrors,
  formFromSchema,
  initialValues,
  mediaKindsFor,
  validateValues,
  type FormField,
} from '../../src/core/forms/schemaForm';

const toolSchema = {
  type: 'object',
  title: 'Image to video',
  required: ['prompt', 'image_url'],
  properties: {
    seed: { type: 'integer', minimum: 0, maximum: 2147483647, description: 'Random seed' },
    prompt: { type: 'string', minLength: 1, maxLength: 2000, description: 'What to generate' },
    image_url: { type: 'string', format: 'uri', description: 'Start frame' },
    duration: { type: 'string', enum: ['4s', '6s', '8s'], default: '6s' },
    guidance: { type: 'number', minimum: 0, maximum: 20, default: 7.5 },
    generate_audio: { type: 'boolean', default: true },
    reference_image_urls: { type: 'array', items: { type: 'string', format: 'uri' }, maxItems: 3 },
    tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
    webhook_url: { type: 'string', format: 'uri' },
    camera: { type: 'object', properties: { zoom: { type: 'number', minimum: 1 } }, required: ['zoom'] },
    negative_prompt: { type: ['string', 'null'] },
  },
  additionalProperties: false,
};

const field = (name: string): FormField => formFromSchema(toolSchema).fields.find((f) => f.name === name)!;

describe('schema form model', () => {
  it('turns a tool schema into typed fields, required first', () => {
    const form = formFromSchema(toolSchema);
    assert.equal(form.title, 'Image to video');
    assert.equal(form.additionalProperties, false);
    assert.deepEqual(
      form.fields.slice(0, 2).map((f) => f.name),
      ['prompt', 'image_url'],
    );
    assert.equal(field('prompt').widget, 'textarea');
    assert.equal(field('prompt').required, true);
    assert.equal(field('prompt').maxLength, 2000);
    assert.equal(field('seed').widget, 'number');
    assert.equal(field('seed').type, 'integer');
    assert.equal(field('seed').minimum, 0);
    assert.equal(field('duration').widget, 'select');
    assert.deepEqual(field('duration').enum, ['4s', '6s', '8s']);
    assert.equal(field('generate_audio').widget, 'checkbox');
    assert.equal(field('image_url').widget, 'media');
    assert.deepEqual(field('image_url').media, ['image']);
    assert.equal(field('reference_image_urls').widget, 'media-list');
    assert.deepEqual(field('reference_image_urls').media, ['image']);
    assert.equal(field('tags').widget, 'list');
    assert.equal(field('webhook_url').widget, 'url');
    assert.equal(field('webhook_url').media, undefined);
    assert.equal(field('camera').widget, 'json');
    assert.equal(field('negative_prompt').type, 'string');
    assert.equal(field('negative_prompt').nullable, true);
    assert.equal(field('seed').label, 'Seed');
    assert.equal(field('generate_audio').label, 'Generate audio');
    assert.deepEqual(initialValues(form), { duration: '6s', guidance: 7.5, generate_audio: true });
  });

  it('marks media fields by name, format and contentMediaType', () => {
    assert.deepEqual(mediaKindsFor('audio_url'), ['audio']);
    assert.deepEqual(mediaKindsFor('driving_video_url'), ['video']);
    assert.deepEqual(mediaKindsFor('source_image_url'), ['image']);
    assert.deepEqual(mediaKindsFor('image_urls'), ['image']);
    assert.deepEqual(mediaKindsFor('reference_urls'), ['image', 'video', 'audio']);
    // Seek API workers name their URL inputs "…_link".
    assert.deepEqual(mediaKindsFor('image_link'), ['image']);
    assert.deepEqual(mediaKindsFor('voice_links'), ['audio']);
    assert.equal(mediaKindsFor('youtube_link'), undefined);
    assert.equal(mediaKindsFor('profile_link'), undefined);
    assert.deepEqual(mediaKindsFor('input', { contentMediaType: 'video/mp4' }), ['video']);
    assert.deepEqual(mediaKindsFor('file', { format: 'image-url' }), ['image']);
    assert.equal(mediaKindsFor('callback_url'), undefined);
    assert.equal(mediaKindsFor('webhook_url'), undefined);
    assert.equal(mediaKindsFor('prompt'), undefined);
    assert.equal(mediaKindsFor('image_style'), undefined);
  });

  it('accepts good input', () => {
    const ok = validateValues(toolSchema, {
      prompt: 'a fox',
      image_url: 'https://example.com/fox.png',
      seed: 42,
      duration: '8s',
      guidance: 0,
      generate_audio: false,
      reference_image_urls: ['https://example.com/a.png', 'data:image/png;base64,iVBORw0KGgo='],
      camera: { zoom: 2 },
      negative_prompt: null,
    });
    assert.deepEqual(ok, {});
  });

  it('reports every bad field by path', () => {
    const errors = validateValues(toolSchema, {
      prompt: '',
      image_url: 'ftp://example.com/x.png',
      seed: 1.5,
      duration: '5s',
      guidance: 21,
      generate_audio: 'yes',
      reference_image_urls: ['https://a/1.png', 'not a url', 'data:audio/wav;base64,UklGRg==', 'https://a/4.png'],
      tags: ['c'],
      camera: { zoom: 0 },
      extra: 1,
    });
    assert.equal(errors.prompt, 'is required');
    assert.match(errors.image_url, /https URL or a workspace file/);
    assert.equal(errors.seed, 'must be a whole number');
    assert.match(errors.duration, /one of "4s", "6s", "8s"/);
    assert.equal(errors.guidance, 'must be from 0 to 20');
    assert.match(errors.generate_audio, /true or false/);
    assert.match(errors.reference_image_urls, /at most 3 items/);
    assert.match(errors['tags[0]'], /one of/);
    assert.match(errors['camera.zoom'], /at least 1/);
    assert.equal(errors.extra, 'is not a field of this schema');
    assert.match(describeFieldErrors(errors, 2), /^prompt is required; image_url .*; and \d+ more$/);
  });

  it('checks list items, missing required and nested required', () => {
    const e = validateValues(toolSchema, {
      prompt: 'x',
      reference_image_urls: ['not a url', 'data:audio/wav;base64,UklGRg=='],
      camera: {},
    });
    assert.equal(e.image_url, 'is required');
    assert.match(e['reference_image_urls[0]'], /https URL/);
    assert.match(e['reference_image_urls[1]'], /must be image, not audio/);
    assert.equal(e['camera.zoom'], 'is required');
  });

  it('caps inline media by decoded size', () => {
    const big = `data:image/png;base64,${'A'.repeat(4000)}`;
    assert.equal(dataUriBytes(big), 3000);
    assert.match(checkMediaValue(big, ['image'], { maxDataUriBytes: 1000 })!, /inline; at most/);
    assert.equal(checkMediaValue(big, ['image'], { maxDataUriBytes: 5000 }), undefined);
    assert.equal(checkMediaValue('http://127.0.0.1:3000/media/x.png', ['image']), undefined);
    assert.match(
      checkMediaValue('http://127.0.0.1:3000/media/x.png', ['image'], { allowLoopbackHttp: false })!,
      /https/,
    );
    assert.match(checkMediaValue('http://example.com/x.png', ['image'])!, /https/);
  });

  it('tolerates odd schemas', () => {
    assert.deepEqual(formFromSchema(undefined).fields, []);
    assert.deepEqual(formFromSchema('nope').fields, []);
    assert.deepEqual(validateValues({}, { anything: 1 }), {});
    const f = formFromSchema({
      properties: {
        mode: { enum: [1, 2] },
        x: { anyOf: [{ type: 'number', maximum: 3 }, { type: 'null' }] },
        y: { 'x-whatever': true },
      },
    }).fields;
    assert.equal(f[0].type, 'integer');
    assert.equal(f[1].type, 'number');
    assert.equal(f[1].nullable, true);
    assert.equal(f[2].type, 'any');
    assert.deepEqual(
      validateValues({ properties: { x: { anyOf: [{ type: 'number', maximum: 3 }, { type: 'null' }] } } }, { x: 4 }),
      { x: 'must be at most 3' },
    );
  });

  it('coerces control values to the schema types', () => {
    assert.deepEqual(coerceFieldValue(field('seed'), '12'), { value: 12 });
    assert.deepEqual(coerceFieldValue(field('seed'), 'x'), { error: 'must be a number' });
    assert.equal(coerceFieldValue(field('seed'), '  '), undefined);
    assert.deepEqual(coerceFieldValue(field('generate_audio'), false), { value: false });
    assert.deepEqual(coerceFieldValue(field('duration'), '4s'), { value: '4s' });
    assert.deepEqual(coerceFieldValue(field('reference_image_urls'), ['https://a/1.png', '', 'https://a/2.png']), {
      value: ['https://a/1.png', 'https://a/2.png'],
    });
    assert.deepEqual(coerceFieldValue(field('camera'), '{"zoom": 3}'), { value: { zoom: 3 } });
    assert.deepEqual(coerceFieldValue(field('camera'), '{zoom'), { error: 'is not valid JSON' });
  });
});
