// The Seek API emulator's marketplace: a dozen workers with JSON input schemas, pricing, a
// max_duration, a simulated run time, and a result built from the input (media URLs point at the
// sandbox's /media samples so previews and downloads work).

export interface WorkerDef {
  id: string;
  name: string;
  description: string;
  category: string;
  author: string;
  /** Documented as "per-credit pricing": a flat price per job and/or a price per unit of an input field. */
  pricing: {
    credits_per_job?: number;
    credits_per_unit?: number;
    unit?: string;
    unit_field?: string;
    minimum_credits?: number;
  };
  /** Seconds; a job running longer ends as `timeout`. */
  max_duration: number;
  /** Simulated run time in ms at time scale 1. */
  workMs: number;
  input_schema: Record<string, unknown>;
  result: (input: Record<string, unknown>, media: (path: string) => string, uuid: string) => unknown;
}

const url = { type: 'string', format: 'uri' };

export const WORKERS: WorkerDef[] = [
  {
    id: 'linkedin-profile',
    name: 'LinkedIn Profile',
    description: 'Public profile data from a LinkedIn profile URL: name, headline, location, experience and avatar.',
    category: 'social',
    author: 'seek',
    pricing: { credits_per_job: 5 },
    max_duration: 20,
    workMs: 4200,
    input_schema: {
      type: 'object',
      required: ['profile_url'],
      properties: {
        profile_url: {
          ...url,
          title: 'Profile URL',
          description: 'https://linkedin.com/in/…',
          pattern: '^https://(www\\.)?linkedin\\.com/in/',
        },
        include_experience: { type: 'boolean', default: true },
      },
      additionalProperties: false,
    },
    result: (i, media, id) => ({
      name: 'Example Person',
      headline: 'Builder of things',
      location: 'Paris, France',
      profile_url: i.profile_url,
      avatar_url: media(`/media/seekapi/${id}/avatar.jpg`),
      experience: i.include_experience === false ? [] : [{ company: 'Example Corp', title: 'Engineer', years: 3 }],
    }),
  },
  {
    id: 'google-maps-search',
    name: 'Google Maps Search',
    description: 'Places matching a query, with address, rating and coordinates. Priced per result.',
    category: 'maps',
    author: 'seek',
    pricing: { credits_per_unit: 1, unit: 'result', unit_field: 'max_results', minimum_credits: 1 },
    max_duration: 30,
    workMs: 3000,
    input_schema: {
      type: 'object',
      required: ['query'],
      properties: {
        query: { type: 'string', minLength: 2, maxLength: 200, description: 'What and where, e.g. "coffee in Paris"' },
        max_results: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
        language: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'ja'], default: 'en' },
      },
      additionalProperties: false,
    },
    result: (i) => ({
      query: i.query,
      places: Array.from({ length: Math.min(Number(i.max_results ?? 10), 5) }, (_, n) => ({
        name: `Place ${n + 1}`,
        rating: 4 + (n % 10) / 10,
        lat: 48.85 + n / 100,
        lng: 2.35 + n / 100,
      })),
    }),
  },
  {
    id: 'website-screenshot',
    name: 'Website Screenshot',
    description: 'A PNG or JPEG screenshot of a web page, optionally the full scrolling page.',
    category: 'web',
    author: 'seek',
    pricing: { credits_per_job: 2 },
    max_duration: 20,
    workMs: 2500,
    input_schema: {
      type: 'object',
      required: ['page'],
      properties: {
        page: { ...url, title: 'Page URL' },
        full_page: { type: 'boolean', default: false },
        width: { type: 'integer', minimum: 320, maximum: 3840, default: 1280 },
        format: { type: 'string', enum: ['png', 'jpg'], default: 'png' },
      },
      additionalProperties: false,
    },
    result: (i, media, id) => ({
      page: i.page,
      screenshot_url: media(`/media/seekapi/${id}/screenshot.${i.format === 'jpg' ? 'jpg' : 'png'}`),
      width: i.width ?? 1280,
    }),
  },
  {
    id: 'youtube-transcript',
    name: 'YouTube Transcript',
    description: 'The transcript of a YouTube video, as timed segments and plain text.',
    category: 'video',
    author: 'seek',
    pricing: { credits_per_job: 3 },
    max_duration: 30,
    workMs: 3500,
    input_schema: {
      type: 'object',
      required: ['youtube_link'],
      properties: {
        youtube_link: { ...url, title: 'YouTube link', pattern: '^https://(www\\.)?(youtube\\.com|youtu\\.be)/' },
        language: { type: 'string', enum: ['auto', 'en', 'fr', 'de'], default: 'auto' },
      },
      additionalProperties: false,
    },
    result: () => ({
      text: 'Hello and welcome. Today we look at waves.',
      segments: [
        { start: 0, end: 2.1, text: 'Hello and welcome.' },
        { start: 2.1, end: 4.4, text: 'Today we look at waves.' },
      ],
    }),
  },
  {
    id: 'tiktok-video',
    name: 'TikTok Video Download',
    description: 'Downloads a TikTok video without watermark, with its cover image and caption.',
    category: 'social',
    author: 'seek',
    pricing: { credits_per_job: 4 },
    max_duration: 30,
    workMs: 5000,
    input_schema: {
      type: 'object',
      required: ['tiktok_link'],
      properties: { tiktok_link: { ...url, title: 'TikTok link' }, hd: { type: 'boolean', default: true } },
      additionalProperties: false,
    },
    result: (_i, media, id) => ({
      caption: 'waves on rocks #sea',
      video: { url: media(`/media/seekapi/${id}/video.mp4`), cover: media(`/media/seekapi/${id}/cover.jpg`) },
    }),
  },
  {
    id: 'text-to-speech',
    name: 'Text to Speech',
    description: 'Speech audio (WAV) from text, in one of several voices.',
    category: 'audio',
    author: 'seek',
    pricing: { credits_per_job: 2 },
    max_duration: 20,
    workMs: 2000,
    input_schema: {
      type: 'object',
      required: ['text'],
      properties: {
        text: { type: 'string', minLength: 1, maxLength: 2000 },
        voice: { type: 'string', enum: ['alloy', 'verse', 'sage'], default: 'alloy' },
        speed: { type: 'number', minimum: 0.5, maximum: 2, default: 1 },
      },
      additionalProperties: false,
    },
    result: (i, media, id) => ({
      audio_url: media(`/media/seekapi/${id}/speech.wav`),
      voice: i.voice ?? 'alloy',
      characters: String(i.text).length,
    }),
  },
  {
    id: 'email-finder',
    name: 'Email Finder',
    description: 'The most likely work email for a person at a company domain, with a confidence score.',
    category: 'leads',
    author: 'seek',
    pricing: { credits_per_job: 2 },
    max_duration: 15,
    workMs: 1500,
    input_schema: {
      type: 'object',
      required: ['domain', 'first_name', 'last_name'],
      properties: {
        domain: { type: 'string', pattern: '^[a-z0-9.-]+\\.[a-z]{2,}$', description: 'example.com' },
        first_name: { type: 'string', minLength: 1, maxLength: 60 },
        last_name: { type: 'string', minLength: 1, maxLength: 60 },
      },
      additionalProperties: false,
    },
    result: (i) => ({
      email: `${String(i.first_name).toLowerCase()}.${String(i.last_name).toLowerCase()}@${i.domain}`,
      confidence: 0.87,
    }),
  },
  {
    id: 'amazon-product',
    name: 'Amazon Product',
    description: 'Title, price, rating and images of an Amazon product by ASIN.',
    category: 'ecommerce',
    author: 'seek',
    pricing: { credits_per_job: 3 },
    max_duration: 20,
    workMs: 3000,
    input_schema: {
      type: 'object',
      required: ['asin'],
      properties: {
        asin: { type: 'string', pattern: '^[A-Z0-9]{10}$', description: '10 characters, e.g. B08N5WRWNW' },
        marketplace: { type: 'string', enum: ['us', 'uk', 'de', 'fr', 'jp'], default: 'us' },
      },
      additionalProperties: false,
    },
    result: (i, media, id) => ({
      asin: i.asin,
      title: 'Example product',
      price: { amount: 19.99, currency: 'USD' },
      images: [media(`/media/seekapi/${id}/front.jpg`), media(`/media/seekapi/${id}/back.png`)],
    }),
  },
  {
    id: 'instagram-posts',
    name: 'Instagram Posts',
    description: 'Recent public posts of an Instagram account. Priced per post.',
    category: 'social',
    author: 'seek',
    pricing: { credits_per_unit: 1, unit: 'post', unit_field: 'max_posts' },
    max_duration: 30,
    workMs: 4000,
    input_schema: {
      type: 'object',
      required: ['username'],
      properties: {
        username: { type: 'string', pattern: '^[A-Za-z0-9._]{1,30}$' },
        max_posts: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
      },
      additionalProperties: false,
    },
    result: (i, media, id) => ({
      username: i.username,
      posts: Array.from({ length: Math.min(Number(i.max_posts ?? 5), 3) }, (_, n) => ({
        caption: `post ${n + 1}`,
        image_url: media(`/media/seekapi/${id}/post-${n + 1}.jpg`),
      })),
    }),
  },
  {
    id: 'pdf-to-text',
    name: 'PDF to Text',
    description: 'Plain text of a PDF document, page by page.',
    category: 'documents',
    author: 'seek',
    pricing: { credits_per_job: 2 },
    max_duration: 30,
    workMs: 2500,
    input_schema: {
      type: 'object',
      required: ['document'],
      properties: {
        document: { ...url, title: 'PDF URL' },
        pages: { type: 'string', pattern: '^\\d+(-\\d+)?(,\\d+(-\\d+)?)*$', description: 'e.g. 1-3,5' },
      },
      additionalProperties: false,
    },
    result: () => ({ pages: [{ page: 1, text: 'Lorem ipsum dolor sit amet.' }], text: 'Lorem ipsum dolor sit amet.' }),
  },
  {
    id: 'sentiment-analysis',
    name: 'Sentiment Analysis',
    description: 'Positive/neutral/negative sentiment with a score for each text. Priced per text.',
    category: 'nlp',
    author: 'seek',
    pricing: { credits_per_unit: 1, unit: 'text', unit_field: 'texts' },
    max_duration: 15,
    workMs: 1200,
    input_schema: {
      type: 'object',
      required: ['texts'],
      properties: {
        texts: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 1000 }, minItems: 1, maxItems: 50 },
        language: { type: 'string', enum: ['en', 'fr', 'de'], default: 'en' },
      },
      additionalProperties: false,
    },
    result: (i) => ({
      results: (i.texts as string[]).map((t) => ({
        text: t,
        label: /bad|awful|hate/i.test(t) ? 'negative' : /good|great|love/i.test(t) ? 'positive' : 'neutral',
        score: 0.9,
      })),
    }),
  },
  {
    id: 'image-to-3d',
    name: 'Image to 3D',
    description: 'A textured 3D model (GLB) and a preview render from one image.',
    category: '3d',
    author: 'seek',
    pricing: { credits_per_job: 10 },
    max_duration: 20,
    workMs: 8000,
    input_schema: {
      type: 'object',
      required: ['image_link'],
      properties: {
        image_link: { ...url, title: 'Image link', description: 'An https URL of a photo of the object' },
        quality: { type: 'string', enum: ['draft', 'standard', 'high'], default: 'standard' },
      },
      additionalProperties: false,
    },
    result: (_i, media, id) => ({
      model_url: media(`/media/seekapi/${id}/model.glb`),
      preview_url: media(`/media/seekapi/${id}/preview.png`),
      polygons: 12000,
    }),
  },
];

