import { describe, expect, it } from 'vitest';
import type { Protocol, Rule, Workspace } from '../../model/types';
import { reach } from '../reach';
import { np, seg, svc, ws } from '../testing/build';
import { type Expected, levelVerdict } from '../testing/verdict';

const NS_SHOP = 'policy:k8s:ns:shop';
const NS_PAY = 'policy:k8s:ns:pay';

/** Pods api, db (shop), billing (pay), and a non-pod AWS service; plus the given policies. */
const world = (rules: Rule[]): Workspace =>
  ws({
    services: [
      svc('k8s:shop/api', {
        namespace: 'shop',
        labels: { app: 'api', tier: 'web' },
        policy: [NS_SHOP],
        addresses: ['10.244.1.5'],
      }),
      svc('k8s:shop/db', {
        namespace: 'shop',
        labels: { app: 'db', tier: 'data' },
        policy: [NS_SHOP],
        ports: [
          { port: 5432, name: 'pg' },
          { port: 8080, name: 'http' },
          { port: 53, name: 'dns', protocol: 'UDP' },
        ],
      }),
      svc('k8s:pay/billing', { namespace: 'pay', labels: { app: 'billing', tier: 'web' }, policy: [NS_PAY] }),
      svc('aws:ext', { addresses: ['192.168.1.5'] }),
    ],
    segments: [
      seg(NS_SHOP, 'policy', {
        kind: 'namespace',
        name: 'shop',
        labels: { team: 'shop', 'kubernetes.io/metadata.name': 'shop' },
      }),
      seg(NS_PAY, 'policy', {
        kind: 'namespace',
        name: 'pay',
        labels: { team: 'pay', 'kubernetes.io/metadata.name': 'pay' },
      }),
    ],
    rules,
  });

const ingressDb = (id: string, ingress: Parameters<typeof np>[4]) =>
  np(id, 'shop', { matchLabels: { app: 'db' } }, ['Ingress'], ingress);

const T = 'k8s:shop/api';
const DB = 'k8s:shop/db';
const BILL = 'k8s:pay/billing';
const EXT = 'aws:ext';

