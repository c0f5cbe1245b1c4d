import { describe, expect, it } from 'vitest';
import { reach } from '../../analysis/reach';
import type { AdminNetworkPolicyRule } from '../../model/types';
import { deployment, loadManifests, manifests, namespace } from './testing/cluster';

// Reading policy.networking.k8s.io AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1) and
// ClusterNetworkPolicy (v1alpha2) as the API reference (network-policy-api.sigs.k8s.io/reference/spec) defines them.

const CLUSTER = manifests(
  namespace('gryffindor', { house: 'gryffindor' }),
  namespace('slytherin', { house: 'slytherin' }),
  deployment({
    name: 'harry',
    namespace: 'gryffindor',
    ports: [
      { name: 'web', containerPort: 8080 },
      { containerPort: 53, protocol: 'UDP' },
    ],
  }),
  deployment({ name: 'draco', namespace: 'slytherin', ports: [{ containerPort: 80 }] }),
);

const load = (policies: string) => loadManifests(`${CLUSTER}---\n${policies}`);
const H = 'k8s:gryffindor/harry';
const D = 'k8s:slytherin/draco';

describe('reading admin network policies', () => {
  it('AdminNetworkPolicy v1alpha1: subject, rules with name/action/peers/ports; the verdict names the rule line', () => {
    const r = load(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: houses }
spec:
  priority: 10
  subject: { namespaces: { matchLabels: { house: gryffindor } } }
  ingress:
    - name: web-from-slytherin
      action: Allow
      from: [{ namespaces: { matchLabels: { house: slytherin } } }]
      ports: [{ namedPort: web }, { portRange: { protocol: UDP, start: 50, end: 60 } }]
    - name: deny-slytherin
      action: Deny
      from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: draco } } } }]
