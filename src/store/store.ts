// The app store (zustand, vanilla): workspace, import report, focus level, selection; named actions.
import { createStore } from 'zustand/vanilla';
import type { Analysis, PairVerdict } from '../analysis/types';
import type { Scope } from '../graph/elements';
import type { FileInput, ImportReport } from '../import/types';
import { applyCommand, type Command, describeCommand, type MoveCommand } from '../model/commands';
import type { Level, Workspace } from '../model/types';
import type { Engine } from '../worker/client';
import type { PreviewDelta } from '../worker/core';

export interface Selection {
  serviceId?: string;
  segmentId?: string;
  callIndex?: number;
}

export type Theme = 'light' | 'dark';

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
}

/** The move command a drag state stands for, or null without a target. */
export const dragCommand = (d: DragState): MoveCommand | null =>
  d.target === null
    ? null
    : { type: 'moveService', service: d.service, level: d.level, from: d.mode === 'add' ? null : d.from, to: d.target };

/** One applied edit: the command, its description, and the workspace before it (for undo). */
export interface HistoryEntry {
  command: Command;
  label: string;
  before: Workspace;
}

export interface AppState {
  workspace: Workspace | null;
  /** Analysis of the current workspace; null while it is being computed. */
  analysis: Analysis | null;
  /** Segments the user expanded inside collapsed bands. */
  expanded: ReadonlySet<string>;
  bandMode: Partial<Record<Level, 'expanded' | 'collapsed'>>;
  showExcess: boolean;
  theme: Theme;
  /** Current search text; matches are highlighted in the graph. */
  search: string;
  /** Show one account or namespace only. */
  scope: Scope | null;
  /** Increments on every load (import, restore): the view refits and replaces everything. */
  loads: number;
  /** The workspace as loaded; with the commands of `past` it rebuilds `workspace` (autosave, change plan). */
  base: Workspace | null;
  /** Applied edits since the last load, oldest first; `future` holds undone ones for redo. */
  past: HistoryEntry[];
  future: HistoryEntry[];
  /** Last edit refused (invalid command), shown to the user. */
  editError: string | null;
  drag: DragState | null;
  /** Report of the last import, kept even when the import failed and the workspace stayed. */
  report: ImportReport | null;
  focus: Level;
  selection: Selection;
  busy: string | null;
  importFiles(files: FileInput[]): Promise<ImportReport>;
  /** Replace the workspace (restore from autosave), optionally with its history. */
  setWorkspace(ws: Workspace, history?: { base: Workspace; past: HistoryEntry[]; future: HistoryEntry[] }): void;
  setFocus(level: Level): void;
  select(selection: Selection): void;
  setAnalysis(workspace: Workspace, analysis: Analysis): void;
  toggleSegment(segmentId: string): void;
  setBandMode(level: Level, mode: 'expanded' | 'collapsed' | undefined): void;
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
  /** Each level's verdict for a pair (not necessarily a call), computed off the main thread. */
  reach(from: string, to: string, port?: number): Promise<PairVerdict>;
  /** The what-if delta of a move, computed off the main thread. */
  preview(move: MoveCommand): Promise<PreviewDelta>;
}

export type AppStore = ReturnType<typeof createAppStore>;

