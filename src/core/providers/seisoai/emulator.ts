import { createHash, randomBytes } from 'node:crypto';
import { recoverTypedDataAddress } from 'viem';
import { validateValues, describeFieldErrors } from '../../forms/schemaForm';
import { API_PREFIX } from './contract';
import {
  ALLOWED_NETWORKS,
  decodeJsonHeader,
  encodeJsonHeader,
  paymentPayloadSchema,
  transferTypedData,
  usdToAtomic,
  type Hex,
} from '../../x402/protocol';
import type { Router, RouteContext } from '../../emulation/router';
import { json, type Emulator, type EmulatorContext } from '../../emulation/emulator';

// The Seisoai gateway as GenDeck reads api-docs/seisoai.txt, with the undocumented parts settled
// as in src/core/providers/seisoai/contract.ts:
// - GET  /api/gateway/tools                 → { success, count, categories, tools: [{ id, name, category, description, executionMode, enabled, price: { usd } }] }
// - GET  /api/gateway/tools/{toolId}        → { success, tool: { …, inputSchema, outputType } }
// - GET  /api/gateway/price/{toolId}?input=<URL-encoded JSON input> → { success, toolId, pricing: { usd, credits, usdc } }
// - GET  /api/gateway/mcp-manifest          → an MCP-style manifest of the tools
// - POST /api/gateway/invoke/{toolId}       (body = the tool input) and POST /api/gateway/invoke ({ toolId, input } or { toolId, …input })
//     sync  → { success, executionMode: "sync", toolId, requestId, result, pricing }
//     queue → { success, executionMode: "queue", toolId, pricing, job: { id, model, status, statusUrl, resultUrl }, statusUrl, resultUrl }
// - GET  /api/gateway/jobs/{jobId}?model=…  → { success, status, progress, job: {…} }; GET …/result → { success, result }
// - Agents: GET /agents, GET /agent/{id} (declared tools), POST /agent/{id}/invoke/{toolId}, POST /agent/{id}/orchestrate ({ prompt, tools, input })
// - Errors: { success: false, error, code, fields? } with 400/401/402/403/404/409/503.
// Auth: X-API-Key (any key the sandbox accepts; credits per key in USD), or, with no key, x402:
// a 402 carrying both the v1 body (accepts[]) and the v2 PAYMENT-REQUIRED header; the paid retry
// (PAYMENT-SIGNATURE, X-PAYMENT or PAYMENT header) is verified by signature only, with no chain:
// signer = authorization.from, amount ≥ price, payTo, validity window, nonce never seen before.
// Prompts containing "[fail]" make queue jobs fail; "[slow]" makes them take five times longer.

type Schema = Record<string, unknown>;

interface ToolDef {
  id: string;
  name: string;
  category: string;
  description: string;
  executionMode: 'sync' | 'queue';
  enabled: boolean;
  outputType: string;
  inputSchema: Schema;
  /** USD for these inputs. */
  price(input: Record<string, unknown>): number;
  /** The result object, given a fresh output id. */
  result(id: string, input: Record<string, unknown>, url: (p: string) => string): unknown;
  /** Processing time at scale 1 (queue tools). */
  workMs?: number;
}

interface JobRecord {
  id: string;
  toolId: string;
  owner: string;
  input: Record<string, unknown>;
  createdAt: number;
  fails: boolean;
  workMs: number;
}

interface AgentDef {
  id: string;
  name: string;
  description: string;
  tools: string[];
}

/** The sandbox's x402 recipient (not a real wallet). */
export const SANDBOX_PAY_TO = '0x5e15a0a1000000000000000000000000000402aa';

const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, ...extra });
const uri = (description: string): Schema => ({ type: 'string', format: 'uri', description });
const prompt = (max = 2000): Schema => str('What to generate', { minLength: 1, maxLength: max });
const seconds = (v: unknown, dflt: number) =>
  typeof v === 'string' ? Number.parseInt(v, 10) || dflt : typeof v === 'number' ? v : dflt;
const image = (url: (p: string) => string, id: string, w = 1024, h = 1024) => ({
  url: url(`/media/seisoai/${id}.png`),
  content_type: 'image/png',
  width: w,
  height: h,
});

