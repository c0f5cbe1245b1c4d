import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../import/index';
import type { K8sNetworkPolicyRule, Service } from '../../model/types';
import { findHostRefs, k8sReader, linkPolicyMemberships } from './read';

const read = (text: string, name = 'm.yaml') => k8sReader.read({ name, text });
const svc = (r: ReturnType<typeof read>, id: string): Service => {
  const s = r.fragment.services.find((x) => x.id === id);
  if (!s) throw new Error(`no service ${id} in ${r.fragment.services.map((x) => x.id).join(', ')}`);
  return s;
};
const policy = (r: ReturnType<typeof read>, id: string): K8sNetworkPolicyRule => {
  const p = r.fragment.rules.find((x) => x.id === id);
  if (p?.type !== 'k8s-network-policy') throw new Error(`no policy ${id}`);
  return p;
};
const deploy = (name: string, labels: Record<string, string>, extra = '', ns = 'shop') => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  replicas: 2
  template:
    metadata:
      labels: ${JSON.stringify(labels)}
    spec:
      containers:
        - name: main
          image: example/${name}:1
          ports:
            - name: http
              containerPort: 8080
${extra}${extra === '' ? '' : '\n'}`;

describe('k8sReader: documents and lists', () => {
  it('reads kind: List and typed lists (PodList, NamespaceList) like separate documents', () => {
    const text = `
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web, namespace: shop }
    spec:
      template:
        metadata: { labels: { app: web } }
        spec: { containers: [{ name: web, image: nginx }] }
---
apiVersion: v1
kind: NamespaceList
items:
  - apiVersion: v1
    kind: Namespace
    metadata: { name: shop, labels: { team: a } }
---
apiVersion: v1
kind: PodList
items:
  - apiVersion: v1
    kind: Pod
    metadata: { name: debug, namespace: shop, labels: { app: debug } }
    spec: { containers: [{ name: c, image: busybox }] }
`;
    const r = read(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.fragment.services.map((s) => [s.id, s.name, s.namespace, s.labels, s.replicas])).toEqual([
      ['k8s:shop/web', 'web', 'shop', { app: 'web' }, 1],
      ['k8s:shop/debug', 'debug', 'shop', { app: 'debug' }, 1],
    ]);
    expect(r.fragment.segments.find((s) => s.id === 'policy:k8s:ns:shop')?.labels).toEqual({
      team: 'a',
      'kubernetes.io/metadata.name': 'shop',
    });
    // Positions point into the list items.
    expect(svc(r, 'k8s:shop/debug').source).toEqual([{ file: 'm.yaml', line: 23, column: 5 }]);
  });

  it('reads kubectl JSON output (a List) with positions', () => {
    const text = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'api', namespace: 'default' },
            spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] },
          },
        ],
      },
      null,
      2,
    );
    const r = read(text, 'all.json');
    expect(r.diagnostics).toEqual([
      {
        file: 'all.json',
        line: 13,
        column: 9,
        severity: 'warn',
        message: 'Service default/api selects no workload in this file (selector app=nothing)',
        path: '/items/0/spec/selector',
      },
    ]);
  });

  it('loads the valid documents of a multi-document file with an invalid one', () => {
    const text = `${deploy('a', { app: 'a' })}---
