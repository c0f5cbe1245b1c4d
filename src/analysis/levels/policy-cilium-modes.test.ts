import { describe, expect, it } from 'vitest';
import { CNP_DB_FROM_WEB, deployment, externalName, manifests } from '../../formats/k8s/testing/cluster';
import { importFiles } from '../../import/index';
import { withCiliumEnforcement } from '../../model/settings';
import type { Workspace } from '../../model/types';
import { reach } from '../reach';
import { CILIUM_ALWAYS_ID } from './policy-cilium';

// docs.cilium.io, security/policy/intro, "Policy Enforcement Modes" (the agent's policyEnforcementMode):
// - default: "If any rule selects an Endpoint and the rule has an ingress section, the endpoint goes into
//   default deny at ingress" (egress likewise); an endpoint no rule selects allows everything.
// - always: "policy enforcement is enabled on all endpoints even if no rules select specific endpoints."
// - never: "policy enforcement is disabled on all endpoints, even if rules do select specific endpoints.
//   In other words, all traffic is allowed from any source (on ingress) or destination (on egress)."
// Cilium, the CNI, is also what enforces Kubernetes NetworkPolicy: `never` enforces that neither.

const PODS = manifests(
  deployment({ name: 'web', namespace: 'shop', ports: [{ containerPort: 8080 }] }),
  deployment({ name: 'db', namespace: 'shop', ports: [{ containerPort: 5432 }] }),
  externalName('partner', 'shop', 'api.partner.example'),
);
const WEB = 'k8s:shop/web';
const DB = 'k8s:shop/db';
const PARTNER = 'k8s:shop/partner';

/** db accepts web on 5432 (ingress only). */
const DB_INGRESS = `---\n${CNP_DB_FROM_WEB}`;
/** web may call db on 5432, as a Kubernetes NetworkPolicy (egress only). */
const WEB_EGRESS_NP = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress:
    - to: [{ podSelector: { matchLabels: { app: db } } }]
      ports: [{ port: 5432, protocol: TCP }]
`;
/** A deny of web → db on every port. */
const DENY_WEB = `---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: deny-web, namespace: shop }
spec:
  endpointSelector: { matchLabels: { app: db } }
  ingressDeny:
    - fromEndpoints: [{ matchLabels: { app: web } }]
