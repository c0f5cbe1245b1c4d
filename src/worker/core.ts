// The engine's state machine, shared by the Web Worker and the in-process engine (tests, CLI-like use).
//
// The worker keeps a copy of the page's History (src/model/history.ts) changed by the same
// functions as the store's, so an edit crosses the thread boundary as a small step, never as a
// whole workspace; a restarted worker is given the whole history once (reset).
import { type AnalysisProgress, analysisFraction, analyze, summarizeAnalysis } from '../analysis/analyze';
import { type MoveDelta, previewMove } from '../analysis/delta';
import { reach } from '../analysis/reach';
import type { Analysis, AnalysisSummary, CallVerdict, PairVerdict } from '../analysis/types';
import type { ExportResult } from '../export/format';
import { buildChangePlan, planToMarkdown } from '../export/plan';
import { WRITERS, writerNamed } from '../formats/registry';
import { type StripCounts, stripCounts } from '../graph/strips';
import { type ImportResult, importFiles } from '../import/index';
import type { FileInput } from '../import/types';
import type { Command, MoveCommand } from '../model/commands';
import { currentWorkspace, editsSinceLoad, type History, recordStep, redo, type Step, undo } from '../model/history';
import type { Level, Protocol, Workspace } from '../model/types';
import {
  type FixOffer,
  fixOffers,
  type PlanDelta,
  type ProposalOffer,
  proposalOffer,
  type TightenOffer,
  tightenOffer,
} from '../synthesize/offers';
import { previewPlan } from '../synthesize/preview';

export type PreviewDelta = Omit<MoveDelta, 'analysis' | 'workspace'>;

/** How far a long request is, for a status line: `fraction` of the work done. */
export interface Progress {
  task: 'analysis';
  fraction: number;
  services: number;
}

export interface EngineHooks {
  /** Told how far a long request is: first after PROGRESS_AFTER_MS, then at most every PROGRESS_EVERY_MS. */
  progress?(p: Progress): void;
  /** Store a workspace in the autosave under its number (src/store/persist.ts); resolves once it is on disk. */
  writeWorkspace?(key: number, ws: Workspace): Promise<void>;
}

/** Work shorter than this shows no progress (DESIGN.md: progress for anything longer). */
export const PROGRESS_AFTER_MS = 300;
const PROGRESS_EVERY_MS = 100;

/** Import results not yet recorded, by id; older ones are dropped (a load the page never took). */
const KEPT_IMPORTS = 4;
/** Analyses kept: the current workspace's and a few before it, so an undo or redo needs none anew. */
const KEPT_ANALYSES = 3;

const sameMove = (a: MoveCommand, b: MoveCommand) =>
  a.service === b.service && a.level === b.level && a.from === b.from && a.to === b.to;

export class EngineCore {
  /** This thread's copy of the page's history, changed by the same History functions as the store's. */
  private history: History | null = null;
  private imports = new Map<number, Workspace>();
  private nextImport = 1;
  /** Analyses of recent workspaces (the history keeps each state as one object, so undo and redo find theirs). */
  private analyses = new Map<Workspace, Analysis>();
  /** The newest preview's move and the analysis after it, for the drop that usually follows. */
  private lastPreview: { ws: Workspace; analysis: Analysis; move: MoveCommand; after: Analysis } | null = null;
  /** The workspace of the load recorded last, while nothing else changed the history since (for persist). */
  private loaded: Workspace | null = null;

  constructor(private readonly hooks: EngineHooks = {}) {}

  /**
   * Read files; the result is kept under `importId` until the page records it as a load (recordImport).
   * `strips` are the band strips' counts of the workspace and its populated segments per level
   * (src/graph/strips.ts), counted here so the page's render of the new workspace does not.
   */
  importFiles(files: FileInput[]): ImportResult & { importId: number; strips?: StripCounts } {
    const result = importFiles(files);
    const importId = this.nextImport++;
    if (result.report.failed) return { ...result, importId };
    this.imports.set(importId, result.workspace);
    for (const id of this.imports.keys()) if (this.imports.size > KEPT_IMPORTS) this.imports.delete(id);
    return { ...result, importId, strips: stripCounts(result.workspace) };
  }

  /** Take the page's whole history (restore, New, a restarted worker). */
  reset(history: History | null): void {
    this.history = history;
    this.loaded = null;
  }

  /** Record an imported workspace as a load step, without copying it back across threads. */
  recordImport(importId: number, label: string): void {
    this.loaded = null;
    const workspace = this.imports.get(importId);
    if (!workspace) throw new Error(`import ${importId} is no longer kept`);
    this.imports.delete(importId);
    this.record({ type: 'load', workspace, label });
  }

