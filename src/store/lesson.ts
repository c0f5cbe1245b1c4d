// The lesson controller: the open lesson, its beat and presentation mode; it drives the app store through the story.
import type { StoreApi } from 'zustand/vanilla';
import { createStore } from 'zustand/vanilla';
import type { AnalysisSummary } from '../analysis/types';
import type { Consequence } from '../lessons/consequence';
import type { Story } from '../lessons/story';
import type { LessonView } from '../lessons/walk';
import type { Workspace } from '../model/types';
import { catalogueActions } from './lesson-catalogue';
import { lessonSteps } from './lesson-sync';
import { walkActions } from './lesson-walk';
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

/** What the lesson store's action modules share (as StoreKit does for the app store). */
export interface LessonKit {
  set: StoreApi<LessonState>['setState'];
  get: StoreApi<LessonState>['getState'];
  app: AppStore;
  deps: LessonDeps;
}

export type LessonStore = ReturnType<typeof createLessonStore>;

export const createLessonStore = (app: AppStore, deps: LessonDeps) =>
  createStore<LessonState>()((set, get) => {
    // Undoing the lesson's load, or opening something else, ends the lesson (its bar goes away).
    app.subscribe((state, prev) => {
      const active = get().active;
      if (active && state.history !== prev.history && lessonSteps(app, active.base) === null)
        set({ active: null, presenting: false, consequence: null });
    });
    const kit: LessonKit = { set, get, app, deps };
    return {
      catalogue: null,
      active: null,
      presenting: false,
      consequence: null,
      error: null,
      ...catalogueActions(kit),
      ...walkActions(kit),
    };
  });
