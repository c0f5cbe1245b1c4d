// The app store (zustand, vanilla): workspace, import report, focus level, selection; named actions.
import { createStore } from 'zustand/vanilla';
import type { AnalysisSummary } from '../analysis/types';
import { bestFocus } from '../graph/strips';
import { currentWorkspace } from '../model/history';
import type { Workspace } from '../model/types';
import { type Engine, EngineStopped } from '../worker/client';
import { dragActions, editActions } from './edit-actions';
import { loadActions } from './load-actions';
import type { AppState, StoreKit } from './state';
import { focusWith, viewActions } from './view-actions';

export type { AppState, DragState, RevealOrder, RevealRequest, Selection, Theme } from './state';
export { analysisProgressText, dragCommand } from './state';

export type AppStore = ReturnType<typeof createAppStore>;

/**
 * Analyses the page keeps: the current workspace's and the one before (a drop and its undo, an undo
 * and its redo). Each is what the engine answered for that very workspace object (workspaces are
 * immutable and the history keeps each state as one object), so it is shown again at once: no
 * request, no copy of a whole analysis into the page (at 10,000 services its decoding and garbage
 * took 30–50 ms of the undo's tasks), no "analysing" in between.
 */
const KEPT_ANALYSES = 2;

/** The state of a page that has loaded nothing yet. */
const initialState = (): Omit<AppState, keyof ReturnType<typeof actionsOf>> => ({
  workspace: null,
  analysis: null,
  expanded: new Set<string>(),
  autoFocus: true,
  revealOrder: null,
  showExcess: false,
  theme: 'light',
  search: '',
  scope: null,
  loads: 0,
  history: null,
  editError: null,
  readOnly: null,
  notice: null,
  drag: null,
  report: null,
  focus: 'group',
  selection: {},
  busy: null,
  analysisProgress: null,
  pendingLoads: 0,
});

const actionsOf = (k: StoreKit, ready: Promise<void> | undefined) => ({
  ...loadActions(k, ready),
  ...viewActions(k),
  ...editActions(k),
  ...dragActions(k),
});

export interface StoreOptions {
  /** Loads asked for before this resolves wait for it (the app's start). */
  ready?: Promise<void>;
  /**
   * A load's new workspace, told after the engine was given it and before its analysis is asked for
   * (the autosave has the engine write it: src/store/persist.ts).
   */
  onLoad?(ws: Workspace): void;
}

export const createAppStore = (engine: Engine, opts: StoreOptions = {}) =>
  createStore<AppState>()((set, get) => {
    const kept = new Map<Workspace, AnalysisSummary>();
    const keep = (ws: Workspace, analysis: AnalysisSummary) => {
      kept.delete(ws);
      kept.set(ws, analysis);
      for (const old of kept.keys()) if (kept.size > KEPT_ANALYSES) kept.delete(old);
    };
    /**
     * Make `ws` the current workspace with its analysis: a kept one at once, else pending. The engine
     * is asked first, so the worker analyses while the main thread draws; a stale answer is dropped by
     * setAnalysis.
     */
    const publish = (ws: Workspace, rest: Partial<AppState>) => {
      const known = kept.get(ws);
      if (known) {
        set({
          ...rest,
          workspace: ws,
          analysis: known,
          analysisProgress: null,
          ...focusWith({ ...get(), ...rest }, ws, known),
        });
        return;
      }
      engine
        .analyze()
        .then((analysis) => get().setAnalysis(ws, analysis))
        .catch((e: Error) => {
          // A stopped engine is restarted and asked again (engineRestarted); nothing to report here.
          if (!(e instanceof EngineStopped)) set({ editError: `analysis failed: ${e.message}` });
        });
      set({ ...rest, workspace: ws, analysis: null, analysisProgress: null });
    };
    // Progress reports belong to the analysis pending now; one that lands clears them (setAnalysis).
    engine.onProgress((p) => {
      if (get().analysis === null) set({ analysisProgress: p.fraction });
    });
    const fresh = (ws: Workspace): Partial<AppState> => ({
      expanded: new Set(),
      // Focus follows the data: the band with the most populated segments (ties: findings, later).
      focus: bestFocus(ws),
      autoFocus: true,
      selection: {},
      drag: null,
      loads: get().loads + 1,
    });
    const kit: StoreKit = {
      set,
      get,
      engine,
      publish,
      fresh,
      commit: (history, step, rest = {}) => {
        if (step?.type === 'load') opts.onLoad?.(step.workspace);
        publish(currentWorkspace(history), {
          ...(step?.type === 'load' ? fresh(currentWorkspace(history)) : {}),
          ...rest,
          history,
          editError: null,
        });
      },
      refused: () => {
        const why = get().readOnly;
        if (why) set({ editError: why });
        return why !== null;
      },
      keep,
    };
    return { ...initialState(), ...actionsOf(kit, opts.ready) };
  });