kind: [unclosed
---
${deploy('b', { app: 'b' })}`;
    const r = read(text);
    expect(r.fragment.services.map((s) => s.id)).toEqual(['k8s:shop/a', 'k8s:shop/b']);
    expect(r.diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThan(0);
    expect(r.diagnostics.every((d) => d.line >= 21 && d.line <= 23)).toBe(true);
  });

  it('reports unknown kinds (warn), ignored kinds (info) and a missing name (error)', () => {
    const r = read(`apiVersion: example.com/v1
kind: Widget
metadata: { name: w }
---
apiVersion: v1
kind: Secret
metadata: { name: s }
---
apiVersion: apps/v1
kind: Deployment
metadata: { namespace: x }
spec: {}
`);
    expect(r.diagnostics.map((d) => [d.line, d.column, d.severity, d.message])).toEqual([
      [2, 7, 'warn', 'unknown kind "Widget" (example.com/v1); skipped'],
      [5, 1, 'info', 'Secret s is not used for segmentation; ignored'],
      [11, 11, 'error', 'Deployment without metadata.name; skipped'],
    ]);
    expect(r.fragment.services).toEqual([]);
  });

  it('detects Kubernetes files by content, and leaves Calico-only files to the Calico reader', () => {
    expect(k8sReader.detect({ name: 'x', text: '' }, { apiVersion: 'v1', kind: 'Service' })).toBe(true);
    expect(k8sReader.detect({ name: 'x', text: '' }, { apiVersion: 'v1', kind: 'List', items: [] })).toBe(false);
    expect(
      k8sReader.detect({ name: 'x', text: '' }, [
        { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy' },
        { apiVersion: 'v1', kind: 'Namespace' },
      ]),
    ).toBe(true);
    expect(
      k8sReader.detect({ name: 'x', text: '' }, { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy' }),
    ).toBe(false);
    expect(k8sReader.detect({ name: 'x', text: '' }, { services: { web: {} } })).toBe(false);
  });
});

describe('k8sReader: workloads', () => {
  it('groups Pods with ownerReferences under their top controller (ReplicaSet folds into Deployment)', () => {
    const text = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: cart, namespace: shop }
spec:
  replicas: 3
  template:
    metadata: { labels: { app: cart } }
    spec: { containers: [{ name: c, image: cart, ports: [{ containerPort: 8080, name: http }] }] }
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: cart-5d8f7
  namespace: shop
  ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: cart, controller: true }]
spec:
  template:
    metadata: { labels: { app: cart, pod-template-hash: 5d8f7 } }
    spec: { containers: [{ name: c, image: cart }] }
---
apiVersion: v1
kind: Pod
metadata:
  name: cart-5d8f7-abcde
  namespace: shop
  labels: { app: cart, pod-template-hash: 5d8f7 }
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: cart-5d8f7, controller: true }]
spec: { containers: [{ name: c, image: cart }] }
status: { podIP: 10.1.0.7 }
---
apiVersion: v1
kind: Pod
metadata:
  name: orders-7c9b6-xyz12
  namespace: shop
  labels: { app: orders, pod-template-hash: 7c9b6 }
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: orders-7c9b6, controller: true }]
spec: { containers: [{ name: c, image: orders }] }
---
apiVersion: v1
kind: Pod
metadata:
  name: orders-7c9b6-qwe34
  namespace: shop
  labels: { app: orders, pod-template-hash: 7c9b6 }
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: orders-7c9b6, controller: true }]
spec: { containers: [{ name: c, image: orders }] }
---
apiVersion: v1
kind: Pod
metadata:
  name: pi-28193-abc
  labels: { job-name: pi-28193 }
  ownerReferences: [{ apiVersion: batch/v1, kind: Job, name: pi-28193, controller: true }]
spec: { containers: [{ name: pi, image: perl }] }
`;
    const r = read(text);
    expect(r.diagnostics).toEqual([]);
    expect(
      r.fragment.services.map((s) => ({
        id: s.id,
        kind: s.extra?.k8sKind,
        labels: s.labels,
        replicas: s.replicas,
        addresses: s.addresses,
        sources: s.source?.map((x) => x.line),
      })),
    ).toEqual([
      {
        id: 'k8s:shop/cart',
        kind: 'Deployment',
        labels: { app: 'cart' },
        replicas: 3,
        addresses: ['10.1.0.7'],
        sources: [2, 11, 22],
      },
      // The ReplicaSet is not in the file: its Deployment is inferred from the pod-template-hash.
      {
        id: 'k8s:shop/orders',
        kind: 'Deployment',
        labels: { app: 'orders' },
        replicas: 2,
        addresses: undefined,
        sources: [32, 41],
      },
      // Namespace `default` when none is given; the owner is a Job that is not in the file.
      {
        id: 'k8s:default/pi-28193',
        kind: 'Job',
        labels: { 'job-name': 'pi-28193' },
        replicas: 1,
        addresses: undefined,
        sources: [50],
      },
    ]);
  });

  it('groups the pods of a CronJob run under the CronJob, through its Job or by the Job name', () => {
    const r = read(`
apiVersion: batch/v1
kind: CronJob
metadata: { name: report, namespace: ops }
spec:
  jobTemplate:
    spec:
      template:
        metadata: { labels: { app: report } }
        spec: { containers: [{ name: r, image: report }] }
---
apiVersion: batch/v1
kind: Job
metadata:
  name: report-29000100
  namespace: ops
  ownerReferences: [{ apiVersion: batch/v1, kind: CronJob, name: report, controller: true }]
spec:
  template:
    metadata: { labels: { app: report } }
    spec: { containers: [{ name: r, image: report }] }
---
apiVersion: v1
kind: Pod
metadata:
  name: report-29000160-x1
  namespace: ops
  labels: { app: report }
  ownerReferences: [{ apiVersion: batch/v1, kind: Job, name: report-29000160, controller: true }]
spec: { containers: [{ name: r, image: report }] }
`);
    expect(r.diagnostics).toEqual([]);
    expect(r.fragment.services.map((s) => [s.id, s.extra?.k8sKind, s.source?.map((x) => x.line)])).toEqual([
      ['k8s:ops/report', 'CronJob', [2, 12, 23]],
    ]);
  });

  it('reads the pod template of CronJob, StatefulSet and DaemonSet', () => {
    const r = read(`
apiVersion: batch/v1
kind: CronJob
metadata: { name: report, namespace: ops }
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata: { labels: { app: report } }
        spec: { containers: [{ name: r, image: report, env: [{ name: DB, value: "db:5432" }] }] }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: ops }
spec:
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: pg, image: "postgres:16", ports: [{ containerPort: 5432 }] }] }
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: ops }
spec:
  template:
    metadata: { labels: { app: agent } }
    spec: { containers: [{ name: a, image: agent, ports: [{ containerPort: 9100, hostPort: 9100 }] }] }
`);
    expect(r.diagnostics).toEqual([]);
    expect(r.fragment.services.map((s) => [s.id, s.kind, s.labels, s.replicas, s.ports])).toEqual([
      ['k8s:ops/report', 'service', { app: 'report' }, undefined, undefined],
      ['k8s:ops/db', 'datastore', { app: 'db' }, 1, [{ port: 5432, protocol: 'TCP' }]],
      ['k8s:ops/agent', 'service', { app: 'agent' }, undefined, [{ port: 9100, protocol: 'TCP', published: true }]],
    ]);
    expect(r.fragment.calls).toEqual([
      {
        from: 'k8s:ops/report',
        to: 'k8s:ops/db',
        port: 5432,
        protocol: 'TCP',
        origin: 'env',
        source: { file: 'm.yaml', line: 11, column: 81 },
      },
    ]);
  });

  it('gives workloads service-account role memberships, default when none, and warns on dangling ones', () => {
    const r = read(`
apiVersion: v1
kind: ServiceAccount
metadata: { name: api, namespace: shop }
---
${deploy('api', { app: 'api' }, '      serviceAccountName: api')}
---
${deploy('web', { app: 'web' })}
---
${deploy('job', { app: 'job' }, '      serviceAccountName: ghost')}`);
    expect(r.fragment.services.map((s) => [s.id, s.memberships.role])).toEqual([
      ['k8s:shop/api', ['role:k8s:sa:shop/api']],
      ['k8s:shop/web', ['role:k8s:sa:shop/default']],
      ['k8s:shop/job', ['role:k8s:sa:shop/ghost']],
    ]);
    expect(r.fragment.segments.filter((s) => s.level === 'role').map((s) => [s.id, s.name, s.attributes])).toEqual([
      ['role:k8s:sa:shop/api', 'shop/api', { kind: 'service-account', namespace: 'shop' }],
      ['role:k8s:sa:shop/default', 'shop/default', { kind: 'service-account', namespace: 'shop', stub: true }],
      ['role:k8s:sa:shop/ghost', 'shop/ghost', { kind: 'service-account', namespace: 'shop', stub: true }],
    ]);
    expect(r.diagnostics.map((d) => [d.line, d.severity, d.message])).toEqual([
      [65, 'warn', 'Deployment shop/job runs as ServiceAccount "ghost", which is not in this file'],
    ]);
  });

  it('keeps a Deployment and a StatefulSet of the same name apart, with a warning', () => {
    const r = read(`${deploy('db', { app: 'db' })}---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  template:
    metadata: { labels: { app: db2 } }
    spec: { containers: [{ name: c, image: x }] }
`);
    expect(r.fragment.services.map((s) => s.id)).toEqual(['k8s:shop/db', 'k8s:shop/statefulset/db']);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'Deployment and StatefulSet are both named "db" in namespace shop; the StatefulSet is imported as k8s:shop/statefulset/db',
    ]);
  });
});

