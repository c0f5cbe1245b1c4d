// The lesson against the app's history: which steps were taken since its load, and bringing the app to a beat's commands.
import type { Command } from '../model/commands';
import type { Step } from '../model/history';
import type { Workspace } from '../model/types';
import type { AppStore } from './store';

const sameStep = (a: Step, b: Command) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The steps taken since the lesson was loaded, or null when its load is no longer the current one
 * (undone, or another file opened on top): then the lesson is over.
 */
export const lessonSteps = (app: AppStore, base: Workspace): Step[] | null => {
  const h = app.getState().history;
  if (!h) return null;
  const loads = h.past.flatMap((s, i) => (s.type === 'load' ? [i] : []));
  const last = loads.at(-1);
  if (last !== undefined) {
    const step = h.past[last] as Step;
    return step.type === 'load' && step.workspace === base ? h.past.slice(last + 1) : null;
  }
  // The lesson's load became the history's base (older loads forgotten).
  return h.base === base ? [...h.past] : null;
};

/**
 * Bring the app to a beat: undo what is not the story's, apply what the story has done by then.
 * Edits the presenter made by hand in between are undone too, so every beat looks as rehearsed.
 * Returns the commands applied, or null when the lesson is over.
 */
export const syncLesson = (app: AppStore, base: Workspace, commands: Command[]): Command[] | null => {
  const steps = lessonSteps(app, base);
  if (!steps) return null;
  let common = 0;
  while (
    common < commands.length &&
    common < steps.length &&
    sameStep(steps[common] as Step, commands[common] as Command)
  )
    common++;
  for (let extra = steps.length - common; extra > 0; extra--) if (!app.getState().undo()) return null;
  const applied: Command[] = [];
  for (const c of commands.slice(common)) if (app.getState().apply(c)) applied.push(c);
  return applied;
};
