import * as vscode from 'vscode';
import { describeError, isAbortError } from '../core/errors';
import { oneLine } from '../core/text';
import type { AgentActions, Confirmation } from './actions';
import { sessionOf } from './chatBudget';
import { TOOL_NAMES, type ToolName } from './inputs';

// GenDeck's language-model tools (package.json `contributes.languageModelTools`), one per action, registered with
// vscode.lm.registerTool over AgentActions. A spending tool's prepareInvocation checks the input and the caps and
// returns a confirmation naming the provider, the model, tool or worker and the estimate; errors become one sentence
// the model can act on (keys redacted).

/** A confirmation as Markdown whose every line is text (escaped): a provider's words never become links or markup. */
function confirmationMessage(c: Confirmation): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  c.lines.forEach((line, i) => {
    if (i) md.appendMarkdown('\n\n');
    md.appendText(line);
  });
  return md;
}

/** An AbortSignal that follows the editor's cancellation token. */
function signalOf(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  if (token.isCancellationRequested) ac.abort();
  const sub = token.onCancellationRequested(() => ac.abort());
  return { signal: ac.signal, dispose: () => sub.dispose() };
}

/** One sentence for the model (and the chat view); a cancellation stays a cancellation. */
function toolError(err: unknown, token: vscode.CancellationToken): Error {
  if (token.isCancellationRequested || isAbortError(err)) return new vscode.CancellationError();
  return new Error(oneLine(describeError(err), 1000));
}

function tool(actions: AgentActions, name: ToolName, log: (line: string) => void): vscode.LanguageModelTool<unknown> {
  return {
    async prepareInvocation(options, token) {
      const s = signalOf(token);
      try {
        const p = await actions.prepare(name, options.input, { session: sessionOf(options), signal: s.signal });
        return {
          invocationMessage: p.invocation,
          confirmationMessages: p.confirmation && {
            title: p.confirmation.title,
            message: confirmationMessage(p.confirmation),
          },
        };
      } catch (err) {
        log(`Agent tool ${name} refused before confirmation: ${describeError(err)}`);
        throw toolError(err, token);
      } finally {
        s.dispose();
      }
    },
    async invoke(options, token) {
      const s = signalOf(token);
      try {
        const result = await actions.invoke(name, options.input, { session: sessionOf(options), signal: s.signal });
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(result, null, 2))]);
      } catch (err) {
        log(`Agent tool ${name} failed: ${describeError(err)}`);
        throw toolError(err, token);
      } finally {
        s.dispose();
      }
    },
  };
}

/** Every tool GenDeck contributes, by name (the shell registered a stand-in for each at activation). */
export function toolsOf(
  actions: AgentActions,
  log: (line: string) => void,
): ReadonlyMap<string, vscode.LanguageModelTool<object>> {
  return new Map(TOOL_NAMES.map((name) => [name, tool(actions, name, log) as vscode.LanguageModelTool<object>]));
}
