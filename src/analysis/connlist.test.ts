import { describe, expect, it } from 'vitest';
import { generateManifests } from '../../bench/connlist-manifests';
import { importFiles } from '../import/index';
import { computeConnlist, workloadNames } from './connlist';
import { connlistJson, connlistJsonChunks, connlistTextChunks, formatConnlist } from './connlist-output';
import { cidrRange, parseRangeName, rangeName, splitAddressSpace } from './connlist-ranges';
import { formatConnSet, isEmpty } from './connset';
import { buildIndex } from './context';
import { pairConnections } from './reach';

const ANY = '0.0.0.0-255.255.255.255';

/** Real manifests through the importer, then the list as text lines. */
const load = (...texts: string[]) => {
  const { workspace, report } = importFiles(texts.map((text, i) => ({ name: `m${i}.yaml`, text })));
  const errors = [...report.files.flatMap((f) => f.diagnostics), ...report.diagnostics].filter(
    (d) => d.severity === 'error',
  );
  expect(errors).toEqual([]);
  return workspace;
};
const lines = (...texts: string[]): string[] => {
  const text = formatConnlist(computeConnlist(load(...texts)));
  return text === '' ? [] : text.split('\n');
};

const deployment = (ns: string, name: string, labels: Record<string, string>, ports = '') => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {${Object.entries(labels)
        .map(([k, v]) => `${k}: "${v}"`)
        .join(', ')}}
    spec:
      containers:
      - name: main
        image: example/${name}${ports ? `\n        ports:\n${ports}` : ''}
`;

const join = (...docs: string[]) => docs.join('\n---\n');

describe('connlist: Kubernetes NetworkPolicy semantics', () => {
  it('namespaceSelector matches namespace labels (Namespaces given in a NamespaceList)', () => {
    const namespaces = `
apiVersion: v1
kind: NamespaceList
items:
- apiVersion: v1
  kind: Namespace
  metadata: {name: frontend, labels: {team: web}}
- apiVersion: v1
  kind: Namespace
  metadata: {name: backend, labels: {team: api}}
- apiVersion: v1
  kind: Namespace
  metadata: {name: ops}
`;
    const policy = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-web, namespace: backend}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: web}}
    ports:
    - {protocol: TCP, port: 8080}
`;
    expect(
      lines(
        namespaces,
        join(
          deployment('frontend', 'ui', { app: 'ui' }),
          deployment('backend', 'api', { app: 'api' }),
          deployment('ops', 'monitor', { app: 'monitor' }),
          policy,
        ),
      ),
    ).toEqual([
      `${ANY} => frontend/ui : all`,
      `${ANY} => ops/monitor : all`,
      `backend/api => ${ANY} : all`,
      'backend/api => frontend/ui : all',
      'backend/api => ops/monitor : all',
      `frontend/ui => ${ANY} : all`,
      'frontend/ui => backend/api : TCP 8080',
      'frontend/ui => ops/monitor : all',
      `ops/monitor => ${ANY} : all`,
      'ops/monitor => frontend/ui : all',
    ]);
  });

  it('matchExpressions In, NotIn, Exists and DoesNotExist (bare Pods, policies unioned)', () => {
    const pod = (name: string, labels: string) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: lab, labels: {${labels}}}
spec:
  containers: [{name: c, image: busybox}]
`;
    const rule = (name: string, expr: string, port: number) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: lab}
spec:
  podSelector: {matchLabels: {app: t}}
  ingress:
  - from:
    - podSelector:
        matchExpressions: [${expr}]
    ports: [{port: ${port}}]
`;
    expect(
      lines(
        join(
          pod('a', 'env: prod, tier: web'),
          pod('b', 'env: dev, tier: web, legacy: "true"'),
          pod('c', 'env: test'),
          pod('t', 'app: t'),
          rule('p-in', '{key: env, operator: In, values: [prod, dev]}', 81),
          rule('p-notin', '{key: env, operator: NotIn, values: [prod]}', 82),
          rule('p-exists', '{key: tier, operator: Exists}', 83),
          rule('p-dne', '{key: legacy, operator: DoesNotExist}', 84),
        ),
      ),
    ).toEqual([
      `${ANY} => lab/a : all`,
      `${ANY} => lab/b : all`,
      `${ANY} => lab/c : all`,
      `lab/a => ${ANY} : all`,
      'lab/a => lab/b : all',
      'lab/a => lab/c : all',
      // In (prod) + Exists (tier) + DoesNotExist (legacy)
      'lab/a => lab/t : TCP 81,TCP 83-84',
      `lab/b => ${ANY} : all`,
      'lab/b => lab/a : all',
      'lab/b => lab/c : all',
      // In (dev) + NotIn (dev is not prod) + Exists (tier)
      'lab/b => lab/t : TCP 81-83',
      `lab/c => ${ANY} : all`,
      'lab/c => lab/a : all',
      'lab/c => lab/b : all',
      // NotIn (test) + DoesNotExist
      'lab/c => lab/t : TCP 82,TCP 84',
      `lab/t => ${ANY} : all`,
      'lab/t => lab/a : all',
      'lab/t => lab/b : all',
      'lab/t => lab/c : all',
    ]);
  });

  const svcPorts = {
    db: '        - {containerPort: 5432, name: pg}\n        - {containerPort: 9187, name: metrics}\n        - {containerPort: 53, name: dns, protocol: UDP}',
    dns: '        - {containerPort: 53, name: dns, protocol: UDP}\n        - {containerPort: 53, name: dns-tcp}',
  };
  const dbIngress = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-in, namespace: svc}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: client}}}]
    ports:
    - {port: pg}
    - {port: dns, protocol: UDP}
    - {port: metrics, protocol: UDP}
    - {port: 10000, endPort: 10100}
    - {protocol: SCTP, port: 3868}