describe('k8sReader: Services, exposure and calls', () => {
  const base = `
${deploy('cart', { app: 'cart', tier: 'api' })}
---
${deploy('cart-canary', { app: 'cart', tier: 'api', track: 'canary' })}
---
${deploy('other', { app: 'other' })}
---
apiVersion: v1
kind: Service
metadata: { name: cart-svc, namespace: shop }
spec:
  type: LoadBalancer
  selector: { app: cart }
  ports: [{ name: web, port: 80, targetPort: http }]
`;

  it('maps a Service selector to the workloads it selects; LoadBalancer exposes them and publishes the target port', () => {
    const r = read(base);
    expect(r.diagnostics).toEqual([]);
    expect(r.fragment.services.map((s) => [s.id, s.exposed ?? false, s.ports, s.extra?.aliases])).toEqual([
      ['k8s:shop/cart', true, [{ port: 8080, protocol: 'TCP', name: 'http', published: true }], ['cart-svc']],
      ['k8s:shop/cart-canary', true, [{ port: 8080, protocol: 'TCP', name: 'http', published: true }], ['cart-svc']],
      ['k8s:shop/other', false, [{ port: 8080, protocol: 'TCP', name: 'http' }], undefined],
    ]);
  });

  it('does not expose an internal LoadBalancer; NodePort and Ingress do expose', () => {
    const r = read(`${deploy('a', { app: 'a' })}---
${deploy('b', { app: 'b' })}---
${deploy('c', { app: 'c' })}---
apiVersion: v1
kind: Service
metadata:
  name: a
  namespace: shop
  annotations: { service.beta.kubernetes.io/aws-load-balancer-scheme: internal }
spec: { type: LoadBalancer, selector: { app: a }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: b, namespace: shop }
spec: { type: NodePort, selector: { app: b }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: c, namespace: shop }
spec: { selector: { app: c }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop }
spec:
  rules:
    - http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: c, port: { number: 80 } } } }
          - { path: /x, pathType: Prefix, backend: { service: { name: missing, port: { number: 80 } } } }
`);
    expect(r.fragment.services.map((s) => [s.id, s.exposed ?? false])).toEqual([
      ['k8s:shop/a', false],
      ['k8s:shop/b', true],
      ['k8s:shop/c', true],
    ]);
    expect(r.diagnostics.map((d) => [d.line, d.severity, d.message])).toEqual([
      [84, 'warn', 'Ingress shop/web routes to Service "missing", which is not in this file'],
    ]);
  });

  it('turns env values and args naming Services into calls, Service port → targetPort', () => {
    const r = read(`${base}---
apiVersion: v1
kind: Service
metadata: { name: other, namespace: shop }
spec: { selector: { app: other }, ports: [{ port: 9000, targetPort: 8080, protocol: TCP }] }
---
${deploy(
  'web',
  { app: 'web' },
  `          env:
            - { name: A, value: "http://cart-svc" }
            - { name: B, value: "other.shop.svc.cluster.local:9000" }
            - { name: C, value: "unrelated words here" }
            - { name: D, valueFrom: { secretKeyRef: { name: s, key: k } } }
          args: ["--backend=https://other.shop:9000/api", "serve"]
`,
)}`);
    expect(r.fragment.calls.map((c) => [c.from, c.to, c.port, c.protocol, c.origin, c.source?.line])).toEqual([
      ['k8s:shop/web', 'k8s:shop/cart', 8080, 'TCP', 'env', 94],
      ['k8s:shop/web', 'k8s:shop/cart-canary', 8080, 'TCP', 'env', 94],
      ['k8s:shop/web', 'k8s:shop/other', 8080, 'TCP', 'env', 95],
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('resolves env values from a ConfigMap in the same file', () => {
    const r = read(`${deploy('web', { app: 'web' }, '          envFrom: [{ configMapRef: { name: cfg } }]')}---
${deploy('api', { app: 'api' })}---
apiVersion: v1
kind: ConfigMap
metadata: { name: cfg, namespace: shop }
data:
  API_URL: http://api:8080
`);
    expect(r.fragment.calls).toEqual([
      {
        from: 'k8s:shop/web',
        to: 'k8s:shop/api',
        port: 8080,
        protocol: 'TCP',
        origin: 'env',
        source: { file: 'm.yaml', line: 44, column: 12 },
      },
    ]);
  });

  it.each([
    ['cart', [{ host: 'cart' }]],
    ['cart:8080', [{ host: 'cart', port: 8080 }]],
    ['http://cart.shop:8080/api?x=1', [{ host: 'cart.shop', port: 8080, scheme: 'http' }]],
    [
      'postgres://u:p@db.data.svc.cluster.local:5432/app',
      [{ host: 'db.data.svc.cluster.local', port: 5432, scheme: 'postgres' }],
    ],
    ['redis://:secret@cache:6379/0', [{ host: 'cache', port: 6379, scheme: 'redis' }]],
    [
      'kafka-0.kafka:9092,kafka-1.kafka:9092',
      [
        { host: 'kafka-0.kafka', port: 9092 },
        { host: 'kafka-1.kafka', port: 9092 },
      ],
    ],
    ['--upstream=api:80', [{ host: 'api', port: 80 }]],
    ['ops@example.com', [{ host: 'example.com' }]],
    ['/etc/config.yaml', []],
    ['cart:99999 :8080', []],
  ])('findHostRefs(%j)', (text, want) => {
    expect(findHostRefs(text)).toEqual(want);
  });
});

describe('k8sReader: NetworkPolicy', () => {
  const np = (spec: string, name = 'p') => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: shop }
spec:
${spec}
`;

  it('keeps AND (one peer with both selectors) and OR (separate peers) exactly', () => {
    const r = read(
      np(`  podSelector: { matchLabels: { app: db } }
  ingress:
    - from:
        - namespaceSelector: { matchLabels: { team: shop } }
          podSelector: { matchLabels: { app: api } }
    - from:
        - namespaceSelector: { matchLabels: { team: shop } }
        - podSelector: { matchLabels: { app: api } }
      ports:
        - port: 5432`),
    );
    expect(r.diagnostics).toEqual([]);
    expect(policy(r, 'k8s:shop/netpol/p')).toEqual({
      id: 'k8s:shop/netpol/p',
      type: 'k8s-network-policy',
      level: 'policy',
      name: 'p',
      namespace: 'shop',
      podSelector: { matchLabels: { app: 'db' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          peers: [
            { namespaceSelector: { matchLabels: { team: 'shop' } }, podSelector: { matchLabels: { app: 'api' } } },
          ],
        },
        {
          peers: [
            { namespaceSelector: { matchLabels: { team: 'shop' } } },
            { podSelector: { matchLabels: { app: 'api' } } },
          ],
          ports: [{ protocol: 'TCP', port: 5432 }],
        },
      ],
      source: { file: 'm.yaml', line: 2, column: 1 },
    });
  });

  it.each([
    ['no policyTypes, ingress only', '  podSelector: {}\n  ingress: [{}]', ['Ingress']],
    ['no policyTypes, egress rules', '  podSelector: {}\n  egress: [{}]', ['Ingress', 'Egress']],
    ['no policyTypes, empty egress list', '  podSelector: {}\n  egress: []', ['Ingress']],
    ['no rules at all', '  podSelector: {}', ['Ingress']],
    ['explicit Egress only', '  podSelector: {}\n  policyTypes: [Egress]', ['Egress']],
    ['explicit both, no rules', '  podSelector: {}\n  policyTypes: [Ingress, Egress]', ['Ingress', 'Egress']],
    ['empty policyTypes list defaults', '  podSelector: {}\n  policyTypes: []\n  egress: [{}]', ['Ingress', 'Egress']],
  ])('policyTypes: %s', (_name, spec, want) => {
    const r = read(np(spec));
    expect(policy(r, 'k8s:shop/netpol/p').policyTypes).toEqual(want);
  });

  it('keeps named ports, endPort, protocols (TCP by default) and ipBlock with except', () => {
    const r = read(
      np(`  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] }
      ports:
        - port: http
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 32000
          endPort: 32768
        - protocol: SCTP
    - {}`),
    );
    expect(r.diagnostics).toEqual([]);
    expect(policy(r, 'k8s:shop/netpol/p').egress).toEqual([
      {
        peers: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }],
        ports: [
          { protocol: 'TCP', port: 'http' },
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 32000, endPort: 32768 },
          { protocol: 'SCTP' },
        ],
      },
      {},
    ]);
  });

  it('keeps matchExpressions and treats an empty from as all peers', () => {
    const r = read(
      np(`  podSelector:
    matchExpressions:
      - { key: tier, operator: In, values: [api, web] }
      - { key: legacy, operator: DoesNotExist }
  ingress:
    - from: []
      ports: []`),
    );
    const p = policy(r, 'k8s:shop/netpol/p');
    expect(p.podSelector).toEqual({
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['api', 'web'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(p.ingress).toEqual([{}]);
  });

  it.each([
    [
      'a bad operator',
      `  podSelector: { matchExpressions: [{ key: a, operator: Equals, values: [x] }] }`,
      6,
      'operator "Equals" is not In, NotIn, Exists or DoesNotExist',
    ],
    [
      'an empty peer',
      `  podSelector: {}\n  ingress: [{ from: [{}] }]`,
      7,
      'a peer needs podSelector, namespaceSelector or ipBlock',
    ],
    [
      'ipBlock with a selector',
      `  podSelector: {}\n  ingress:\n    - from: [{ ipBlock: { cidr: 10.0.0.0/8 }, podSelector: {} }]`,
      8,
      'a peer with ipBlock cannot also have podSelector or namespaceSelector',
    ],
    [
      'a bad CIDR',
      `  podSelector: {}\n  egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/33 } }] }]`,
      7,
      'ipBlock.cidr "10.0.0.0/33" is not a CIDR',
    ],
    [
      'except outside the CIDR',
      `  podSelector: {}\n  egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/8, except: [192.168.0.0/16] } }] }]`,
      7,
      'ipBlock.except "192.168.0.0/16" is not a CIDR inside 10.0.0.0/8',
    ],
    [
      'endPort with a named port',
      `  podSelector: {}\n  egress: [{ ports: [{ port: http, endPort: 90 }] }]`,
      7,
      'endPort needs a numeric port',
    ],
    [
      'a bad policyType',
      `  podSelector: {}\n  policyTypes: [Inbound]`,
      7,
      'policyType "Inbound" is not Ingress or Egress',
    ],
    ['ingress not a list', `  podSelector: {}\n  ingress: web`, 7, 'ingress must be a list'],
    ['ports not a list', `  podSelector: {}\n  egress: [{ ports: 80 }]`, 7, 'ports must be a list'],
    ['peers not a list', `  podSelector: {}\n  egress: [{ to: web }]`, 7, 'peers must be a list'],
    ['policyTypes not a list', `  podSelector: {}\n  policyTypes: Ingress`, 7, 'policyTypes must be a list'],
    ['matchExpressions not a list', `  podSelector: { matchExpressions: app }`, 6, 'matchExpressions must be a list'],
  ])('skips a policy with %s, saying where', (_name, spec, line, message) => {
    const r = read(np(spec));
    expect(r.fragment.rules).toEqual([]);
    expect(r.diagnostics.map((d) => [d.line, d.severity, d.message])).toEqual([
      [line, 'error', message],
      [2, 'error', 'NetworkPolicy shop/p skipped because of the errors above (the API server would reject it)'],
    ]);
  });

  it('makes one label-set segment per distinct podSelector; pods outside every set stay in the namespace segment', () => {
    const r = read(`${deploy('db', { app: 'db' })}---
