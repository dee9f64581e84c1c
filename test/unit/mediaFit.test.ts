// Run … on Selection: which Seisoai tools and Seek API workers take the selected files (the sandbox catalogues, read
// through the same schema readers as live answers), and which file goes into which field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeKinds, mediaSlots, planFiles, planValues, takesFiles } from '../../src/core/forms/mediaFit';
import { formFromSchema, type MediaKind } from '../../src/core/forms/schemaForm';
import { workerDetailSchema, toWorkerDetail } from '../../src/core/providers/seekapi/schemas';
import { workersForFiles } from '../../src/core/providers/seekapi/selection';
import { readToolDetail, type ToolDetail } from '../../src/core/providers/seisoai/schemas';
import { toolsForFiles } from '../../src/core/providers/seisoai/selection';
import { sandboxTools } from '../../src/core/providers/seisoai/emulator';
import { starterDeployments, WORKERS } from '../../src/core/providers/seekapi/emulatorWorkers';

// As GET /tools/{id} answers: the tool's summary fields, its input schema and output type.
const tools: ToolDetail[] = sandboxTools().map((t) =>
  readToolDetail({
    tool: {
      id: t.id,
      name: t.name,
      category: t.category,
      description: t.description,
      executionMode: t.executionMode,
      enabled: t.enabled,
      inputSchema: t.inputSchema,
      outputType: t.outputType,
    },
  })!,
);
const workers = [...WORKERS, ...starterDeployments()].map((w) =>
  toWorkerDetail(
    workerDetailSchema.parse({ id: w.id, name: w.name, category: w.category, input_schema: w.input_schema }),
  ),
);
const tool = (id: string) => tools.find((t) => t.id === id)!;
const formOf = (id: string) => formFromSchema(tool(id).inputSchema);
/** Category → "tool id (mark)" for each tool offered. */
const offered = (files: MediaKind[], from = tools) =>
  Object.fromEntries(
    toolsForFiles(from, files).map((g) => [g.category, g.tools.map((f) => `${f.tool.id} (${f.mark})`)]),
  );

describe('Seisoai tools for the selected files (sandbox catalogue)', () => {
  it('images: image tools, image → video, image → 3D and training, grouped by category', () => {
    assert.deepEqual(offered(['image']), {
      images: ['image.upscale (image → image)'],
      video: ['video.generate.dreamactor-v2 (image → video)', 'video.generate.veo3-image-to-video (image → video)'],
      '3D': ['3d.image-to-3d (image → 3D)'],
      training: ['training.lora.flux (image → trained model)'],
    });
  });

  it('video: the tools with a video field only', () => {
    assert.deepEqual(offered(['video']), { video: ['video.generate.dreamactor-v2 (video → video)'] });
  });

  it('audio: speech, transcription and music tools', () => {
    assert.deepEqual(offered(['audio']), {
      audio: ['audio.transcribe (audio → text)', 'audio.tts (audio → audio)'],
      music: ['music.generate (audio → music)'],
    });
  });

  it('a kind no tool takes offers nothing, and disabled tools are never offered', () => {
    const noMotion = tools.filter((t) => t.id !== 'video.generate.dreamactor-v2');
    assert.deepEqual(offered(['video'], noMotion), {});
    const upscaleOff = tools.map((t) => (t.id === 'image.upscale' ? { ...t, enabled: false } : t));
    assert.equal(offered(['image'], upscaleOff).images, undefined);
  });

  it('mixed files: only tools with a field for every kind', () => {
    assert.deepEqual(offered(['image', 'video', 'image']), {
      video: ['video.generate.dreamactor-v2 (image + video → video)'],
    });
    assert.deepEqual(offered(['image', 'audio']), {});
    assert.equal(describeKinds(['image', 'video', 'audio']), 'image, video and audio');
  });
});

describe('Seek API workers for the selected files (sandbox marketplace)', () => {
  it('images: the worker whose image_link takes one; video and audio: none', () => {
    assert.deepEqual(
      workersForFiles(workers, ['image']).map((g) => [g.category, g.workers.map((w) => w.id)]),
      [['3d', ['image-to-3d']]],
    );
    assert.deepEqual(workersForFiles(workers, ['video']), []);
    assert.deepEqual(workersForFiles(workers, ['audio']), []);
  });

  it('plain URL fields (a web page, a PDF, a YouTube link) take no file', () => {
    for (const id of ['website-screenshot', 'pdf-to-text', 'youtube-transcript', 'linkedin-profile'])
      assert.equal(takesFiles(formFromSchema(workers.find((w) => w.id === id)!.inputSchema), ['image']), false, id);
  });
});

