// Istio at the role level: AuthorizationPolicy (CUSTOM → DENY → ALLOW) and PeerAuthentication, enforced by the callee's sidecar.
//
// istio.io/latest/docs/concepts/security/#authorization-policies, "Implicit enablement" and the evaluation
// order of istio.io/latest/docs/reference/config/security/authorization-policy: a CUSTOM policy that denies
// denies; any matching DENY policy denies; with no ALLOW policy for the workload the request is allowed; with
// some, one of their rules must match. PeerAuthentication STRICT refuses plaintext, so a caller without a
// sidecar cannot reach the workload, and without mutual TLS no principal or namespace rule matches.
import { matchLabelSelector } from '../../model/selector';
import type { IstioAuthorizationRule, IstioMtlsMode } from '../../model/types';
import { type Conn, contains, firstConn, isEmpty, union } from '../connset';
import { type IndexCore, type LevelResult, ruleRef, T } from '../core';
import type { RuleRef } from '../types';
import {
  applies,
  ipIn,
  type MeshEndpoint,
  meshEndpoint,
  mtlsModes,
  namespaceLabels,
  peerAuthChain,
  TCP,
} from './role-istio-match';
import { allowedResult, deniedResult, pairSets, policyName, UNCHECKED } from './role-istio-verdict';

export interface IstioPart {
  /** True when the workspace holds any Istio rule. */
  readonly active: boolean;
  /** The callee's verdict depends on the caller (an Istio policy or STRICT mTLS applies to it). */
  targeted(b: number): boolean;
  signature(i: number): string;
  evaluate(a: number, b: number, c?: Conn): LevelResult;
}

const istioStatic = (core: IndexCore) => {
  const policies = core.rulesOf('istio-authorization').filter((p) => !p.dryRun);
  const pas = core.rulesOf('istio-peer-authentication');
  const selectors = new Map<string, NonNullable<IstioAuthorizationRule['selector']>>();
  for (const p of [...policies, ...pas])
    for (const s of [p.selector, ...(p.type === 'istio-authorization' ? (p.targets ?? []) : [])])
      if (s) selectors.set(JSON.stringify(s), s);
  const blocks = policies.flatMap((p) =>
    (p.rules ?? []).flatMap((e) => (e.from ?? []).flatMap((s) => [...(s.ipBlocks ?? []), ...(s.notIpBlocks ?? [])])),
  );
  return {
    policies,
    pas,
    selectors: [...selectors.values()],
    cidrs: [...new Set(blocks)],
    nsLabels: namespaceLabels(core),
  };
};

const ALL_OPEN = union(TCP, UNCHECKED);

export const createIstioPart = (core: IndexCore): IstioPart => {
  const st = core.shared('role.istio.static', () => istioStatic(core));
  const active = st.policies.length > 0 || st.pas.length > 0;
  const endpoint = core.memoFn('role.istio.ep', (i): MeshEndpoint => meshEndpoint(core, st.nsLabels, i));
  const policiesOf = core.memoFn('role.istio.policies', (i) => st.policies.filter((p) => applies(p, endpoint(i))));
  const modesOf = core.memoFn('role.istio.modes', (i) => {
    const chain = peerAuthChain(st.pas, endpoint(i));
    return { ...mtlsModes(chain), workloadRule: chain[0]?.selector ? chain[0] : undefined };
  });
  const targeted = (b: number) =>
    endpoint(b).inMesh &&
    (policiesOf(b).length > 0 || !isEmpty(modesOf(b).sets.STRICT) || !isEmpty(modesOf(b).sets.DISABLE));

  const signature = core.memoFn('role.istio.sig', (i): string => {
    if (!active) return '';
    const ep = endpoint(i);
    const sel = st.selectors.map((s) => (matchLabelSelector(s, ep.labels) ? 1 : 0)).join('');
    const ips = st.cidrs.map((c) => (ipIn([c], ep) ? 1 : 0)).join('');
    return `${ep.inMesh ? 1 : 0}${ep.why}|${ep.namespace ?? ''}|${ep.principal ?? ''}|${sel}|${ips}`;
  });

  /** The PeerAuthentication that set the mode of a connection (the workload's port-level one, else the chain's). */
  const modeRule = (b: number, c: Conn): RuleRef | undefined => {
    const m = modesOf(b);
    const port = m.workloadRule?.ports?.find((p) => p.port === c.port);
    const rule = port ? m.workloadRule : m.baseRule;
    if (!rule) return undefined;
    const mode: IstioMtlsMode = port?.mode ?? m.base;
    const where = port ? ` portLevelMtls ${port.port}` : '';
    return ruleRef(rule, `PeerAuthentication ${policyName(rule)}${where}: mTLS ${mode}`);
  };

  const evaluate = (a: number, b: number, c?: Conn): LevelResult => {
    const to = endpoint(b);
    if (!active || !to.inMesh)
      return { verdict: 'open', reason: `Istio does not check calls to ${T.to}: ${to.why}.`, conns: ALL_OPEN };
    if (c && c.protocol !== 'TCP') {
      const reason = `Istio's sidecar intercepts TCP only: ${c.protocol} passes it unchecked.`;
      return { verdict: 'open', reason, conns: ALL_OPEN };
    }
    const from = endpoint(a);
    const policies = policiesOf(b);
    const s = pairSets(from, policies, modesOf(b));
    const conns = union(s.through, UNCHECKED);
    if (policies.length === 0 && (c ? !contains(s.refused, c) : isEmpty(s.refused))) {
      const why = isEmpty(modesOf(b).sets.DISABLE) ? '' : ' (mTLS is disabled on some of its ports)';
      const reason = `No AuthorizationPolicy applies to ${T.to}${why}; its sidecar lets every caller in.`;
      return { verdict: 'open', reason, conns };
    }
    const probe = c ?? firstConn(s.through);
    if (probe && contains(s.through, probe)) return allowedResult(s, probe, conns);
    const at: Conn = probe ?? { protocol: 'TCP', port: 1 };
    const no = deniedResult(s, from, at, conns, modeRule(b, at));
    if (c) return no;
    // Asked for any connection: UDP and SCTP still pass (the sidecar does not intercept them), so those only are allowed.
    const { fix: _fix, ...rest } = no;
    const reason = `Only UDP and SCTP get through, which Istio's sidecar does not intercept; every TCP connection is denied: ${no.reason}`;
    return { ...rest, verdict: 'allow', reason };
  };

  return { active, targeted, signature, evaluate };
};
