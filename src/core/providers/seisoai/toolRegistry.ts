import { CATEGORIES, REGISTRY_TTL_MS, SCHEMA_TTL_MS, type ToolCategory } from './contract';
import type { SeisoaiClient } from './client';
import type { ToolDetail, ToolSummary } from './schemas';

export interface ToolGroup {
  category: ToolCategory;
  tools: ToolSummary[];
}

/**
 * The live tool list, never a static one: read from GET /tools, trusted for a short TTL,
 * dropped on Refresh, on a 404 and whenever a caller asks for a fresh copy.
 */
export class ToolRegistry {
  private list: { at: number; tools: ToolSummary[] } | undefined;
  private inflight: Promise<ToolSummary[]> | undefined;
  private details = new Map<string, { at: number; tool: ToolDetail }>();
  private listeners = new Set<() => void>();

  constructor(
    private readonly client: SeisoaiClient,
    private readonly now: () => number = Date.now,
    readonly ttlMs = REGISTRY_TTL_MS,
    readonly schemaTtlMs = SCHEMA_TTL_MS,
  ) {}

  onDidChange(fn: () => void): { dispose(): void } {
    this.listeners.add(fn);
    return { dispose: () => this.listeners.delete(fn) };
  }

  /** Forget everything; the next read goes to the network. */
  invalidate(): void {
    this.list = undefined;
    this.details.clear();
    for (const l of this.listeners) l();
  }

  /** When the cached list was read, if it is still trusted. */
  get cachedAt(): number | undefined {
    return this.list && this.now() - this.list.at < this.ttlMs ? this.list.at : undefined;
  }

  async tools(o: { fresh?: boolean; signal?: AbortSignal } = {}): Promise<ToolSummary[]> {
    if (!o.fresh && this.list && this.now() - this.list.at < this.ttlMs) return this.list.tools;
    // Concurrent readers share one request.
    if (!this.inflight) {
      this.inflight = this.client
        .listTools({ signal: o.signal })
        .then(({ tools }) => {
          const changed = JSON.stringify(tools) !== JSON.stringify(this.list?.tools);
          this.list = { at: this.now(), tools };
          if (changed) for (const l of this.listeners) l();
          return tools;
        })
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }

  async grouped(o: { fresh?: boolean; signal?: AbortSignal } = {}): Promise<ToolGroup[]> {
    const tools = await this.tools(o);
    return CATEGORIES.map((category) => ({
      category,
      tools: tools.filter((t) => t.category === category).sort((a, b) => a.name.localeCompare(b.name)),
    })).filter((g) => g.tools.length);
  }

  /** The exact schema of a tool (GET /tools/{id}); `fresh` skips the cache (after a 400). */
  async detail(toolId: string, o: { fresh?: boolean; signal?: AbortSignal } = {}): Promise<ToolDetail> {
    const hit = this.details.get(toolId);
    if (!o.fresh && hit && this.now() - hit.at < this.schemaTtlMs) return hit.tool;
    const tool = await this.client.getTool(toolId, o.signal);
    this.details.set(toolId, { at: this.now(), tool });
    return tool;
  }

  /** Enabled tools of the same category as `toolId`, for a fallback after 503/500. */
  async alternatives(
    toolId: string,
    category: ToolCategory | undefined,
    o: { fresh?: boolean; signal?: AbortSignal } = {},
  ): Promise<ToolSummary[]> {
    let tools: ToolSummary[] = [];
    try {
      tools = await this.tools(o);
    } catch {
      return [];
    }
    const cat = category ?? tools.find((t) => t.id === toolId)?.category;
    return tools.filter((t) => t.id !== toolId && t.enabled && t.category === cat);
  }
}
