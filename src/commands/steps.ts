import * as vscode from 'vscode';

// A multi-step input, after VS Code's "multi-step input" sample: one quick pick or input box per step, titled
// "<flow> (n/N): <step>", Back on every step after the first, Escape (or anything that hides it) cancels the whole
// flow. The answers live in one state object: each step reads its default from it and writes its answer to it, so a
// step shown again after Back, or a flow started from earlier answers (Run Again), starts from those answers.

/** How a step ended: answered, Back, cancelled, or asked again (an answer that needed more and did not get it). */
export type StepOutcome = 'next' | 'back' | 'cancel' | 'again';

/** What the runner gives a step: its title, whether Back applies, and `show`, which replaces the input shown. */
export interface StepFrame {
  title: string;
  back: boolean;
  show(input: vscode.QuickInput): void;
}

export interface Step<S> {
  /** Its name in the title ("Model"); a function when it says something about the answers so far. */
  name: string | ((s: S) => string);
  /** Not asked for these answers, and not counted in N. Reads earlier answers only. */
  skip?: (s: S) => boolean;
  ask(s: S, frame: StepFrame): Promise<StepOutcome>;
}

export interface Flow<S> {
  /** "New Seedancee2 video"; a function when it names an earlier answer (the job a step is for). */
  title: string | ((s: S) => string);
  steps: Step<S>[];
}

const text = <S>(v: string | ((s: S) => string), s: S) => (typeof v === 'function' ? v(s) : v);

/**
 * Asks the steps in order; returns the state with every answer, or undefined when the user cancelled. Each step's
 * number and the total count only the steps not skipped for the answers given so far, so N is what this flow asks.
 */
export async function runSteps<S>(flow: Flow<S>, state: S): Promise<S | undefined> {
  const { steps } = flow;
  const asked = (i: number) => !steps[i].skip?.(state);
  const from = (i: number) => {
    while (i < steps.length && !asked(i)) i++;
    return i;
  };
  const history: number[] = [];
  let current: vscode.QuickInput | undefined;
  const frame = (i: number): StepFrame => {
    const counted = steps.filter((_, j) => asked(j));
    const n = counted.indexOf(steps[i]) + 1;
    return {
      title: vscode.l10n.t(
        '{0} ({1}/{2}): {3}',
        text(flow.title, state),
        n,
        counted.length,
        text(steps[i].name, state),
      ),
      back: history.length > 0,
      show(input) {
        // The next input replaces the last one only once it is ready, so nothing flickers between steps.
        current?.dispose();
        current = input;
        input.show();
      },
    };
  };
  try {
    for (let i = from(0); i < steps.length;) {
      const outcome = await steps[i].ask(state, frame(i));
      if (outcome === 'cancel') return undefined;
      if (outcome === 'back') i = history.pop() ?? i;
      else if (outcome === 'next') {
        history.push(i);
        i = from(i + 1);
      }
    }
    return state;
  } finally {
    current?.dispose();
  }
}

/** Settles a step once: the first of accept, Back, hide or a failed accept wins, and the input's listeners go. */
function once(subs: vscode.Disposable[], resolve: (o: StepOutcome) => void, reject: (err: unknown) => void) {
  let settled = false;
  const end = () => {
    if (settled) return false;
    settled = true;
    subs.forEach((d) => d.dispose());
    return true;
  };
  return {
    done: (o: StepOutcome) => end() && resolve(o),
    fail: (err: unknown) => end() && reject(err),
  };
}

export interface PickStepOptions<S, T extends vscode.QuickPickItem> {
  name: string | ((s: S) => string);
  skip?: (s: S) => boolean;
  placeholder?: string | ((s: S) => string);
  /** The rows. With `typed`, the rows for what is typed (the number pick), else VS Code filters them. */
  items(s: S, typed?: string): T[];
  /** Rows are computed from the typed text instead of filtered by it. */
  typed?: boolean;
  /** The label of the current answer, pre-selected. */
  selected?: (s: S) => string | undefined;
  matchOnDescription?: boolean;
  /** A row that only says why what was typed cannot be taken: Enter on it does nothing. */
  refuse?(item: T): boolean;
  /** Takes the answer into the state; `false` asks this step again (e.g. a file dialog the user dismissed). */
  accept(item: T, s: S): boolean | void | Promise<boolean | void>;
}

