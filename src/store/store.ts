// The app store (zustand, vanilla): workspace, import report, focus level, selection; named actions.
import { createStore } from 'zustand/vanilla';
import type { AnalysisSummary, CallVerdict, PairVerdict } from '../analysis/types';
import type { Scope } from '../graph/elements';
import { bestFocus, bestMatch } from '../graph/strips';
import { type FileInput, type ImportReport, unreadFileReport } from '../import/types';
import type { Command, MoveCommand } from '../model/commands';
import { currentWorkspace, type History, recordStep, redo, type Step, undo } from '../model/history';
import type { Level, Protocol, Workspace } from '../model/types';
import { type Engine, EngineStopped } from '../worker/client';
import type { PreviewDelta } from '../worker/core';
import { latestWins } from '../worker/latest';

export interface Selection {
  serviceId?: string;
  segmentId?: string;
  callIndex?: number;
}

export type Theme = 'light' | 'dark';

/** What to bring into view: services and/or segments, on a level (default: the focused one if it has them). */
export interface RevealRequest {
  serviceIds?: string[];
  segmentIds?: string[];
  level?: Level;
  /** Frame every service and segment named, titles included (a lesson step), not the services alone. */
  whole?: boolean;
}

/** A reveal the canvas is asked to carry out; seq grows with every request. */
export interface RevealOrder {
  serviceIds: string[];
  segmentIds: string[];
  level: Level;
  seq: number;
  whole?: boolean;
}

/** A drag (or a keyboard move) in progress: discrete state only, never per-frame pointer data. */
export interface DragState {
  service: string;
  level: Level;
  from: string;
  target: string | null;
  /** move: leave `from` for `target`; add: keep `from` and join `target` too (Shift). */
  mode: 'move' | 'add';
  /** The what-if delta for the current target; null while it is computed or when there is no target. */
  delta: PreviewDelta | null;
  /** Grows with every drag and target change: an answer for an earlier one is stale and never shown. */
  seq: number;
}

/** The move command a drag state stands for, or null without a target. */
export const dragCommand = (d: DragState): MoveCommand | null =>
  d.target === null
    ? null
    : { type: 'moveService', service: d.service, level: d.level, from: d.mode === 'add' ? null : d.from, to: d.target };