${deploy('web', { app: 'web' })}---
${np('  podSelector: { matchLabels: { app: db } }', 'db-1')}---
${np('  podSelector: { matchLabels: { app: db } }', 'db-2')}---
${np('  podSelector: {}', 'deny-all')}`);
    expect(r.fragment.segments.filter((s) => s.level === 'policy')).toEqual([
      {
        id: 'policy:k8s:ns:shop',
        level: 'policy',
        name: 'shop',
        labels: { 'kubernetes.io/metadata.name': 'shop' },
        attributes: { kind: 'namespace', namespace: 'shop', stub: true },
      },
      {
        id: 'policy:k8s:ns:shop:sel:app=db',
        level: 'policy',
        name: 'app=db',
        parent: 'policy:k8s:ns:shop',
        attributes: {
          kind: 'label-set',
          namespace: 'shop',
          selector: { matchLabels: { app: 'db' } },
          policies: ['db-1', 'db-2'],
        },
        source: [{ file: 'm.yaml', line: 40, column: 1 }],
      },
    ]);
    expect(r.fragment.services.map((s) => [s.id, s.memberships.policy, s.memberships.network])).toEqual([
      ['k8s:shop/db', ['policy:k8s:ns:shop:sel:app=db'], ['network:k8s:ns:shop']],
      ['k8s:shop/web', ['policy:k8s:ns:shop'], ['network:k8s:ns:shop']],
    ]);
  });
});

describe('k8sReader: mixed with Calico', () => {
  it('reads Calico documents of a Kubernetes file too, with label sets that have members', () => {
    const r = read(`${deploy('db', { app: 'db' }, '', 'data')}---