export function sandboxTools(): ToolDef[] {
  return [
    {
      id: 'image.generate.flux-2',
      name: 'FLUX.2 text to image',
      category: 'image',
      description: 'Fast text to image.',
      executionMode: 'sync',
      enabled: true,
      outputType: 'image',
      inputSchema: {
        type: 'object',
        required: ['prompt'],
        properties: {
          prompt: prompt(),
          image_size: {
            type: 'string',
            enum: ['square_hd', 'square', 'portrait_4_3', 'landscape_16_9'],
            default: 'square_hd',
            description: 'Output size',
          },
          num_images: { type: 'integer', minimum: 1, maximum: 4, default: 1, description: 'How many images' },
          seed: { type: 'integer', minimum: 0, maximum: 2147483647, description: 'Random seed for repeatable results' },
          output_format: { type: 'string', enum: ['png', 'jpeg'], default: 'png' },
        },
        additionalProperties: false,
      },
      price: (i) => 0.03 * (typeof i.num_images === 'number' ? i.num_images : 1),
      result: (id, i, url) => ({
        images: Array.from({ length: typeof i.num_images === 'number' ? i.num_images : 1 }, (_, n) =>
          image(url, `${id}-${n}`),
        ),
        seed: i.seed ?? 42,
      }),
    },
    {
      id: 'image.generate.kling-image-v3',
      name: 'Kling Image v3',
      category: 'image',
      description: 'Premium cinematic images.',
      executionMode: 'sync',
      enabled: false,
      outputType: 'image',
      inputSchema: {
        type: 'object',
        required: ['prompt'],
        properties: {
          prompt: prompt(),
          aspect_ratio: { type: 'string', enum: ['1:1', '16:9', '9:16'], default: '1:1' },
        },
      },
      price: () => 0.08,
      result: (id, _i, url) => ({ images: [image(url, id)] }),
    },
    {
      id: 'image.upscale',
      name: 'Upscale',
      category: 'image',
      description: 'Upscale an image 2x or 4x.',
      executionMode: 'sync',
      enabled: true,
      outputType: 'image',
      inputSchema: {
        type: 'object',
        required: ['image_url'],
        properties: {
          image_url: uri('The image to upscale'),
          scale: { type: 'integer', enum: [2, 4], default: 2, description: 'Upscale factor' },
        },
        additionalProperties: false,
      },
      price: (i) => (i.scale === 4 ? 0.04 : 0.02),
      result: (id, i, url) => ({
        image: image(url, id, 2048 * ((i.scale as number) === 4 ? 2 : 1), 2048 * ((i.scale as number) === 4 ? 2 : 1)),
      }),
    },
    {
      id: 'video.generate.veo3',
      name: 'Veo 3 text to video',
      category: 'video',
      description: 'Text to video with sound.',
      executionMode: 'queue',
      enabled: true,
      outputType: 'video',
      workMs: 5000,
      inputSchema: {
        type: 'object',
        required: ['prompt'],
        properties: {
          prompt: prompt(),
          duration: { type: 'string', enum: ['4s', '6s', '8s'], default: '6s', description: 'Clip length' },
          aspect_ratio: { type: 'string', enum: ['16:9', '9:16'], default: '16:9' },
          generate_audio: { type: 'boolean', default: true, description: 'Generate a soundtrack' },
        },
        additionalProperties: false,
      },
      price: (i) => 0.1 * seconds(i.duration, 6),
      result: (id, _i, url) => ({ video: { url: url(`/media/seisoai/${id}.mp4`), content_type: 'video/mp4' } }),
    },
    {
      id: 'video.generate.veo3-image-to-video',
      name: 'Veo 3 image to video',
      category: 'video',
      description: 'Animate a still image.',
      executionMode: 'queue',
      enabled: true,
      outputType: 'video',
      workMs: 5000,
      inputSchema: {
        type: 'object',
        required: ['prompt', 'image_url'],
        properties: {
          prompt: prompt(),
          image_url: uri('Start frame'),
          duration: { type: 'string', enum: ['4s', '6s', '8s'], default: '4s' },
        },
        additionalProperties: false,
      },
      price: (i) => 0.1 * seconds(i.duration, 4),
      result: (id, _i, url) => ({ video: { url: url(`/media/seisoai/${id}.mp4`), content_type: 'video/mp4' } }),
    },
    {
      id: 'audio.tts',
      name: 'Voice clone TTS',
      category: 'audio',
      description: 'Speech in a cloned voice.',
      executionMode: 'sync',
      enabled: true,
      outputType: 'audio',
      inputSchema: {
        type: 'object',
        required: ['text'],
        properties: {
          text: str('What to say', { minLength: 1, maxLength: 5000 }),
          audio_url: uri('A short sample of the voice to clone'),
          speed: { type: 'number', minimum: 0.5, maximum: 2, default: 1 },
        },
        additionalProperties: false,
      },
      price: (i) => Math.max(0.01, Math.ceil(String(i.text ?? '').length / 1000) * 0.01),
      result: (id, _i, url) => ({
        audio: { url: url(`/media/seisoai/${id}.wav`), content_type: 'audio/wav' },
        duration_seconds: 2,
      }),
    },
    {
      id: 'audio.transcribe',
      name: 'Transcribe',
      category: 'audio',
      description: 'Speech to text.',
      executionMode: 'sync',
      enabled: true,
      outputType: 'text',
      inputSchema: {
        type: 'object',
        required: ['audio_url'],
        properties: {
          audio_url: uri('The recording'),
          language: { type: 'string', enum: ['auto', 'en', 'de', 'fr', 'es', 'ja'], default: 'auto' },
        },
        additionalProperties: false,
      },
      price: () => 0.01,
      result: () => ({
        text: 'This is the GenDeck sandbox speaking.',
        language: 'en',
        segments: [{ start: 0, end: 2.1, text: 'This is the GenDeck sandbox speaking.' }],
      }),
    },
    {
      id: 'music.generate',
      name: 'Music',
      category: 'music',
      description: 'Instrumental or vocal music from a prompt.',
      executionMode: 'queue',
      enabled: true,
      outputType: 'audio',
      workMs: 4000,
      inputSchema: {
        type: 'object',
        required: ['prompt'],
        properties: {
          prompt: prompt(1000),
          duration_seconds: { type: 'integer', minimum: 5, maximum: 120, default: 30 },
          instrumental: { type: 'boolean', default: true },
          reference_audio_url: uri('Optional style reference'),
        },
        additionalProperties: false,
      },
      price: (i) => 0.05 * Math.ceil(((i.duration_seconds as number) ?? 30) / 30),
      result: (id, _i, url) => ({ audio_file: { url: url(`/media/seisoai/${id}.wav`), content_type: 'audio/wav' } }),
    },
    {
      id: '3d.image-to-3d',
      name: 'Image to 3D',
      category: '3d',
      description: 'A textured mesh from one image.',
      executionMode: 'queue',
      enabled: true,
      outputType: 'model',
      workMs: 6000,
      inputSchema: {
        type: 'object',
        required: ['image_url'],
        properties: {
          image_url: uri('The object to reconstruct'),
          output_format: { type: 'string', enum: ['glb', 'obj'], default: 'glb' },
          texture: { type: 'boolean', default: true },
        },
        additionalProperties: false,
      },
      price: () => 0.2,
      result: (id, _i, url) => ({
        model_glb: { url: url(`/media/seisoai/${id}.glb`), content_type: 'model/gltf-binary' },
        thumbnail: image(url, `${id}-thumb`, 512, 512),
      }),
    },
    {
      id: '3d.text-to-3d.hunyuan-pro',
      name: 'Hunyuan 3D Pro (text)',
      category: '3d',
      description: 'A mesh from a text prompt.',
      executionMode: 'queue',
      enabled: true,
      outputType: 'model',
      workMs: 6000,
      inputSchema: {
        type: 'object',
        required: ['prompt'],
        properties: {
          prompt: prompt(1000),
          face_count: { type: 'integer', minimum: 10000, maximum: 500000, default: 50000 },
          generate_pbr: { type: 'boolean', default: false },
        },
        additionalProperties: false,
      },
      price: () => 0.3,
      result: (id, _i, url) => ({
        model_mesh: { url: url(`/media/seisoai/${id}.glb`), content_type: 'model/gltf-binary', file_name: 'mesh.glb' },
      }),
    },
    {
      id: 'training.lora.flux',
      name: 'FLUX LoRA training',
      category: 'training',
      description: 'Train a style or subject LoRA from images.',
      executionMode: 'queue',
      enabled: true,
      outputType: 'archive',
      workMs: 8000,
      inputSchema: {
        type: 'object',
        required: ['image_urls', 'trigger_word'],
        properties: {
          image_urls: {
            type: 'array',
            items: { type: 'string', format: 'uri' },
            minItems: 3,
            maxItems: 20,
            description: 'Training images',
          },
          trigger_word: str('Word that invokes the learned concept', {
            minLength: 2,
            maxLength: 32,
            pattern: '^[A-Za-z0-9_]+$',
          }),
          steps: { type: 'integer', minimum: 100, maximum: 2000, default: 1000 },
        },
        additionalProperties: false,
      },
      price: () => 1.5,
      result: (id, _i, url) => ({
        diffusers_lora_file: {
          url: url(`/media/seisoai/${id}.zip`),
          content_type: 'application/zip',
          file_name: 'lora.zip',
        },
      }),
    },
    {
      id: 'video.generate.dreamactor-v2',
      name: 'DreamActor v2 motion transfer',
      category: 'video',
      description: 'Drive a still portrait with a video.',
      executionMode: 'queue',
      enabled: true,
      outputType: 'video',
      workMs: 5000,
      inputSchema: {
        type: 'object',
        required: ['source_image_url', 'driving_video_url'],
        properties: { source_image_url: uri('The person to animate'), driving_video_url: uri('The motion to copy') },
        additionalProperties: false,
      },
      price: () => 0.25,
      result: (id, _i, url) => ({ video: { url: url(`/media/seisoai/${id}.mp4`), content_type: 'video/mp4' } }),
    },
  ];
}