`);
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const rule = r.workspace.rules.find((x) => x.type === 'admin-network-policy') as AdminNetworkPolicyRule;
    expect(rule).toMatchObject({ id: 'k8s:anp/houses', kind: 'AdminNetworkPolicy', tier: 'admin', priority: 10 });
    expect(rule.ingress[0]?.ports).toEqual([{ namedPort: 'web' }, { protocol: 'UDP', port: 50, endPort: 60 }]);
    expect(reach(r.workspace, D, H, 8080).levels.policy.verdict).toBe('allow');
    expect(reach(r.workspace, D, H, 53, 'UDP').levels.policy.verdict).toBe('allow');
    const denied = reach(r.workspace, D, H, 9090).levels.policy;
    expect(denied.verdict).toBe('deny');
    expect(denied.rule?.source).toMatchObject({ file: 'cluster.yaml', line: 38 });
    expect(denied.reason).toContain('"deny-slytherin" Deny');
  });

  it('BaselineAdminNetworkPolicy: Allow/Deny only, applies where no NetworkPolicy isolates the pod', () => {
    const r = load(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: { name: default }
spec:
  subject: { namespaces: {} }
  egress:
    - { action: Deny, to: [{ networks: [0.0.0.0/0] }] }
`);
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(reach(r.workspace, H, D, 80).levels.policy).toMatchObject({
      verdict: 'deny',
      rule: { id: 'k8s:banp/default' },
    });
  });

  it('ClusterNetworkPolicy v1alpha2: tier, Accept, protocols with number, range and destinationNamedPort', () => {
    const r = load(`apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: admin-guard }
spec:
  tier: Admin
  priority: 5
  subject: { namespaces: { matchLabels: { house: gryffindor } } }
  ingress:
    - action: Accept
      from: [{ namespaces: {} }]
      protocols: [{ destinationNamedPort: web }, { tcp: { destinationPort: { range: { start: 9000, end: 9100 } } } }]
    - { action: Deny, from: [{ namespaces: {} }] }
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: baseline }
spec:
  tier: Baseline
  priority: 0
  subject: { namespaces: {} }
  egress:
    - { action: Deny, to: [{ networks: [192.168.0.0/16] }] }
`);
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const rules = r.workspace.rules.filter((x) => x.type === 'admin-network-policy');
    expect(rules.map((x) => [x.id, x.tier])).toEqual([
      ['k8s:cnp/admin-guard', 'admin'],
      ['k8s:cnp/baseline', 'baseline'],
    ]);
    expect(reach(r.workspace, D, H, 8080).levels.policy.verdict).toBe('allow');
    expect(reach(r.workspace, D, H, 9050).levels.policy.verdict).toBe('allow');
    expect(reach(r.workspace, D, H, 22).levels.policy).toMatchObject({
      verdict: 'deny',
      rule: { id: 'k8s:cnp/admin-guard' },
    });
  });

  it('bad input: located errors, the policy is skipped, the rest loads', () => {
    const r = load(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: bad }
spec:
  priority: 1001
  subject: { namespaces: {}, pods: { podSelector: {} } }
  egress:
    - { action: Reject, to: [{ networks: [10.0.0.0/33] }] }
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: good }
spec:
  priority: 3
  subject: { namespaces: {} }
  ingress: [{ action: Deny, from: [{ namespaces: { matchLabels: { house: slytherin } } }] }]
`);
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.message}`);
    expect(errors).toEqual([
      '31:13 priority 1001 is not an integer from 0 to 1000',
      '32:12 subject must set exactly one of namespaces or pods',
      '34:17 action "Reject" is not Allow, Deny, Pass',
      '34:43 "10.0.0.0/33" is not a CIDR',
      '27:1 AdminNetworkPolicy bad skipped because of the errors above (the API server would reject it)',
    ]);
    expect(r.workspace.rules.filter((x) => x.type === 'admin-network-policy').map((x) => x.id)).toEqual([
      'k8s:anp/good',
    ]);
    expect(reach(r.workspace, D, H, 80).levels.policy.verdict).toBe('deny');
  });

  it('warns, never skips silently: equal priorities, domainNames peers, a baseline not named default', () => {
    const r = load(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: a }
spec: { priority: 7, subject: { namespaces: {} }, ingress: [{ action: Pass, from: [{ namespaces: {} }] }] }
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: b }
spec: { priority: 7, subject: { namespaces: {} }, ingress: [{ action: Deny, from: [{ namespaces: {} }] }] }
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: dns }
spec:
  tier: Admin
  priority: 1
  subject: { namespaces: {} }
  egress: [{ action: Accept, to: [{ domainNames: ["*.example.com"] }] }]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: { name: strict }
spec: { subject: { namespaces: {} }, ingress: [{ action: Deny, from: [{ namespaces: {} }] }] }
`);
    const warns = r.diagnostics.filter((d) => d.severity === 'warn').map((d) => d.message);
    expect(warns).toEqual([
      expect.stringContaining('domainNames peers are read but not modelled'),
      expect.stringContaining('the API admits one BaselineAdminNetworkPolicy, named "default"'),
      expect.stringContaining('AdminNetworkPolicy b has the same priority (7) as a'),
    ]);
    // a (Pass) goes first by name: the traffic reaches the baseline, which denies.
    expect(reach(r.workspace, D, H, 80).levels.policy).toMatchObject({
      verdict: 'deny',
      rule: { id: 'k8s:banp/strict' },
    });
  });

  it('a pods peer without podSelector selects every pod of the namespaces (as the API conformance manifests write it)', () => {
    const r = load(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: no-pod-selector }
spec:
  priority: 2
  subject: { namespaces: { matchLabels: { house: gryffindor } } }
  ingress:
    - { action: Deny, from: [{ pods: { namespaceSelector: { matchLabels: { house: slytherin } } } }] }
`);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(reach(r.workspace, D, H, 80).levels.policy).toMatchObject({
      verdict: 'deny',
      rule: { id: 'k8s:anp/no-pod-selector' },
    });
  });
});
