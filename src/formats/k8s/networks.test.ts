import { describe, expect, it } from 'vitest';
import { computeConnlist } from '../../analysis/connlist';
import { reach } from '../../analysis/reach';
import { importFiles } from '../../import/index';

// OVN-Kubernetes user-defined networks (ovn-kubernetes.io, "User Defined Networks"): a namespace whose
// primary network is a UserDefinedNetwork, or a ClusterUserDefinedNetwork selecting it, is isolated from
// pods of every other network; Multus secondary networks (NetworkAttachmentDefinition, pods'
// k8s.v1.cni.cncf.io/networks) and MultiNetworkPolicies on them are their own network segments.

// A namespace joins a primary user-defined network only when created with this label (OpenShift
// "Creating a namespace for user-defined networks"); without it its pods stay on the default network.
const LABEL = 'k8s.ovn.org/primary-user-defined-network';
const ns = (name: string, labels = '{}') => `apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: ${labels} }
`;
const pod = (namespace: string, name: string, annotations = '{}') => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${namespace}, labels: { app: ${name} }, annotations: ${annotations} }
spec: { containers: [{ name: c, image: i, ports: [{ containerPort: 8080 }] }] }
`;

const FILES = [
  {
    name: 'cluster.yaml',
    text: [
      ns('blue', `{ ${LABEL}: "" }`),
      ns('red', `{ tenant: red, ${LABEL}: "" }`),
      ns('red2', `{ tenant: red, ${LABEL}: "" }`),
      ns('red3', '{ tenant: red }'),
      ns('plain'),
      pod('blue', 'b1', '{ k8s.v1.cni.cncf.io/networks: "plain/storage" }'),
      pod('blue', 'b2'),
      pod('red', 'r1'),
      pod('red2', 'r2'),
      pod('red3', 'r3'),
      pod('plain', 'p1', `{ k8s.v1.cni.cncf.io/networks: '[{"name": "storage"}]' }`),
    ].join('---\n'),
  },
  {
    name: 'networks.yaml',
    text: `apiVersion: k8s.ovn.org/v1
kind: UserDefinedNetwork
metadata: { name: blue-net, namespace: blue }
spec: { topology: Layer2, layer2: { role: Primary, subnets: [10.100.0.0/16] } }
---
apiVersion: k8s.ovn.org/v1
kind: ClusterUserDefinedNetwork
metadata: { name: red-tenant }
spec:
  namespaceSelector: { matchLabels: { tenant: red } }
  network: { topology: Layer3, layer3: { role: Primary, subnets: [{ cidr: 10.200.0.0/16 }] } }
---
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: { name: storage, namespace: plain }
spec: { config: '{"cniVersion": "0.3.1", "name": "storage", "type": "macvlan"}' }
---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata:
  name: storage-only-blue
  namespace: plain
  annotations: { k8s.v1.cni.cncf.io/policy-for: plain/storage }
spec:
  podSelector: {}
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: blue } } }] }]
`,
  },
];

describe('user-defined and secondary networks', () => {
  const r = importFiles(FILES);
  const w = r.workspace;
  const net = (from: string, to: string) => reach(w, `k8s:${from}`, `k8s:${to}`, 8080).levels.network;

  it('pods on one primary UDN reach each other; a CUDN spans the namespaces it selects', () => {
    expect(net('blue/b1', 'blue/b2').verdict).toBe('allow');
    expect(net('red/r1', 'red2/r2')).toMatchObject({ verdict: 'allow', rule: { id: 'network:k8s:cudn:red-tenant' } });
  });

  it('pods on different primary networks cannot reach each other (UDN ↔ CUDN ↔ cluster default network)', () => {
    for (const [a, b] of [
      ['blue/b1', 'red/r1'],
      ['red/r1', 'blue/b2'],
      ['plain/p1', 'blue/b2'],
      ['blue/b2', 'plain/p1'],
    ] as const) {
      const v = net(a, b);
      expect(v.verdict, `${a} → ${b}`).toBe('deny');
      expect(v.reason).toContain('different primary pod networks');
    }
    const list = computeConnlist(w)
      .connections.filter((c) => !/^\d/.test(c.from) && !/^\d/.test(c.to))
      .map((c) => `${c.from} => ${c.to}`);
    // b1 and p1 are both attached to plain/storage: that network is a path of its own (below).
    expect(list).toEqual([
      'blue/b1 => blue/b2',
      'blue/b1 => plain/p1',
      'blue/b2 => blue/b1',
      'plain/p1 => blue/b1',
      'plain/p1 => red3/r3',
      'red/r1 => red2/r2',
      'red2/r2 => red/r1',
      'red3/r3 => plain/p1',
    ]);
  });

  it('secondary networks are segments with their attached pods, a path of their own between them', () => {
    const seg = w.segments.find((s) => s.id === 'network:k8s:net:plain/storage');
    expect(seg?.attributes).toMatchObject({ kind: 'secondary-network', cni: 'macvlan' });
    const members = w.services.filter((s) => s.memberships.network?.includes('network:k8s:net:plain/storage'));
    expect(members.map((s) => s.id).sort()).toEqual(['k8s:blue/b1', 'k8s:plain/p1']);
    // b1 (primary UDN blue) and p1 (cluster network) meet only on plain/storage.
    expect(net('blue/b1', 'plain/p1')).toMatchObject({
      verdict: 'allow',
      rule: { id: 'network:k8s:net:plain/storage' },
    });
  });

  it('a MultiNetworkPolicy is a rule of its network, modelled without a warning; it does not apply on the pod network', () => {
    const rule = w.rules.find((x) => x.id === 'k8s:plain/multinetpol/storage-only-blue');
    expect(rule).toMatchObject({ type: 'k8s-network-policy', networks: ['network:k8s:net:plain/storage'] });
    const warns = r.report.files.flatMap((f) => f.diagnostics).filter((d) => d.severity === 'warn');
    expect(warns.filter((d) => d.message.includes('MultiNetworkPolicy'))).toEqual([]);
    // It does not isolate plain/p1 on the pod network; on plain/storage it admits namespace blue only.
    expect(reach(w, 'k8s:plain/p1', 'k8s:plain/p1', 8080).levels.policy.verdict).toBe('open');
    expect(reach(w, 'k8s:blue/b1', 'k8s:plain/p1', 8080).levels.policy).toMatchObject({
      verdict: 'allow',
      rule: { id: 'k8s:plain/multinetpol/storage-only-blue' },
    });
  });

  it('a namespace the CUDN selects but created without the primary-network label stays on the default network, with a warning', () => {
    // red3 has tenant=red but not the label: red-tenant is not its primary network.
    expect(net('red3/r3', 'plain/p1').verdict).toBe('allow');
    expect(net('red3/r3', 'red/r1').verdict).toBe('deny');
    const warns = r.report.diagnostics.filter((d) => d.severity === 'warn');
    expect(warns.map((d) => `${d.file}:${d.line} ${d.message}`)).toEqual([
      `networks.yaml:6 ClusterUserDefinedNetwork red-tenant is a primary network, but namespace red3 has no ${LABEL} label: its pods stay on the cluster's default network`,
    ]);
  });
});
