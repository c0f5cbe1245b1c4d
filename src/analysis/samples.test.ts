import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../import/index';
import { analyze } from './analyze';
import { reach } from './reach';

const load = (...names: string[]) =>
  importFiles(names.map((n) => ({ name: n, text: readFileSync(`public/samples/${n}`, 'utf8') }))).workspace;

const verdicts = (v: ReturnType<typeof reach>) =>
  Object.fromEntries(Object.entries(v.levels).map(([l, x]) => [l, [x.verdict, x.rule?.id]]));

describe('analysis of the shipped samples', () => {
  it('Kubernetes shop: every call allowed, least privilege, and egress isolation blocks the rest', () => {
    const w = load('k8s/shop.yaml');
    const a = analyze(w);
    expect(a.calls.map((c) => c.class)).toEqual(Array(9).fill('allowed'));
    expect(a.excess).toEqual([]);
    expect(verdicts(reach(w, 'frontend', 'orders-db', 5432)).policy).toEqual([
      'deny',
      'k8s:shop/netpol/frontend-egress',
    ]);
    expect(verdicts(reach(w, 'orders-db', 'payment', 8080)).policy).toEqual(['deny', 'k8s:shop/netpol/payment-policy']);
  });

  it('Kubernetes + Calico: the security tier decides before the Kubernetes policies', () => {
    const w = load('k8s/shop.yaml', 'calico/tiers.yaml');
    expect(analyze(w).calls.filter((c) => c.class === 'broken')).toEqual([]);
    expect(verdicts(reach(w, 'orders-db', 'payment', 8080)).policy).toEqual([
      'deny',
      'calico:global/gnp/security.pci-isolation',
    ]);
    expect(verdicts(reach(w, 'checkout', 'orders-db', 5432)).policy).toEqual([
      'allow',
      'calico:data/netpol/orders-db-access',
    ]);
  });

  it('Compose v1: the default bridge with icc=true is flat', () => {
    const a = analyze(load('compose/v1-proxy-app-db.yml'));
    expect(a.calls.every((c) => c.class === 'allowed')).toBe(true);
    expect(a.findings.filter((f) => f.id === 'default-allow').map((f) => f.key)).toEqual([
      'default-allow:overlay:bridge',
    ]);
  });

  it('shop estate: two broken calls, each with its level and rule', () => {
    const a = analyze(load('shop-estate.segscope.json'));
    expect(a.calls.filter((c) => c.class === 'broken').map((c) => [c.from, c.to, c.deniedBy])).toEqual([
      ['web', 'search', ['overlay']],
      ['orders', 'db-orders', ['group']],
    ]);
    expect(a.hubs.map((h) => [h.service, h.callers])).toEqual([['auth', 7]]);
  });
});