/** The workers every sandbox account owns at first: one draft (publishable) and one published. */
export function starterDeployments(): WorkerDef[] {
  return [
    {
      id: 'acme-price-tracker',
      name: 'Acme Price Tracker',
      description: 'Your worker: tracks the price of a product page.',
      category: 'ecommerce',
      author: 'you',
      pricing: { credits_per_job: 1 },
      max_duration: 15,
      workMs: 1500,
      input_schema: {
        type: 'object',
        required: ['product_page'],
        properties: { product_page: { ...url } },
        additionalProperties: false,
      },
      result: (i) => ({ product_page: i.product_page, price: 42.5, currency: 'EUR' }),
    },
    {
      id: 'acme-invoice-parser',
      name: 'Acme Invoice Parser',
      description: 'Your worker: totals and line items from an invoice PDF.',
      category: 'documents',
      author: 'you',
      pricing: { credits_per_job: 2 },
      max_duration: 20,
      workMs: 2000,
      input_schema: {
        type: 'object',
        required: ['invoice'],
        properties: { invoice: { ...url } },
        additionalProperties: false,
      },
      result: () => ({ total: 120, currency: 'EUR', lines: [{ item: 'Widget', qty: 2, price: 60 }] }),
    },
  ];
}

// ---- the emulator's own JSON-schema check (independent of the client's form model) ----

