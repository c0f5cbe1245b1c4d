import { describe, expect, it } from 'vitest';
import type { Protocol, Rule, Workspace } from '../../model/types';
import { reach } from '../reach';
import { calico, networkSet, np, seg, svc, tier, ws } from '../testing/build';
import { type Expected, levelVerdict } from '../testing/verdict';

const NS_SHOP = 'policy:k8s:ns:shop';
const NS_PAY = 'policy:k8s:ns:pay';

const world = (rules: Rule[]): Workspace =>
  ws({
    services: [
      svc('k8s:shop/api', {
        labels: { app: 'api' },
        policy: [NS_SHOP],
        addresses: ['10.244.1.5'],
        role: ['role:k8s:sa:shop/api-sa'],
      }),
      svc('k8s:shop/db', { labels: { app: 'db' }, policy: [NS_SHOP], ports: [{ port: 5432, name: 'pg' }] }),
      svc('k8s:pay/billing', { labels: { app: 'billing' }, policy: [NS_PAY] }),
      svc('aws:partner', { addresses: ['203.0.113.7'] }),
    ],
    segments: [
      seg(NS_SHOP, 'policy', { kind: 'namespace', name: 'shop', labels: { team: 'shop' } }),
      seg(NS_PAY, 'policy', { kind: 'namespace', name: 'pay', labels: { team: 'pay' } }),
      seg('role:k8s:sa:shop/api-sa', 'role', { kind: 'service-account', name: 'api-sa', labels: { trusted: 'yes' } }),
    ],
    rules,
  });

const API = 'k8s:shop/api';
const DB = 'k8s:shop/db';
const BILL = 'k8s:pay/billing';
const PARTNER = 'aws:partner';
const allowApiToDb = np(
  'knp-db',
  'shop',
  { matchLabels: { app: 'db' } },
  ['Ingress'],
  [{ peers: [{ podSelector: { matchLabels: { app: 'api' } } }] }],
);
const sec = tier('security', 100);

