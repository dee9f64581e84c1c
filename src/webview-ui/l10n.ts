// The page's strings in the editor's language. The host writes VS Code's bundle for this extension into the page
// (`<script type="application/json" id="gendeck-l10n">`, see webview/html.ts; absent in English) and this module,
// imported first by every page, hands it to @vscode/l10n before any text is made. Pages call `l10n.t` as the host
// does, so `npm run l10n` exports their strings into the same bundle.
import * as l10n from '@vscode/l10n';

const data = document.getElementById('gendeck-l10n')?.textContent;
if (data) {
  try {
    l10n.config({ contents: JSON.parse(data) as Record<string, string> });
  } catch {
    // A bundle that does not parse leaves the page in English.
  }
}
