// The one edit history: the workspace as first loaded and the steps since; every other workspace is derived.
//
// The store, the engine worker and the autosave all hold this same plain value and change it only
// with these functions, so they cannot disagree about what "undo" means. A step is an edit command
// or a load (a file, a sample, New): loading is undoable like any edit, so nothing is replaced
// for good. The workspaces between steps are derived by replaying and cached per base.
import { applyCommand, type Command, CommandError, describeCommand } from './commands';
import type { Workspace } from './types';

/** Opening files, a sample or New: the whole workspace is replaced, undoably. */
export interface LoadStep {
  type: 'load';
  workspace: Workspace;
  /** What was opened, for the history panel ("shop.yaml", "sample Shop estate", "New"). */
  label: string;
  /** The same workspace with one analysis setting changed (View menu): the panel says "set …", not "open …". */
  setting?: true;
}

export type Step = Command | LoadStep;

export interface History {
  readonly base: Workspace;
  /** Applied steps, oldest first. */
  readonly past: readonly Step[];
  /** Undone steps, the next one to redo first. */
  readonly future: readonly Step[];
}

/** Loaded workspaces kept (the base included): older ones are forgotten, so a long session does not keep every file it opened. */
export const MAX_LOADS = 8;

export const newHistory = (base: Workspace): History => ({ base, past: [], future: [] });

export const applyStep = (ws: Workspace, step: Step): Workspace =>
  step.type === 'load' ? step.workspace : applyCommand(ws, step);

export const describeStep = (ws: Workspace, step: Step): string =>
  step.type === 'load' ? `${step.setting ? 'set' : 'open'} ${step.label}` : describeCommand(ws, step);

/** The steps in order, undone ones included: undo and redo only move the cursor along it. */
const stepAt = (h: History, i: number): Step | undefined =>
  i < h.past.length ? h.past[i] : h.future[i - h.past.length];

/**
 * Replayed workspaces per base: entry i is the state after step i. An entry is reused while the
 * step at its position is the same object, so undo, redo and a new edit replay at most one step.
 */
const replayed = new WeakMap<Workspace, { step: Step; after: Workspace }[]>();

/** The workspace after the first `n` steps (0 is the base). Throws CommandError when a step does not apply. */
export const workspaceAt = (h: History, n: number): Workspace => {
  let chain = replayed.get(h.base);
  if (!chain) {
    chain = [];
    replayed.set(h.base, chain);
  }
  let ws = h.base;
  for (let i = 0; i < n; i++) {
    const step = stepAt(h, i);
    if (!step) throw new CommandError(`history has no step ${i + 1}`);
    const known = chain[i];
    if (known?.step === step) {
      ws = known.after;
      continue;
    }
    chain.length = i;
    ws = applyStep(ws, step);
    chain.push({ step, after: ws });
  }
  return ws;
};

export const currentWorkspace = (h: History): Workspace => workspaceAt(h, h.past.length);

/** Keep at most MAX_LOADS workspaces: everything before the oldest kept load is dropped, that load becomes the base. */
const forgetOldLoads = (h: History): History => {
  const loads = h.past.flatMap((s, i) => (s.type === 'load' ? [i] : []));
  if (loads.length < MAX_LOADS) return h;
  const keep = loads[loads.length - MAX_LOADS + 1] as number;
  const base = (h.past[keep] as LoadStep).workspace;
  return { base, past: h.past.slice(keep + 1), future: h.future };
};

/** Apply a step after the current one; undone steps are dropped. Throws CommandError when it does not apply. */
export const record = (h: History, step: Step): History => {
  const after = applyStep(currentWorkspace(h), step); // throws before anything changes
  const chain = replayed.get(h.base);
  if (chain) {
    chain.length = h.past.length;
    chain.push({ step, after });
  }
  return forgetOldLoads({ base: h.base, past: [...h.past, step], future: [] });
};

/** Record a step; the page's first load (no history yet) starts one, with nothing to undo. */
export const recordStep = (h: History | null, step: Step): History => {
  if (h) return record(h, step);
  if (step.type !== 'load') throw new CommandError('no workspace loaded');
  return newHistory(step.workspace);
};

export const canUndo = (h: History | null): boolean => (h?.past.length ?? 0) > 0;
export const canRedo = (h: History | null): boolean => (h?.future.length ?? 0) > 0;

/** Take back the last step; null when there is none. */
export const undo = (h: History): History | null => {
  const last = h.past.at(-1);
  return last ? { base: h.base, past: h.past.slice(0, -1), future: [last, ...h.future] } : null;
};

/** Re-apply the next undone step; null when there is none. */
export const redo = (h: History): History | null => {
  const next = h.future[0];
  return next ? { base: h.base, past: [...h.past, next], future: h.future.slice(1) } : null;
};

/** One line per step for the history panel: done steps first, then the undone ones. */
export const historyLines = (h: History): { label: string; undone: boolean; load: boolean }[] => {
  const out: { label: string; undone: boolean; load: boolean }[] = [];
  const n = h.past.length + h.future.length;
  for (let i = 0; i < n; i++) {
    const step = stepAt(h, i) as Step;
    out.push({ label: describeStep(workspaceAt(h, i), step), undone: i >= h.past.length, load: step.type === 'load' });
  }
  return out;
};

/** The workspace as last loaded and the edits made since (the change plan's input). */
export const editsSinceLoad = (h: History): { base: Workspace; edits: Command[] } => {
  let base = h.base;
  let edits: Command[] = [];
  for (const step of h.past) {
    if (step.type === 'load') {
      base = step.workspace;
      edits = [];
    } else edits.push(step);
  }
  return { base, edits };
};

/**
 * The longest prefix of the steps that still applies (a saved history read by a newer version):
 * the first step that fails ends it, and every later step is dropped and counted.
 */
export const validHistory = (h: History): { history: History; dropped: number } => {
  const steps = [...h.past, ...h.future];
  let ws = h.base;
  let ok = 0;
  for (const step of steps) {
    try {
      ws = applyStep(ws, step);
      ok++;
    } catch {
      break;
    }
  }
  if (ok === steps.length) return { history: h, dropped: 0 };
  const past = Math.min(ok, h.past.length);
  return {
    history: { base: h.base, past: steps.slice(0, past), future: steps.slice(past, ok) },
    dropped: steps.length - ok,
  };
};