export interface AppState {
  workspace: Workspace | null;
  /** Analysis of the current workspace; null while it is being computed. */
  analysis: AnalysisSummary | null;
  /** How far the pending analysis is (0–1), reported by the engine once it runs longer than 300 ms; else null. */
  analysisProgress: number | null;
  /** Segments expanded in a band drawn as summaries (by a click or a reveal). */
  expanded: ReadonlySet<string>;
  /** The focus was picked from the data (not by the user): a better pick may replace it. */
  autoFocus: boolean;
  /** The last reveal asked of the canvas. */
  revealOrder: RevealOrder | null;
  showExcess: boolean;
  theme: Theme;
  /** Current search text; matches are highlighted in the graph. */
  search: string;
  /** Show one account or namespace only. */
  scope: Scope | null;
  /** Increments on every load (import, restore): the view refits and replaces everything. */
  loads: number;
  /** Every load and edit of this page (src/model/history.ts); `workspace` is always its current state. */
  history: History | null;
  /** Last edit refused (invalid command), shown to the user. */
  editError: string | null;
  /** Set when this page may not change the workspace (it is open in another tab): why, for the user. */
  readOnly: string | null;
  /** Something the user should know that is not an error of theirs (the engine was restarted…). */
  notice: string | null;
  drag: DragState | null;
  /** Report of the last import, kept even when the import failed and the workspace stayed. */
  report: ImportReport | null;
  focus: Level;
  selection: Selection;
  busy: string | null;
  /** Loads asked for and not finished (one made during the start makes the start skip its sample). */
  pendingLoads: number;
  /** Read files and open them as one workspace (undoable); `atStart` is the app's own start (no waiting for it). */
  importFiles(files: FileInput[], opts?: { atStart?: boolean; label?: string }): Promise<ImportReport>;
  /** Open a workspace already in hand (New, or the same one with a setting changed): an undoable load step. */
  setWorkspace(ws: Workspace, label?: string, opts?: { setting?: true }): void;
  /** Take a whole history (the autosaved session, another tab's): the view starts afresh. */
  restoreHistory(history: History): void;
  /** The engine was replaced (it stopped, or its work was cancelled): give it the history and analyse again. */
  engineRestarted(reason: 'stopped' | 'cancelled'): void;
  /** Stop the reading or analysing in progress; a load being analysed is taken back. */
  cancel(): void;
  setReadOnly(reason: string | null): void;
  setFocus(level: Level): void;
  select(selection: Selection): void;
  setAnalysis(workspace: Workspace, analysis: AnalysisSummary): void;
  toggleSegment(segmentId: string): void;
  /** The units opened in a band drawn as summaries (the graph decides what a fold change drops). */
  setExpanded(expanded: ReadonlySet<string>): void;
  /**
   * Bring services or segments into view: focus a band holding them, expand what contains them and
   * frame them readably (Findings, Hubs, the inspector, search + Enter and the strips call this).
   * Returns the order's seq, or 0 when nothing can be shown.
   */
  reveal(request: RevealRequest): number;
  /** Search + Enter: select the best match for the text and reveal it. Returns whether one was found. */
  revealSearch(text: string): boolean;
  setShowExcess(show: boolean): void;
  setTheme(theme: Theme): void;
  setSearch(text: string): void;
  setScope(scope: Scope | null): void;
  /** Apply an edit command (undoable). Returns false and sets editError when refused. */
  apply(command: Command): boolean;
  undo(): boolean;
  redo(): boolean;
  dragStart(d: { service: string; level: Level; from: string }): void;
  /** The target under the pointer changed: the delta is requested, latest target wins. */
  dragTarget(target: string | null, mode: 'move' | 'add'): void;
  /** Drop: apply the move for the target (if any). Returns whether something was applied. */
  dragDrop(): boolean;
  dragCancel(): void;
  /** One call's verdict with every level's reason and rule, computed off the main thread. */
  callVerdict(index: number): Promise<CallVerdict | null>;
  /** Each level's verdict for a pair (not necessarily a call), computed off the main thread. */
  reach(from: string, to: string, port?: number, protocol?: Protocol): Promise<PairVerdict>;
  /** The what-if delta of a move, computed off the main thread. */
  preview(move: MoveCommand): Promise<PreviewDelta>;
}

export type AppStore = ReturnType<typeof createAppStore>;

/** The label of a load in the history panel: the file, or how many. */
const loadLabel = (files: FileInput[]) =>
  files.length === 1 ? (files[0]?.name ?? 'file') : `${files.length} files (${files[0]?.name ?? ''}, …)`;

/** A report for files that could not be read at all (the engine failed or the reading was cancelled). */
const failedReport = (files: FileInput[], message: string): ImportReport => ({
  files: files.map((f) => unreadFileReport(f.name)),
  diagnostics: [{ file: files[0]?.name ?? '(input)', line: 1, column: 1, severity: 'error', message }],
  failed: true,
});

/** "Analysing 5,000 services… 42 %" while a long analysis reports progress; null otherwise. */
export const analysisProgressText = (s: Pick<AppState, 'analysisProgress' | 'workspace'>): string | null =>
  s.analysisProgress === null || !s.workspace
    ? null
    : `Analysing ${s.workspace.services.length.toLocaleString('en')} services… ${Math.round(s.analysisProgress * 100)} %`;

