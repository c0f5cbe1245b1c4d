// The lesson store's walk: open a lesson, go from beat to beat (one at a time), say what each beat's step does.

import type { AnalysisSummary } from '../analysis/types';
import { analysisDelta } from '../lessons/consequence';
import { lessonFiles } from '../lessons/load';
import { beatsOf, stateAt, stepCommand } from '../lessons/walk';
import type { ActiveLesson, LessonConsequence, LessonKit, LessonState } from './lesson';
import { readStory } from './lesson-catalogue';
import { syncLesson } from './lesson-sync';

type BeatState = ReturnType<typeof stateAt>;

/**
 * What the beat just shown did (a step performed one beat on, measured against `before`), or would do
 * (a move about to be performed: the live what-if, as a drag would show it); null when there is nothing to say.
 */
const consequenceAt = async (
  { app, deps }: LessonKit,
  active: ActiveLesson,
  beat: number,
  state: BeatState,
  before: AnalysisSummary | null,
  applied: number,
): Promise<LessonConsequence | null> => {
  const step = state.beat.step;
  if (state.beat.done && before && applied === 1) {
    const after = await deps.analysis();
    const label = stepCommand(stateAt(active.base, active.story, beat - 1).workspace, active.story, step)?.label ?? '';
    return { kind: 'done', label, delta: analysisDelta(before, after), workspace: state.workspace };
  }
  if (state.beat.done) return null;
  const next = stepCommand(state.workspace, active.story, step);
  if (next?.command.type !== 'moveService') return null;
  const delta = await app.getState().preview(next.command);
  return { kind: 'preview', label: next.label, delta, workspace: state.workspace };
};

/** Show a beat: the app brought to it, its view focused and revealed, then what its step does. */
const showBeat = async (kit: LessonKit, beat: number): Promise<void> => {
  const { app, deps, set, get } = kit;
  const active = get().active;
  if (!active || beat < 0 || beat >= active.beats) return;
  const state = stateAt(active.base, active.story, beat);
  const from = get().active?.beat ?? 0;
  const before = beat === from + 1 && state.beat.done ? await deps.analysis() : null;
  const applied = syncLesson(app, active.base, state.commands);
  if (!applied) {
    // The person undid the lesson's load or opened something else: the lesson is over.
    set({ active: null, presenting: false, consequence: null });
    return;
  }
  set({ active: { ...active, beat }, consequence: null });
  app.getState().setFocus(state.view.focus);
  app.getState().select(state.view.serviceId ? { serviceId: state.view.serviceId } : {});
  deps.reveal(state.view);
  const consequence = await consequenceAt(kit, active, beat, state, before, applied.length);
  if (consequence && get().active?.beat === beat) set({ consequence });
};

export const walkActions = (
  kit: LessonKit,
): Pick<LessonState, 'open' | 'goTo' | 'next' | 'prev' | 'setPresenting' | 'close'> => {
  const { app, deps, set, get } = kit;
  let queue: Promise<void> = Promise.resolve();
  // One beat at a time: a clicker pressed twice quickly performs both steps, in order.
  const enqueue = (beat: () => number) => {
    queue = queue.then(() => showBeat(kit, beat())).catch((e: Error) => set({ error: e.message }));
    return queue;
  };
  return {
    open: async (id, options = {}) => {
      try {
        const story = await readStory(deps, id);
        const files = await lessonFiles(story, deps.read);
        const report = await app
          .getState()
          .importFiles(files, { atStart: options.atStart ?? false, label: `lesson ${story.title}` });
        const h = app.getState().history;
        const load = h?.past.at(-1);
        const base = load?.type === 'load' ? load.workspace : h?.base;
        if (report.failed || !base) throw new Error(`lesson ${id}: its files did not load`);
        set({
          active: { story, base, beat: 0, beats: beatsOf(story).length },
          presenting: options.present ?? get().presenting,
          consequence: null,
          error: null,
        });
        await get().goTo(0);
        return true;
      } catch (e) {
        set({ error: (e as Error).message });
        return false;
      }
    },
    goTo: (beat) => enqueue(() => beat),
    next: () => enqueue(() => (get().active?.beat ?? -1) + 1),
    prev: () => enqueue(() => (get().active?.beat ?? 1) - 1),
    setPresenting: (presenting) => set({ presenting }),
    close: () => set({ active: null, presenting: false, consequence: null }),
  };
};