describe('policy level: Kubernetes NetworkPolicy', () => {
  it.each<[string, Workspace, string, string, number | undefined, Protocol | undefined, Expected]>([
    ['no policy: open', world([]), T, DB, 5432, undefined, { verdict: 'open', rule: undefined }],
    [
      'default deny (ingress: []) denies',
      world([np('deny', 'shop', {}, ['Ingress'], [])]),
      T,
      DB,
      5432,
      undefined,
      { verdict: 'deny', rule: 'deny' },
    ],
    [
      'allow from podSelector in the same namespace',
      world([ingressDb('db', [{ peers: [{ podSelector: { matchLabels: { app: 'api' } } }] }])]),
      T,
      DB,
      5432,
      undefined,
      { verdict: 'allow', rule: 'db' },
    ],
    [
      'podSelector alone does not reach other namespaces',
      world([ingressDb('db', [{ peers: [{ podSelector: { matchLabels: { tier: 'web' } } }] }])]),
      BILL,
      DB,
      5432,
      undefined,
      { verdict: 'deny', rule: 'db' },
    ],
    [
      'namespaceSelector on namespace labels allows',
      world([ingressDb('db', [{ peers: [{ namespaceSelector: { matchLabels: { team: 'pay' } } }] }])]),
      BILL,
      DB,
      5432,
      undefined,
      { verdict: 'allow', rule: 'db' },
    ],
    [
      'namespaceSelector by kubernetes.io/metadata.name',
      world([
        ingressDb('db', [
          { peers: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'pay' } } }] },
        ]),
      ]),
      BILL,
      DB,
      80,
      undefined,
      { verdict: 'allow', rule: 'db' },
    ],
    [
      'namespaceSelector AND podSelector in one element: pod fails',
      world([
        ingressDb('db', [
          {
            peers: [
              { namespaceSelector: { matchLabels: { team: 'pay' } }, podSelector: { matchLabels: { app: 'other' } } },
            ],
          },
        ]),
      ]),
      BILL,
      DB,
      80,
      undefined,
      { verdict: 'deny', rule: 'db' },
    ],
    [
      'namespaceSelector AND podSelector in one element: both match',
      world([
        ingressDb('db', [
          {
            peers: [
              { namespaceSelector: { matchLabels: { team: 'pay' } }, podSelector: { matchLabels: { app: 'billing' } } },
            ],
          },
        ]),
      ]),
      BILL,
      DB,
      80,
      undefined,
      { verdict: 'allow', rule: 'db' },
    ],
    [
      'separate elements are OR',
      world([
        ingressDb('db', [
          {
            peers: [
              { podSelector: { matchLabels: { app: 'nope' } } },
              { namespaceSelector: { matchLabels: { team: 'pay' } } },
            ],
          },
        ]),
      ]),
      BILL,
      DB,
      80,
      undefined,
      { verdict: 'allow', rule: 'db' },
    ],
    [
      'empty namespaceSelector selects every namespace',
      world([ingressDb('db', [{ peers: [{ namespaceSelector: {} }] }])]),
      BILL,
      DB,
      80,
      undefined,
      { verdict: 'allow', rule: 'db' },
    ],
    [
      'matchExpressions NotIn excludes',
      world([
        ingressDb('db', [
          {
            peers: [
              {
                namespaceSelector: {},
                podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['billing'] }] },
              },
            ],
          },
        ]),
      ]),
      BILL,
      DB,
      80,
      undefined,
      { verdict: 'deny', rule: 'db' },
    ],
    [
      'ipBlock containing the address allows a non-pod',
      world([ingressDb('db', [{ peers: [{ ipBlock: { cidr: '192.168.0.0/16' } }] }])]),
      EXT,
      DB,
      5432,
      undefined,
      { verdict: 'allow', rule: 'db' },
    ],
    [
      'ipBlock except carves the address out',
      world([ingressDb('db', [{ peers: [{ ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.1.0/24'] } }] }])]),
      EXT,
      DB,
      5432,
      undefined,
      { verdict: 'deny', rule: 'db' },
    ],
    [
      'podSelector never matches a non-pod',
      world([ingressDb('db', [{ peers: [{ podSelector: {} }] }])]),
      EXT,
      DB,
      5432,
      undefined,
      { verdict: 'deny', rule: 'db' },
    ],
    [
      'named port resolves against the target',
      world([ingressDb('db', [{ ports: [{ port: 'pg' }] }])]),
      T,
      DB,
      5432,
      undefined,
      { verdict: 'allow', rule: 'db' },
    ],
    [
      'named port: another port is denied',
      world([ingressDb('db', [{ ports: [{ port: 'pg' }] }])]),
      T,
      DB,
      8081,
      undefined,
      { verdict: 'deny', rule: 'db' },
    ],
    [
      'named port with the wrong protocol does not resolve',
      world([ingressDb('db', [{ ports: [{ port: 'dns', protocol: 'TCP' }] }])]),
      T,
      DB,
      53,
      undefined,
      { verdict: 'deny', rule: 'db' },
    ],
    [
      'named UDP port resolves',
      world([ingressDb('db', [{ ports: [{ port: 'dns', protocol: 'UDP' }] }])]),
      T,
      DB,
      53,
      'UDP',
      { verdict: 'allow', rule: 'db' },
    ],
    [
      'endPort range allows inside',
      world([ingressDb('db', [{ ports: [{ port: 5000, endPort: 6000 }] }])]),
      T,
      DB,
      5432,
      undefined,
      { verdict: 'allow', rule: 'db' },
    ],
    [
      'endPort range denies outside',
      world([ingressDb('db', [{ ports: [{ port: 5000, endPort: 6000 }] }])]),
      T,
      DB,
      6001,
      undefined,
      { verdict: 'deny', rule: 'db' },
    ],
    [
      'protocol defaults to TCP: UDP call denied',
      world([ingressDb('db', [{ ports: [{ port: 53 }] }])]),
      T,
      DB,
      53,
      'UDP',
      { verdict: 'deny', rule: 'db' },
    ],
    [
      'union of policies: the second allows',
      world([ingressDb('db-80', [{ ports: [{ port: 80 }] }]), ingressDb('db-pg', [{ ports: [{ port: 5432 }] }])]),
      T,
      DB,
      5432,
      undefined,
      { verdict: 'allow', rule: 'db-pg' },
    ],
    [
      'a peer-less entry allows every source',
      world([ingressDb('db', [{}])]),
      EXT,
      DB,
      9999,
      undefined,
      { verdict: 'allow', rule: 'db' },
    ],
    [
      'an Egress-only policy leaves ingress open',
      world([np('eg', 'shop', { matchLabels: { app: 'db' } }, ['Egress'], undefined, [])]),
      T,
      DB,
      5432,
      undefined,
      { verdict: 'open', rule: undefined },
    ],
    [
      'egress isolation denies the caller',
      world([
        np('api-eg', 'shop', { matchLabels: { app: 'api' } }, ['Egress'], undefined, [
          { peers: [{ podSelector: { matchLabels: { app: 'cache' } } }] },
        ]),
      ]),
      T,
      DB,
      5432,
      undefined,
      { verdict: 'deny', rule: 'api-eg' },
    ],
    [
      'egress to the callee allows',
      world([
        np('api-eg', 'shop', { matchLabels: { app: 'api' } }, ['Egress'], undefined, [
          { peers: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }] },
        ]),
      ]),
      T,
      DB,
      5432,
      undefined,
      { verdict: 'allow', rule: 'api-eg' },
    ],
    [
      'egress named port resolves against the destination',
      world([
        np('api-eg', 'shop', { matchLabels: { app: 'api' } }, ['Egress'], undefined, [{ ports: [{ port: 'http' }] }]),
      ]),
      T,
      DB,
      8080,
      undefined,
      { verdict: 'allow', rule: 'api-eg' },
    ],
    [
      'egress allowed but ingress isolated: ingress decides',
      world([
        np('api-eg', 'shop', { matchLabels: { app: 'api' } }, ['Egress'], undefined, [{}]),
        np('deny', 'shop', {}, ['Ingress'], []),
      ]),
      T,
      DB,
      5432,
      undefined,
      { verdict: 'deny', rule: 'deny' },
    ],
    [
      'policyTypes empty with egress rules isolates egress',
      world([np('api-eg', 'shop', { matchLabels: { app: 'api' } }, [], undefined, [])]),
      T,
      DB,
      5432,
      undefined,
      { verdict: 'deny', rule: 'api-eg' },
    ],
    [
      'a policy in another namespace does not select',
      world([np('pay-deny', 'pay', {}, ['Ingress'], [])]),
      T,
      DB,
      5432,
      undefined,
      { verdict: 'open', rule: undefined },
    ],
  ])('%s', (_name, w, from, to, port, protocol, expected) => {
    expect(levelVerdict(w, from, to, 'policy', port, protocol)).toEqual(expected);
  });

  it('explains and suggests the rule to add: never in a policy selecting every pod (its purpose is another)', () => {
    const v = reach(world([np('deny', 'shop', {}, ['Ingress'], [])]), T, DB, 5432).levels.policy;
    expect(v.rule?.summary).toBe('NetworkPolicy shop/deny isolates db for ingress');
    expect(v.fix).toBe(
      'add a NetworkPolicy selecting db with an ingress rule from podSelector app=api in namespace shop on TCP 5432',
    );
    const narrow = reach(world([np('db', 'shop', { matchLabels: { app: 'db' } }, ['Ingress'], [])]), T, DB, 5432);
    expect(narrow.levels.policy.fix).toBe(
      'add to NetworkPolicy shop/db an ingress rule from podSelector app=api in namespace shop on TCP 5432',
    );
  });

  it('returns the exact connection set of a pair', () => {
    const w = world([
      ingressDb('db', [{ ports: [{ port: 'pg' }, { port: 10053, endPort: 10054 }, { port: 53, protocol: 'UDP' }] }]),
    ]);
    expect(reach(w, T, DB).connections).toEqual(['TCP 5432', 'TCP 10053-10054', 'UDP 53']);
    expect(reach(world([]), T, DB).connections).toBe('all');
  });
});
