// Walking a story: its beats (a step shown, then its action done), and the workspace, view and expectations at each.
import { applyCommand, type Command, describeCommand } from '../model/commands';
import type { Level, Workspace } from '../model/types';
import { LessonError, resolveAction, resolveSegment, resolveService } from './resolve';
import type { Expectations, Story, StoryView } from './story';

/**
 * A presenter advances one beat at a time: a step is shown, and when it has an action the next beat
 * performs it. So a clicker drives the whole story, and going back undoes exactly one thing.
 */
export interface Beat {
  step: number;
  /** The step's action has been performed. */
  done: boolean;
}

export const beatsOf = (story: Story): Beat[] =>
  story.steps.flatMap((s, step) =>
    s.action
      ? [
          { step, done: false },
          { step, done: true },
        ]
      : [{ step, done: false }],
  );

export interface LessonView {
  focus: Level;
  serviceId?: string;
  reveal: { serviceIds: string[]; segmentIds: string[] };
}

/** The step's view with its references resolved in the workspace it is shown on. */
export const resolveView = (ws: Workspace, view: StoryView): LessonView => {
  const out: LessonView = {
    focus: view.focus,
    reveal: {
      serviceIds: (view.reveal?.services ?? []).map((r) => resolveService(ws, r).id),
      segmentIds: (view.reveal?.segments ?? []).map((r) => resolveSegment(ws, r).id),
    },
  };
  if (view.select !== undefined) out.serviceId = resolveService(ws, view.select).id;
  return out;
};

/** The command a step's action stands for in `ws`, and the line the history and the "do it" button show. */
export const stepCommand = (ws: Workspace, story: Story, step: number): { command: Command; label: string } | null => {
  const action = story.steps[step]?.action;
  if (!action) return null;
  const command = resolveAction(ws, action);
  return { command, label: describeCommand(ws, command) };
};

export interface BeatState {
  beat: Beat;
  /** The lesson's workspace with the actions of every beat up to this one applied. */
  workspace: Workspace;
  /** The commands applied, oldest first (what undo walks back). */
  commands: Command[];
  /** The step's view, resolved in the workspace the step was shown on. */
  view: LessonView;
  expect: Expectations;
}

/** Everything at beat `index` of the story, starting from the lesson's workspace `base`. */
export const stateAt = (base: Workspace, story: Story, index: number): BeatState => {
  const beats = beatsOf(story);
  const beat = beats[index];
  if (!beat) throw new LessonError(`beat ${index} is outside the story (${beats.length} beats)`);
  let ws = base;
  // The view is the one the step was shown with: resolved before its action (which may delete what it names).
  let shown = base;
  const commands: Command[] = [];
  for (const b of beats.slice(0, index + 1)) {
    shown = ws;
    if (!b.done) continue;
    const next = stepCommand(ws, story, b.step);
    if (!next) continue;
    ws = applyCommand(ws, next.command);
    commands.push(next.command);
  }
  const step = story.steps[beat.step];
  if (!step) throw new LessonError(`no step ${beat.step}`);
  return {
    beat,
    workspace: ws,
    commands,
    view: resolveView(shown, step.view),
    expect: (beat.done ? step.after : step.expect) ?? {},
  };
};
