// The schema form page: wires the shared form component to the host's messages.
import type { FormState, FormToHost, HostToForm } from '../../webview/protocol';
import { onHostMessage, vscodeApi } from '../dom';
import { renderSchemaForm, type FormView } from './renderForm';
import '../style.css';
import './form.css';

const vscode = vscodeApi<FormState>();
const app = document.getElementById('app')!;
const send = (m: FormToHost) => vscode.postMessage(m);

let view: FormView | undefined;
let priceTimer: ReturnType<typeof setTimeout> | undefined;

function onChange(values: Record<string, unknown>): void {
  vscode.setState({ values });
  if (priceTimer) clearTimeout(priceTimer);
  // Ask for a new price only once typing pauses.
  priceTimer = setTimeout(() => send({ type: 'changed', values }), 400);
}

onHostMessage<HostToForm>((msg) => {
  switch (msg?.type) {
    case 'init': {
      // After the page was hidden and shown again, keep what the user had typed.
      const kept = vscode.getState()?.values;
      const init = kept ? { ...msg.init, values: kept } : msg.init;
      view = renderSchemaForm(app, init, msg.files, {
        onChange,
        onPickFile: (field, kinds, index) => send({ type: 'pickFile', field, kinds, index }),
        onSubmit: (values) => send({ type: 'submit', values }),
        onCancel: () => send({ type: 'cancel' }),
      });
      if (init.priced) send({ type: 'changed', values: view.read().values });
      return;
    }
    case 'price':
      return view?.setPrice(msg.text, msg.pending, msg.error);
    case 'fileChosen':
      return view?.setFile(msg.field, msg.index, msg.file);
    case 'errors':
      return view?.setErrors(msg.fields, msg.message);
    case 'busy':
      return view?.setBusy(msg.busy, msg.message);
    case 'done':
      return view?.setDone(msg.message);
  }
});

send({ type: 'ready' });