export const createAppStore = (engine: Engine, opts: { ready?: Promise<void> } = {}) =>
  createStore<AppState>()((set, get) => {
    /**
     * Make `ws` the current workspace with its analysis pending. The engine is asked first, so the
     * worker analyses while the main thread draws; a stale answer is dropped by setAnalysis.
     */
    const publish = (ws: Workspace, rest: Partial<AppState>) => {
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
    // While dragging, only the newest target's delta is computed (see latestWins), and an answer is
    // shown only while its request is the newest of all drags (the count never goes back).
    const previewLatest = latestWins((move: MoveCommand) => engine.preview(move));
    let dragSeq = 0;
    /** What a new or a restored workspace resets in the view. */
    const fresh = (ws: Workspace): Partial<AppState> => ({
      expanded: new Set(),
      // Focus follows the data: the band with the most populated segments (ties: findings, later).
      focus: bestFocus(ws),
      autoFocus: true,
      selection: {},
      drag: null,
      loads: get().loads + 1,
    });
    /** Publish a new history; a load (or taking one back) redraws the view afresh. */
    const commit = (history: History, step: Step | undefined, rest: Partial<AppState> = {}) =>
      publish(currentWorkspace(history), {
        ...(step?.type === 'load' ? fresh(currentWorkspace(history)) : {}),
        ...rest,
        history,
        editError: null,
      });
    /** Refuse a change in a read-only page, saying why. */
    const refused = () => {
      const why = get().readOnly;
      if (why) set({ editError: why });
      return why !== null;
    };
    const initial: AppState = {
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
      importFiles: async (files, { atStart = false, label } = {}) => {
        const bytes = files.reduce((n, f) => n + (f.unreadBytes ?? f.text.length), 0);
        set({
          pendingLoads: get().pendingLoads + 1,
          busy: `Reading ${files.length} file${files.length === 1 ? '' : 's'} (${(bytes / 1048576).toFixed(1)} MB)…`,
        });
        try {
          // A load made while the app starts waits for the start, then goes on top of what it restored.
          if (!atStart) await opts.ready;
          if (refused()) {
            set({ busy: null });
            return failedReport(files, get().readOnly ?? 'read-only');
          }
          const { workspace, report, importId } = await engine.importFiles(files);
          // A failed import (nothing readable) keeps the previous workspace: the user loses nothing.
          if (report.failed) {
            set({ report, busy: null });
            return report;
          }
          const step: Step = { type: 'load', workspace, label: label ?? loadLabel(files) };
          const history = recordStep(get().history, step);
          void engine.recordImport(importId, step.label).catch(() => undefined);
          commit(history, step, { report, busy: null });
          return report;
        } catch (e) {
          const report = failedReport(
            files,
            e instanceof EngineStopped && e.message === 'cancelled'
              ? 'reading cancelled; the previous workspace is kept'
              : `import failed: ${(e as Error).message}`,
          );
          set({ report, busy: null });
          return report;
        } finally {
          set({ pendingLoads: get().pendingLoads - 1 });
        }
      },
      setWorkspace: (workspace, label = 'New', opts) => {
        if (refused()) return;
        const step: Step = { type: 'load', workspace, label, ...opts };
        const history = recordStep(get().history, step);
        void engine.record(step);
        commit(history, step);
      },
      restoreHistory: (history) => {
        void engine.reset(history);
        commit(history, undefined, fresh(currentWorkspace(history)));
      },
      engineRestarted: (reason) => {
        const { history } = get();
        void engine.reset(history);
        if (reason === 'stopped')
          set({ notice: 'The analysis engine stopped (out of memory?) and was restarted; no edit was lost.' });
        if (history) publish(currentWorkspace(history), { busy: null });
      },
      cancel: () => {
        const { busy, analysis, history } = get();
        if (!busy && analysis !== null) return;
        const last = history?.past.at(-1);
        engine.cancel();
        // Analysing a load that was just made: take the load back, so the page is as before it.
        if (!busy && last?.type === 'load') get().undo();
      },
      setReadOnly: (readOnly) => set({ readOnly, editError: null }),
      setFocus: (focus) => set({ focus, autoFocus: false }),
      select: (selection) => set({ selection }),
      // An analysis that arrives for a workspace no longer current is stale and dropped.
      setAnalysis: (workspace, analysis) => {
        if (get().workspace !== workspace) return;
        // Ties between bands go to the one with the most findings, known only now.
        const { autoFocus, focus } = get();
        const better = autoFocus ? bestFocus(workspace, analysis) : focus;
        set({ analysis, analysisProgress: null, focus: better, autoFocus: autoFocus && better === focus });
      },
      toggleSegment: (segmentId) => {
        const expanded = new Set(get().expanded);
        if (expanded.has(segmentId)) expanded.delete(segmentId);
        else expanded.add(segmentId);
        set({ expanded });
      },
      setExpanded: (expanded) => set({ expanded }),
      reveal: (request) => {
        const ws = get().workspace;
        if (!ws) return 0;
        const serviceIds = request.serviceIds ?? [];
        const byId = new Map(ws.services.map((s) => [s.id, s]));
        const segLevel = new Map(ws.segments.map((s) => [s.id, s.level]));
        const holds = (level: Level) =>
          serviceIds.some((id) => (byId.get(id)?.memberships[level]?.length ?? 0) > 0) ||
          (request.segmentIds ?? []).some((id) => segLevel.get(id) === level);
        const focus = get().focus;
        const candidates = [request.level, focus, ...(request.segmentIds ?? []).map((id) => segLevel.get(id))];
        const level =
          candidates.find((l): l is Level => !!l && holds(l)) ??
          (['group', 'policy', 'overlay', 'network', 'role', 'account'] as Level[]).find(holds);
        if (!level) return 0;
        const segmentIds = [
          ...(request.segmentIds ?? []).filter((id) => segLevel.get(id) === level),
          ...serviceIds.flatMap((id) => byId.get(id)?.memberships[level] ?? []),
        ];
        const expanded = new Set(get().expanded);
        for (const id of segmentIds) expanded.add(id);
        const seq = (get().revealOrder?.seq ?? 0) + 1;
        set({
          focus: level,
          autoFocus: false,
          expanded,
          revealOrder: {
            serviceIds,
            segmentIds: [...new Set(segmentIds)],
            level,
            seq,
            ...(request.whole ? { whole: true } : {}),
          },
        });
        return seq;
      },
      revealSearch: (text) => {
        const ws = get().workspace;
        const hit = ws ? bestMatch(ws, text) : null;
        if (!hit) return false;
        if (hit.kind === 'service') {
          get().select({ serviceId: hit.id });
          get().reveal({ serviceIds: [hit.id] });
        } else {
          get().select({ segmentId: hit.id });
          get().reveal({ segmentIds: [hit.id], level: hit.level });
        }
        return true;
      },
      setShowExcess: (showExcess) => set({ showExcess }),
      setTheme: (theme) => set({ theme }),
      setSearch: (search) => set({ search }),
      setScope: (scope) => set({ scope }),
      apply: (command) => {
        const { history } = get();
        if (!history || refused()) return false;
        try {
          const next = recordStep(history, command);
          void engine.record(command);
          commit(next, command);
          return true;
        } catch (e) {
          set({ editError: (e as Error).message });
          return false;
        }
      },
      preview: (move) => engine.preview(move),
      reach: (from, to, port, protocol) => engine.reach(from, to, port, protocol),
      callVerdict: (index) => engine.callVerdict(index),
      dragStart: (d) => set({ drag: { ...d, target: null, mode: 'move', delta: null, seq: ++dragSeq } }),
      dragTarget: (target, mode) => {
        const drag = get().drag;
        if (!drag) return;
        const next: DragState = { ...drag, target, mode, delta: null, seq: ++dragSeq };
        set({ drag: next });
        const cmd = dragCommand(next);
        if (!cmd) return;
        previewLatest(cmd)
          .then((delta) => {
            const now = get().drag;
            // Only the answer for the newest target of this drag is shown; a replaced one never is.
            if (delta && now?.seq === next.seq) set({ drag: { ...now, delta } });
          })
          .catch((e: Error) => {
            if (!(e instanceof EngineStopped)) set({ editError: `preview failed: ${e.message}` });
          });
      },
      dragDrop: () => {
        const drag = get().drag;
        set({ drag: null });
        const cmd = drag ? dragCommand(drag) : null;
        return cmd ? get().apply(cmd) : false;
      },
      dragCancel: () => set({ drag: null }),
      undo: () => {
        const { history } = get();
        const back = history && !refused() ? undo(history) : null;
        if (!back) return false;
        void engine.undo();
        commit(back, back.future[0]);
        return true;
      },
      redo: () => {
        const { history } = get();
        const forward = history && !refused() ? redo(history) : null;
        if (!forward) return false;
        void engine.redo();
        commit(forward, forward.past.at(-1));
        return true;
      },
    };
    return initial;
  });
