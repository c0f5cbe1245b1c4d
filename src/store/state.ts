// The app store's state and actions as types, and what every group of actions shares (StoreKit).
import type { StoreApi } from 'zustand/vanilla';
import type { AnalysisSummary, CallVerdict, PairVerdict } from '../analysis/types';
import type { Scope } from '../graph/elements';
import type { FileInput, ImportReport } from '../import/types';
import type { Command, MoveCommand } from '../model/commands';
import type { History, Step } from '../model/history';
import type { Level, Protocol, Workspace } from '../model/types';
import type { Engine } from '../worker/client';
import type { PreviewDelta } from '../worker/core';

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

/** "Analysing 5,000 services… 42 %" while a long analysis reports progress; null otherwise. */
export const analysisProgressText = (s: Pick<AppState, 'analysisProgress' | 'workspace'>): string | null =>
  s.analysisProgress === null || !s.workspace
    ? null
    : `Analysing ${s.workspace.services.length.toLocaleString('en')} services… ${Math.round(s.analysisProgress * 100)} %`;

/** What every group of actions (load, view, edit, drag) shares: zustand's set/get, the engine, the store's own steps. */
export interface StoreKit {
  set: StoreApi<AppState>['setState'];
  get: () => AppState;
  engine: Engine;
  /** Make `ws` the current workspace with its analysis pending. */
  publish(ws: Workspace, rest: Partial<AppState>): void;
  /** What a new or a restored workspace resets in the view. */
  fresh(ws: Workspace): Partial<AppState>;
  /** Publish a new history; a load (or taking one back) redraws the view afresh. */
  commit(history: History, step: Step | undefined, rest?: Partial<AppState>): void;
  /** Refuse a change in a read-only page, saying why. */
  refused(): boolean;
  /** Keep the analysis of a workspace this page received, so an undo or a redo back to it shows it at once. */
  keep(ws: Workspace, analysis: AnalysisSummary): void;
}