const AGENTS: AgentDef[] = [
  {
    id: 'agent_studio_bot',
    name: 'Studio Bot',
    description: 'Makes and polishes stills and voice-overs.',
    tools: ['image.generate.flux-2', 'image.upscale', 'audio.tts'],
  },
  {
    id: 'agent_trailer_maker',
    name: 'Trailer Maker',
    description: 'Short video trailers with music.',
    tools: ['video.generate.veo3', 'music.generate'],
  },
];

export class SeisoaiEmulator implements Emulator {
  readonly id = 'seisoai';
  readonly basePath = '/seisoai';
  readonly tools: ToolDef[] = sandboxTools();
  readonly agents: AgentDef[] = AGENTS.map((a) => ({ ...a, tools: [...a.tools] }));
  readonly jobs = new Map<string, JobRecord>();
  /** USD left per key; unknown keys start with `startingUsd`. */
  readonly balances = new Map<string, number>();
  startingUsd = 100;
  /** Nonces of accepted payments: a second use is a replay. */
  readonly usedNonces = new Set<string>();
  /** What the 402 challenge offers (tests change it to a network or asset GenDeck must refuse). */
  x402Offer: {
    network: 'base' | 'base-sepolia';
    asset?: string;
    networkName?: string;
    /** Which challenge formats the 402 carries. */
    versions?: (1 | 2)[];
    /** What the challenge says it is for (tests put hostile text here); default "<tool name> (<tool id>)". */
    description?: string;
    /** Fields added to every offered requirement (a real server may add its own; they must be echoed exactly). */
    requirementExtras?: Record<string, unknown>;
  } = { network: 'base-sepolia' };
  /** When set, the next valid payment is refused with this reason (as a facilitator would, e.g. insufficient_funds). */
  x402ForceReject: string | undefined;
  /** Every payment header received and the verdict. */
  readonly payments: { ok: boolean; reason?: string; nonce?: string }[] = [];
  /** Every route hit, "METHOD /api/gateway/…", so tests can see which endpoints were used. */
  readonly calls: string[] = [];
  private ctx!: EmulatorContext;

