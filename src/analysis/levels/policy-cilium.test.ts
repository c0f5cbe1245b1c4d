import { describe, expect, it } from 'vitest';
import {
  CNP_DB_FROM_WEB,
  deployment,
  externalName,
  loadManifests,
  manifests,
  namespace,
} from '../../formats/k8s/testing/cluster';
import type { Diagnostic, Workspace } from '../../model/types';
import { ALL, formatConnSet } from '../connset';
import { reach } from '../reach';
import { ciliumPeerMatches, ciliumPortsConns } from './policy-cilium';
import type { Endpoint } from './policy-endpoint';

// Cilium policy semantics as docs.cilium.io states them:
// - security/policy/intro ("Policy Enforcement Modes", default): an endpoint selected by a rule with an
//   ingress (egress) section is in default deny for ingress (egress); enableDefaultDeny opts a policy out.
// - security/policy/deny: deny rules take precedence over allow rules of any policy, NetworkPolicy included.
// - security/policy/language (Layer 3): a CiliumNetworkPolicy's endpoint selectors are limited to its own
//   namespace unless they name k8s:io.kubernetes.pod.namespace; entities; CIDR rules never match endpoints
//   Cilium manages; (Layer 4) toPorts with protocol ANY; (Layer 7) HTTP rules.

const BASE = `${manifests(
  namespace('shop', { team: 'shop' }),
  namespace('ops', { team: 'ops' }),
  deployment({ name: 'web', namespace: 'shop', ports: [{ containerPort: 8080 }] }),
  deployment({ name: 'db', namespace: 'shop', ports: [{ name: 'pg', containerPort: 5432 }] }),
  deployment({ name: 'web', namespace: 'ops' }),
  externalName('partner', 'shop', 'api.partner.example'),
)}---
`;
const SHOP_WEB = 'k8s:shop/web';
const DB = 'k8s:shop/db';
const OPS_WEB = 'k8s:ops/web';
const PARTNER = 'k8s:shop/partner';

const load = (policies: string): { ws: Workspace; diagnostics: Diagnostic[] } => {
  const { workspace, diagnostics } = loadManifests(BASE + policies, 'c.yaml');
  return { ws: workspace, diagnostics };
};
const policyOf = (ws: Workspace, from: string, to: string, port?: number) => {
  const p = reach(ws, from, to, port).levels.policy;
  return { verdict: p.verdict, rule: p.rule?.summary, line: p.rule?.source?.line };
};

/** Line n of the policies text is line LINE0 + n - 1 of the file; a policy's own line is its spec's first key. */
const LINE0 = BASE.split('\n').length;

describe('Cilium default deny (docs.cilium.io security/policy/intro, default mode)', () => {
  const cnp = CNP_DB_FROM_WEB;
  it('a selected endpoint allows only what a rule allows, in the direction the rule has', () => {
    const { ws, diagnostics } = load(cnp);
    expect(diagnostics).toEqual([]);
    expect(policyOf(ws, SHOP_WEB, DB, 5432)).toEqual({
      verdict: 'allow',
      rule: 'CiliumNetworkPolicy shop/db ingress[0]: Allow from endpoints {app=web,io.kubernetes.pod.namespace=shop} on TCP 5432',
      line: LINE0 + 6,
    });
    expect(policyOf(ws, SHOP_WEB, DB, 22)).toEqual({
      verdict: 'deny',
      rule: 'CiliumNetworkPolicy shop/db puts db in default deny for ingress (Cilium: traffic no policy allows is dropped)',
      line: LINE0 + 4,
    });
    // Egress of db has no section: not in default deny.
    expect(policyOf(ws, DB, SHOP_WEB, 8080).verdict).toBe('open');
  });

  it('a CiliumNetworkPolicy selector without the namespace label stays in its namespace (ops/web is not shop/web)', () => {
    const { ws } = load(cnp);
    expect(policyOf(ws, OPS_WEB, DB, 5432).verdict).toBe('deny');
  });

  it('`ingress: [{}]` puts the endpoint in default deny and allows nothing', () => {
    const { ws } = load(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: lock, namespace: shop }
spec:
  endpointSelector: { matchLabels: { app: db } }
  ingress: [{}]
`);
    expect(policyOf(ws, SHOP_WEB, DB, 5432)).toEqual({
      verdict: 'deny',
      rule: 'CiliumNetworkPolicy shop/lock puts db in default deny for ingress (Cilium: traffic no policy allows is dropped)',
      line: LINE0 + 4,
    });
  });

  it('enableDefaultDeny {ingress: false}: the policy adds what it allows and isolates nothing', () => {
    const { ws } = load(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: scrape, namespace: shop }
spec:
  endpointSelector: { matchLabels: { app: db } }
  enableDefaultDeny: { ingress: false }
  ingress:
    - fromEntities: [cluster]
      toPorts: [{ ports: [{ port: "9187" }] }]
`);
    expect(policyOf(ws, OPS_WEB, DB, 9187).rule).toBe(
      'CiliumNetworkPolicy shop/scrape ingress[0]: Allow from entity cluster on ANY 9187',
    );
    expect(policyOf(ws, OPS_WEB, DB, 5432)).toEqual({
      verdict: 'allow',
      rule: 'no Cilium deny rule matches and no policy puts db in default deny for ingress (CiliumNetworkPolicy shop/scrape only adds): the default allows',
      line: LINE0 + 4,
    });
  });
});