`;
  const clientEgress = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-out, namespace: svc}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {}}]
    ports:
    - {port: dns, protocol: UDP}
    - {port: dns-tcp}
    - {port: pg}
`;
  const svcWorkloads = join(
    deployment('svc', 'client', { app: 'client' }),
    deployment('svc', 'db', { app: 'db' }, svcPorts.db),
    deployment('svc', 'dns', { app: 'dns' }, svcPorts.dns),
  );

  it('named ports resolve on the target (protocol must match), endPort ranges, TCP/UDP/SCTP', () => {
    const all = lines(join(svcWorkloads, dbIngress));
    // metrics is a TCP port, so `{port: metrics, protocol: UDP}` resolves to nothing.
    expect(all.filter((l) => l.includes('=> svc/db'))).toEqual([
      'svc/client => svc/db : TCP 5432,TCP 10000-10100,UDP 53,SCTP 3868',
    ]);
    expect(lines(join(svcWorkloads, dbIngress, clientEgress))).toEqual([
      `${ANY} => svc/client : all`,
      `${ANY} => svc/dns : all`,
      // egress: pg → 5432 and dns/UDP → 53 on db; dns-tcp has no port on db
      'svc/client => svc/db : TCP 5432,UDP 53',
      // egress resolves on dns: dns/UDP → UDP 53, dns-tcp → TCP 53
      'svc/client => svc/dns : TCP 53,UDP 53',
      `svc/db => ${ANY} : all`,
      'svc/db => svc/client : all',
      'svc/db => svc/dns : all',
      `svc/dns => ${ANY} : all`,
      'svc/dns => svc/client : all',
    ]);
  });

  it('ipBlock with except: ranges cut at every CIDR, per direction', () => {
    const policies = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: gw-in, namespace: edge}
spec:
  podSelector: {matchLabels: {app: gw}}
  ingress:
  - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
    ports: [{port: 443}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: worker-out, namespace: edge}
spec:
  podSelector: {matchLabels: {app: worker}}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.2.0.0/16]}}]
