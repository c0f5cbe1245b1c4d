import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../import/index';
import { buildChangePlan, planToMarkdown } from './plan';

const base = importFiles([
  { name: 'shop.json', text: readFileSync('public/samples/shop-estate.segscope.json', 'utf8') },
]).workspace;

describe('change plan', () => {
  const plan = buildChangePlan(base, [
    { type: 'moveService', service: 'catalog', level: 'group', from: 'group:sg-app', to: 'group:sg-batch' },
    { type: 'moveService', service: 'orders', level: 'group', from: 'group:sg-batch', to: 'group:sg-app' },
  ]);

  it('lists each edit with its membership change and the calls it breaks or restores', () => {
    expect(plan.steps.map((s) => s.description)).toEqual([
      'move catalog at group: sg-app → sg-batch',
      'move orders at group: sg-batch → sg-app',
    ]);
    expect(plan.steps[0]?.memberships).toEqual([
      { service: 'catalog', level: 'group', from: 'sg-app', to: 'sg-batch' },
    ]);
    expect(plan.steps[0]?.brokenCalls.map((c) => `${c.from}>${c.to}:${c.port}@${c.levels.join()}`).sort()).toEqual([
      'catalog>cache:6379@group',
      'catalog>search:9200@group',
      'web>catalog:8080@group',
    ]);
    // orders → db-orders was broken (sg-db only admits sg-app); moving orders into sg-app restores it.
    expect(plan.steps[1]?.restoredCalls.map((c) => `${c.from}>${c.to}`)).toContain('orders>db-orders');
    expect(plan.brokenBefore).toBe(2);
    const second = plan.steps[1];
    expect(plan.brokenAfter).toBe(
      plan.brokenBefore + 3 - (second?.restoredCalls.length ?? 0) + (second?.brokenCalls.length ?? 0),
    );
  });

  it('writes Markdown for review minutes', () => {
    const md = planToMarkdown(plan);
    expect(md).toContain('# Change plan — Shop estate (sample)');
    expect(md).toContain('## 1. move catalog at group: sg-app → sg-batch');
    expect(md).toContain('- group: catalog leaves sg-app, joins sg-batch');
    expect(md).toMatch(/ {2}- web → catalog:8080 \(denied at group/);
    expect(md).toContain('## Connectivity change');
  });

  it('reports the connectivity difference between the imported and the edited workspace', () => {
    const removed = plan.connectivity.removed.map((r) => `${r.from}>${r.to}`);
    expect(removed).toContain('shop/web>shop/catalog');
  });

  it('describes segment edits too', () => {
    const p = buildChangePlan(base, [{ type: 'mergeSegments', from: 'group:sg-batch', into: 'group:sg-app' }]);
    expect(p.steps[0]?.description).toBe('merge sg-batch into sg-app');
    expect(
      p.steps[0]?.memberships
        .filter((m) => m.level === 'group')
        .map((m) => m.service)
        .sort(),
    ).toEqual(['inventory', 'notifications', 'orders']);
    expect(p.steps[0]?.restoredCalls.map((c) => `${c.from}>${c.to}`)).toContain('orders>db-orders');
  });
});
