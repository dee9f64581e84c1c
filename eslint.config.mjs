import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Every user-facing string goes through VS Code's localization (vscode.l10n.t in the editor, @vscode/l10n in the
// core): a message, a button, a quick pick or input box text, or a progress title written as a plain string is
// flagged. `l10n.t` takes its message as a literal, or `npm run l10n` cannot export it.
const showMessage = 'CallExpression[callee.property.name=/^show(Information|Warning|Error)Message$/]';
const quickInput = 'CallExpression[callee.property.name=/^show(QuickPick|InputBox|OpenDialog|SaveDialog)$/]';
const plain = ':matches(Literal[value=/[A-Za-z]/], TemplateLiteral)';
const l10nRules = [
  {
    selector: `${showMessage} > ${plain}.arguments`,
    message: 'A message or button shown to the user goes through vscode.l10n.t(...).',
  },
  {
    selector: `${showMessage} > ObjectExpression.arguments > Property[key.name='detail'] > ${plain}.value`,
    message: "A modal's detail goes through vscode.l10n.t(...).",
  },
  {
    selector: `${quickInput} > ObjectExpression.arguments > Property[key.name=/^(title|prompt|placeHolder|openLabel|saveLabel)$/] > ${plain}.value`,
    message: 'Quick pick, input box and dialog texts go through vscode.l10n.t(...).',
  },
  {
    selector: `CallExpression[callee.property.name='withProgress'] > ObjectExpression.arguments > Property[key.name='title'] > ${plain}.value`,
    message: 'A progress title goes through vscode.l10n.t(...).',
  },
  {
    selector:
      "CallExpression[callee.property.name='t']:matches([callee.object.name='l10n'], [callee.object.property.name='l10n'])[arguments.0.type!='Literal'][arguments.0.type!='ObjectExpression']",
    message:
      "l10n.t takes its message as a string literal with {0} placeholders (`l10n.t('Saved {0}.', n)`), so npm run l10n can export it.",
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'media/**', 'test/e2e/**', 'bench/tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/webview-ui/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The workbench driver's page.evaluate callbacks run in the browser.
    files: ['scripts/e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/sandbox/**', 'src/webview-ui/**'],
    rules: { 'no-restricted-syntax': ['error', ...l10nRules] },
  },
  {
    // The pages look their strings up the same way (webview-ui/l10n.ts).
    files: ['src/webview-ui/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', l10nRules[l10nRules.length - 1]] },
  },
  {
    // The core and the sandbox run in plain Node: the editor API is off limits there.
    files: ['src/core/**/*.ts', 'src/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'src/core and src/sandbox must not depend on the editor.' }] },
      ],
    },
  },
);
