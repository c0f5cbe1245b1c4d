import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze';
import type { Workspace } from '../model/types';
import { EngineStopped, inProcessEngine } from '../worker/client';
import type { PreviewDelta } from '../worker/core';
import { createAppStore } from './store';

const sample = readFileSync('public/samples/shop-estate.segscope.json', 'utf8');

describe('app store', () => {
  it('keeps the previous workspace when a malformed file is loaded, and reports where', async () => {
    const saved: string[] = [];
    const store = createAppStore(inProcessEngine());
    store.subscribe((s, prev) => {
      if (s.history !== prev.history) saved.push(s.workspace?.name ?? '');
    });
    await store.getState().importFiles([{ name: 'shop.json', text: sample }]);
    const before = store.getState().workspace;
    expect(before?.services).toHaveLength(15);

    const report = await store
      .getState()
      .importFiles([{ name: 'broken.json', text: '{"segscope": 1,\n  "services": [' }]);
    expect(report.failed).toBe(true);
    expect(report.files[0]?.diagnostics[0]).toMatchObject({ file: 'broken.json', line: 2, severity: 'error' });
    expect(store.getState().workspace).toBe(before);
    expect(store.getState().report).toBe(report);
    expect(saved).toEqual(['Shop estate (sample)']);
  });

  it('replaces the workspace on a successful load and clears the selection', async () => {
    const store = createAppStore(inProcessEngine());
    await store.getState().importFiles([{ name: 'shop.json', text: sample }]);
    store.getState().select({ serviceId: 'auth' });
    const other = JSON.stringify({ segscope: 1, name: 'tiny', services: [], segments: [], calls: [], rules: [] });
    await store.getState().importFiles([{ name: 'tiny.json', text: other }]);
    expect(store.getState().workspace?.name).toBe('tiny');
    expect(store.getState().selection).toEqual({});
  });

  it('opening a file is undoable: undo brings back the edited workspace and redo the opened one (README: one rule)', async () => {
    const engine = inProcessEngine();
    const store = createAppStore(engine);
    await store.getState().importFiles([{ name: 'shop.json', text: sample }]);
    const from = store.getState().workspace?.services.find((s) => s.id === 'auth')?.memberships.overlay?.[0] ?? null;
    expect(store.getState().apply({ type: 'moveService', service: 'auth', level: 'overlay', from, to: null })).toBe(
      true,
    );
    const edited = store.getState().workspace;
    const tiny = JSON.stringify({ segscope: 1, name: 'tiny', services: [], segments: [], calls: [], rules: [] });
    await store.getState().importFiles([{ name: 'tiny.json', text: tiny }]);
    expect(store.getState().workspace?.name).toBe('tiny');
    expect(store.getState().undo()).toBe(true);
    expect(store.getState().workspace).toBe(edited);
    // The engine took the same steps: its analysis is of the edited workspace.
    expect((await engine.analyze()).calls.length).toBe(
      (await inProcessEngine().importFiles([{ name: 's.json', text: sample }])).workspace.calls.length,
    );
    expect(store.getState().redo()).toBe(true);
    expect(store.getState().workspace?.name).toBe('tiny');
    store
      .getState()
      .setWorkspace({ segscope: 1, name: 'New workspace', services: [], segments: [], calls: [], rules: [] });
    expect(store.getState().undo()).toBe(true);
    expect(store.getState().workspace?.name).toBe('tiny');
  });

  it('a load asked for while the app starts waits for the start and lands on top of what it restored', async () => {
    let started: () => void = () => undefined;
    const ready = new Promise<void>((r) => {
      started = r;
    });
    const store = createAppStore(inProcessEngine(), { ready });
    const tiny = JSON.stringify({ segscope: 1, name: 'tiny', services: [], segments: [], calls: [], rules: [] });
    const early = store.getState().importFiles([{ name: 'tiny.json', text: tiny }]);
    expect(store.getState().pendingLoads).toBe(1);
    await store.getState().importFiles([{ name: 'shop.json', text: sample }], { atStart: true });
    expect(store.getState().workspace?.name).toBe('Shop estate (sample)');
    started();
    await early;
    expect(store.getState().workspace?.name).toBe('tiny');
    expect(store.getState().undo()).toBe(true);
    expect(store.getState().workspace?.name).toBe('Shop estate (sample)');
  });

  it('a read-only page refuses edits, loads and undo, and says why', async () => {
    const store = createAppStore(inProcessEngine());
    await store.getState().importFiles([{ name: 'shop.json', text: sample }]);
    const before = store.getState().history;
    store.getState().setReadOnly('open in another tab');
    const from = store.getState().workspace?.services.find((s) => s.id === 'auth')?.memberships.overlay?.[0] ?? null;
    expect(store.getState().apply({ type: 'moveService', service: 'auth', level: 'overlay', from, to: null })).toBe(
      false,
    );
    expect(store.getState().editError).toBe('open in another tab');
    expect((await store.getState().importFiles([{ name: 'shop.json', text: sample }])).failed).toBe(true);
    expect(store.getState().undo()).toBe(false);
    expect(store.getState().history).toBe(before);
  });

  it('a restarted engine is given the history and the workspace is analysed again', async () => {
    const store = createAppStore(inProcessEngine());
    await store.getState().importFiles([{ name: 'shop.json', text: sample }]);
    const from = store.getState().workspace?.services.find((s) => s.id === 'auth')?.memberships.overlay?.[0] ?? null;
    store.getState().apply({ type: 'moveService', service: 'auth', level: 'overlay', from, to: null });
    const fresh = inProcessEngine();
    const restarted = createAppStore(fresh);
    restarted.setState({ history: store.getState().history, workspace: store.getState().workspace });
    restarted.getState().engineRestarted('stopped');
    expect(restarted.getState().notice).toMatch(/restarted; no edit was lost/);
    await expect.poll(() => restarted.getState().analysis !== null).toBe(true);
    // The new engine answers for the edited workspace, not for the file as loaded.
    const edited = store.getState().workspace as Workspace;
    expect(JSON.stringify((await fresh.analyze()).findings)).toBe(JSON.stringify(analyze(edited).findings));
    expect(JSON.stringify(analyze(edited).findings)).not.toBe(
      JSON.stringify(analyze(store.getState().history?.base as Workspace).findings),
    );
  });

  it('Cancel while reading abandons the import and keeps the workspace; while analysing a load, takes the load back', async () => {
    const engine = inProcessEngine();
    let stop: (e: Error) => void = () => undefined;
    const slowImport = engine.importFiles;
    engine.importFiles = () =>
      new Promise((_, reject) => {
        stop = reject;
      });
    engine.cancel = () => stop(new EngineStopped('cancelled'));
    const store = createAppStore(engine);
    engine.importFiles = slowImport;
    await store.getState().importFiles([{ name: 'shop.json', text: sample }]);
    const before = store.getState().workspace;
    engine.importFiles = () =>
      new Promise((_, reject) => {
        stop = reject;
      });
    const pending = store.getState().importFiles([{ name: 'huge.json', text: sample }]);
    await expect.poll(() => store.getState().busy).toMatch(/^Reading 1 file/);
    store.getState().cancel();
    const report = await pending;
    expect(report.failed).toBe(true);
    expect(report.diagnostics[0]?.message).toBe('reading cancelled; the previous workspace is kept');
    expect(store.getState().workspace).toBe(before);
    // Analysing a load: Cancel takes the load back.
    engine.importFiles = slowImport;
    const tiny = JSON.stringify({ segscope: 1, name: 'tiny', services: [], segments: [], calls: [], rules: [] });
    await store.getState().importFiles([{ name: 'tiny.json', text: tiny }]);
    store.setState({ analysis: null });
    store.getState().cancel();
    expect(store.getState().workspace).toBe(before);
  });

  it('asks the engine for the analysis before it publishes the new workspace (the worker analyses while the page draws)', async () => {
    const engine = inProcessEngine();
    const order: string[] = [];
    const analyze = engine.analyze.bind(engine);
    engine.analyze = () => {
      order.push('analyze');
      return analyze();
    };
    const store = createAppStore(engine);
    store.subscribe((state, prev) => {
      if (state.workspace !== prev.workspace) order.push('workspace');
    });
    await store.getState().importFiles([{ name: 'shop.json', text: sample }]);
    await expect.poll(() => store.getState().analysis !== null).toBe(true);
    const svc = store.getState().workspace?.services.find((s) => s.id === 'auth');
    const from = svc?.memberships.overlay?.[0];
    expect(from).toBeDefined();
    const move = { type: 'moveService', service: 'auth', level: 'overlay', from: from ?? null, to: null } as const;
    expect(store.getState().apply(move)).toBe(true);
    expect(store.getState().undo()).toBe(true);
    expect(store.getState().redo()).toBe(true);
    // The undo goes back to the load, whose analysis the page kept: nothing asked. The move's had not
    // landed when it was redone: asked again.
    expect(order).toEqual(['analyze', 'workspace', 'analyze', 'workspace', 'workspace', 'analyze', 'workspace']);
    await expect.poll(() => store.getState().analysis !== null).toBe(true);
  });

  it('an undo or a redo shows the analysis the page had for that workspace at once, without asking the engine', async () => {
    const engine = inProcessEngine();
    let asked = 0;
    const analyze = engine.analyze.bind(engine);
    engine.analyze = () => {
      asked++;
      return analyze();
    };
    const store = createAppStore(engine);
    const landed = async () => {
      await expect.poll(() => store.getState().analysis !== null).toBe(true);
      return store.getState().analysis;
    };
    await store.getState().importFiles([{ name: 'shop.json', text: sample }]);
    const loaded = await landed();
    const move = (service: string) =>
      ({ type: 'moveService', service, level: 'group', from: 'group:sg-app', to: 'group:sg-batch' }) as const;
    store.getState().apply(move('catalog'));
    const moved = await landed();
    expect(asked).toBe(2);
    // Back to the load: its very analysis, in the same step as its workspace.
    store.getState().undo();
    expect(store.getState().analysis).toBe(loaded);
    store.getState().redo();
    expect(store.getState().analysis).toBe(moved);
    expect(asked).toBe(2);
    // Equal to what the engine computes for the workspace shown (the analysis of the move, not the load's).
    expect(store.getState().analysis).toEqual(await analyze());
    // Two analyses are kept (the current one and the one before): a third step back asks again.
    store.getState().apply(move('search'));
    await landed();
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().analysis).toBeNull();
    expect(await landed()).toEqual(loaded);
    expect(asked).toBe(4);
  });

  describe('drag previews are latest-wins (DESIGN.md: a stale preview is never computed to the end, never shown)', () => {
    /** An engine whose previews answer when the test says, recording which targets it was asked for. */
    const setup = async () => {
      const engine = inProcessEngine();
      const asked: (string | null)[] = [];
      const answer = new Map<string | null, (d: PreviewDelta) => void>();
      engine.preview = (move) => {
        asked.push(move.to);
        return new Promise((resolve) => answer.set(move.to, resolve));
      };
      const store = createAppStore(engine);
      await store.getState().importFiles([{ name: 'shop.json', text: sample }]);
      const from = store.getState().workspace?.services.find((s) => s.id === 'catalog')?.memberships.group?.[0] ?? '';
      const delta = (name: string) => ({ brokenCalls: [], restoredCalls: [], name }) as unknown as PreviewDelta;
      return { store, asked, answer, from, delta };
    };

    it('computes only the newest of the targets hovered meanwhile and never applies an outdated answer', async () => {
      const { store, asked, answer, from, delta } = await setup();
      const s = store.getState();
      s.dragStart({ service: 'catalog', level: 'group', from });
      s.dragTarget('group:sg-web', 'move');
      s.dragTarget('group:sg-batch', 'move');
      s.dragTarget('group:sg-db', 'move');
      expect(asked).toEqual(['group:sg-web']);
      // The answer for a target the pointer left arrives: it is stale and not shown.
      answer.get('group:sg-web')?.(delta('web'));
      await expect.poll(() => asked).toEqual(['group:sg-web', 'group:sg-db']);
      expect(store.getState().drag?.delta).toBeNull();
      answer.get('group:sg-db')?.(delta('db'));
      await expect.poll(() => store.getState().drag?.delta).toEqual(delta('db'));
      expect(store.getState().drag?.target).toBe('group:sg-db');
    });

    it('never shows an answer of an earlier drag over the same target in a new drag', async () => {
      const { store, asked, answer, from, delta } = await setup();
      const s = store.getState();
      s.dragStart({ service: 'catalog', level: 'group', from });
      s.dragTarget('group:sg-web', 'move');
      s.dragCancel();
      s.dragStart({ service: 'catalog', level: 'group', from });
      s.dragTarget('group:sg-web', 'move');
      answer.get('group:sg-web')?.(delta('first drag'));
      await expect.poll(() => asked).toEqual(['group:sg-web', 'group:sg-web']);
      expect(store.getState().drag?.delta).toBeNull();
      answer.get('group:sg-web')?.(delta('second drag'));
      await expect.poll(() => store.getState().drag?.delta).toEqual(delta('second drag'));
    });
  });
});