  snapshot(): unknown {
    return { jobs: [...this.jobs.values()], balances: [...this.balances], nonces: [...this.usedNonces] };
  }

  restore(state: unknown): void {
    const s = state as { jobs?: JobRecord[]; balances?: [string, number][]; nonces?: string[] };
    for (const j of s.jobs ?? []) this.jobs.set(j.id, j);
    for (const [k, v] of s.balances ?? []) this.balances.set(k, v);
    for (const n of s.nonces ?? []) this.usedNonces.add(n);
  }

  errorBody(_status: number, code: string, message: string): unknown {
    return { success: false, error: message, code };
  }

  register(router: Router, ctx: EmulatorContext): void {
    this.ctx = ctx;
    const p = `${this.basePath}${API_PREFIX}`;
    const route = (method: string, path: string, fn: (c: RouteContext) => void | Promise<void>) =>
      router.add(method, `${p}${path}`, (c) => {
        this.calls.push(`${method} ${c.url.pathname.slice(this.basePath.length)}`);
        return this.withOptionalKey(c, () => fn(c));
      });
    route('GET', '/tools', (c) => this.listTools(c));
    route('GET', '/tools/:toolId', (c) => this.getTool(c));
    route('GET', '/price/:toolId', (c) => this.price(c));
    route('GET', '/mcp-manifest', (c) => this.manifest(c));
    route('POST', '/invoke/:toolId', (c) => this.invoke(c, c.params.toolId, c.body));
    route('POST', '/invoke', (c) => {
      const b = (c.body ?? {}) as Record<string, unknown>;
      const { toolId, input, ...rest } = b;
      return this.invoke(c, String(toolId ?? ''), input && typeof input === 'object' ? input : rest);
    });
    route('GET', '/jobs/:jobId', (c) => this.jobStatus(c));
    route('GET', '/jobs/:jobId/result', (c) => this.jobResult(c));
    route('GET', '/agents', (c) =>
      this.withKey(c, () =>
        json(c.res, 200, {
          success: true,
          agents: this.agents.map(({ id, name, description }) => ({ id, name, description })),
        }),
      ),
    );
    route('GET', '/agent/:agentId', (c) => this.withKey(c, () => this.getAgent(c)));
    route('POST', '/agent/:agentId/invoke/:toolId', (c) =>
      this.withKey(c, (key) => this.agentInvoke(c, key, c.params.toolId, c.body)),
    );
    route('POST', '/agent/:agentId/invoke', (c) =>
      this.withKey(c, (key) => {
        const b = (c.body ?? {}) as Record<string, unknown>;
        return this.agentInvoke(c, key, String(b.toolId ?? ''), b.input ?? {});
      }),
    );
    route('POST', '/agent/:agentId/orchestrate', (c) => this.withKey(c, (key) => this.orchestrate(c, key)));
  }

