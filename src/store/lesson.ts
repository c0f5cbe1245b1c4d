// The lesson controller: the open lesson, its beat and presentation mode; it drives the app store through the story.
import { createStore } from 'zustand/vanilla';
import type { AnalysisSummary } from '../analysis/types';
import { analysisDelta, type Consequence } from '../lessons/consequence';
import { LESSONS_INDEX, lessonFiles, parseLessonIndex, storyPath } from '../lessons/load';
import { parseStory, type Story } from '../lessons/story';
import { beatsOf, type LessonView, stateAt, stepCommand } from '../lessons/walk';
import type { Command } from '../model/commands';
import type { Step } from '../model/history';
import type { Workspace } from '../model/types';
import type { AppStore } from './store';

export interface LessonEntry {
  id: string;
  lesson: number;
  title: string;
  summary: string;
}

export interface ActiveLesson {
  story: Story;
  /** The lesson's workspace as imported, before any action: the workspace of its load step in the history. */
  base: Workspace;
  beat: number;
  beats: number;
}

/** What the current beat's action would do (a move's what-if) or did (any action). */
export interface LessonConsequence {
  kind: 'preview' | 'done';
  label: string;
  delta: Consequence;
  workspace: Workspace;
}

export interface LessonState {
  catalogue: LessonEntry[] | null;
  active: ActiveLesson | null;
  presenting: boolean;
  consequence: LessonConsequence | null;
  error: string | null;
  loadCatalogue(): Promise<LessonEntry[]>;
  /** Load a lesson's workspace and show its first step. Resolves to false when it could not load. */
  open(id: string, options?: { present?: boolean; atStart?: boolean }): Promise<boolean>;
  goTo(beat: number): Promise<void>;
  next(): Promise<void>;
  prev(): Promise<void>;
  setPresenting(on: boolean): void;
  close(): void;
}

export interface LessonDeps {
  /** Text of a file under the samples folder. */
  read(path: string): Promise<string>;
  /** The analysis of the engine's current workspace, after every edit made so far. */
  analysis(): Promise<AnalysisSummary>;
  /** Expand and frame what a step shows. */
  reveal(view: LessonView): void;
}

const sameStep = (a: Step, b: Command) => JSON.stringify(a) === JSON.stringify(b);

export type LessonStore = ReturnType<typeof createLessonStore>;

export const createLessonStore = (app: AppStore, deps: LessonDeps) =>
  createStore<LessonState>()((set, get) => {
    const readStory = async (id: string): Promise<Story> => {
      const path = storyPath(id);
      const { story, diagnostics } = parseStory(path, await deps.read(path));
      if (!story) {
        const d = diagnostics[0];
        throw new Error(d ? `${d.file}:${d.line}:${d.column} ${d.message}` : `${path}: not a lesson`);
      }
      return story;
    };
    /**
     * The steps taken since the lesson was loaded, or null when its load is no longer the current one
     * (undone, or another file opened on top): then the lesson is over.
     */
    const lessonSteps = (base: Workspace): Step[] | null => {
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
     */
    const sync = (base: Workspace, commands: Command[]): Command[] | null => {
      const steps = lessonSteps(base);
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
    const showView = (view: LessonView) => {
      app.getState().setFocus(view.focus);
      app.getState().select(view.serviceId ? { serviceId: view.serviceId } : {});
      deps.reveal(view);
    };
    const show = async (beat: number): Promise<void> => {
      const active = get().active;
      if (!active || beat < 0 || beat >= active.beats) return;
      const state = stateAt(active.base, active.story, beat);
      const from = get().active?.beat ?? 0;
      const before = beat === from + 1 && state.beat.done ? await deps.analysis() : null;
      const applied = sync(active.base, state.commands);
      if (!applied) {
        // The person undid the lesson's load or opened something else: the lesson is over.
        set({ active: null, presenting: false, consequence: null });
        return;
      }
      set({ active: { ...active, beat }, consequence: null });
      showView(state.view);
      const step = state.beat.step;
      if (state.beat.done && before && applied.length === 1) {
        // Just performed: say what it did, in the what-if's terms.
        const after = await deps.analysis();
        const label =
          stepCommand(stateAt(active.base, active.story, beat - 1).workspace, active.story, step)?.label ?? '';
        if (get().active?.beat === beat)
          set({
            consequence: { kind: 'done', label, delta: analysisDelta(before, after), workspace: state.workspace },
          });
      } else if (!state.beat.done) {
        const next = stepCommand(state.workspace, active.story, step);
        if (next?.command.type === 'moveService') {
          // About to be performed: the live what-if of the move, as a drag would show it.
          const delta = await app.getState().preview(next.command);
          if (get().active?.beat === beat)
            set({ consequence: { kind: 'preview', label: next.label, delta, workspace: state.workspace } });
        }
      }
    };
    let queue: Promise<void> = Promise.resolve();
    // Undoing the lesson's load, or opening something else, ends the lesson (its bar goes away).
    app.subscribe((state, prev) => {
      const active = get().active;
      if (active && state.history !== prev.history && lessonSteps(active.base) === null)
        set({ active: null, presenting: false, consequence: null });
    });
    return {
      catalogue: null,
      active: null,
      presenting: false,
      consequence: null,
      error: null,
      loadCatalogue: async () => {
        const cached = get().catalogue;
        if (cached) return cached;
        const ids = parseLessonIndex(await deps.read(LESSONS_INDEX));
        const catalogue = await Promise.all(
          ids.map(async (id) => {
            const s = await readStory(id);
            return { id, lesson: s.lesson, title: s.title, summary: s.summary };
          }),
        );
        set({ catalogue });
        return catalogue;
      },
      open: async (id, options = {}) => {
        try {
          const story = await readStory(id);
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
      goTo: (beat) => {
        // One beat at a time: a clicker pressed twice quickly performs both steps, in order.
        queue = queue.then(() => show(beat)).catch((e: Error) => set({ error: e.message }));
        return queue;
      },
      next: () => {
        queue = queue.then(() => show((get().active?.beat ?? -1) + 1)).catch((e: Error) => set({ error: e.message }));
        return queue;
      },
      prev: () => {
        queue = queue.then(() => show((get().active?.beat ?? 1) - 1)).catch((e: Error) => set({ error: e.message }));
        return queue;
      },
      setPresenting: (presenting) => set({ presenting }),
      close: () => set({ active: null, presenting: false, consequence: null }),
    };
  });
