import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inProcessEngine } from '../worker/client';
import { createAppStore } from './store';

const sample = readFileSync('public/samples/shop-estate.segscope.json', 'utf8');

describe('app store', () => {
  it('keeps the previous workspace when a malformed file is loaded, and reports where', async () => {
    const saved: string[] = [];
    const store = createAppStore(inProcessEngine(), { onWorkspace: (ws) => saved.push(ws.name ?? '') });
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
    const svc = store.getState().workspace?.services.find((s) => s.id === 'auth');
    const from = svc?.memberships.overlay?.[0];
    expect(from).toBeDefined();
    const move = { type: 'moveService', service: 'auth', level: 'overlay', from: from ?? null, to: null } as const;
    expect(store.getState().apply(move)).toBe(true);
    expect(store.getState().undo()).toBe(true);
    expect(store.getState().redo()).toBe(true);
    expect(order).toEqual([
      'analyze',
      'workspace',
      'analyze',
      'workspace',
      'analyze',
      'workspace',
      'analyze',
      'workspace',
    ]);
    await expect.poll(() => store.getState().analysis !== null).toBe(true);
  });
});