  private fail(
    c: RouteContext,
    status: number,
    code: string,
    message: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): void {
    json(c.res, status, { ...(this.errorBody(status, code, message) as object), ...extra }, headers);
  }

  private keyOf(c: RouteContext): string | undefined {
    const v = c.req.headers['x-api-key'];
    return (Array.isArray(v) ? v[0] : v) || undefined;
  }

  /** Discovery is open; a key that is sent must be valid. */
  private withOptionalKey(c: RouteContext, fn: () => void | Promise<void>): void | Promise<void> {
    const key = this.keyOf(c);
    if (key !== undefined && !this.ctx.acceptsKey(key)) return this.fail(c, 401, 'invalid_api_key', 'Invalid API key');
    return fn();
  }

  private withKey(c: RouteContext, fn: (key: string) => void | Promise<void>): void | Promise<void> {
    const key = this.keyOf(c);
    if (!key) return this.fail(c, 401, 'api_key_required', 'Agent-scoped routes require an X-API-Key');
    return fn(key);
  }

  private summary(t: ToolDef): Record<string, unknown> {
    const defaults = Object.fromEntries(
      Object.entries((t.inputSchema.properties ?? {}) as Record<string, Schema>)
        .filter(([, s]) => s.default !== undefined)
        .map(([k, s]) => [k, s.default]),
    );
    return {
      id: t.id,
      name: t.name,
      category: t.category,
      description: t.description,
      executionMode: t.executionMode,
      enabled: t.enabled,
      price: { usd: round(t.price(defaults)) },
    };
  }

  private tool(c: RouteContext, id: string): ToolDef | undefined {
    const t = this.tools.find((x) => x.id === id);
    if (!t) this.fail(c, 404, 'tool_not_found', `Tool ${id} not found`);
    return t;
  }

  private listTools(c: RouteContext): void {
    const tools = this.tools.map((t) => this.summary(t));
    json(c.res, 200, {
      success: true,
      count: tools.length,
      categories: [...new Set(this.tools.map((t) => t.category))],
      tools,
    });
  }

  private getTool(c: RouteContext): void {
    const t = this.tool(c, c.params.toolId);
    if (t)
      json(c.res, 200, {
        success: true,
        tool: { ...this.summary(t), inputSchema: t.inputSchema, outputType: t.outputType },
      });
  }

  private readInputParam(c: RouteContext): Record<string, unknown> | undefined {
    const text = c.url.searchParams.get('input');
    if (text === null || text === '') return {};
    try {
      const v = JSON.parse(text);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* fall through */
    }
    this.fail(c, 400, 'invalid_input', 'input must be a URL-encoded JSON object');
    return undefined;
  }

  private price(c: RouteContext): void {
    const t = this.tool(c, c.params.toolId);
    if (!t) return;
    const input = this.readInputParam(c);
    if (!input) return;
    const usd = round(t.price(input));
    json(c.res, 200, {
      success: true,
      toolId: t.id,
      pricing: { usd, credits: Math.round(usd * 100), usdc: usdToAtomic(usd).toString() },
    });
  }

  private manifest(c: RouteContext): void {
    json(c.res, 200, {
      schema_version: '2025-06-18',
      name: 'seisoai-gateway',
      description: 'Seisoai media generation gateway (GenDeck sandbox)',
      auth: { type: ['api_key', 'x402'], header: 'X-API-Key' },
      tools: this.tools
        .filter((t) => t.enabled)
        .map((t) => ({ name: t.id, description: t.description, inputSchema: t.inputSchema })),
    });
  }

  private check(c: RouteContext, t: ToolDef, input: unknown): input is Record<string, unknown> {
    if (!input || typeof input !== 'object' || Array.isArray(input)) {
      this.fail(c, 400, 'invalid_input', 'The request body must be a JSON object of tool inputs');
      return false;
    }
    const fields = validateValues(t.inputSchema, input as Record<string, unknown>);
    if (Object.keys(fields).length) {
      this.fail(c, 400, 'invalid_input', `Input does not match the schema of ${t.id}: ${describeFieldErrors(fields)}`, {
        fields,
      });
      return false;
    }
    return true;
  }

