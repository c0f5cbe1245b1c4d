import { describe, expect, it } from 'vitest';
import { importFiles } from '../../import/index';
import { computeConnlist } from '../connlist';
import { reach } from '../reach';

// MultiNetworkPolicy (k8snetworkplumbingwg/multi-networkpolicy, API k8s.cni.cncf.io/v1beta1): the spec of a
// NetworkPolicy, applied only to the traffic on the NetworkAttachmentDefinitions its
// `k8s.v1.cni.cncf.io/policy-for` annotation names; NetworkPolicy itself applies only on the cluster's
// pod network (Multus: "NetworkPolicy ... is not applied to additional interfaces"). A secondary network
// is a path of its own between the pods attached to it (Multus k8s.v1.cni.cncf.io/networks).

const ns = (name: string, labels = '{}') => `apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: ${labels} }
`;
const pod = (namespace: string, name: string, nets?: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: { app: ${name} }
  annotations: ${nets ? `{ k8s.v1.cni.cncf.io/networks: "${nets}" }` : '{}'}
spec: { containers: [{ name: c, image: i, ports: [{ containerPort: 8080 }, { containerPort: 9090 }] }] }
`;
const nad = (namespace: string, name: string) => `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: { name: ${name}, namespace: ${namespace} }
spec: { config: '{"cniVersion": "0.3.1", "name": "${name}", "type": "macvlan"}' }
`;

const FILES = [
  {
    name: 'pods.yaml',
    text: [
      ns('lab'),
      ns('blue', '{ k8s.ovn.org/primary-user-defined-network: "" }'),
      pod('lab', 'a', 'storage'),
      pod('lab', 'b', 'storage'),
      pod('lab', 'c', 'storage,other'),
      pod('lab', 'd'),
      pod('blue', 'e', 'lab/storage'),
      nad('lab', 'storage'),
      nad('lab', 'other'),
      `apiVersion: k8s.ovn.org/v1
kind: UserDefinedNetwork
metadata: { name: blue-net, namespace: blue }
spec: { topology: Layer2, layer2: { role: Primary, subnets: [10.100.0.0/16] } }
`,
    ].join('---\n'),
  },
  {
    name: 'policies.yaml',
    text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: b-deny-all, namespace: lab }
spec: { podSelector: { matchLabels: { app: b } }, policyTypes: [Ingress] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: c-no-egress, namespace: lab }
spec: { podSelector: { matchLabels: { app: c } }, policyTypes: [Egress] }
---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata:
  name: b-from-a
  namespace: lab
  annotations: { k8s.v1.cni.cncf.io/policy-for: lab/storage }
spec:
  podSelector: { matchLabels: { app: b } }
  policyTypes: [Ingress]
  ingress: [{ from: [{ podSelector: { matchLabels: { app: a } } }], ports: [{ protocol: TCP, port: 8080 }] }]
---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata:
  name: a-isolated-on-other
  namespace: lab
  annotations: { k8s.v1.cni.cncf.io/policy-for: other }
spec: { podSelector: { matchLabels: { app: a } }, policyTypes: [Ingress, Egress] }
---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata:
  name: e-egress
  namespace: blue
  annotations: { k8s.v1.cni.cncf.io/policy-for: lab/storage }
spec:
  podSelector: { matchLabels: { app: e } }
  policyTypes: [Egress]
  egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: a } } }], ports: [{ protocol: TCP, port: 9090 }] }]
`,
  },
];

