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

  it('Kubernetes cluster policies: ANP by priority, Pass to the NetworkPolicy, BANP where none selects (API reference order)', () => {
    const w = load('k8s/admin-policies.yaml', 'k8s/cluster-network-policy.yaml');
    const broken = analyze(w)
      .calls.filter((c) => c.class === 'broken')
      .map((c) => `${c.from} > ${c.to}`);
    expect(broken).toEqual([
      'k8s:sandbox/experiment > k8s:payments/gateway',
      'k8s:sandbox/experiment > k8s:web/storefront',
    ]);
    const gw = reach(w, 'k8s:sandbox/experiment', 'k8s:payments/gateway', 8443).levels.policy;
    expect(gw.rule).toMatchObject({
      id: 'k8s:anp/pci-isolation',
      source: { file: 'k8s/admin-policies.yaml', line: 167 },
    });
    expect(verdicts(reach(w, 'k8s:sandbox/experiment', 'k8s:web/storefront', 8080)).policy).toEqual([
      'deny',
      'k8s:banp/default',
    ]);
    // Passed to the payments NetworkPolicy: the gateway reaches the ledger, the storefront does not.
    expect(verdicts(reach(w, 'k8s:payments/gateway', 'k8s:payments/ledger-db', 5432)).policy).toEqual([
      'allow',
      'k8s:payments/netpol/ledger-db-ingress',
    ]);
    expect(verdicts(reach(w, 'k8s:web/storefront', 'k8s:payments/ledger-db', 5432)).policy).toEqual([
      'deny',
      'k8s:anp/pci-isolation',
    ]);
    expect(verdicts(reach(w, 'k8s:monitoring/prometheus', 'k8s:payments/ledger-db', 9100)).policy).toEqual([
      'allow',
      'k8s:anp/monitoring-scrapes',
    ]);
  });

  it('Kubernetes user-defined networks: different primary networks are isolated at the network level', () => {
    const w = load('k8s/user-defined-networks.yaml');
    expect(verdicts(reach(w, 'k8s:blue/app', 'k8s:red-back/api', 8080)).network).toEqual([
      'deny',
      'network:k8s:udn:blue/blue-net',
    ]);
    expect(verdicts(reach(w, 'k8s:red-front/web', 'k8s:red-back/api', 8080)).network).toEqual([
      'allow',
      'network:k8s:cudn:red-tenant',
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
  it('Kubernetes on Cilium: the ingressDeny and the egress default deny break the two calls they should (docs.cilium.io deny, default mode)', () => {
    const w = load('k8s/cilium-policies.yaml');
    const broken = analyze(w)
      .calls.filter((c) => c.class === 'broken')
      .map((c) => `${c.from} > ${c.to}`);
    expect(broken).toEqual(['k8s:store/frontend > k8s:store/cdn', 'k8s:tools/debug > k8s:store/db']);
    const db = reach(w, 'k8s:tools/debug', 'k8s:store/db', 5432).levels.policy;
    expect(db.rule).toMatchObject({
      id: 'k8s:cnp/store/db-ingress',
      source: { file: 'k8s/cilium-policies.yaml', line: 151 },
    });
    expect(verdicts(reach(w, 'k8s:store/frontend', 'k8s:store/cdn', 443)).policy).toEqual([
      'deny',
      'k8s:ccnp/store-egress',
    ]);
    expect(verdicts(reach(w, 'k8s:store/api', 'k8s:store/payments', 443)).policy).toEqual([
      'allow',
      'k8s:ccnp/store-egress',
    ]);
    expect(verdicts(reach(w, 'k8s:tools/prometheus', 'k8s:store/api', 8080)).policy).toEqual([
      'allow',
      'k8s:cnp/store/api-ingress',
    ]);
  });

  it('Kubernetes on Istio: STRICT mTLS refuses the legacy job, the root DENY keeps tools out before any ALLOW (istio.io authorization-policy)', () => {
    const w = load('k8s/istio-bookinfo.yaml');
    const broken = analyze(w)
      .calls.filter((c) => c.class === 'broken')
      .map((c) => `${c.from} > ${c.to} ${c.deniedBy.join(',')}`);
    expect(broken).toEqual([
      'k8s:tools/debug > k8s:bookinfo/details role',
      'k8s:tools/debug > k8s:bookinfo/ratings role',
      'k8s:legacy/reports > k8s:bookinfo/reviews role',
    ]);
    expect(reach(w, 'k8s:tools/debug', 'k8s:bookinfo/details', 9080).levels.role.rule).toMatchObject({
      id: 'k8s:istio-authz/istio-system/deny-tools',
      source: { file: 'k8s/istio-bookinfo.yaml', line: 197 },
    });
    expect(verdicts(reach(w, 'k8s:legacy/reports', 'k8s:bookinfo/reviews', 9080)).role).toEqual([
      'deny',
      'k8s:istio-peerauth/istio-system/default',
    ]);
    // Both levels allow ratings → mysqldb: the NetworkPolicy and the ALLOW policy.
    const db = verdicts(reach(w, 'k8s:bookinfo/ratings', 'k8s:bookinfo/mysqldb', 3306));
    expect([db.policy, db.role]).toEqual([
      ['allow', 'k8s:bookinfo/netpol/mysqldb-ingress'],
      ['allow', 'k8s:istio-authz/bookinfo/mysqldb-clients'],
    ]);
    // details allows GET only: allowed on some requests, and the reason says so.
    expect(reach(w, 'k8s:bookinfo/productpage', 'k8s:bookinfo/details', 9080).levels.role.reason).toContain(
      'on some requests only',
    );
  });
});