  /** Order: tool exists (404), enabled (503), input valid (400), then payment (402) so nothing is charged for a bad call. */
  private async invoke(c: RouteContext, toolId: string, input: unknown): Promise<void> {
    const t = this.tool(c, toolId);
    if (!t) return;
    if (!t.enabled) {
      const alternatives = this.tools.filter((x) => x.enabled && x.category === t.category).map((x) => x.id);
      return this.fail(c, 503, 'tool_disabled', `Tool ${t.id} is temporarily disabled`, { alternatives });
    }
    if (!this.check(c, t, input)) return;
    const usd = round(t.price(input));
    const key = this.keyOf(c);
    let owner: string;
    let paymentResponse: string | undefined;
    if (key) {
      const balance = this.balances.get(key) ?? this.startingUsd;
      if (usd > balance)
        return this.fail(
          c,
          402,
          'insufficient_credits',
          `Insufficient credits: this call costs $${usd.toFixed(2)}, the key has $${balance.toFixed(2)} left`,
        );
      this.balances.set(key, round(balance - usd));
      owner = `key:${key}`;
    } else {
      const paid = await this.verifyPayment(c, usd, t);
      if (!paid) return;
      owner = `x402:${paid.payer.toLowerCase()}`;
      paymentResponse = paid.header;
    }
    this.respond(c, t, input, usd, owner, paymentResponse ? { 'payment-response': paymentResponse } : {});
  }

  private respond(
    c: RouteContext,
    t: ToolDef,
    input: Record<string, unknown>,
    usd: number,
    owner: string,
    headers: Record<string, string>,
  ): void {
    const pricing = { usd, credits: Math.round(usd * 100) };
    if (t.executionMode === 'sync') {
      const requestId = `req_${randomBytes(10).toString('hex')}`;
      return json(
        c.res,
        200,
        {
          success: true,
          executionMode: 'sync',
          toolId: t.id,
          requestId,
          result: t.result(requestId, input, this.ctx.url),
          pricing,
        },
        headers,
      );
    }
    const id = `job_${randomBytes(12).toString('hex')}`;
    const text = JSON.stringify(input);
    const rec: JobRecord = {
      id,
      toolId: t.id,
      owner,
      input,
      createdAt: this.ctx.now(),
      fails: text.includes('[fail]'),
      workMs: (text.includes('[slow]') ? 5 : 1) * (t.workMs ?? 4000),
    };
    this.jobs.set(id, rec);
    const statusUrl = this.ctx.url(`${this.basePath}${API_PREFIX}/jobs/${id}?model=${encodeURIComponent(t.id)}`);
    const resultUrl = this.ctx.url(`${this.basePath}${API_PREFIX}/jobs/${id}/result?model=${encodeURIComponent(t.id)}`);
    json(
      c.res,
      200,
      {
        success: true,
        executionMode: 'queue',
        toolId: t.id,
        pricing,
        job: { id, model: t.id, status: 'queued', statusUrl, resultUrl },
        statusUrl,
        resultUrl,
      },
      headers,
    );
  }

  // x402 ------------------------------------------------------------------------------------------

  private offer(usd: number, t: ToolDef, resourceUrl: string) {
    const net = ALLOWED_NETWORKS[this.x402Offer.network];
    const asset = this.x402Offer.asset ?? net.asset;
    const amount = usdToAtomic(usd).toString();
    const common = {
      scheme: 'exact',
      asset,
      payTo: SANDBOX_PAY_TO,
      maxTimeoutSeconds: 120,
      extra: { name: net.domain.name, version: net.domain.version },
      ...this.x402Offer.requirementExtras,
    };
    const description = this.x402Offer.description ?? `${t.name} (${t.id})`;
    const v1 = {
      x402Version: 1,
      error: 'X-PAYMENT header is required',
      accepts: [
        {
          ...common,
          network: this.x402Offer.networkName ?? net.id,
          maxAmountRequired: amount,
          resource: resourceUrl,
          description,
          mimeType: 'application/json',
        },
      ],
    };
    const v2 = {
      x402Version: 2,
      error: 'PAYMENT-SIGNATURE header is required',
      resource: { url: resourceUrl, description, mimeType: 'application/json' },
      accepts: [{ ...common, network: this.x402Offer.networkName ?? net.caip2, amount }],
    };
    return { v1, v2 };
  }

  private challenge(c: RouteContext, usd: number, t: ToolDef, reason?: string, settlement?: unknown): void {
    const resourceUrl = this.ctx.url(c.url.pathname);
    const { v1, v2 } = this.offer(usd, t, resourceUrl);
    const versions = this.x402Offer.versions ?? [1, 2];
    const headers: Record<string, string> = {};
    if (versions.includes(2)) headers['payment-required'] = encodeJsonHeader(reason ? { ...v2, error: reason } : v2);
    if (settlement) headers['payment-response'] = encodeJsonHeader(settlement);
    const body = versions.includes(1) ? { ...v1, error: reason ?? v1.error } : { error: reason ?? 'Payment required' };
    json(c.res, 402, { success: false, code: reason ? 'payment_invalid' : 'payment_required', ...body }, headers);
  }

  private paymentHeader(c: RouteContext): string | undefined {
    for (const h of ['payment-signature', 'x-payment', 'payment']) {
      const v = c.req.headers[h];
      const s = Array.isArray(v) ? v[0] : v;
      if (s) return s;
    }
    return undefined;
  }