export const createAppStore = (engine: Engine, opts: { onWorkspace?: (ws: Workspace) => void } = {}) =>
  createStore<AppState>()((set, get) => {
    /**
     * Make `ws` the current workspace with its analysis pending. The engine is asked first, so the
     * worker analyses while the main thread draws; a stale answer is dropped by setAnalysis.
     */
    const publish = (ws: Workspace, rest: Partial<AppState>) => {
      engine
        .analyze()
        .then((analysis) => get().setAnalysis(ws, analysis))
        .catch((e: Error) => set({ editError: `analysis failed: ${e.message}` }));
      set({ ...rest, workspace: ws, analysis: null });
    };
    const initial: AppState = {
      workspace: null,
      analysis: null,
      expanded: new Set<string>(),
      bandMode: {},
      showExcess: false,
      theme: 'light',
      search: '',
      scope: null,
      loads: 0,
      base: null,
      past: [],
      future: [],
      editError: null,
      drag: null,
      report: null,
      focus: 'group',
      selection: {},
      busy: null,
      importFiles: async (files) => {
        set({ busy: `Reading ${files.length} file${files.length === 1 ? '' : 's'}…` });
        try {
          const { workspace, report } = await engine.importFiles(files);
          // A failed import (nothing readable) keeps the previous workspace: the user loses nothing.
          if (report.failed) set({ report, busy: null });
          else {
            publish(workspace, {
              expanded: new Set(),
              bandMode: {},
              report,
              selection: {},
              busy: null,
              loads: get().loads + 1,
              base: workspace,
              past: [],
              future: [],
            });
            opts.onWorkspace?.(workspace);
          }
          return report;
        } catch (e) {
          const report: ImportReport = {
            files: files.map((f) => ({
              name: f.name,
              format: 'unknown',
              services: 0,
              segments: 0,
              calls: 0,
              rules: 0,
              diagnostics: [],
            })),
            diagnostics: [
              {
                file: files[0]?.name ?? '(input)',
                line: 1,
                column: 1,
                severity: 'error',
                message: `import failed: ${(e as Error).message}`,
              },
            ],
            failed: true,
          };
          set({ report, busy: null });
          return report;
        }
      },
      setWorkspace: (workspace, history) => {
        // Bring the engine to the same state by replaying the same commands (no workspace copies).
        void engine.replace(history?.base ?? workspace);
        for (const e of history?.past ?? []) void engine.apply(e.command);
        for (const e of history?.future ?? []) void engine.apply(e.command);
        for (const _ of history?.future ?? []) void engine.undo();
        publish(workspace, {
          base: history?.base ?? workspace,
          selection: {},
          loads: get().loads + 1,
          past: history?.past ?? [],
          future: history?.future ?? [],
        });
      },
      setFocus: (focus) => set({ focus }),
      select: (selection) => set({ selection }),
      // An analysis that arrives for a workspace no longer current is stale and dropped.
      setAnalysis: (workspace, analysis) => {
        if (get().workspace === workspace) set({ analysis });
      },
      toggleSegment: (segmentId) => {
        const expanded = new Set(get().expanded);
        if (expanded.has(segmentId)) expanded.delete(segmentId);
        else expanded.add(segmentId);
        set({ expanded });
      },
      setBandMode: (level, mode) => {
        const bandMode = { ...get().bandMode };
        if (mode) bandMode[level] = mode;
        else delete bandMode[level];
        set({ bandMode });
      },
      setShowExcess: (showExcess) => set({ showExcess }),
      setTheme: (theme) => set({ theme }),
      setSearch: (search) => set({ search }),
      setScope: (scope) => set({ scope }),
      apply: (command) => {
        const before = get().workspace;
        if (!before) return false;
        try {
          const workspace = applyCommand(before, command);
          const entry: HistoryEntry = { command, label: describeCommand(before, command), before };
          void engine.apply(command);
          publish(workspace, { past: [...get().past, entry], future: [], editError: null });
          opts.onWorkspace?.(workspace);
          return true;
        } catch (e) {
          set({ editError: (e as Error).message });
          return false;
        }
      },
      preview: (move) => engine.preview(move),
      reach: (from, to, port) => engine.reach(from, to, port),
      dragStart: (d) => set({ drag: { ...d, target: null, mode: 'move', delta: null } }),
      dragTarget: (target, mode) => {
        const drag = get().drag;
        if (!drag) return;
        const next: DragState = { ...drag, target, mode, delta: null };
        set({ drag: next });
        const cmd = dragCommand(next);
        if (!cmd) return;
        engine
          .preview(cmd)
          .then((delta) => {
            const now = get().drag;
            // Only the answer for the target still under the pointer is shown.
            if (now && now.target === target && now.mode === mode && now.service === next.service)
              set({ drag: { ...now, delta } });
          })
          .catch((e: Error) => set({ editError: `preview failed: ${e.message}` }));
      },
      dragDrop: () => {
        const drag = get().drag;
        set({ drag: null });
        const cmd = drag ? dragCommand(drag) : null;
        return cmd ? get().apply(cmd) : false;
      },
      dragCancel: () => set({ drag: null }),
      undo: () => {
        const { past, workspace } = get();
        const last = past.at(-1);
        if (!last || !workspace) return false;
        void engine.undo();
        // The entry that goes to `future` carries the state to return to on redo.
        publish(last.before, {
          past: past.slice(0, -1),
          future: [{ ...last, before: workspace }, ...get().future],
          editError: null,
        });
        opts.onWorkspace?.(last.before);
        return true;
      },
      redo: () => {
        const { future, workspace } = get();
        const next = future[0];
        if (!next || !workspace) return false;
        void engine.redo();
        publish(next.before, {
          past: [...get().past, { ...next, before: workspace }],
          future: future.slice(1),
          editError: null,
        });
        opts.onWorkspace?.(next.before);
        return true;
      },
    };
    return initial;
  });
