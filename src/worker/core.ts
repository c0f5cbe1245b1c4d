// The engine's state machine, shared by the Web Worker and the in-process engine (tests, CLI-like use).
//
// The worker keeps its own copy of the workspace and replays the same pure commands the store
// applies, so an edit crosses the thread boundary as a small command, never as a whole workspace.
import { analyze } from '../analysis/analyze';
import { type MoveDelta, previewMove } from '../analysis/delta';
import { reach } from '../analysis/reach';
import type { Analysis, PairVerdict } from '../analysis/types';
import { buildChangePlan, planToMarkdown } from '../export/plan';
import { type ImportResult, importFiles } from '../import/index';
import type { FileInput } from '../import/types';
import { applyCommand, type Command, type MoveCommand } from '../model/commands';
import type { Protocol, Workspace } from '../model/types';

export type PreviewDelta = Omit<MoveDelta, 'analysis' | 'workspace'>;

export class EngineCore {
  private workspace: Workspace | null = null;
  /** The workspace as loaded: the change plan replays the edits from here. */
  private base: Workspace | null = null;
  private past: Workspace[] = [];
  private future: Workspace[] = [];
  private cached: { ws: Workspace; analysis: Analysis } | null = null;

  importFiles(files: FileInput[]): ImportResult {
    const result = importFiles(files);
    if (!result.report.failed) this.replace(result.workspace);
    return result;
  }

  replace(ws: Workspace): void {
    this.workspace = ws;
    this.base = ws;
    this.past = [];
    this.future = [];
  }

  apply(command: Command): void {
    const ws = this.current();
    const next = applyCommand(ws, command);
    this.past.push(ws);
    this.future = [];
    this.workspace = next;
  }

  undo(): void {
    const prev = this.past.pop();
    if (!prev) return;
    this.future.unshift(this.current());
    this.workspace = prev;
  }

  redo(): void {
    const next = this.future.shift();
    if (!next) return;
    this.past.push(this.current());
    this.workspace = next;
  }

  analyze(): Analysis {
    const ws = this.current();
    if (this.cached?.ws !== ws) this.cached = { ws, analysis: analyze(ws) };
    return this.cached.analysis;
  }

  /** The what-if delta of a move, without the after-state's workspace and analysis (not worth copying across threads). */
  preview(move: MoveCommand): PreviewDelta {
    const { analysis: _a, workspace: _w, ...delta } = previewMove(this.current(), this.analyze(), move);
    return delta;
  }

  /** The change plan of the edits since load, as Markdown and as JSON text. */
  plan(commands: Command[]): { markdown: string; json: string } {
    if (!this.base) throw new Error('no workspace loaded');
    const plan = buildChangePlan(this.base, commands);
    return { markdown: planToMarkdown(plan), json: `${JSON.stringify(plan, null, 2)}\n` };
  }

  reach(from: string, to: string, port?: number, protocol?: Protocol): PairVerdict {
    return reach(this.current(), from, to, port, protocol);
  }

  private current(): Workspace {
    if (!this.workspace) throw new Error('no workspace loaded');
    return this.workspace;
  }
}