`;
    const result = computeConnlist(
      load(join(deployment('edge', 'gw', { app: 'gw' }), deployment('edge', 'worker', { app: 'worker' }), policies)),
    );
    expect(result.ranges).toEqual({
      sources: ['0.0.0.0-9.255.255.255', '10.0.0.0-10.255.255.255', '11.0.0.0-255.255.255.255'],
      destinations: [
        '0.0.0.0-9.255.255.255',
        '10.0.0.0-10.0.255.255',
        '10.1.0.0-10.1.255.255',
        '10.2.0.0-10.2.255.255',
        '10.3.0.0-10.255.255.255',
        '11.0.0.0-255.255.255.255',
      ],
    });
    expect(formatConnlist(result).split('\n')).toEqual([
      '0.0.0.0-9.255.255.255 => edge/gw : TCP 443',
      '0.0.0.0-9.255.255.255 => edge/worker : all',
      '10.0.0.0-10.255.255.255 => edge/worker : all',
      '11.0.0.0-255.255.255.255 => edge/gw : TCP 443',
      '11.0.0.0-255.255.255.255 => edge/worker : all',
      'edge/gw => 0.0.0.0-9.255.255.255 : all',
      'edge/gw => 10.0.0.0-10.0.255.255 : all',
      'edge/gw => 10.1.0.0-10.1.255.255 : all',
      'edge/gw => 10.2.0.0-10.2.255.255 : all',
      'edge/gw => 10.3.0.0-10.255.255.255 : all',
      'edge/gw => 11.0.0.0-255.255.255.255 : all',
      'edge/gw => edge/worker : all',
      // worker may only send to 10/8 minus the two excepted /16s; nothing to gw
      'edge/worker => 10.0.0.0-10.0.255.255 : all',
      'edge/worker => 10.3.0.0-10.255.255.255 : all',
    ]);
  });

  it('egress-only isolation leaves ingress open', () => {
    const policy = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a-dns-only, namespace: app}
spec:
  podSelector: {matchLabels: {app: a}}
  policyTypes: [Egress]
  egress:
  - ports: [{protocol: UDP, port: 53}]
`;
    expect(lines(join(deployment('app', 'a', { app: 'a' }), deployment('app', 'b', { app: 'b' }), policy))).toEqual([
      `${ANY} => app/a : all`,
      `${ANY} => app/b : all`,
      `app/a => ${ANY} : UDP 53`,
      'app/a => app/b : UDP 53',
      `app/b => ${ANY} : all`,
      'app/b => app/a : all',
    ]);
  });

  it('several policies selecting one pod are unioned', () => {
    const np = (name: string, from: string, ports: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop}
spec:
  podSelector: {matchLabels: {app: cart}}
  ingress:
  - from: [{podSelector: ${from}}]
    ports: ${ports}
`;
    expect(
      lines(
        join(
          deployment('shop', 'cart', { app: 'cart' }),
          deployment('shop', 'pay', { app: 'pay' }),
          deployment('shop', 'web', { app: 'web' }),
          np('cart-from-web', '{matchLabels: {app: web}}', '[{port: 8080}]'),
          np('cart-from-pay', '{matchLabels: {app: pay}}', '[{port: 8081}, {protocol: UDP, port: 9000}]'),
          np('cart-metrics', '{}', '[{port: 9090}]'),
        ),
      ),
    ).toEqual([
      `${ANY} => shop/pay : all`,
      `${ANY} => shop/web : all`,
      `shop/cart => ${ANY} : all`,
      'shop/cart => shop/pay : all',
      'shop/cart => shop/web : all',
      `shop/pay => ${ANY} : all`,
      'shop/pay => shop/cart : TCP 8081,TCP 9090,UDP 9000',
      'shop/pay => shop/web : all',
      `shop/web => ${ANY} : all`,
      'shop/web => shop/cart : TCP 8080,TCP 9090',
      'shop/web => shop/pay : all',
    ]);
  });

  it('deny-all (empty policy, podSelector {}) next to a namespace with no policy', () => {
    const denyAll = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: locked}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;
    expect(
      lines(
        join(
          deployment('locked', 'x', { app: 'x' }),
          deployment('locked', 'y', { app: 'y' }),
          deployment('open', 'p', { app: 'p' }),
          deployment('open', 'q', { app: 'q' }),
          denyAll,
        ),
      ),
    ).toEqual([
      `${ANY} => open/p : all`,
      `${ANY} => open/q : all`,
      `open/p => ${ANY} : all`,
      'open/p => open/q : all',
      `open/q => ${ANY} : all`,
      'open/q => open/p : all',
    ]);
  });

  it('an empty policy with no policyTypes isolates ingress only', () => {
    const empty = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: quiet, namespace: quiet}
spec:
  podSelector: {}
`;
    expect(
      lines(
        join(
          deployment('quiet', 'm', { app: 'm' }),
          deployment('quiet', 'n', { app: 'n' }),
          deployment('open', 'p', { app: 'p' }),
          empty,
        ),
      ),
    ).toEqual([
      `${ANY} => open/p : all`,
      `open/p => ${ANY} : all`,
      `quiet/m => ${ANY} : all`,
      'quiet/m => open/p : all',
      `quiet/n => ${ANY} : all`,
      'quiet/n => open/p : all',
    ]);
  });

  it('podSelector {} in a rule means every pod of the policy namespace', () => {
    const sameNs = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: same-namespace, namespace: team}
spec:
  podSelector: {}
  ingress:
  - from: [{podSelector: {}}]
`;
    expect(
      lines(
        join(
          deployment('team', 'u', { app: 'u' }),
          deployment('team', 'v', { app: 'v' }),
          deployment('other', 'w', { app: 'w' }),
          sameNs,
        ),
      ),
    ).toEqual([
      `${ANY} => other/w : all`,
      `other/w => ${ANY} : all`,
      `team/u => ${ANY} : all`,
      'team/u => other/w : all',
      'team/u => team/v : all',
      `team/v => ${ANY} : all`,
      'team/v => other/w : all',
      'team/v => team/u : all',
    ]);
  });

  it('pods of one owner are one workload; a bare Pod is its own; no namespace means default', () => {
    const pods = `
apiVersion: v1
kind: PodList
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-7d4b9c-abcde
    labels: {app: web, pod-template-hash: 7d4b9c}
    ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4b9c, uid: 1, controller: true}
  spec:
    containers: [{name: web, image: nginx, ports: [{containerPort: 80, name: http}]}]
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-7d4b9c-fghij
    labels: {app: web, pod-template-hash: 7d4b9c}
    ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4b9c, uid: 1, controller: true}
  spec:
    containers: [{name: web, image: nginx, ports: [{containerPort: 80, name: http}]}]