`;

const load = (mode: 'default' | 'always' | 'never' | undefined, policies = ''): Workspace => {
  const ws = importFiles([{ name: 'c.yaml', text: PODS + policies }]).workspace;
  return mode ? withCiliumEnforcement(ws, mode) : ws;
};
const policy = (ws: Workspace, from: string, to: string, port?: number) => {
  const p = reach(ws, from, to, port).levels.policy;
  return { verdict: p.verdict, rule: p.rule?.id, reason: p.reason, fix: p.fix };
};

describe("Cilium's policy enforcement mode (settings.ciliumPolicyEnforcement)", () => {
  it('default (also when unset): an endpoint no rule selects allows everything, a selected one only what rules allow', () => {
    for (const mode of [undefined, 'default'] as const) {
      expect(policy(load(mode), WEB, DB, 5432).verdict).toBe('open');
      const ws = load(mode, DB_INGRESS);
      expect(policy(ws, WEB, DB, 5432).verdict).toBe('allow');
      expect(policy(ws, WEB, DB, 6379).verdict).toBe('deny');
      // db is selected for ingress only: its egress stays open.
      expect(policy(ws, DB, WEB, 8080).verdict).toBe('open');
    }
  });

  it('always: every pod is in default deny both ways even with no rule; only what rules allow gets through', () => {
    const bare = policy(load('always'), WEB, DB, 5432);
    expect(bare.verdict).toBe('deny');
    expect(bare.rule).toBe(CILIUM_ALWAYS_ID);
    expect(bare.reason).toBe(
      "web is selected for egress and no rule allows db on TCP 5432: Cilium's policy enforcement mode always puts web in default deny for egress (Cilium: traffic no policy allows is dropped).",
    );
    expect(bare.fix).toBe(
      'add a CiliumNetworkPolicy (or a NetworkPolicy) selecting web with an egress rule for podSelector app=db in namespace shop on TCP 5432: under the mode always every pod is in default deny',
    );
    // db's ingress rule alone is not enough: web's egress is in default deny too.
    expect(policy(load('always', DB_INGRESS), WEB, DB, 5432).verdict).toBe('deny');
    // With web's egress allowed (by a NetworkPolicy, which Cilium enforces too), 5432 passes and only 5432.
    const both = load('always', DB_INGRESS + WEB_EGRESS_NP);
    expect(policy(both, WEB, DB, 5432).verdict).toBe('allow');
    expect(policy(both, WEB, DB, 6379).verdict).toBe('deny');
    // The reverse direction names the policy a rule belongs in when one selects the pod (db's), else the mode.
    const back = policy(both, DB, WEB, 8080);
    expect(back.verdict).toBe('deny');
    expect(back.rule).toBe(CILIUM_ALWAYS_ID);
    // A peer outside the cluster is no Cilium endpoint, but the pod calling it is in default deny for egress.
    expect(policy(both, DB, PARTNER).verdict).toBe('deny');
  });

  it('never: no rule is enforced, Cilium deny rules and NetworkPolicy included, and the verdict says why', () => {
    const ws = load('never', DB_INGRESS + WEB_EGRESS_NP + DENY_WEB);
    const v = policy(ws, WEB, DB, 6379);
    expect(v.verdict).toBe('open');
    expect(v.reason).toBe(
      "No policy restricts the pair: policies selecting web for egress are not enforced: Cilium's policy enforcement mode is never; policies selecting db for ingress are not enforced: Cilium's policy enforcement mode is never.",
    );
    // The same rules under the default mode: the deny wins.
    expect(policy(load('default', DB_INGRESS + WEB_EGRESS_NP + DENY_WEB), WEB, DB, 5432).verdict).toBe('deny');
  });

  it('a mode changed on the same rules (what an undoable setting does) is never answered from the other mode', () => {
    const ws = load(undefined, DB_INGRESS + WEB_EGRESS_NP + DENY_WEB);
    expect(policy(ws, WEB, DB, 5432).verdict).toBe('deny');
    const never = withCiliumEnforcement(ws, 'never');
    expect(never.rules).toBe(ws.rules);
    expect(policy(never, WEB, DB, 5432).verdict).toBe('open');
    expect(policy(withCiliumEnforcement(never, 'always'), DB, WEB, 8080).verdict).toBe('deny');
    expect(policy(withCiliumEnforcement(never, 'default'), DB, WEB, 8080).verdict).toBe('open');
  });

  it('a native file keeps the mode; a mode Cilium does not have is an error at the field', () => {
    const saved = JSON.stringify({ ...load('never'), settings: { ciliumPolicyEnforcement: 'never' } }, null, 2);
    const back = importFiles([{ name: 'ws.segscope.json', text: saved }]);
    expect(back.workspace.settings?.ciliumPolicyEnforcement).toBe('never');
    const bad = saved.replace('"ciliumPolicyEnforcement": "never"', '"ciliumPolicyEnforcement": "sometimes"');
    const r = importFiles([{ name: 'ws.segscope.json', text: bad }]);
    const line = bad.split('\n').findIndex((l) => l.includes('sometimes')) + 1;
    expect(r.report.files[0]?.diagnostics.map((d) => `${d.line} ${d.severity} ${d.message}`)).toEqual([
      `${line} error "settings" ignored: settings.ciliumPolicyEnforcement: Invalid option: expected one of "default"|"always"|"never"`,
    ]);
    expect(r.workspace.settings?.ciliumPolicyEnforcement).toBeUndefined();
  });
});
