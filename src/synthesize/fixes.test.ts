import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze';
import { call, seg, sgRule, svc, ws } from '../analysis/testing/build';
import { randomWorkspace } from '../analysis/testing/random';
import { importFiles } from '../import/index';
import { applyCommand } from '../model/commands';
import { fixesFor } from './fixes';
import { describePlan } from './plan';
import { estateArgs } from './testing';

const boutique = () =>
  importFiles([
    { name: 'boutique.yaml', text: readFileSync(new URL('./testdata/boutique.yaml', import.meta.url), 'utf8') },
  ]).workspace;

describe('fixesFor', () => {
  it('checkout → email (Online Boutique): a policy for emailservice, never the unrelated allow-prometheus-scrape', () => {
    const w = boutique();
    const a = analyze(w);
    const finding = a.findings.find(
      (f) => f.key === 'broken-call:k8s:boutique/checkoutservice->k8s:boutique/emailservice:8080/TCP',
    );
    expect(finding).toBeDefined();
    const fixes = fixesFor(w, a, finding as never);
    expect(fixes.map((f) => [f.title, f.closes, f.opened, f.rules, f.levels])).toEqual([
      [
        'add NetworkPolicy boutique/emailservice-from-checkoutservice allowing checkoutservice → emailservice on TCP 8080',
        true,
        0,
        1,
        ['policy'],
      ],
    ]);
    expect(describePlan(w, fixes[0]?.commands ?? [])).toEqual([
      'add NetworkPolicy boutique/emailservice-from-checkoutservice on pods {app=emailservice}: ingress from pods {app=checkoutservice} on TCP 8080',
    ]);
    expect(JSON.stringify(fixes.map((f) => [f.title, f.commands]))).not.toContain('allow-prometheus-scrape');
    expect(fixes[0]?.delta.restoredCalls.map((c) => [c.from, c.to, c.port])).toEqual([
      ['k8s:boutique/checkoutservice', 'k8s:boutique/emailservice', 8080],
    ]);
  });

  it('ranks group fixes by reach opened, then rules: the ingress rule alone first', () => {
    const w = ws({
      services: [
        svc('api', { group: ['group:app'] }),
        svc('batch', { group: ['group:app'] }),
        svc('db', { group: ['group:db'] }),
      ],
      segments: [
        seg('group:app', 'group', { kind: 'security-group' }),
        seg('group:db', 'group', { kind: 'security-group' }),
      ],
      calls: [call('api', 'db', 5432)],
      rules: [sgRule('app-out', 'group:app', 'egress', '-1', '0.0.0.0/0')],
    });
    const a = analyze(w);
    const f = a.findings.find((x) => x.id === 'broken-call');
    const fixes = fixesFor(w, a, f as never);
    // Sharing a group grants nothing (DESIGN.md), so joining db's group is no candidate; batch shares api's group.
    expect(fixes.map((x) => [x.title, x.closes, x.opened, x.rules])).toEqual([
      ['add ingress tcp 5432 from app to db', true, 1, 1],
      ['add ingress tcp 5432 from app to db and egress on app', true, 1, 2],
    ]);
    expect(fixes[0]?.delta.openedPairs).toEqual([
      { from: 'api', to: 'db' },
      { from: 'batch', to: 'db' },
    ]);
  });

  it('applying the best fix removes its finding, on random estates (property)', () => {
    fc.assert(
      fc.property(...estateArgs([3, 9], [2, 12]), (seed, n, m) => {
        const w = randomWorkspace(seed, n, m);
        const a = analyze(w);
        for (const f of a.findings.filter((x) => x.id === 'broken-call').slice(0, 2)) {
          const [best] = fixesFor(w, a, f, 3);
          if (!best?.closes) continue;
          const after = best.commands.reduce(applyCommand, w);
          expect(analyze(after).findings.some((x) => x.key === f.key)).toBe(false);
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('relatedPolicy', () => {
  it('a policy is related when it already names the port or every pod it selects serves it; a scrape policy for all pods is not', async () => {
    const { relatedPolicy } = await import('./fix-candidates');
    const { buildIndex } = await import('../analysis/context');
    const w = boutique();
    const ix = buildIndex(w);
    const rule = (name: string) => w.rules.find((r) => r.type === 'k8s-network-policy' && r.name === name) as never;
    const ask = (to: string, port: number) => ({
      a: 0,
      b: ix.byId.get(`k8s:boutique/${to}`) as number,
      port,
      protocol: 'TCP' as const,
    });
    expect(relatedPolicy(ix, rule('allow-prometheus-scrape'), 'ingress', ask('emailservice', 8080))).toBe(false);
    expect(relatedPolicy(ix, rule('checkoutservice'), 'ingress', ask('checkoutservice', 5050))).toBe(true);
    expect(relatedPolicy(ix, rule('cartservice'), 'ingress', ask('cartservice', 7070))).toBe(true);
  });
});

describe('fixesFor: segment plans', () => {
  // DESIGN.md sg-abuse: "too many services in one group (over-broad)"; the fix the finding names is
  // "split by role (one group per tier or service)", rules copied so no call breaks.
  it('an over-broad group is split by tier: the finding closes and no call breaks', () => {
    const kinds = ['gateway', 'service', 'service', 'service', 'datastore', 'datastore'] as const;
    const services = Array.from({ length: 12 }, (_, i) =>
      svc(`s${i}`, { group: ['group:all'], kind: kinds[i % kinds.length] as never }),
    );
    const w = ws({
      services,
      segments: [seg('group:all', 'group', { kind: 'security-group' })],
      calls: [call('s0', 's1', 8080), call('s1', 's4', 5432)],
      rules: [
        sgRule('all-in', 'group:all', 'ingress', '-1', 'group:all'),
        sgRule('all-out', 'group:all', 'egress', '-1', '0.0.0.0/0'),
      ],
    });
    const a = analyze(w);
    const f = a.findings.find((x) => x.key === 'sg-abuse:broad:group:all');
    expect(f).toBeDefined();
    const fixes = fixesFor(w, a, f as never);
    expect(fixes.map((x) => [x.title, x.closes, x.broken])).toEqual([
      // Two halves of 6 (the scope is 12 grouped services): fewer groups, fewer copied rules than by tier.
      [
        "split all into 2 groups of at most half its VPC's grouped services (call communities kept together, rules copied)",
        true,
        0,
      ],
      ['split all by tier into 3 groups (rules copied)', true, 0],
      // The members without calls among them stay together: 9 of 12 is still most of the group.
      ['split all by call communities into 2 groups (rules copied)', false, 0],
    ]);
    const after = fixes[1]?.commands.reduce(applyCommand, w) as typeof w;
    expect(after.segments.map((s) => s.name)).toEqual(['all', 'all-datastore', 'all-gateway']);
    expect(analyze(after).findings.some((x) => x.id === 'broken-call' || x.key === f?.key)).toBe(false);
  });

  // DESIGN.md shared-failure-domain: "services meant to fail independently share a segment".
  it('critical services sharing one group: all but the first split off, one group each', () => {
    const w = ws({
      services: [
        svc('pay', { group: ['group:core'], critical: true }),
        svc('ledger', { group: ['group:core'], critical: true }),
        svc('vault', { group: ['group:core'], critical: true }),
        svc('web', { group: ['group:core'] }),
      ],
      segments: [seg('group:core', 'group', { kind: 'security-group' })],
      calls: [call('web', 'pay', 443), call('web', 'ledger', 443)],
      rules: [sgRule('core-in', 'group:core', 'ingress', 'tcp', 'group:core', 443)],
    });
    const a = analyze(w);
    const f = a.findings.find((x) => x.key === 'shared-failure-domain:segment:group:core');
    expect(f).toBeDefined();
    const [best] = fixesFor(w, a, f as never);
    expect([best?.title, best?.closes, best?.broken]).toEqual([
      'split ledger, vault off core, one group segment each (rules copied)',
      true,
      0,
    ]);
  });
});
