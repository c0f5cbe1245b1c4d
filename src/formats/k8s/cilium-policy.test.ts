import { describe, expect, it } from 'vitest';
import { importFiles } from '../../import/index';
import type { CiliumPolicyRule } from '../../model/types';

// What the Cilium agent imports (docs.cilium.io security/policy/language; the cilium.io/v2 API reference):
// a rule element names one kind of L3 peer, entities come from a fixed list, a port is 0–65535 or a name.
const read = (text: string) => {
  const r = importFiles([{ name: 'p.yaml', text }]);
  return {
    rules: r.workspace.rules.filter((x): x is CiliumPolicyRule => x.type === 'cilium-network-policy'),
    diagnostics: r.report.files.flatMap((f) => f.diagnostics).map((d) => [d.severity, d.line, d.column, d.message]),
  };
};
const cnp = (spec: string) => `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: p, namespace: shop }
spec:
${spec}`;

describe('Kubernetes reader: CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy', () => {
  it('reads selectors in Cilium terms: source prefixes dropped, the namespace added to a namespaced policy', () => {
    const { rules, diagnostics } = read(
      cnp(`  endpointSelector: { matchLabels: { k8s:app: db } }
  egress:
    - toEndpoints: [{ matchLabels: { any:app: api } }, {}]
      toPorts: [{ ports: [{ port: "5432" }, { port: "8000", endPort: 8010, protocol: UDP }, { port: http, protocol: TCP }] }]
`),
    );
    expect(diagnostics).toEqual([]);
    expect(rules).toHaveLength(1);
    const r = rules[0] as CiliumPolicyRule;
    expect(r.id).toBe('k8s:cnp/shop/p');
    expect(r.endpointSelector).toEqual({ matchLabels: { app: 'db', 'io.kubernetes.pod.namespace': 'shop' } });
    expect(r.defaultDeny).toEqual({ ingress: false, egress: true });
    expect(r.egress[0]?.peers).toEqual([
      { endpoints: { matchLabels: { app: 'api', 'io.kubernetes.pod.namespace': 'shop' } } },
      { endpoints: { matchLabels: { 'io.kubernetes.pod.namespace': 'shop' } } },
    ]);
    expect(r.egress[0]?.ports).toEqual([
      { protocol: 'ANY', port: 5432 },
      { protocol: 'UDP', port: 8000, endPort: 8010 },
      { protocol: 'TCP', namedPort: 'http' },
    ]);
  });

  it('`specs` gives one rule each; a clusterwide policy binds no namespace', () => {
    const { rules } = read(`apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: { name: two }
specs:
  - endpointSelector: { matchLabels: { app: a } }
    ingress: [{ fromEntities: [world] }]
  - endpointSelector: { matchLabels: { app: b } }
    egressDeny: [{ toCIDR: [10.0.0.0/8] }]
`);
    expect(rules.map((r) => [r.id, r.part, r.endpointSelector, r.defaultDeny])).toEqual([
      ['k8s:ccnp/two#0', 0, { matchLabels: { app: 'a' } }, { ingress: true, egress: false }],
      ['k8s:ccnp/two#1', 1, { matchLabels: { app: 'b' } }, { ingress: false, egress: true }],
    ]);
  });

  it.each([
    [
      'combining two kinds of L3 peer (the agent refuses it)',
      `  endpointSelector: {}
  ingress: [{ fromEndpoints: [{}], fromCIDR: [10.0.0.0/8] }]
`,
      [6, 13, 'combining fromEndpoints and fromCIDR in one rule is not supported (the Cilium agent refuses it)'],
    ],
    [
      'an entity not in the list',
      `  endpointSelector: {}
  ingress: [{ fromEntities: [internet] }]
`,
      [
        6,
        30,
        'entity "internet" is not one of all, world, world-ipv4, world-ipv6, cluster, host, remote-node, kube-apiserver, ingress, health, init, unmanaged, none',
      ],
    ],
    [
      'a port out of range',
      `  endpointSelector: {}
  ingress: [{ toPorts: [{ ports: [{ port: "70000" }] }] }]
`,
      [6, 43, 'port "70000" is not a number from 0 to 65535'],
    ],
    ['neither selector', `  ingress: [{}]\n`, [5, 3, 'a rule sets exactly one of endpointSelector or nodeSelector']],
  ])('a located error skips the policy: %s', (_l, spec, first) => {
    const { rules, diagnostics } = read(cnp(spec));
    expect(rules).toEqual([]);
    expect(diagnostics[0]).toEqual(['error', ...first]);
    expect(diagnostics[diagnostics.length - 1]?.[3]).toBe(
      'CiliumNetworkPolicy shop/p is skipped: the Cilium agent would not import it (see the errors above)',
    );
  });

  it.each([
    [
      'toServices',
      '  endpointSelector: {}\n  egress: [{ toServices: [{ k8sService: { serviceName: x } }] }]\n',
      'toServices is read but not modelled: it matches nothing (the cluster may allow more)',
    ],
    [
      'a deny on toGroups',
      '  endpointSelector: {}\n  egressDeny: [{ toGroups: [{ aws: { securityGroupsIds: [sg-1] } }] }]\n',
      'toGroups is read but not modelled: it matches nothing, so this deny is not applied (the cluster denies more)',
    ],
    [
      'icmps',
      '  endpointSelector: {}\n  ingress: [{ icmps: [{ fields: [{ type: 8 }] }] }]\n',
      'ICMP is not modelled: icmps covers no TCP, UDP or SCTP port',
    ],
    [
      'a misspelt field',
      '  endpointSelector: {}\n  ingress: [{ fromEndpoint: [{}] }]\n',
      'fromEndpoint is not a field of a Cilium rule: ignored',
    ],
    [
      'the ingress entity',
      '  endpointSelector: {}\n  ingress: [{ fromEntities: [ingress] }]\n',
      'entity ingress is no workload segscope models: it matches nothing (the cluster may allow more)',
    ],
  ])('read, kept and warned, never dropped silently: %s', (_l, spec, message) => {
    const { rules, diagnostics } = read(cnp(spec));
    expect(rules).toHaveLength(1);
    expect(diagnostics.map((d) => d[3])).toContain(`CiliumNetworkPolicy shop/p: ${message}`);
  });

  it('the Kubernetes writer says it does not write them', async () => {
    const { exportK8s } = await import('./write');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync('public/samples/k8s/cilium-policies.yaml', 'utf8');
    const r = importFiles([{ name: 'cilium-policies.yaml', text }]);
    expect(exportK8s(r.workspace).notes).toContain(
      'AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy, MultiNetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy are not written (keep their own files)',
    );
  });
});