- apiVersion: v1
  kind: Pod
  metadata: {name: debug, labels: {app: debug}}
  spec:
    containers: [{name: sh, image: busybox}]
`;
    const policy = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-in}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: debug}}}]
    ports: [{port: http}]
`;
    const result = computeConnlist(load(pods, policy));
    expect(result.workloads).toEqual(['default/debug', 'default/web']);
    expect(formatConnlist(result).split('\n')).toEqual([
      `${ANY} => default/debug : all`,
      `default/debug => ${ANY} : all`,
      'default/debug => default/web : TCP 80',
      `default/web => ${ANY} : all`,
      'default/web => default/debug : all',
    ]);
  });
});

describe('connlist: equivalence classes', () => {
  it('workloads with equal signatures share one class, still listed pair by pair (never to themselves)', () => {
    const result = computeConnlist(load(join(...['a', 'b', 'c'].map((n) => deployment('flat', n, { app: n })))));
    // No policy: the three pods are one class, the outside another; one class pair per direction, one within.
    expect(result.stats).toEqual({ workloads: 3, ranges: 1, classes: 2, classPairs: 3 });
    expect(formatConnlist(result).split('\n')).toEqual([
      `${ANY} => flat/a : all`,
      `${ANY} => flat/b : all`,
      `${ANY} => flat/c : all`,
      `flat/a => ${ANY} : all`,
      'flat/a => flat/b : all',
      'flat/a => flat/c : all',
      `flat/b => ${ANY} : all`,
      'flat/b => flat/a : all',
      'flat/b => flat/c : all',
      `flat/c => ${ANY} : all`,
      'flat/c => flat/a : all',
      'flat/c => flat/b : all',
    ]);
  });
});

describe('connlist: other formats and names', () => {
  it('Compose services are project/service and meet no address ranges', () => {
    const compose = `
name: shop
services:
  web: {image: nginx, networks: [front]}
  api: {image: api, networks: [front, back]}
  db: {image: postgres, networks: [back]}
networks:
  front: {}
  back: {}
`;
    const result = computeConnlist(load(compose));
    expect(result.ranges).toEqual({ sources: [], destinations: [] });
    expect(formatConnlist(result).split('\n')).toEqual([
      'shop/api => shop/db : all',
      'shop/api => shop/web : all',
      'shop/db => shop/api : all',
      'shop/web => shop/api : all',
    ]);
  });

  it('clashing names get the Kubernetes kind', () => {
    const names = workloadNames([
      {
        id: 'k8s:a/web',
        name: 'web',
        namespace: 'a',
        kind: 'service',
        memberships: {},
        extra: { k8sKind: 'Deployment' },
      },
      {
        id: 'k8s:a/statefulset/web',
        name: 'web',
        namespace: 'a',
        kind: 'service',
        memberships: {},
        extra: { k8sKind: 'StatefulSet' },
      },
      { id: 'aws:i-1', name: 'bastion', kind: 'service', memberships: {} },
    ]);
    expect(names).toEqual(['a/web[Deployment]', 'a/web[StatefulSet]', 'bastion']);
  });
});

