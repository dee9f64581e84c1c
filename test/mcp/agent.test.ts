// Seisoai agent-scoped routes through MCP: absent by default; with --seisoai-agent <exact id> only that agent's
// declared tools, each call (refusals too) in the audit log; an id that is not exact starts nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { data, startMcp, textOf } from './harness';

const AUDIT = 'seisoai-agent-audit-sandbox.jsonl';

describe('gendeck mcp: Seisoai agent routes', () => {
  it('exposes no agent tool without --seisoai-agent', async () => {
    const mcp = await startMcp();
    try {
      const names = (await mcp.client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('run_seisoai_tool'));
      assert.ok(!names.some((n) => n.includes('agent')), names.join(', '));
      assert.equal(data<{ agent?: unknown }>(await mcp.call('list_providers')).agent, undefined);
      await assert.rejects(
        mcp.call('run_seisoai_agent_tool', { tool: 'image.generate.flux-2', input: {}, reason: 'x', max_cost: 1 }),
        /Tool run_seisoai_agent_tool not found/,
      );
    } finally {
      await mcp.close();
    }
  });

  it("with the exact id, lists only that agent's declared tools and audits every call", async () => {
    const mcp = await startMcp({ args: ['--seisoai-agent', 'agent_studio_bot'] });
    try {
      const tool = (await mcp.client.listTools()).tools.find((t) => t.name === 'run_seisoai_agent_tool');
      assert.ok(tool, 'the agent tool is listed');
      const props = tool.inputSchema.properties as Record<string, { enum?: string[] }>;
      assert.deepEqual(props.tool.enum, ['image.generate.flux-2', 'image.upscale', 'audio.tts']);

      const ok = await mcp.call('run_seisoai_agent_tool', {
        tool: 'image.generate.flux-2',
        input: { prompt: 'a studio still' },
        reason: 'the user asked Studio Bot for a still',
        max_cost: 0.05,
      });
      const sent = data<{ job: { status: string }; summary: string }>(ok);
      assert.match(sent.summary, /agent Studio Bot \(agent_studio_bot\)/);
      assert.equal(sent.job.status, 'succeeded');

      const undeclared = await mcp.call('run_seisoai_agent_tool', {
        tool: 'video.generate.veo3',
        input: { prompt: 'a trailer' },
        reason: 'trying another agent tool',
        max_cost: 5,
      });
      assert.equal(undeclared.isError, true);
      assert.match(textOf(undeclared), /not declared by agent agent_studio_bot; it was not invoked/);

      const lines = readFileSync(join(mcp.stateDir, AUDIT), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { route: string; toolId?: string; reason: string; outcome: string });
      assert.deepEqual(
        lines.map((l) => [l.route, l.outcome]),
        [
          ['GET /api/gateway/agent/agent_studio_bot', 'ok'],
          ['POST /api/gateway/agent/agent_studio_bot/invoke/image.generate.flux-2', 'ok'],
          ['POST /api/gateway/agent/agent_studio_bot/invoke/video.generate.veo3', 'refused'],
        ],
      );
      assert.equal(lines[1].reason, 'MCP: the user asked Studio Bot for a still');
    } finally {
      await mcp.close();
    }
  });

  for (const id of ['agent_studio', 'Studio Bot']) {
    it(`does not start for an id that is not an exact agent id (${id})`, async () => {
      await assert.rejects(startMcp({ args: ['--seisoai-agent', id] }));
    });
  }
});