describe('Cilium deny rules (docs.cilium.io security/policy/deny): they win over every allow', () => {
  const policies = `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: { name: no-ops-to-db }
spec:
  endpointSelector: { matchLabels: { k8s:io.kubernetes.pod.namespace: shop, app: db } }
  ingressDeny:
    - fromEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: ops } }]
      toPorts: [{ ports: [{ port: "5432", protocol: TCP }] }]
  ingress:
    - fromEntities: [all]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-open, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress: [{}]
`;
  it('an ingressDeny beats a Cilium allow-all and a NetworkPolicy allow-all, on its port only', () => {
    const { ws, diagnostics } = load(policies);
    expect(diagnostics).toEqual([]);
    expect(policyOf(ws, OPS_WEB, DB, 5432)).toEqual({
      verdict: 'deny',
      rule: 'CiliumClusterwideNetworkPolicy no-ops-to-db ingressDeny[0]: Deny from endpoints {io.kubernetes.pod.namespace=ops} on TCP 5432',
      line: LINE0 + 6,
    });
    expect(reach(ws, OPS_WEB, DB, 5432).levels.policy.reason).toBe(
      'CiliumClusterwideNetworkPolicy no-ops-to-db ingressDeny[0]: Deny from endpoints {io.kubernetes.pod.namespace=ops} on TCP 5432 denies web on TCP 5432.',
    );
    expect(policyOf(ws, OPS_WEB, DB, 8080).verdict).toBe('allow');
    expect(policyOf(ws, SHOP_WEB, DB, 5432).verdict).toBe('allow');
  });

  it('a deny-only policy puts the endpoint in default deny too ("Pods will enter default-deny mode as soon a single policy selects it")', () => {
    const { ws } = load(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: deny-only, namespace: shop }
spec:
  endpointSelector: { matchLabels: { app: db } }
  ingressDeny:
    - fromEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: ops } }]
`);
    expect(policyOf(ws, SHOP_WEB, DB, 5432).verdict).toBe('deny');
    expect(policyOf(ws, OPS_WEB, DB, 5432).rule).toBe(
      'CiliumNetworkPolicy shop/deny-only ingressDeny[0]: Deny from endpoints {io.kubernetes.pod.namespace=ops} on all ports',
    );
  });
});

describe('Cilium peers (docs.cilium.io security/policy/language, Layer 3)', () => {
  it('entities: world is outside the cluster, cluster is inside; egress default deny to the rest', () => {
    const { ws } = load(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: web-egress, namespace: shop }
spec:
  endpointSelector: { matchLabels: { app: web } }
  egress:
    - toEntities: [world]
      toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]
    - toEntities: [cluster]
      toPorts: [{ ports: [{ port: "5432", protocol: TCP }] }]
`);
    expect(policyOf(ws, SHOP_WEB, PARTNER, 443).rule).toBe(
      'CiliumNetworkPolicy shop/web-egress egress[0]: Allow to entity world on TCP 443',
    );
    expect(policyOf(ws, SHOP_WEB, DB, 5432).rule).toBe(
      'CiliumNetworkPolicy shop/web-egress egress[1]: Allow to entity cluster on TCP 5432',
    );
    // world is not a pod of the cluster, cluster not an address outside it.
    expect(policyOf(ws, SHOP_WEB, DB, 443).verdict).toBe('deny');
    expect(policyOf(ws, SHOP_WEB, PARTNER, 5432).verdict).toBe('deny');
  });

  it('a CiliumClusterwideNetworkPolicy selector without a namespace matches every namespace', () => {
    const { ws } = load(`apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: { name: db-from-web }
spec:
  endpointSelector: { matchLabels: { app: db } }
  ingress:
    - fromEndpoints: [{ matchLabels: { app: web } }]
`);
    expect(policyOf(ws, OPS_WEB, DB, 5432).verdict).toBe('allow');
    expect(policyOf(ws, SHOP_WEB, DB, 5432).verdict).toBe('allow');
  });

  it('toFQDNs matches a service outside the cluster by its DNS name (an ExternalName), with a warning that no DNS is resolved', () => {
    const { ws, diagnostics } = load(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: web-fqdn, namespace: shop }
spec:
  endpointSelector: { matchLabels: { app: web } }
  egress:
    - toFQDNs: [{ matchPattern: "*.partner.example" }]
`);
    expect(policyOf(ws, SHOP_WEB, PARTNER, 443).rule).toBe(
      'CiliumNetworkPolicy shop/web-fqdn egress[0]: Allow to FQDN *.partner.example on all ports',
    );
    expect(diagnostics.map((d) => [d.severity, d.line, d.message])).toEqual([
      [
        'warn',
        LINE0 + 6,
        'CiliumNetworkPolicy shop/web-fqdn: toFQDNs is read and matched against the names of services outside the cluster; segscope resolves no DNS, so a name it does not hold matches nothing',
      ],
    ]);
  });

  const ep = (over: Partial<Endpoint>): Endpoint => ({
    name: 'x',
    pod: false,
    hostNetwork: false,
    external: true,
    labels: {},
    calicoLabels: {},
    nsLabels: {},
    nsCalicoLabels: {},
    saLabels: {},
    addresses: [],
    ports: [],
    ...over,
  });
  it.each([
    ['an external address inside the CIDR', ep({ addresses: ['203.0.113.9'] }), true],
    ['an external address in the except range', ep({ addresses: ['203.0.113.200'] }), false],
    ['an external address outside', ep({ addresses: ['198.51.100.1'] }), false],
    [
      'a pod whose address is inside (CIDR rules never match managed endpoints)',
      ep({ pod: true, external: false, namespace: 'shop', addresses: ['203.0.113.9'] }),
      false,
    ],
  ])('toCIDRSet 203.0.113.0/24 except 203.0.113.128/25: %s', (_l, e, want) => {
    expect(ciliumPeerMatches({ cidr: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }, e, [])).toBe(want);
  });
});

describe('Cilium toPorts (docs.cilium.io security/policy/language, Layer 4)', () => {
  const target = { ports: [{ port: 5432, name: 'pg' }] } as unknown as Endpoint;
  it.each([
    ['protocol ANY is TCP, UDP and SCTP', [{ protocol: 'ANY' as const, port: 53 }], ['TCP 53', 'UDP 53', 'SCTP 53']],
    ['no port is every port of the protocol', [{ protocol: 'UDP' as const }], ['UDP 1-65535']],
    ['a range', [{ protocol: 'TCP' as const, port: 8000, endPort: 8010 }], ['TCP 8000-8010']],
    ['a named port resolves on the target', [{ protocol: 'TCP' as const, namedPort: 'pg' }], ['TCP 5432']],
    ['ICMP-only (no TCP/UDP/SCTP port)', [], []],
  ])('%s', (_l, ports, want) => {
    expect(formatConnSet(ciliumPortsConns(ports, target))).toEqual(want);
  });
  it('no toPorts is every port', () => {
    expect(ciliumPortsConns(undefined, target)).toEqual(ALL);
  });
});

describe('Cilium L7 rules (docs.cilium.io security/policy/language, Layer 7): read, warned, the port assumed allowed', () => {
  it('an HTTP rule restricts requests in the cluster; the verdict says what it assumes', () => {
    const { ws, diagnostics } = load(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: db-l7, namespace: shop }
spec:
  endpointSelector: { matchLabels: { app: db } }
  ingress:
    - fromEndpoints: [{ matchLabels: { app: web } }]
      toPorts:
        - ports: [{ port: "5432", protocol: TCP }]
          rules: { http: [{ method: GET, path: "/" }] }
`);
    expect(diagnostics.map((d) => [d.line, d.message])).toEqual([
      [
        LINE0 + 8,
        'CiliumNetworkPolicy shop/db-l7: L7 rules (http) are read but not modelled: the verdict assumes every request on these ports is one they allow (the cluster allows less)',
      ],
    ]);
    expect(policyOf(ws, SHOP_WEB, DB, 5432).rule).toBe(
      'CiliumNetworkPolicy shop/db-l7 ingress[0]: Allow from endpoints {app=web,io.kubernetes.pod.namespace=shop} on TCP 5432 (L7 http not modelled: assumed to allow every request)',
    );
  });
});

describe('Cilium host policies', () => {
  it('a CiliumClusterwideNetworkPolicy with nodeSelector is kept, warned about, and isolates no pod', () => {
    const { ws, diagnostics } = load(`apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: { name: host-fw }
spec:
  nodeSelector: {}
  ingress: [{ fromEntities: [cluster] }]
`);
    expect(ws.rules.map((r) => r.id)).toEqual(['k8s:ccnp/host-fw']);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'CiliumClusterwideNetworkPolicy host-fw: a host policy (nodeSelector) selects nodes, not pods: kept, but segscope models no host endpoints, so no verdict uses it',
    ]);
    expect(policyOf(ws, SHOP_WEB, DB, 5432).verdict).toBe('open');
  });
});
