import { describe, expect, it } from 'vitest';
import type { Rule, Workspace } from '../../model/types';
import { computeConnlist } from '../connlist';
import { formatConnlistReference } from '../connlist-txt';
import { reach } from '../reach';
import { adminRule, anp, np, seg, svc, ws } from '../testing/build';
import { levelVerdict } from '../testing/verdict';

// AdminNetworkPolicy evaluation order, as the API reference (network-policy-api.sigs.k8s.io/reference/spec)
// and KEP-2091 define it: ANP by priority (lower first), first matching rule; Allow and Deny end it, Pass
// goes to NetworkPolicy; NetworkPolicy as usual; BaselineAdminNetworkPolicy only where no NetworkPolicy
// isolates the pod; else the default allows.

const NS_SHOP = 'policy:k8s:ns:shop';
const NS_PAY = 'policy:k8s:ns:pay';

const world = (rules: Rule[], extra: Partial<Workspace> = {}): Workspace =>
  ws({
    services: [
      svc('k8s:shop/api', { namespace: 'shop', labels: { app: 'api' }, policy: [NS_SHOP], addresses: ['10.244.1.5'] }),
      svc('k8s:shop/db', {
        namespace: 'shop',
        labels: { app: 'db' },
        policy: [NS_SHOP],
        addresses: ['10.244.1.6'],
        ports: [
          { port: 5432, name: 'pg' },
          { port: 53, name: 'dns', protocol: 'UDP' },
        ],
      }),
      svc('k8s:pay/billing', { namespace: 'pay', labels: { app: 'billing' }, policy: [NS_PAY] }),
      svc('ext', { kind: 'external', addresses: ['192.168.7.7'] }),
      svc('node-agent', { kind: 'external', addresses: ['172.18.0.2'] }),
      ...(extra.services ?? []),
    ],
    segments: [
      seg(NS_SHOP, 'policy', { kind: 'namespace', name: 'shop', labels: { team: 'shop' } }),
      seg(NS_PAY, 'policy', { kind: 'namespace', name: 'pay', labels: { team: 'pay' } }),
      ...(extra.segments ?? []),
    ],
    rules,
  });

const API = 'k8s:shop/api';
const DB = 'k8s:shop/db';
const BILL = 'k8s:pay/billing';
const shop = { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } };
const pay = { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'pay' } } };
const dbPods = { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } } };
const apiPods = { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } };
const allNs = { namespaces: {} };
const npAllowApiToDb = np(
  'np:shop/db',
  'shop',
  { matchLabels: { app: 'db' } },
  ['Ingress'],
  [{ peers: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 5432 }] }],
);