describe('policy level: Calico', () => {
  it.each<[string, Workspace, string, string, number | undefined, Protocol | undefined, Expected]>([
    [
      'a Deny in an earlier tier beats a K8s allow',
      world([
        sec,
        allowApiToDb,
        calico('gnp-deny', {
          tier: 'security',
          order: 10,
          selector: 'app == "db"',
          types: ['Ingress'],
          ingress: [{ action: 'Deny', source: { selector: 'app == "api"' } }],
        }),
      ]),
      API,
      DB,
      5432,
      undefined,
      { verdict: 'deny', rule: 'gnp-deny' },
    ],
    [
      'Pass hands over to the default tier',
      world([
        sec,
        allowApiToDb,
        calico('gnp-pass', { tier: 'security', selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Pass' }] }),
      ]),
      API,
      DB,
      5432,
      undefined,
      { verdict: 'allow', rule: 'knp-db' },
    ],
    [
      'Pass with no later tier selecting reaches the profile (allow)',
      world([
        sec,
        calico('gnp-pass', { tier: 'security', selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Pass' }] }),
      ]),
      API,
      DB,
      5432,
      undefined,
      { verdict: 'allow', rule: 'gnp-pass' },
    ],
    [
      'selected in a tier without a match: denied at the end of the tier',
      world([
        sec,
        calico('gnp-web', {
          tier: 'security',
          selector: 'app == "db"',
          types: ['Ingress'],
          ingress: [{ action: 'Allow', source: { selector: 'app == "web"' } }],
        }),
      ]),
      API,
      DB,
      5432,
      undefined,
      { verdict: 'deny', rule: 'gnp-web' },
    ],
    [
      'lower order decides first',
      world([
        calico('b-deny', { order: 20, selector: 'app == "db"', types: ['Ingress'], ingress: [{ action: 'Deny' }] }),
        calico('a-allow', { order: 10, selector: 'app == "db"', types: ['Ingress'], ingress: [{ action: 'Allow' }] }),
      ]),
      API,
      DB,
      80,
      undefined,
      { verdict: 'allow', rule: 'a-allow' },
    ],
    [
      'equal order: by name',
      world([
        calico('b-allow', { order: 10, selector: 'app == "db"', types: ['Ingress'], ingress: [{ action: 'Allow' }] }),
        calico('a-deny', { order: 10, selector: 'app == "db"', types: ['Ingress'], ingress: [{ action: 'Deny' }] }),
      ]),
      API,
      DB,
      80,
      undefined,
      { verdict: 'deny', rule: 'a-deny' },
    ],
    [
      'Log continues to the next rule',
      world([
        calico('log', {
          order: 1,
          selector: 'app == "db"',
          types: ['Ingress'],
          ingress: [{ action: 'Log' }, { action: 'Deny' }],
        }),
      ]),
      API,
      DB,
      80,
      undefined,
      { verdict: 'deny', rule: 'log' },
    ],
    [
      'tier order: the lower-order tier is evaluated first',
      world([
        tier('late', 500),
        tier('early', 50),
        calico('late-allow', { tier: 'late', selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Allow' }] }),
        calico('early-deny', {
          tier: 'early',
          selector: 'all()',
          types: ['Ingress'],
          ingress: [{ action: 'Deny', source: { selector: 'app == "api"' } }],
        }),
      ]),
      API,
      DB,
      80,
      undefined,
      { verdict: 'deny', rule: 'early-deny' },
    ],
    [
      'a namespaced policy applies only in its namespace',
      world([
        calico('shop/deny', {
          namespace: 'shop',
          selector: 'all()',
          types: ['Ingress'],
          ingress: [{ action: 'Deny' }],
        }),
      ]),
      API,
      BILL,
      80,
      undefined,
      { verdict: 'open', rule: undefined },
    ],
    [
      'a namespaced rule selector sees only its namespace',
      world([
        calico('shop/db', {
          namespace: 'shop',
          selector: 'app == "db"',
          types: ['Ingress'],
          ingress: [{ action: 'Allow', source: { selector: 'app == "billing"' } }],
        }),
      ]),
      BILL,
      DB,
      80,
      undefined,
      { verdict: 'deny', rule: 'shop/db' },
    ],
    [
      'rule namespaceSelector reaches other namespaces',
      world([
        calico('shop/db', {
          namespace: 'shop',
          selector: 'app == "db"',
          types: ['Ingress'],
          ingress: [{ action: 'Allow', source: { namespaceSelector: 'team == "pay"' } }],
        }),
      ]),
      BILL,
      DB,
      80,
      undefined,
      { verdict: 'allow', rule: 'shop/db' },
    ],
    [
      'global network set labels via selector',
      world([
        networkSet('gns-partners', { role: 'partner' }, ['203.0.113.0/24']),
        calico('gnp-db', {
          selector: 'app == "db"',
          types: ['Ingress'],
          ingress: [{ action: 'Allow', source: { selector: 'role == "partner"' } }],
        }),
      ]),
      PARTNER,
      DB,
      5432,
      undefined,
      { verdict: 'allow', rule: 'gnp-db' },
    ],
    [
      'network set not containing the address does not match',
      world([
        networkSet('gns-partners', { role: 'partner' }, ['198.51.100.0/24']),
        calico('gnp-db', {
          selector: 'app == "db"',
          types: ['Ingress'],
          ingress: [{ action: 'Allow', source: { selector: 'role == "partner"' } }],
        }),
      ]),
      PARTNER,
      DB,
      5432,
      undefined,
      { verdict: 'deny', rule: 'gnp-db' },
    ],
    [
      'egress Deny to nets',
      world([
        calico('gnp-eg', {
          selector: 'app == "api"',
          types: ['Egress'],
          egress: [{ action: 'Deny', destination: { nets: ['203.0.113.0/24'] } }, { action: 'Allow' }],
        }),
      ]),
      API,
      PARTNER,
      443,
      undefined,
      { verdict: 'deny', rule: 'gnp-eg' },
    ],
    [
      'egress Allow after non-matching Deny',
      world([
        calico('gnp-eg', {
          selector: 'app == "api"',
          types: ['Egress'],
          egress: [{ action: 'Deny', destination: { nets: ['198.51.100.0/24'] } }, { action: 'Allow' }],
        }),
      ]),
      API,
      PARTNER,
      443,
      undefined,
      { verdict: 'allow', rule: 'gnp-eg' },
    ],
    [
      'notPorts carve out a port',
      world([
        calico('gnp-db', {
          selector: 'app == "db"',
          types: ['Ingress'],
          ingress: [{ action: 'Allow', protocol: 'TCP', destination: { notPorts: [22] } }],
        }),
      ]),
      API,
      DB,
      22,
      undefined,
      { verdict: 'deny', rule: 'gnp-db' },
    ],
    [
      'port ranges "a:b" and named ports',
      world([
        calico('gnp-db', {
          selector: 'app == "db"',
          types: ['Ingress'],
          ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['8000:8100', 'pg'] } }],
        }),
      ]),
      API,
      DB,
      5432,
      undefined,
      { verdict: 'allow', rule: 'gnp-db' },
    ],
    [
      'a UDP rule does not match TCP',
      world([
        calico('gnp-db', {
          selector: 'app == "db"',
          types: ['Ingress'],
          ingress: [{ action: 'Allow', protocol: 'UDP' }],
        }),
      ]),
      API,
      DB,
      5432,
      undefined,
      { verdict: 'deny', rule: 'gnp-db' },
    ],
    [
      'serviceAccounts names match the caller',
      world([
        calico('gnp-db', {
          selector: 'app == "db"',
          types: ['Ingress'],
          ingress: [{ action: 'Allow', source: { serviceAccounts: { names: ['api-sa'] } } }],
        }),
      ]),
      API,
      DB,
      5432,
      undefined,
      { verdict: 'allow', rule: 'gnp-db' },
    ],
    [
      'an invalid selector selects nothing',
      world([calico('gnp-bad', { selector: 'app == ', types: ['Ingress'], ingress: [{ action: 'Deny' }] })]),
      API,
      DB,
      5432,
      undefined,
      { verdict: 'open', rule: undefined },
    ],
    [
      'types default to Ingress',
      world([calico('gnp-db', { selector: 'app == "db"', ingress: [{ action: 'Deny' }] })]),
      API,
      DB,
      5432,
      undefined,
      { verdict: 'deny', rule: 'gnp-db' },
    ],
  ])('%s', (_name, w, from, to, port, protocol, expected) => {
    expect(levelVerdict(w, from, to, 'policy', port, protocol)).toEqual(expected);
  });

  it('computes first-match sets exactly: a Deny on one port carves it from a later Allow', () => {
    const w = world([
      calico('gnp-db', {
        selector: 'app == "db"',
        types: ['Ingress'],
        ingress: [
          { action: 'Deny', protocol: 'TCP', destination: { ports: [5432] } },
          { action: 'Allow', protocol: 'TCP' },
        ],
      }),
    ]);
    expect(reach(w, API, DB).connections).toEqual(['TCP 1-5431', 'TCP 5433-65535']);
    expect(reach(w, API, DB, 5432).levels.policy.rule?.summary).toBe(
      'GlobalNetworkPolicy gnp-db (tier default) ingress rule 1: Deny TCP from any to ports 5432',
    );
  });
});
