// The lesson controller steps the app store through a story: each action one undoable edit, back undoes it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LessonView } from '../lessons/walk';
import type { Command } from '../model/commands';
import { describeStep, workspaceAt } from '../model/history';
import { inProcessEngine } from '../worker/client';
import { createLessonStore } from './lesson';
import { createAppStore } from './store';

const setup = () => {
  const engine = inProcessEngine();
  const app = createAppStore(engine);
  const revealed: LessonView[] = [];
  const lessons = createLessonStore(app, {
    read: async (path) => readFileSync(`public/samples/${path}`, 'utf8'),
    analysis: () => engine.analyze(),
    reveal: (v) => revealed.push(v),
  });
  return { app, lessons, revealed };
};

/** The history panel's lines for the steps after the last load (the lesson's own steps). */
const lessonLines = (app: ReturnType<typeof setup>['app']): string[] => {
  const h = app.getState().history;
  if (!h) return [];
  const start = h.past.map((s) => s.type).lastIndexOf('load') + 1;
  return h.past.slice(start).map((s, i) => describeStep(workspaceAt(h, start + i), s));
};

describe('lesson controller', () => {
  it('lists the lessons in gallery order with their titles', async () => {
    const { lessons } = setup();
    const list = await lessons.getState().loadCatalogue();
    expect(list.map((l) => l.lesson)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(list[0]).toMatchObject({ id: 'compose-v1-v2', title: 'Compose v1 links vs v2 networks' });
  });

  it('opens a lesson on its first step: workspace loaded, focus and selection set, subjects revealed', async () => {
    const { app, lessons, revealed } = setup();
    expect(await lessons.getState().open('compose-v1-v2')).toBe(true);
    expect(app.getState().workspace?.services.map((s) => s.id)).toContain('compose:v2/db');
    expect(app.getState().focus).toBe('overlay');
    expect(app.getState().selection).toEqual({ serviceId: 'compose:v1/proxy' });
    expect(revealed.at(-1)?.reveal.segmentIds).toEqual(['overlay:bridge']);
    expect(lessonLines(app)).toEqual([]);
  });

  it('performs an action as one undoable edit with its consequence, and going back undoes it', async () => {
    const { app, lessons } = setup();
    await lessons.getState().open('compose-v1-v2');
    await lessons.getState().goTo(2); // step 3 shown: the what-if of its move is previewed
    expect(lessons.getState().consequence).toMatchObject({ kind: 'preview' });
    expect(lessons.getState().consequence?.delta.brokenCalls.map((c) => [c.from, c.to])).toContainEqual([
      'compose:v2/app',
      'compose:v2/db',
    ]);
    await lessons.getState().next(); // do it
    expect(lessonLines(app)).toEqual(['remove app from overlay v2_back']);
    const done = lessons.getState().consequence;
    expect(done?.kind).toBe('done');
    expect(done?.delta.findingsAdded.map((f) => f.id)).toContain('broken-call');
    await lessons.getState().prev();
    expect(lessonLines(app)).toEqual([]);
    expect(lessons.getState().active?.beat).toBe(2);
  });

  it('brings the app to the story state from anywhere, undoing edits made by hand in between', async () => {
    const { app, lessons } = setup();
    await lessons.getState().open('compose-v1-v2');
    const byHand: Command = {
      type: 'moveService',
      service: 'compose:v1/db',
      level: 'overlay',
      from: 'overlay:bridge',
      to: null,
    };
    app.getState().apply(byHand);
    await lessons.getState().goTo(5); // after step 4's action: two story edits
    expect(lessonLines(app)).toEqual(['remove app from overlay v2_back', 'add db to overlay v2_front']);
    await lessons.getState().goTo(0);
    expect(lessonLines(app)).toEqual([]);
    expect(app.getState().workspace?.services.find((s) => s.id === 'compose:v1/db')?.memberships.overlay).toEqual([
      'overlay:bridge',
    ]);
  });

  it('ends when its load is undone: the workspace before it comes back', async () => {
    const { app, lessons } = setup();
    await lessons.getState().open('hubs');
    const before = app.getState().workspace;
    await lessons.getState().open('compose-v1-v2');
    expect(app.getState().history?.past.at(-1)).toMatchObject({
      type: 'load',
      label: 'lesson Compose v1 links vs v2 networks',
    });
    await lessons.getState().next();
    await lessons.getState().next();
    await lessons.getState().next(); // step 3's action done
    app.getState().undo();
    expect(lessons.getState().active?.story.id).toBe('compose-v1-v2');
    app.getState().undo(); // the lesson's load
    expect(lessons.getState().active).toBeNull();
    expect(app.getState().workspace).toBe(before);
  });

  it('says why a lesson did not load and keeps the workspace', async () => {
    const { app, lessons } = setup();
    await lessons.getState().open('hubs');
    const ws = app.getState().workspace;
    expect(await lessons.getState().open('no-such-lesson')).toBe(false);
    expect(lessons.getState().error).toMatch(/no-such-lesson/);
    expect(app.getState().workspace).toBe(ws);
  });
});