describe('policy level: AdminNetworkPolicy → NetworkPolicy → BaselineAdminNetworkPolicy', () => {
  it('an ANP Deny beats a NetworkPolicy allow (API reference: ANP rules have higher precedence than NetworkPolicy)', () => {
    const deny = adminRule('Deny', [apiPods], undefined, 'no-api');
    const w = world([npAllowApiToDb, anp('guard-db', 10, dbPods, { ingress: [deny] })]);
    const v = reach(w, API, DB, 5432).levels.policy;
    expect(v.verdict).toBe('deny');
    expect(v.rule?.id).toBe('anp:guard-db');
    expect(v.rule?.source).toEqual(deny.source);
    expect(v.reason).toContain('AdminNetworkPolicy guard-db (priority 10) ingress rule 1: "no-api" Deny');
  });

  it('an ANP Allow admits what NetworkPolicy would isolate (Allow: NetworkPolicy and BANP are not evaluated)', () => {
    const isolate = np('np:shop/deny', 'shop', { matchLabels: { app: 'db' } }, ['Ingress'], []);
    const w = world([isolate, anp('ops', 5, dbPods, { ingress: [adminRule('Allow', [apiPods], [{ port: 5432 }])] })]);
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'allow', rule: 'anp:ops' });
    // Other ports are not matched by the ANP: the NetworkPolicy isolation decides them.
    expect(levelVerdict(w, API, DB, 'policy', 53, 'UDP')).toEqual({ verdict: 'deny', rule: 'np:shop/deny' });
  });

  it('lower priority value first: priority 10 Allow wins over priority 20 Deny, whatever the order written', () => {
    const w = world([
      anp('late', 20, dbPods, { ingress: [adminRule('Deny', [allNs])] }),
      anp('early', 10, dbPods, { ingress: [adminRule('Allow', [shop])] }),
    ]);
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'allow', rule: 'anp:early' });
    expect(levelVerdict(w, BILL, DB, 'policy', 5432)).toEqual({ verdict: 'deny', rule: 'anp:late' });
  });

  it('equal priorities: the API leaves the choice to the implementation; segscope evaluates them by name', () => {
    const w = world([
      anp('b-deny', 10, dbPods, { ingress: [adminRule('Deny', [shop])] }),
      anp('a-allow', 10, dbPods, { ingress: [adminRule('Allow', [shop])] }),
    ]);
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'allow', rule: 'anp:a-allow' });
  });

  it('inside one ANP the first matching rule decides (rules in the order written)', () => {
    const w = world([
      anp('order', 10, dbPods, {
        ingress: [adminRule('Allow', [apiPods], [{ port: 5432 }]), adminRule('Deny', [shop])],
      }),
    ]);
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'allow', rule: 'anp:order' });
    expect(levelVerdict(w, API, DB, 'policy', 53, 'UDP')).toEqual({ verdict: 'deny', rule: 'anp:order' });
  });

  it('Pass skips the remaining ANP rules and goes to NetworkPolicy (KEP-2091: Pass delegates to the namespace owner)', () => {
    const rules = [
      anp('delegate', 10, dbPods, { ingress: [adminRule('Pass', [shop])] }),
      anp('deny-all', 20, dbPods, { ingress: [adminRule('Deny', [allNs])] }),
    ];
    // No NetworkPolicy: the lower-priority Deny is skipped for passed traffic; the default allows.
    expect(levelVerdict(world(rules), API, DB, 'policy', 5432).verdict).toBe('allow');
    // Not passed (billing is not in shop): the Deny applies.
    expect(levelVerdict(world(rules), BILL, DB, 'policy', 5432)).toEqual({ verdict: 'deny', rule: 'anp:deny-all' });
    // With a NetworkPolicy isolating db, it decides the passed traffic: 5432 from api yes, 53 no.
    const w = world([...rules, npAllowApiToDb]);
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'allow', rule: 'np:shop/db' });
    expect(levelVerdict(w, API, DB, 'policy', 53, 'UDP')).toEqual({ verdict: 'deny', rule: 'np:shop/db' });
  });

  it('BANP applies only where no NetworkPolicy selects the pod for that direction', () => {
    const banp = anp('default', undefined, allNs, { ingress: [adminRule('Deny', [allNs])] });
    const w = world([npAllowApiToDb, banp]);
    // db is isolated by a NetworkPolicy: it decides, the BANP is never reached.
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'allow', rule: 'np:shop/db' });
    expect(levelVerdict(w, BILL, DB, 'policy', 5432)).toEqual({ verdict: 'deny', rule: 'np:shop/db' });
    // billing is selected by no NetworkPolicy: the BANP denies.
    const v = reach(w, API, BILL, 80).levels.policy;
    expect(v.verdict).toBe('deny');
    expect(v.rule?.id).toBe('banp:default');
    expect(v.reason).toContain('BaselineAdminNetworkPolicy default ingress rule 1');
  });

  it('an ANP Pass reaches the BANP when no NetworkPolicy selects the pod', () => {
    const w = world([
      anp('delegate', 10, { namespaces: {} }, { ingress: [adminRule('Pass', [allNs])] }),
      anp('default', undefined, allNs, {
        ingress: [adminRule('Allow', [shop], [{ protocol: 'TCP', port: 80 }]), adminRule('Deny', [allNs])],
      }),
    ]);
    expect(levelVerdict(w, API, BILL, 'policy', 80)).toEqual({ verdict: 'allow', rule: 'banp:default' });
    expect(levelVerdict(w, API, BILL, 'policy', 81)).toEqual({ verdict: 'deny', rule: 'banp:default' });
    expect(levelVerdict(w, BILL, DB, 'policy', 80)).toEqual({ verdict: 'deny', rule: 'banp:default' });
  });

  it('nothing matched anywhere: the default allows, naming the policy that did not decide', () => {
    const w = world([anp('pay-only', 10, dbPods, { ingress: [adminRule('Deny', [pay])] })]);
    const v = reach(w, API, DB, 5432).levels.policy;
    expect(v.verdict).toBe('allow');
    expect(v.reason).toContain('default allow');
  });

  it('egress and ingress are decided separately and both must allow', () => {
    const w = world([
      anp('api-out', 10, apiPods, { egress: [adminRule('Allow', [shop], [{ port: 5432 }])] }),
      anp('default', undefined, dbPods, { ingress: [adminRule('Deny', [shop], [{ port: 5432 }])] }),
    ]);
    // Egress allowed by the ANP, ingress denied by the BANP (no NetworkPolicy selects db).
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'deny', rule: 'banp:default' });
  });

  it('networks peers match addresses in the CIDRs, pods included; 0.0.0.0/0 also a pod whose address is unknown', () => {
    const w = world([
      anp('egress', 10, shop, {
        egress: [
          adminRule('Deny', [{ networks: ['192.168.0.0/16'] }]),
          adminRule('Allow', [{ networks: ['10.244.0.0/16'] }]),
        ],
      }),
      anp('default', undefined, shop, { egress: [adminRule('Deny', [{ networks: ['0.0.0.0/0'] }])] }),
    ]);
    expect(levelVerdict(w, API, 'ext', 'policy', 443)).toEqual({ verdict: 'deny', rule: 'anp:egress' });
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'allow', rule: 'anp:egress' });
    // billing has no known address: only the baseline 0.0.0.0/0 Deny matches it.
    expect(levelVerdict(w, API, BILL, 'policy', 80)).toEqual({ verdict: 'deny', rule: 'banp:default' });
  });

  it('nodes peers match the addresses of the Node objects whose labels match', () => {
    const nodes = [
      seg('network:k8s:node:cp-1', 'network', {
        kind: 'node',
        name: 'cp-1',
        labels: { 'node-role.kubernetes.io/control-plane': '' },
        cidrs: ['172.18.0.2/32'],
      }),
      seg('network:k8s:node:w-1', 'network', { kind: 'node', name: 'w-1', labels: {}, cidrs: ['172.18.0.3/32'] }),
    ];
    const nodeSel = {
      matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' as const }],
    };
    const w = world([anp('no-cp', 10, shop, { egress: [adminRule('Deny', [{ nodes: nodeSel }], [{ port: 6443 }])] })], {
      segments: nodes,
    });
    expect(levelVerdict(w, API, 'node-agent', 'policy', 6443)).toEqual({ verdict: 'deny', rule: 'anp:no-cp' });
    expect(levelVerdict(w, API, 'node-agent', 'policy', 443).verdict).toBe('allow');
    expect(levelVerdict(w, API, 'ext', 'policy', 6443).verdict).toBe('allow');
  });

  it('named ports take number and protocol from the target; port ranges are inclusive', () => {
    const w = world([
      anp('ports', 10, dbPods, {
        ingress: [
          adminRule('Allow', [shop], [{ namedPort: 'dns' }, { protocol: 'TCP', port: 5000, endPort: 5432 }]),
          adminRule('Deny', [allNs]),
        ],
      }),
    ]);
    expect(levelVerdict(w, API, DB, 'policy', 53, 'UDP').verdict).toBe('allow');
    expect(levelVerdict(w, API, DB, 'policy', 53, 'TCP').verdict).toBe('deny');
    expect(levelVerdict(w, API, DB, 'policy', 5432).verdict).toBe('allow');
    expect(levelVerdict(w, API, DB, 'policy', 5433).verdict).toBe('deny');
  });

  it('host-networked pods are not subjects (API reference, subject)', () => {
    const w = world([anp('guard', 10, shop, { ingress: [adminRule('Deny', [allNs])] })], {
      services: [svc('k8s:shop/agent', { namespace: 'shop', hostNetwork: true, policy: [NS_SHOP], labels: {} })],
    });
    expect(levelVerdict(w, BILL, 'k8s:shop/agent', 'policy', 80).verdict).toBe('open');
    expect(levelVerdict(w, BILL, DB, 'policy', 80).verdict).toBe('deny');
  });

  it('connlist agrees with reach on the exact port sets', () => {
    const w = world([
      npAllowApiToDb,
      anp('guard', 10, dbPods, { ingress: [adminRule('Deny', [pay]), adminRule('Pass', [shop], [{ port: 5432 }])] }),
      anp('default', undefined, allNs, { ingress: [adminRule('Deny', [pay])] }),
    ]);
    const list = computeConnlist(w).connections.filter((c) => !c.from.includes('-') && !c.to.includes('-'));
    const line = (from: string, to: string) => list.find((c) => c.from === from && c.to === to)?.ports;
    expect(line('shop/api', 'shop/db')).toEqual(['TCP 5432']);
    expect(line('pay/billing', 'shop/db')).toBeUndefined();
    // The baseline denies pay → shop where no NetworkPolicy selects the pod (api), not shop → pay.
    expect(line('pay/billing', 'shop/api')).toBeUndefined();
    expect(line('shop/db', 'pay/billing')).toBe('all');
    for (const c of list) {
      const [from, to] = [c.from, c.to].map((n) => `k8s:${n}`) as [string, string];
      expect(reach(w, from, to).reachable).toBe(true);
    }
  });

  it('the reference text layout prints a set lacking only some ports of every protocol as "All but:"', () => {
    const w = world([
      anp('default', undefined, dbPods, { ingress: [adminRule('Deny', [pay], [{ protocol: 'TCP', port: 80 }])] }),
    ]);
    const text = formatConnlistReference(computeConnlist(w)).split('\n');
    expect(text).toContain('pay/billing => shop/db : All but: TCP 80');
  });
});