  record(step: Step): void {
    this.loaded = null;
    const before = this.history ? currentWorkspace(this.history) : null;
    this.history = recordStep(this.history, step);
    if (step.type === 'load') this.loaded = step.workspace;
    // A move's analysis is its what-if, which equals a full analysis (delta.test.ts): a drop then
    // costs the engine a preview, not a whole analysis (seconds at 5,000 services).
    const known = before && this.analyses.get(before);
    if (step.type !== 'moveService' || !known) return;
    // A drop is usually the move the drag previewed last: its what-if is already computed.
    const last = this.lastPreview;
    const same = last?.ws === before && last.analysis === known && sameMove(last.move, step);
    this.remember(this.current(), same ? last.after : previewMove(before, known, step).analysis);
  }

  /**
   * Write the workspace of the load just recorded to the autosave under `key`, so the page never
   * clones it (src/store/persist.ts). Asked right after the load, before its analysis; refused when
   * the last change was not a load this engine recorded (the page then writes it itself).
   */
  persist(key: number): Promise<void> {
    const write = this.hooks.writeWorkspace;
    if (!write) return Promise.reject(new Error('this engine does not write the autosave'));
    if (!this.loaded) return Promise.reject(new Error('no load was recorded last'));
    return write(key, this.loaded);
  }

  undo(): void {
    this.loaded = null;
    if (this.history) this.history = undo(this.history) ?? this.history;
  }

  redo(): void {
    this.loaded = null;
    if (this.history) this.history = redo(this.history) ?? this.history;
  }

  /** The analysis without per-call detail (see AnalysisSummary); `callVerdict` gives one call's. */
  analyze(): AnalysisSummary {
    return summarizeAnalysis(this.fullAnalysis());
  }

  /** One call's verdict with every level's reason and rule. */
  callVerdict(index: number): CallVerdict | null {
    return this.fullAnalysis().calls.find((c) => c.index === index) ?? null;
  }

  /** The what-if delta of a move, without the after-state's workspace and analysis (not worth copying across threads). */
  preview(move: MoveCommand): PreviewDelta {
    const ws = this.current();
    const analysis = this.fullAnalysis();
    const { analysis: after, workspace: _w, ...delta } = previewMove(ws, analysis, move);
    this.lastPreview = { ws, analysis, move, after };
    return delta;
  }

  /** Ranked fixes of one finding (by key), each with its what-if and one line per change. */
  fixes(key: string, limit = 5): FixOffer[] {
    return fixOffers(this.current(), this.fullAnalysis(), key, limit);
  }

  /** Least-privilege rules for one level, as a plan with its what-if. */
  tighten(level: Level): TightenOffer {
    return tightenOffer(this.current(), this.fullAnalysis(), level);
  }

  /** A proposed segmentation of one level, in steps of one service each. */
  propose(level: Level): ProposalOffer {
    return proposalOffer(this.current(), level);
  }

  /** The what-if of any plan of commands on the current workspace (a proposal's next step). */
  previewPlan(commands: Command[]): PlanDelta {
    const { analysis: _a, workspace: _w, ...delta } = previewPlan(this.current(), this.fullAnalysis(), commands);
    return delta;
  }

  /** The change plan of the edits since the last load, as Markdown and as JSON text. */
  plan(): { markdown: string; json: string } {
    if (!this.history) throw new Error('no workspace loaded');
    const { base, edits } = editsSinceLoad(this.history);
    const plan = buildChangePlan(base, edits);
    return { markdown: planToMarkdown(plan), json: `${JSON.stringify(plan, null, 2)}\n` };
  }

  /** Every format the workspace can be written in (FORMATS), for the Export menu. */
  writers(): { name: string; label: string }[] {
    return WRITERS.map((w) => ({ name: w.name, label: w.label }));
  }

  /** The current workspace written in a format: its files, and notes on what the format could not express. */
  exportAs(name: string): ExportResult {
    const writer = writerNamed(name);
    if (!writer) throw new Error(`no writer named ${name}`);
    return writer.write(this.current());
  }

  reach(from: string, to: string, port?: number, protocol?: Protocol): PairVerdict {
    return reach(this.current(), from, to, port, protocol);
  }

  private fullAnalysis(): Analysis {
    const ws = this.current();
    const known = this.analyses.get(ws);
    if (known) return known;
    const analysis = analyze(ws, {}, this.progressOf(ws));
    this.remember(ws, analysis);
    return analysis;
  }

  /** Keep an analysis by its workspace, newest last, at most KEPT_ANALYSES. */
  private remember(ws: Workspace, analysis: Analysis): void {
    this.analyses.delete(ws);
    this.analyses.set(ws, analysis);
    for (const old of this.analyses.keys()) if (this.analyses.size > KEPT_ANALYSES) this.analyses.delete(old);
  }

  /** A progress reporter for one analysis: silent for short ones, then a few reports a second. */
  private progressOf(ws: Workspace): AnalysisProgress | undefined {
    const report = this.hooks.progress;
    if (!report) return undefined;
    const start = performance.now();
    let last = start + PROGRESS_AFTER_MS - PROGRESS_EVERY_MS;
    return (step, done, total) => {
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      report({ task: 'analysis', fraction: analysisFraction(step, done, total), services: ws.services.length });
    };
  }

  private current(): Workspace {
    if (!this.history) throw new Error('no workspace loaded');
    return currentWorkspace(this.history);
  }
}
