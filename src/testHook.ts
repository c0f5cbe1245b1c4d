// window.segscope: the stable test hook of DESIGN.md (load, workspace, cy; more as features land).
import type { Core } from 'cytoscape';
import type { AnalysisSummary, PairVerdict } from './analysis/types';
import type { GraphView } from './graph/adapter';
import type { PlanMarks } from './graph/plan-marks';
import type { FileInput, ImportReport } from './import/types';
import type { Level, Workspace } from './model/types';
import type { AppStore, Selection } from './store/store';
import type { Engine } from './worker/client';
import type { PreviewDelta } from './worker/core';

export interface MoveArg {
  service: string;
  level: Level;
  from: string | null;
  to: string | null;
}

export interface SegscopeHook {
  load(files: FileInput[]): Promise<ImportReport>;
  workspace(): Workspace | null;
  /** The analysis of the current workspace (waits for edits in flight), once its verdicts are drawn. */
  analysis(): Promise<AnalysisSummary>;
  reach(from: string, to: string, port?: number): Promise<PairVerdict>;
  /** The delta a drag would show; `from: null` adds a membership, `to: null` removes one. */
  preview(move: MoveArg): Promise<PreviewDelta>;
  /** Apply the move (undoable); resolves to whether it applied. */
  move(move: MoveArg): Promise<boolean>;
  undo(): boolean;
  redo(): boolean;
  readonly cy: Core | undefined;
  /** The focused level (the band drawn in the canvas). */
  focus(): Level;
  /** What is selected: a service, a segment, a call (index into workspace().calls). */
  selection(): Selection;
  /** The last reveal the canvas has finished framing (its sequence number; 0 before any). */
  revealed(): number;
  /** Select a service and reveal it (expand what holds it, frame it readably); resolves once framed. */
  reveal(serviceId: string): Promise<boolean>;
  /** Open / fold a unit of the focused band drawn as summaries (a segment id, a context segment id or a bucket id, as in node data `unit`); resolves once drawn. */
  expand(segmentId: string): Promise<boolean>;
  collapse(segmentId: string): Promise<boolean>;
  /** The plan under preview (a fix, a tightened level, a proposal's step) and what it marks on the graph; null when none. */
  plan(): { kind: string; title: string; marks: PlanMarks | null } | null;
}

/** Where the hook reads the plan under preview: the app registers it once its plan store exists. */
let planSource: () => ReturnType<SegscopeHook['plan']> = () => null;
export const setPlanSource = (source: () => ReturnType<SegscopeHook['plan']>): void => {
  planSource = source;
};

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/** Resolve once `done()` holds, checking every frame (at most ~10 s). */
const until = async (done: () => boolean): Promise<boolean> => {
  for (let i = 0; i < 600; i++) {
    if (done()) return true;
    await frame();
  }
  return done();
};

declare global {
  interface Window {
    segscope: SegscopeHook;
  }
}

export const installTestHook = (
  store: AppStore,
  engine: Engine,
  getView: () => GraphView | undefined,
): SegscopeHook => {
  // Open or fold a unit of the focused band (a segment, a context, a bucket) as a click does.
  const setExpanded = async (key: string, open: boolean) => {
    const view = getView();
    const { expanded } = store.getState();
    const next = view ? view.foldChange(expanded, key, open) : new Set(expanded);
    if (!view) {
      if (open) next.add(key);
      else next.delete(key);
    }
    store.getState().setExpanded(next);
    await frame();
    await getView()?.settled();
    return view ? view.isOpen(key) === open : store.getState().expanded.has(key) === open;
  };
  const hook: SegscopeHook = {
    // Resolves once the band is drawn whole (a large band is fed to cytoscape over frames).
    load: async (files) => {
      const report = await store.getState().importFiles(files);
      await getView()?.settled();
      return report;
    },
    // A deep copy: callers get plain JSON and cannot mutate the store.
    workspace: () => {
      const ws = store.getState().workspace;
      return ws ? (JSON.parse(JSON.stringify(ws)) as Workspace) : null;
    },
    // The engine answers in request order, so this reflects every edit made before the call; it
    // resolves once the verdicts are drawn too (they are drawn in short tasks of their own).
    analysis: async () => {
      const analysis = await engine.analyze();
      await getView()?.settled();
      return analysis;
    },
    reach: (from, to, port) => engine.reach(from, to, port),
    preview: (m) => engine.preview({ type: 'moveService', ...m }),
    move: async (m) => store.getState().apply({ type: 'moveService', ...m }),
    undo: () => store.getState().undo(),
    redo: () => store.getState().redo(),
    get cy() {
      return getView()?.cy;
    },
    focus: () => store.getState().focus,
    selection: () => ({ ...store.getState().selection }),
    revealed: () => getView()?.revealed ?? 0,
    reveal: async (serviceId) => {
      store.getState().select({ serviceId });
      const seq = store.getState().reveal({ serviceIds: [serviceId] });
      if (seq === 0) return false;
      return until(() => (getView()?.revealed ?? 0) >= seq);
    },
    expand: (segmentId) => setExpanded(segmentId, true),
    collapse: (segmentId) => setExpanded(segmentId, false),
    plan: () => planSource(),
  };
  window.segscope = hook;
  return hook;
};
