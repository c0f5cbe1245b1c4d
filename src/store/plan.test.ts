import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inProcessEngine } from '../worker/client';
import { createPlanStore } from './plan';
import { createAppStore } from './store';

const sample = readFileSync('public/samples/shop-estate.segscope.json', 'utf8');

const open = async () => {
  const engine = inProcessEngine();
  const app = createAppStore(engine);
  await app.getState().importFiles([{ name: 'shop.json', text: sample }]);
  return { app, engine, plans: createPlanStore(app, engine) };
};

describe('plan store', () => {
  it("a finding's best fix applies as one history step; one undo takes it all back", async () => {
    const { app, engine, plans } = await open();
    const finding = (await engine.analyze()).findings.find((f) => f.key === 'sg-abuse:broad:group:sg-app');
    expect(finding).toBeDefined();
    await plans.getState().openFixes(finding as never);
    const view = plans.getState().view;
    expect(view?.kind === 'fixes' && view.offers?.[0]?.commands.length).toBeGreaterThan(1);
    const before = app.getState().workspace;
    const steps = app.getState().history?.past.length ?? 0;
    expect(await plans.getState().apply()).toBe(true);
    expect(plans.getState().view).toBeNull();
    expect(app.getState().history?.past).toHaveLength(steps + 1);
    expect(app.getState().history?.past.at(-1)?.type).toBe('applyPlan');
    expect((await engine.analyze()).findings.map((f) => f.key)).not.toContain('sg-abuse:broad:group:sg-app');
    app.getState().undo();
    expect(app.getState().workspace).toBe(before);
    expect((await engine.analyze()).findings.map((f) => f.key)).toContain('sg-abuse:broad:group:sg-app');
  });

  it('a proposal steps forward one service at a time, Back undoes its own last step only', async () => {
    const { app, plans } = await open();
    await plans.getState().openProposal('group');
    const v = () => plans.getState().view as Extract<ReturnType<typeof plans.getState>['view'], { kind: 'proposal' }>;
    expect(v().offer?.steps.length).toBeGreaterThan(2);
    expect(v().delta).not.toBeNull();
    const first = v().offer?.steps[0];
    await plans.getState().apply();
    expect(v().step).toBe(1);
    const moved = app.getState().workspace?.services.find((s) => s.id === first?.service);
    expect(moved?.memberships.group?.every((id) => id.startsWith('group:proposed:'))).toBe(true);
    expect(await plans.getState().back()).toBe(true);
    expect(v().step).toBe(0);
    // An edit of the person's own on top: Back leaves it (and the proposal's step) alone.
    await plans.getState().apply();
    app.getState().apply({ type: 'renameSegment', segment: 'group:sg-db', name: 'sg-data' });
    expect(await plans.getState().back()).toBe(false);
    expect(v().step).toBe(1);
  });

  it('opening another workspace closes the plan', async () => {
    const { app, plans } = await open();
    await plans.getState().openTighten('group');
    expect(plans.getState().view?.kind).toBe('tighten');
    await app.getState().importFiles([{ name: 'shop2.json', text: sample }]);
    expect(plans.getState().view).toBeNull();
  });
});
