// Outputs as MCP resources: every file this server saved (or found in the job list as a saved output) is listed as a
// file:// resource and can be read back; nothing else on the machine is served.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ErrorCode,
  ListResourcesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type Resource,
} from '@modelcontextprotocol/sdk/types.js';
import { mimeOf } from './jobs';
import type { McpSession } from './session';

/** Largest file read back through resources/read. */
const MAX_READ_BYTES = 50 * 1024 * 1024;

const TEXTUAL = /^(text\/|application\/json)/;

/** Saved outputs of the job list (this mode) join the files this server handed out. */
function known(s: McpSession): Map<string, { name: string; mimeType?: string; job?: string }> {
  for (const job of s.h.jobs())
    for (const o of job.outputs) {
      if (!o.localPath || !existsSync(o.localPath)) continue;
      const uri = pathToFileURL(o.localPath).href;
      if (!s.files.has(uri))
        s.files.set(uri, { name: basename(o.localPath), mimeType: mimeOf(o.localPath), job: job.key });
    }
  return s.files;
}

export function serveResources(server: Server, s: McpSession): void {
  server.setRequestHandler(ListResourcesRequestSchema, async () => {
    const resources: Resource[] = [];
    for (const [uri, f] of known(s)) {
      if (!existsSync(fileURLToPath(uri))) continue;
      resources.push({
        uri,
        name: f.name,
        mimeType: f.mimeType,
        description: f.job ? `Output of ${f.job}` : undefined,
      });
    }
    return { resources };
  });

  server.setRequestHandler(ReadResourceRequestSchema, async (req) => {
    const uri = req.params.uri;
    const f = known(s).get(uri);
    if (!f) throw new McpError(ErrorCode.InvalidParams, `Resource ${uri} is not one this server saved or listed.`);
    const path = fileURLToPath(uri);
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) throw new McpError(ErrorCode.InvalidParams, `${path} is no longer there.`);
    if (st.size > MAX_READ_BYTES)
      throw new McpError(
        ErrorCode.InvalidParams,
        `${path} is ${Math.round(st.size / 1048576)} MB, above the ${MAX_READ_BYTES / 1048576} MB read limit; open the file itself.`,
      );
    const data = await readFile(path);
    const mimeType = f.mimeType ?? 'application/octet-stream';
    return {
      contents: [
        TEXTUAL.test(mimeType)
          ? { uri, mimeType, text: data.toString('utf8') }
          : { uri, mimeType, blob: data.toString('base64') },
      ],
    };
  });
}