export function pickStep<S, T extends vscode.QuickPickItem>(o: PickStepOptions<S, T>): Step<S> {
  return {
    name: o.name,
    skip: o.skip,
    ask: (s, frame) =>
      new Promise((resolve, reject) => {
        const qp = vscode.window.createQuickPick<T>();
        qp.title = frame.title;
        qp.placeholder = o.placeholder === undefined ? undefined : text(o.placeholder, s);
        qp.ignoreFocusOut = true;
        qp.matchOnDescription = o.matchOnDescription ?? false;
        qp.buttons = frame.back ? [vscode.QuickInputButtons.Back] : [];
        const fill = (typed: string) => {
          qp.items = o.items(s, o.typed ? typed : undefined);
          const earlier = o.selected?.(s);
          const row = qp.items.find((x) => x.label === earlier);
          if (row) qp.activeItems = [row];
        };
        fill('');
        let accepting = false;
        const subs: vscode.Disposable[] = [];
        const { done, fail } = once(subs, resolve, reject);
        subs.push(
          qp.onDidTriggerButton((b) => {
            if (b === vscode.QuickInputButtons.Back) done('back');
          }),
          qp.onDidAccept(async () => {
            const item = qp.selectedItems[0] ?? qp.activeItems[0];
            if (!item || accepting || o.refuse?.(item)) return;
            accepting = true; // what `accept` opens (a file dialog) may hide this pick: that is no cancel
            qp.busy = true;
            qp.enabled = false;
            try {
              done((await o.accept(item, s)) === false ? 'again' : 'next');
            } catch (err) {
              fail(err);
            }
          }),
          qp.onDidHide(() => {
            if (!accepting) done('cancel');
          }),
        );
        if (o.typed) subs.push(qp.onDidChangeValue(fill));
        frame.show(qp);
      }),
  };
}

export interface TextStepOptions<S> {
  name: string | ((s: S) => string);
  skip?: (s: S) => boolean;
  prompt: string | ((s: S) => string);
  placeholder?: string;
  /** The current answer, filled in. */
  value(s: S): string | undefined;
  /** Why this text cannot be taken: shown as it is typed; Enter does nothing while it holds. */
  validate?(value: string, s: S): string | undefined;
  accept(value: string, s: S): void;
}

export function textStep<S>(o: TextStepOptions<S>): Step<S> {
  return {
    name: o.name,
    skip: o.skip,
    ask: (s, frame) =>
      new Promise((resolve, reject) => {
        const box = vscode.window.createInputBox();
        box.title = frame.title;
        box.prompt = text(o.prompt, s);
        box.placeholder = o.placeholder;
        box.value = o.value(s) ?? '';
        box.ignoreFocusOut = true;
        box.buttons = frame.back ? [vscode.QuickInputButtons.Back] : [];
        const check = (v: string) => (box.validationMessage = o.validate?.(v, s));
        // A filled-in answer is checked at once; an empty box only says what is wrong once typed in or Enter.
        if (box.value) check(box.value);
        const subs: vscode.Disposable[] = [];
        const { done } = once(subs, resolve, reject);
        subs.push(
          box.onDidChangeValue(check),
          box.onDidTriggerButton((b) => {
            if (b === vscode.QuickInputButtons.Back) done('back');
          }),
          box.onDidAccept(() => {
            if (check(box.value)) return;
            o.accept(box.value, s);
            box.busy = true;
            box.enabled = false;
            done('next');
          }),
          box.onDidHide(() => done('cancel')),
        );
        frame.show(box);
      }),
  };
}