describe('which file goes into which field', () => {
  it('one file: the tool’s field for its kind', () => {
    assert.deepEqual(planFiles(formOf('3d.image-to-3d'), ['image']), { fill: { image_url: 0 }, unused: [] });
    assert.deepEqual(planFiles(formOf('audio.tts'), ['audio']), { fill: { audio_url: 0 }, unused: [] });
    // A list field gets a list of one.
    assert.deepEqual(planFiles(formOf('training.lora.flux'), ['image']), { fill: { image_urls: [0] }, unused: [] });
  });

  it('several files fill a list field, up to its maxItems', () => {
    const lora = formOf('training.lora.flux');
    assert.deepEqual(planFiles(lora, ['image', 'image', 'image']), { fill: { image_urls: [0, 1, 2] }, unused: [] });
    const many = planFiles(lora, Array<MediaKind>(22).fill('image'));
    assert.ok('fill' in many);
    assert.deepEqual(many.fill.image_urls, [...Array(20).keys()]);
    assert.deepEqual(many.unused, [
      { file: 20, reason: 'Image urls takes at most 20' },
      { file: 21, reason: 'Image urls takes at most 20' },
    ]);
  });

  it('several files of a kind with one field: asks which, then leaves the others out', () => {
    const upscale = formOf('image.upscale');
    const ask = planFiles(upscale, ['image', 'image', 'image']);
    assert.ok('ask' in ask);
    assert.equal(ask.ask.field.name, 'image_url');
    assert.deepEqual([ask.ask.kind, ask.ask.candidates], ['image', [0, 1, 2]]);
    assert.deepEqual(planFiles(upscale, ['image', 'image', 'image'], { image_url: 1 }), {
      fill: { image_url: 1 },
      unused: [
        { file: 0, reason: 'the form has one image field' },
        { file: 2, reason: 'the form has one image field' },
      ],
    });
    // A pick that is not among the candidates is asked again.
    assert.ok('ask' in planFiles(upscale, ['image', 'image'], { image_url: 5 }));
  });

  it('files of two kinds go to their own fields; a kind without a field is left out', () => {
    const dream = formOf('video.generate.dreamactor-v2');
    assert.deepEqual(planFiles(dream, ['video', 'image']), {
      fill: { driving_video_url: 0, source_image_url: 1 },
      unused: [],
    });
    assert.deepEqual(planFiles(formOf('image.upscale'), ['image', 'audio']), {
      fill: { image_url: 0 },
      unused: [{ file: 1, reason: 'no field left for audio files' }],
    });
  });

  it('fields by rank: required first, one-kind before any-media, then schema order; enough single fields fill in order', () => {
    const form = formFromSchema({
      type: 'object',
      required: ['first_frame_url'],
      properties: {
        reference_urls: { type: 'array', items: { type: 'string' } },
        last_frame_url: { type: 'string', format: 'uri' },
        first_frame_url: { type: 'string', format: 'uri' },
        media_url: { type: 'string', format: 'media-url' },
      },
    });
    assert.deepEqual(
      mediaSlots(form, 'image').map((s) => `${s.field.name}${s.list ? '[]' : ''}`),
      ['first_frame_url', 'last_frame_url', 'reference_urls[]', 'media_url'],
    );
    // Two images: the list takes both (a list is preferred for several files).
    assert.deepEqual(planFiles(form, ['image', 'image']), { fill: { reference_urls: [0, 1] }, unused: [] });
    const noList = formFromSchema({
      type: 'object',
      required: ['first_frame_url'],
      properties: {
        last_frame_url: { type: 'string', format: 'uri' },
        first_frame_url: { type: 'string', format: 'uri' },
      },
    });
    assert.deepEqual(planFiles(noList, ['image', 'image']), {
      fill: { first_frame_url: 0, last_frame_url: 1 },
      unused: [],
    });
  });

  it('the plan becomes form values through what stands for each file', () => {
    assert.deepEqual(
      planValues({ image_url: 1, image_urls: [0, 2] }, (i) => `gendeck-file:${i}`),
      { image_url: 'gendeck-file:1', image_urls: ['gendeck-file:0', 'gendeck-file:2'] },
    );
  });
});