  /** Verifies a payment by signature alone; answers the 402 itself and returns undefined when it fails. */
  private async verifyPayment(
    c: RouteContext,
    usd: number,
    t: ToolDef,
  ): Promise<{ payer: string; header: string } | undefined> {
    const header = this.paymentHeader(c);
    if (!header) return void this.challenge(c, usd, t);
    const net = ALLOWED_NETWORKS[this.x402Offer.network];
    const asset = (this.x402Offer.asset ?? net.asset).toLowerCase();
    const reject = (reason: string, payer?: string) => {
      this.payments.push({ ok: false, reason });
      this.challenge(c, usd, t, reason, {
        success: false,
        errorReason: reason,
        transaction: '',
        network: net.caip2,
        payer: payer ?? '',
      });
      return undefined;
    };
    const parsed = paymentPayloadSchema.safeParse(decodeJsonHeader(header));
    if (!parsed.success) return reject('invalid_payload');
    const p = parsed.data;
    const a = p.payload.authorization;
    const network = p.x402Version >= 2 ? p.accepted?.network : p.network;
    if ((p.x402Version >= 2 ? p.accepted?.scheme : p.scheme) !== 'exact') return reject('unsupported_scheme', a.from);
    // As strict as the official verifier: v1 names the network (base-sepolia), v2 its CAIP-2 id (eip155:84532).
    if (network !== (this.x402Offer.networkName ?? (p.x402Version >= 2 ? net.caip2 : net.id)))
      return reject('invalid_network', a.from);
    if (
      p.x402Version >= 2 &&
      (p.accepted?.asset.toLowerCase() !== asset || p.accepted?.payTo.toLowerCase() !== SANDBOX_PAY_TO)
    )
      return reject('accepted_requirements_mismatch', a.from);
    // v2 `accepted` must be one of the offered requirements exactly (amount, maxTimeoutSeconds, extra included).
    if (p.x402Version >= 2) {
      const offered = this.offer(usd, t, this.ctx.url(c.url.pathname)).v2.accepts.map(canonicalJson);
      const echoed = (decodeJsonHeader(header) as { accepted?: unknown } | undefined)?.accepted;
      if (!offered.includes(canonicalJson(echoed))) return reject('accepted_requirements_mismatch', a.from);
    }
    if (a.to.toLowerCase() !== SANDBOX_PAY_TO) return reject('invalid_exact_evm_payload_recipient_mismatch', a.from);
    if (!/^\d+$/.test(a.value) || BigInt(a.value) !== usdToAtomic(usd))
      return reject('invalid_exact_evm_payload_authorization_value', a.from);
    const now = Math.floor(this.ctx.now() / 1000);
    if (!/^\d+$/.test(a.validAfter) || !/^\d+$/.test(a.validBefore)) return reject('invalid_payload', a.from);
    if (Number(a.validAfter) > now) return reject('invalid_exact_evm_payload_authorization_valid_after', a.from);
    // The official verifier wants 6 s of validity left, time to settle on chain.
    if (Number(a.validBefore) < now + 6) return reject('invalid_exact_evm_payload_authorization_valid_before', a.from);
    if (!/^0x[0-9a-fA-F]{64}$/.test(a.nonce)) return reject('invalid_payload', a.from);
    if (this.usedNonces.has(a.nonce.toLowerCase())) return reject('nonce_already_used', a.from);
    let signer: string;
    try {
      const typed = transferTypedData(
        { ...net, asset: (this.x402Offer.asset ?? net.asset) as Hex },
        a as Parameters<typeof transferTypedData>[1],
      );
      signer = await recoverTypedDataAddress({ ...typed, signature: p.payload.signature as Hex });
    } catch {
      return reject('invalid_exact_evm_payload_signature', a.from);
    }
    if (signer.toLowerCase() !== a.from.toLowerCase()) return reject('invalid_exact_evm_payload_signature', a.from);
    if (this.x402ForceReject) {
      const reason = this.x402ForceReject;
      this.x402ForceReject = undefined;
      return reject(reason, a.from);
    }
    this.usedNonces.add(a.nonce.toLowerCase());
    this.payments.push({ ok: true, nonce: a.nonce.toLowerCase() });
    const transaction = `0x${createHash('sha256').update(`${a.from}:${a.nonce}`).digest('hex')}`;
    return {
      payer: a.from,
      header: encodeJsonHeader({ success: true, transaction, network: net.caip2, payer: a.from }),
    };
  }

  // jobs ------------------------------------------------------------------------------------------

  private job(c: RouteContext): JobRecord | undefined {
    const rec = this.jobs.get(c.params.jobId);
    const key = this.keyOf(c);
    // A key's jobs need that key; an x402 job is reachable by its (unguessable) id alone.
    if (!rec || (rec.owner.startsWith('key:') && rec.owner !== `key:${key}`)) {
      this.fail(c, 404, 'job_not_found', `Job ${c.params.jobId} not found`);
      return undefined;
    }
    return rec;
  }