describe('connlist: address ranges', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0-10.255.255.255'],
    ['10.1.2.3/16', '10.1.0.0-10.1.255.255'],
    ['192.168.1.7', '192.168.1.7-192.168.1.7'],
    ['0.0.0.0/0', ANY],
    ['2001:db8::/32', '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
  ])('%s is %s', (cidr, name) => {
    const r = cidrRange(cidr);
    expect(r && rangeName(r)).toBe(name);
    expect(parseRangeName(name)).toEqual(r);
  });

  it('the address space is cut at every boundary; IPv6 appears only when named', () => {
    expect(splitAddressSpace([]).map(rangeName)).toEqual([ANY]);
    expect(splitAddressSpace(['10.0.0.0/8', '10.1.0.0/16', 'not-a-cidr']).map(rangeName)).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.0.255.255',
      '10.1.0.0-10.1.255.255',
      '10.2.0.0-10.255.255.255',
      '11.0.0.0-255.255.255.255',
    ]);
    expect(splitAddressSpace(['255.255.255.0/24', 'fd00::/8']).map(rangeName)).toEqual([
      '0.0.0.0-255.255.254.255',
      '255.255.255.0-255.255.255.255',
      '::-fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      'fd00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      'fe00::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]);
  });

  it('workload names are never taken for ranges', () => {
    expect(parseRangeName('shop/web')).toBeUndefined();
    expect(parseRangeName('10.0.0.1-10.0.0.0')).toBeUndefined();
    expect(parseRangeName('10.0.0.1-::1')).toBeUndefined();
  });
});

describe('connlist: the same engine as reach', () => {
  // Every workload pair's set equals pairConnections (all levels), over generated policies and a Calico mix.
  const check = (texts: string[]) => {
    const ws = load(...texts);
    const result = computeConnlist(ws);
    const ix = buildIndex(ws);
    const names = workloadNames(ws.services);
    const ranges = new Set([...result.ranges.sources, ...result.ranges.destinations]);
    const got = new Map(
      result.connections
        .filter((c) => !ranges.has(c.from) && !ranges.has(c.to))
        .map((c) => [`${c.from} => ${c.to}`, c.ports]),
    );
    const expected = new Map<string, unknown>();
    for (let a = 0; a < ws.services.length; a++) {
      for (let b = 0; b < ws.services.length; b++) {
        const set = pairConnections(ix, a, b);
        if (a !== b && !isEmpty(set)) expected.set(`${names[a]} => ${names[b]}`, formatConnSet(set));
      }
    }
    expect(got.size).toBeGreaterThan(0);
    expect(got).toEqual(expected);
    return result;
  };

  it.each([
    [60, 40, 4, 1],
    [100, 80, 6, 2],
  ])('%i generated workloads, %i policies', (w, p, n, seed) => {
    expect(check([generateManifests(w, p, n, seed)]).stats.workloads).toBe(w);
  });

  it('Calico tiers, Deny and Pass run through the pipeline exactly', () => {
    const calico = `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-legacy}
spec:
  order: 10
  selector: all()
  types: [Ingress]
  ingress:
  - action: Deny
    source: {selector: legacy == 'true'}
  - action: Pass
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: api-tcp, namespace: shop}
spec:
  order: 100
  selector: app == 'api'
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: TCP
    destination: {ports: ["8000:8100"]}
`;
    check([
      join(
        deployment('shop', 'api', { app: 'api' }),
        deployment('shop', 'old', { app: 'old', legacy: 'true' }),
        deployment('shop', 'new', { app: 'new' }),
        `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: new-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: new}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: api}}}]
    ports: [{port: 7000}]
`,
      ),
      calico,
    ]);
  });
});

describe('connlist output in pieces (the list grows with the square of the workloads)', () => {
  const manifests = generateManifests(60, 40, 4, 3);
  const result = computeConnlist(importFiles([{ name: 'm.yaml', text: manifests }]).workspace);
  /** The list repeated past two pieces' worth (5,000 connections a piece). */
  const repeated = () => ({
    connections: Array.from({ length: Math.ceil(10001 / result.connections.length) }, () => result.connections).flat(),
  });

  it('the JSON pieces make exactly the JSON document, each piece but the last ending in a newline', () => {
    const big = repeated();
    for (const r of [result, big, { connections: [] }]) {
      const chunks = [...connlistJsonChunks(r)];
      expect(chunks.join('')).toBe(JSON.stringify(connlistJson(r), null, 2));
      expect(chunks.slice(0, -1).every((c) => c.endsWith('\n'))).toBe(true);
    }
    expect([...connlistJsonChunks(big)].length).toBeGreaterThan(2);
  });

  it('the text pieces are whole lines of the text form', () => {
    const big = repeated();
    const chunks = [...connlistTextChunks(big)];
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('\n')).toBe(formatConnlist(big));
  });
});