export interface FieldProblem {
  field: string;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkValue(schema: Record<string, unknown>, v: unknown, field: string, out: FieldProblem[]): void {
  const type = schema.type as string | undefined;
  const add = (message: string): void => void out.push({ field, message });
  if (Array.isArray(schema.enum) && !schema.enum.includes(v)) return add(`must be one of: ${schema.enum.join(', ')}`);
  switch (type) {
    case 'string': {
      if (typeof v !== 'string') return add('must be a string');
      if (typeof schema.minLength === 'number' && v.length < schema.minLength)
        return add(`must be at least ${schema.minLength} characters`);
      if (typeof schema.maxLength === 'number' && v.length > schema.maxLength)
        return add(`must be at most ${schema.maxLength} characters`);
      if (schema.format === 'uri') {
        let ok = false;
        try {
          // Besides http(s), an inline media file: GenDeck sends a local image, video or audio as a data: URI.
          ok = /^https?:$/.test(new URL(v).protocol) || /^data:(image|video|audio)\/[\w.+-]+;base64,/i.test(v);
        } catch {
          ok = false;
        }
        if (!ok) return add('must be a valid URL');
      }
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(v))
        return add(`does not match pattern ${schema.pattern}`);
      return;
    }
    case 'integer':
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return add('must be a number');
      if (type === 'integer' && !Number.isInteger(v)) return add('must be an integer');
      if (typeof schema.minimum === 'number' && v < schema.minimum) return add(`must be >= ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && v > schema.maximum) return add(`must be <= ${schema.maximum}`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') add('must be a boolean');
      return;
    case 'array':
      if (!Array.isArray(v)) return add('must be an array');
      if (typeof schema.minItems === 'number' && v.length < schema.minItems)
        return add(`must have at least ${schema.minItems} items`);
      if (typeof schema.maxItems === 'number' && v.length > schema.maxItems)
        return add(`must have at most ${schema.maxItems} items`);
      if (isObject(schema.items))
        v.forEach((x, i) => checkValue(schema.items as Record<string, unknown>, x, `${field}[${i}]`, out));
      return;
    case 'object':
      if (!isObject(v)) add('must be an object');
      return;
  }
}

/** Validates a submission's input against a worker's schema: every problem, by field. */
export function validateInput(schema: Record<string, unknown>, input: Record<string, unknown>): FieldProblem[] {
  const out: FieldProblem[] = [];
  const props = (isObject(schema.properties) ? schema.properties : {}) as Record<string, Record<string, unknown>>;
  for (const r of (schema.required as string[] | undefined) ?? [])
    if (input[r] === undefined || input[r] === null || input[r] === '') out.push({ field: r, message: 'is required' });
  for (const [k, v] of Object.entries(input)) {
    if (!props[k]) {
      if (schema.additionalProperties === false) out.push({ field: k, message: 'is not an input of this worker' });
      continue;
    }
    if (v === undefined || v === null || (v === '' && ((schema.required as string[] | undefined) ?? []).includes(k)))
      continue;
    checkValue(props[k], v, k, out);
  }
  return out;
}

/** Credits a job costs: the flat price plus the per-unit price times the unit field (its default when absent). */
export function priceOf(w: WorkerDef, input: Record<string, unknown>): number {
  let total = w.pricing.credits_per_job ?? 0;
  if (w.pricing.credits_per_unit !== undefined) {
    const field = w.pricing.unit_field;
    const v = field ? input[field] : undefined;
    const d = field
      ? ((w.input_schema.properties as Record<string, { default?: unknown }>)[field]?.default as number | undefined)
      : undefined;
    const units = typeof v === 'number' ? v : Array.isArray(v) ? v.length : (d ?? 1);
    total += w.pricing.credits_per_unit * units;
  }
  return Math.max(total, w.pricing.minimum_credits ?? 0);
}