  private state(rec: JobRecord): { status: 'queued' | 'processing' | 'completed' | 'failed'; progress: number } {
    const elapsed = (this.ctx.now() - rec.createdAt) / this.ctx.timing.scale;
    const queuedMs = 1000;
    if (elapsed < queuedMs) return { status: 'queued', progress: 0 };
    if (elapsed < queuedMs + rec.workMs)
      return { status: 'processing', progress: Math.min(99, Math.floor(((elapsed - queuedMs) / rec.workMs) * 100)) };
    return { status: rec.fails ? 'failed' : 'completed', progress: 100 };
  }

  private jobStatus(c: RouteContext): void {
    const rec = this.job(c);
    if (!rec) return;
    const s = this.state(rec);
    const job: Record<string, unknown> = {
      id: rec.id,
      model: rec.toolId,
      status: s.status,
      progress: s.progress,
      createdAt: new Date(rec.createdAt).toISOString(),
    };
    if (s.status === 'failed') job.error = 'Generation failed: the sandbox was asked to fail ([fail] in the prompt).';
    if (s.status === 'completed')
      job.resultUrl = this.ctx.url(
        `${this.basePath}${API_PREFIX}/jobs/${rec.id}/result?model=${encodeURIComponent(rec.toolId)}`,
      );
    json(c.res, 200, { success: true, ...job, job });
  }

  private jobResult(c: RouteContext): void {
    const rec = this.job(c);
    if (!rec) return;
    const s = this.state(rec);
    if (s.status === 'failed') return this.fail(c, 409, 'job_failed', 'The job failed; it has no result');
    if (s.status !== 'completed')
      return this.fail(c, 409, 'job_not_ready', `The job is ${s.status}; poll its statusUrl until completed`);
    const t = this.tools.find((x) => x.id === rec.toolId)!;
    json(c.res, 200, { success: true, status: 'completed', result: t.result(rec.id, rec.input, this.ctx.url) });
  }

  // agents ----------------------------------------------------------------------------------------

  private agent(c: RouteContext): AgentDef | undefined {
    const a = this.agents.find((x) => x.id === c.params.agentId);
    if (!a) this.fail(c, 404, 'agent_not_found', `Agent ${c.params.agentId} not found`);
    return a;
  }

  private getAgent(c: RouteContext): void {
    const a = this.agent(c);
    if (a) json(c.res, 200, { success: true, agent: { ...a, tools: a.tools.map((id) => ({ id })) } });
  }

  private async agentInvoke(c: RouteContext, key: string, toolId: string, input: unknown): Promise<void> {
    const a = this.agent(c);
    if (!a) return;
    if (!a.tools.includes(toolId))
      return this.fail(c, 403, 'tool_not_allowed', `Agent ${a.id} does not declare tool ${toolId}`);
    const t = this.tool(c, toolId);
    if (!t || !this.check(c, t, input)) return;
    const usd = round(t.price(input));
    const balance = this.balances.get(key) ?? this.startingUsd;
    if (usd > balance) return this.fail(c, 402, 'insufficient_credits', 'Insufficient credits');
    this.balances.set(key, round(balance - usd));
    this.respond(c, t, input, usd, `key:${key}`, {});
  }

  private orchestrate(c: RouteContext, key: string): void {
    const a = this.agent(c);
    if (!a) return;
    const b = (c.body ?? {}) as { prompt?: unknown; tools?: unknown };
    const tools = Array.isArray(b.tools) ? b.tools.filter((x): x is string => typeof x === 'string') : [];
    if (typeof b.prompt !== 'string' || !b.prompt.trim() || !tools.length)
      return this.fail(c, 400, 'invalid_input', 'orchestrate needs a prompt and a list of tools');
    const bad = tools.filter((x) => !a.tools.includes(x));
    if (bad.length) return this.fail(c, 403, 'tool_not_allowed', `Agent ${a.id} does not declare ${bad.join(', ')}`);
    const steps = tools.map((toolId) => {
      const t = this.tools.find((x) => x.id === toolId)!;
      const id = `orc_${randomBytes(8).toString('hex')}`;
      return { toolId, result: t.result(id, { prompt: b.prompt }, this.ctx.url) };
    });
    const usd = round(steps.reduce((s, st) => s + this.tools.find((x) => x.id === st.toolId)!.price({}), 0));
    this.balances.set(key, round((this.balances.get(key) ?? this.startingUsd) - usd));
    json(c.res, 200, { success: true, executionMode: 'sync', agentId: a.id, result: { steps }, pricing: { usd } });
  }
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** JSON with object keys sorted, to compare two requirements whatever order their keys came in. */
function canonicalJson(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
          )
        : x;
  return JSON.stringify(sort(v));
}