describe('MultiNetworkPolicy on secondary networks', () => {
  const r = importFiles(FILES);
  const w = r.workspace;
  const lines = computeConnlist(w)
    .connections.filter((c) => !/^\d/.test(c.from) && !/^\d/.test(c.to))
    .map((c) => `${c.from} => ${c.to} : ${c.ports === 'all' ? 'all' : c.ports.join(',')}`);
  const line = (from: string, to: string) => lines.find((l) => l.startsWith(`${from} => ${to} :`));
  const policy = (from: string, to: string, port: number) => reach(w, `k8s:${from}`, `k8s:${to}`, port).levels.policy;

  it('reads every policy without a warning (MultiNetworkPolicy is modelled)', () => {
    expect(r.report.files.flatMap((f) => f.diagnostics).filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('NetworkPolicy does not apply on a secondary network: its MultiNetworkPolicy decides there', () => {
    // b is isolated for ingress on the pod network; on lab/storage b-from-a admits a on TCP 8080.
    expect(line('lab/a', 'lab/b')).toBe('lab/a => lab/b : TCP 8080');
    expect(policy('lab/a', 'lab/b', 8080)).toMatchObject({
      verdict: 'allow',
      rule: { id: 'k8s:lab/multinetpol/b-from-a' },
    });
    expect(policy('lab/a', 'lab/b', 8080).reason).toContain('Over secondary network lab/storage');
    expect(policy('lab/a', 'lab/b', 9090).verdict).toBe('deny');
  });

  it('a pod the MultiNetworkPolicy does not admit is denied on that network too', () => {
    expect(line('lab/c', 'lab/b')).toBeUndefined();
    const v = policy('lab/c', 'lab/b', 8080);
    expect(v.verdict).toBe('deny');
    expect(v.reason).toContain('Over secondary network lab/storage');
  });

  it('a pod not attached to the network cannot use it: only the pod network (and its NetworkPolicy) counts', () => {
    expect(line('lab/d', 'lab/b')).toBeUndefined();
    expect(policy('lab/d', 'lab/b', 8080)).toMatchObject({
      verdict: 'deny',
      rule: { id: 'k8s:lab/netpol/b-deny-all' },
    });
  });

  it('pods no MultiNetworkPolicy selects on a network are not isolated there, whatever NetworkPolicy says', () => {
    // c may send nothing on the pod network (c-no-egress) but is unselected on lab/storage.
    expect(line('lab/c', 'lab/a')).toBe('lab/c => lab/a : all');
    expect(line('lab/d', 'lab/c')).toBe('lab/d => lab/c : all');
    expect(line('lab/c', 'lab/d')).toBeUndefined();
  });

  it('a MultiNetworkPolicy applies only on the networks its policy-for names', () => {
    // a-isolated-on-other isolates a on lab/other, which a is not attached to: a stays open on lab/storage.
    expect(line('lab/b', 'lab/a')).toBe('lab/b => lab/a : all');
  });

  it('pods on different primary networks meet on a shared secondary network, judged by its policies only', () => {
    // e's primary network is the UDN blue-net: only lab/storage joins it to lab's pods.
    expect(reach(w, 'k8s:blue/e', 'k8s:lab/d', 8080).levels.network.verdict).toBe('deny');
    expect(reach(w, 'k8s:blue/e', 'k8s:lab/a', 9090).levels.network).toMatchObject({
      verdict: 'allow',
      rule: { id: 'network:k8s:net:lab/storage' },
    });
    // e-egress lets e send TCP 9090 to app=a in any namespace; b admits only a.
    expect(line('blue/e', 'lab/a')).toBe('blue/e => lab/a : TCP 9090');
    expect(line('blue/e', 'lab/b')).toBeUndefined();
    expect(line('blue/e', 'lab/d')).toBeUndefined();
    // Ingress to e on lab/storage is not restricted, and the pod network's rules do not reach it.
    expect(line('lab/a', 'blue/e')).toBe('lab/a => blue/e : all');
    expect(line('lab/c', 'blue/e')).toBe('lab/c => blue/e : all');
  });
});

// An ipBlock of a MultiNetworkPolicy matches the traffic of the network's interface (multi-networkpolicy:
// the rules are applied on that interface), so a pod by its address on that network: what Multus reports in
// k8s.v1.cni.cncf.io/network-status, or the static `ips` its k8s.v1.cni.cncf.io/networks entry asks for.
describe('MultiNetworkPolicy ipBlock on a secondary network', () => {
  const statusPod = (name: string, podIP: string, ips: string[]) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: lab
  labels: { app: ${name} }
  annotations:
    k8s.v1.cni.cncf.io/networks: storage
    k8s.v1.cni.cncf.io/network-status: '[{"name": "ovn-kubernetes", "ips": ["${podIP}"], "default": true}, {"name": "lab/storage", "interface": "net1", "ips": ${JSON.stringify(ips)}}]'
spec: { containers: [{ name: c, image: i }] }
status: { podIP: ${podIP} }
`;
  const staticPod = `apiVersion: v1
kind: Pod
metadata:
  name: fixed
  namespace: lab
  labels: { app: fixed }
  annotations: { k8s.v1.cni.cncf.io/networks: '[{"name": "storage", "ips": ["10.10.0.6/24"]}]' }
spec: { containers: [{ name: c, image: i }] }
`;
  const files = [
    {
      name: 'pods.yaml',
      text: [
        ns('lab'),
        nad('lab', 'storage'),
        statusPod('t', '10.244.0.4', ['10.10.0.4']),
        statusPod('near', '10.244.0.5', ['10.10.0.5']),
        // Its pod-network address lies in the block; its address on storage does not.
        statusPod('far', '10.10.0.9', ['10.20.0.9']),
        staticPod,
        pod('lab', 'unknown', 'storage'),
      ].join('---\n'),
    },
    {
      name: 'policy.yaml',
      text: `apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata:
  name: t-from-block
  namespace: lab
  annotations: { k8s.v1.cni.cncf.io/policy-for: storage }
spec:
  podSelector: { matchLabels: { app: t } }
  policyTypes: [Ingress]
  ingress: [{ from: [{ ipBlock: { cidr: 10.10.0.0/24 } }] }]
---
# On the pod network nothing reaches t: what reaches it comes over storage.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: t-isolated, namespace: lab }
spec: { podSelector: { matchLabels: { app: t } }, policyTypes: [Ingress] }
`,
    },
  ];
  const r = importFiles(files);
  const into = (from: string) =>
    computeConnlist(r.workspace).connections.find((c) => c.from === `lab/${from}` && c.to === 'lab/t');

  it('matches a pod by its address on the network: network-status, or the static ips asked for', () => {
    expect(into('near')?.ports).toBe('all');
    expect(into('fixed')?.ports).toBe('all');
    expect(reach(r.workspace, 'k8s:lab/near', 'k8s:lab/t', 80).levels.policy.reason).toContain(
      'Over secondary network lab/storage',
    );
  });

  it('not by its pod-network address: a pod whose storage address is outside the block is denied', () => {
    expect(into('far')).toBeUndefined();
  });

  it('a pod with no known address on the network matches no ipBlock there, and the policy says so', () => {
    expect(into('unknown')).toBeUndefined();
    expect(
      r.report.diagnostics.filter((d) => d.severity === 'warn').map((d) => `${d.file}:${d.line} ${d.message}`),
    ).toEqual([
      'policy.yaml:1 MultiNetworkPolicy lab/t-from-block: its ipBlock peers match a pod by its address on lab/storage, and lab/unknown has none there in the input (k8s.v1.cni.cncf.io/network-status, or ips in k8s.v1.cni.cncf.io/networks): no ipBlock matches it on that network',
    ]);
  });
});