apiVersion: v1
kind: Namespace
metadata: { name: data, labels: { team: data } }
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: db, namespace: data }
spec:
  selector: app == 'db'
  ingress: [{ action: Allow }]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: data-tier }
spec:
  selector: app == 'db'
  namespaceSelector: team == 'data'
  ingress: [{ action: Pass }]
`);
    expect(r.diagnostics).toEqual([]);
    expect(r.fragment.rules.map((x) => x.id)).toEqual(['calico:data/netpol/db', 'calico:global/gnp/data-tier']);
    expect(svc(r, 'k8s:data/db').memberships.policy).toEqual([
      "policy:calico:ns:data:sel:app == 'db'",
      "policy:calico:sel:app == 'db' | ns: team == 'data'",
    ]);
    expect(r.fragment.segments.find((s) => s.id === "policy:calico:ns:data:sel:app == 'db'")?.parent).toBe(
      'policy:k8s:ns:data',
    );
  });
});

describe('shop sample', () => {
  const text = readFileSync(new URL('../../../public/samples/k8s/shop.yaml', import.meta.url), 'utf8');

  it('imports with no diagnostics: 8 workloads in 2 namespaces, 9 env calls, 13 policies', () => {
    const { workspace, report } = importFiles([{ name: 'shop.yaml', text }]);
    expect(report.files.map((f) => [f.format, f.diagnostics])).toEqual([['k8s', []]]);
    expect(report.diagnostics).toEqual([]);
    expect(workspace.services.map((s) => `${s.id}${s.exposed ? ' (exposed)' : ''}`)).toEqual([
      'k8s:shop/frontend (exposed)',
      'k8s:shop/cart',
      'k8s:shop/catalog',
      'k8s:shop/checkout',
      'k8s:shop/payment',
      'k8s:data/orders-db',
      'k8s:data/cart-redis',
      'k8s:data/queue',
    ]);
    expect(workspace.calls.map((c) => `${c.from} → ${c.to}:${c.port}`)).toEqual([
      'k8s:shop/frontend → k8s:shop/cart:8080',
      'k8s:shop/frontend → k8s:shop/catalog:8080',
      'k8s:shop/frontend → k8s:shop/checkout:7000',
      'k8s:shop/cart → k8s:data/cart-redis:6379',
      'k8s:shop/catalog → k8s:data/orders-db:5432',
      'k8s:shop/checkout → k8s:shop/payment:8080',
      'k8s:shop/checkout → k8s:data/orders-db:5432',
      'k8s:shop/checkout → k8s:data/queue:5672',
      'k8s:shop/payment → k8s:data/queue:5672',
    ]);
    expect(workspace.rules.length).toBe(13);
  });
});

describe('k8sReader: never throws', () => {
  const kinds = fc.constantFrom(
    'Deployment',
    'Pod',
    'CronJob',
    'Service',
    'Ingress',
    'NetworkPolicy',
    'Namespace',
    'ServiceAccount',
    'ConfigMap',
    'List',
    'PodList',
    'Widget',
  );
  const key = fc.constantFrom(
    'metadata',
    'spec',
    'items',
    'template',
    'podSelector',
    'ingress',
    'egress',
    'from',
    'to',
    'ports',
    'selector',
    'containers',
    'env',
    'labels',
    'name',
    'namespace',
    'ownerReferences',
    '__proto__',
  );
  const tree = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue({ maxDepth: 1 }),
      fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      fc.array(tie('node'), { maxLength: 3 }),
    ),
  })).node;

  it('reads arbitrary objects of known kinds without throwing; every diagnostic is placed', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(kinds, tree, tree), { maxLength: 4 }), (objs) => {
        const docs = objs.map(([kind, metadata, spec]) => ({ apiVersion: 'v1', kind, metadata, spec, items: spec }));
        for (const text of [JSON.stringify(docs), docs.map((d) => JSON.stringify(d)).join('\n---\n')]) {
          const r = k8sReader.read({ name: 'f.yaml', text });
          for (const d of r.diagnostics) expect(d.line >= 1 && d.column >= 1).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads damaged copies of the shop sample without throwing', () => {
    const text = readFileSync(new URL('../../../public/samples/k8s/shop.yaml', import.meta.url), 'utf8');
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(40), fc.string({ maxLength: 5 }), (at, cut, insert) => {
        const damaged = text.slice(0, at) + insert + text.slice(at + cut);
        const r = k8sReader.read({ name: 'shop.yaml', text: damaged });
        for (const d of r.diagnostics) expect(d.line >= 1 && d.column >= 1).toBe(true);
      }),
      { numRuns: 60 },
    );
  }, 30000);
});

describe('linkPolicyMemberships', () => {
  it('puts pods of one file into the label sets of another file (K8s and Calico)', () => {
    const workloads = `apiVersion: v1
