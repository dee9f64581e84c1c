// The schema form page: wires the shared form component to the host's messages.
import '../l10n';
import * as l10n from '@vscode/l10n';
import type { MediaKind } from '../../core/forms/schemaForm';
import type { FormAnswers, FormState, FormToHost, HostToForm } from '../../webview/protocol';
import { onHostMessage, vscodeApi } from '../dom';
import { hostRequests, type HostError } from '../requests';
import { renderSchemaForm, type FormView } from './renderForm';
import '../style.css';
import './form.css';

const vscode = vscodeApi<FormState>();
const app = document.getElementById('app')!;
const send = (m: FormToHost) => vscode.postMessage(m);
const host = hostRequests<FormToHost, FormAnswers>(send);

let view: FormView | undefined;
let priced = false;
let priceTimer: ReturnType<typeof setTimeout> | undefined;
/** The latest price request; an answer to an earlier one is stale. */
let priceAsked = 0;

async function askPrice(values: Record<string, unknown>): Promise<void> {
  const mine = ++priceAsked;
  view?.setPrice(l10n.t('Checking the price…'), true);
  try {
    const text = await host.ask('price', { values });
    if (mine === priceAsked) view?.setPrice(text);
  } catch (err) {
    if (mine === priceAsked) view?.setPrice(l10n.t('Price unavailable: {0}', (err as HostError).message), false, true);
  }
}

function onChange(values: Record<string, unknown>, priceable: boolean): void {
  vscode.setState({ values });
  if (!priced) return;
  if (priceTimer) clearTimeout(priceTimer);
  if (!priceable) {
    // Input that cannot be sent has no price: an answer still on its way is stale too.
    priceAsked++;
    view?.setPrice(l10n.t('The price is shown once the marked fields are fixed.'), false, true);
    return;
  }
  // Ask for a new price only once typing pauses.
  priceTimer = setTimeout(() => void askPrice(values), 400);
}

async function pickFile(field: string, kinds: MediaKind[], index?: number): Promise<void> {
  try {
    const file = await host.ask('pickFile', { field, kinds, index });
    if (file) view?.setFile(field, index, file);
  } catch (err) {
    view?.setErrors({ [field]: (err as HostError).message });
  }
}

async function submit(values: Record<string, unknown>): Promise<void> {
  view?.setBusy(true, l10n.t('Sending…'));
  try {
    view?.setDone(await host.ask('submit', { values }));
  } catch (err) {
    view?.setErrors((err as HostError).fields, (err as HostError).message);
    view?.setBusy(false);
  }
}

onHostMessage<HostToForm>((msg) => {
  switch (msg?.type) {
    case 'init': {
      // After the page was hidden and shown again, keep what the user had typed.
      const kept = vscode.getState()?.values;
      const init = kept ? { ...msg.init, values: kept } : msg.init;
      priced = init.priced;
      view = renderSchemaForm(app, init, msg.files, {
        onChange,
        onPickFile: (field, kinds, index) => void pickFile(field, kinds, index),
        onSubmit: (values) => void submit(values),
        onCancel: () => send({ type: 'cancel' }),
      });
      if (priced) {
        if (view.priceable()) void askPrice(view.read().values);
        else view.setPrice(l10n.t('The price is shown once the marked fields are fixed.'), false, true);
      }
      return;
    }
    case 'reply':
      return host.settle(msg);
  }
});

send({ type: 'ready' });