kind: Namespace
metadata: { name: data, labels: { team: data } }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: data }
spec:
  template:
    metadata: { labels: { app: db } }
    spec: { serviceAccountName: db, containers: [{ name: pg, image: "postgres:16" }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: data }
spec:
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [{ name: a, image: api }] }
`;
    const policies = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db, namespace: data }
spec:
  podSelector: { matchLabels: { app: db } }
`;
    const calico = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: by-sa, namespace: data }
spec:
  selector: projectcalico.org/serviceaccount == 'db'
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: data-team }
spec:
  selector: has(app)
  namespaceSelector: team == 'data'
`;
    const { workspace } = importFiles([
      { name: 'workloads.yaml', text: workloads },
      { name: 'policies.yaml', text: policies },
      { name: 'calico.yaml', text: calico },
    ]);
    // Each reader alone could not match pods it did not see; importFiles links them after the merge,
    // and linking again changes nothing.
    const linked = workspace;
    expect(linkPolicyMemberships(linked).services).toEqual(linked.services);
    expect(linked.services.map((s) => [s.id, s.memberships.policy])).toEqual([
      [
        'k8s:data/db',
        [
          'policy:k8s:ns:data:sel:app=db',
          "policy:calico:ns:data:sel:projectcalico.org/serviceaccount == 'db'",
          "policy:calico:sel:has(app) | ns: team == 'data'",
        ],
      ],
      ['k8s:data/api', ["policy:calico:sel:has(app) | ns: team == 'data'"]],
    ]);
    expect(
      linked.segments.find((s) => s.id === "policy:calico:ns:data:sel:projectcalico.org/serviceaccount == 'db'")
        ?.parent,
    ).toBe('policy:k8s:ns:data');
  });
});
