// The policy level's verdict on a pair: the pipelines of both ends run, and the allow or deny said with its deciding rule and fix.
import { ALL, type Conn, type ConnSet, conn, firstConn, intersect, isEmpty } from '../connset';
import { type LevelResult, ruleRef, T } from '../core';
import type { RuleRef } from '../types';
import { ADMIN_TIERS } from './policy-admin';
import { CILIUM_ALWAYS_ID } from './policy-cilium';
import type { Endpoint, PolicyRuleView, PolicyView } from './policy-endpoint';
import { type Direction, type DirectionResult, runPipeline, runPipelineConn, type Step } from './policy-pipeline';

/** What the verdict needs of the level: endpoints, the policies that apply, and shared rule references. */
export interface PolicyPairContext {
  endpoint(i: number): Endpoint;
  applicable(i: number, dir: Direction): readonly PolicyView[];
  /** A hostNetwork pod that policies select for the direction, or any pod under Cilium's mode `never`: they are not enforced on it. */
  unenforced(i: number, dir: Direction): boolean;
  /** Why the policies selecting `i` for the direction are not enforced (hostNetwork, or Cilium's mode `never`). */
  notEnforced(i: number, who: string, dir: Direction): string;
  stepRef(s: Step, dir: Direction, self: string): RuleRef;
}

export const hostNetworkText = (who: string, dir: Direction) =>
  `policies selecting ${who} for ${dir} are not enforced (hostNetwork): like most implementations, segscope does not apply NetworkPolicy to hostNetwork pods (Kubernetes leaves it undefined)`;

export const neverText = (who: string, dir: Direction) =>
  `policies selecting ${who} for ${dir} are not enforced: Cilium's policy enforcement mode is never`;

const passText = (p: PolicyView, dir: Direction, self: string): string =>
  p.kind === 'cilium'
    ? `no Cilium deny rule matches and no policy puts ${self} in default deny for ${dir} (${p.display} only adds): the default allows`
    : p.kind !== 'admin'
      ? `tier ${p.tier} (${p.display}) passes ${dir} on; no later tier selects ${self}, the profile allows`
      : p.tier === ADMIN_TIERS.baseline
        ? `no ${p.display} ${dir} rule matches; the default allows`
        : `${p.display} passes ${dir} on (Pass, or no rule matched); no NetworkPolicy or baseline rule decides for ${self}, the default allows`;

/** The rule reference of a step, with its text in the policy's own terms. */
export const buildStepRef = (s: Step, dir: Direction, self: string): RuleRef => {
  if (s.kind === 'end-of-tier') {
    const what =
      s.policy.kind === 'k8s'
        ? `${s.policy.display} isolates ${self} for ${dir}`
        : s.policy.kind === 'cilium'
          ? `${s.policy.display} puts ${self} in default deny for ${dir} (Cilium: traffic no policy allows is dropped)`
          : `tier ${s.policy.tier} selects ${self} for ${dir} (${s.policy.display}); unmatched traffic is denied at the end of the tier`;
    return ruleRef(s.policy.rule, what);
  }
  if (s.kind === 'pass-to-profile') {
    return ruleRef(s.policy.rule, passText(s.policy, dir, self));
  }
  const r = s.rule as PolicyRuleView;
  // A Cilium rule's text names its section and index as written (`ingressDeny[0]`).
  const text =
    s.policy.kind === 'cilium'
      ? `${s.policy.display} ${r.describe()}`
      : `${s.policy.display} ${dir} rule ${r.index + 1}: ${r.describe()}`;
  const ref = ruleRef(s.policy.rule, text);
  if (r.source) ref.source = r.source;
  return ref;
};

/** How one side let the traffic through, for an allow's reason. */
const allowedText = (d: DirectionResult, dir: Direction, who: string, unenforced: () => string | undefined): string => {
  const off = d.open ? unenforced() : undefined;
  if (off) return off;
  if (d.open || !d.firstAllow) return `no policy restricts ${who}'s ${dir}`;
  const st = d.firstAllow;
  if (st.kind === 'Allow' && st.policy.kind === 'cilium')
    return `${dir} allowed by ${st.policy.display} ${st.rule?.describe().split(':')[0]}`;
  if (st.kind === 'Allow') return `${dir} allowed by ${st.policy.display} rule ${(st.rule?.index ?? 0) + 1}`;
  if (st.policy.kind === 'cilium') return `${dir} not denied by ${st.policy.display}, and not in default deny`;
  return st.policy.kind === 'admin'
    ? `${dir} not decided by ${st.policy.display}: default allow`
    : `${dir} passed on by tier ${st.policy.tier} (${st.policy.display}) to the profile`;
};

/** The change that would let the traffic through, in the terms of the policy that blocks it. */
const denyFix = (step: Step | undefined, dir: Direction, self: string, otherPods: string, fixPort: string): string => {
  const policy = step?.policy;
  if (policy?.kind === 'admin') {
    return step?.kind === 'Deny'
      ? `add an Allow (or Pass) ${dir} rule for ${otherPods} on ${fixPort} before ${policy.display} rule ${(step.rule?.index ?? 0) + 1}, or in an AdminNetworkPolicy of lower priority value`
      : `add an Allow ${dir} rule for ${otherPods} on ${fixPort} to ${policy.display}`;
  }
  if (policy?.kind === 'cilium') {
    const peerField = `${dir === 'ingress' ? 'from' : 'to'}Endpoints`;
    if (policy.rule.id === CILIUM_ALWAYS_ID)
      return `add a CiliumNetworkPolicy (or a NetworkPolicy) selecting ${self} with an ${dir} rule for ${otherPods} on ${fixPort}: under the mode always every pod is in default deny`;
    return step?.kind === 'Deny'
      ? `narrow ${policy.display} ${(step.rule?.describe() ?? '').split(':')[0]} so it no longer matches ${otherPods} on ${fixPort} (Cilium deny rules win over every allow)`
      : `add to ${policy.display} an ${dir} rule with ${peerField} selecting ${otherPods} and toPorts ${fixPort}`;
  }
  if (policy?.kind === 'k8s' || !policy) {
    // A policy selecting every pod of its namespace (a default deny, a scrape policy) has a purpose of
    // its own: widening it would open the port to every pod, so the hint is a policy for this pod.
    const rule = `${dir} rule ${dir === 'ingress' ? 'from' : 'to'} ${otherPods} on ${fixPort}`;
    return policy && policy.specificity > 0
      ? `add to ${policy.display} an ${rule}`
      : `add a NetworkPolicy selecting ${self} with an ${rule}`;
  }
  return `add an Allow ${dir} rule for ${otherPods} on ${fixPort} in tier ${policy.tier}${step?.kind === 'Deny' ? ` before ${policy.display} rule ${(step.rule?.index ?? 0) + 1}` : ''}`;
};

/** Neither end is selected by a policy that applies: the pair is open, hostNetwork pods said. */
const openResult = (ctx: PolicyPairContext, a: number, b: number): LevelResult => {
  const hostNet = [
    ...(ctx.unenforced(a, 'egress') ? [ctx.notEnforced(a, T.from, 'egress')] : []),
    ...(ctx.unenforced(b, 'ingress') ? [ctx.notEnforced(b, T.to, 'ingress')] : []),
  ];
  return {
    verdict: 'open',
    reason:
      hostNet.length > 0
        ? `No policy restricts the pair: ${hostNet.join('; ')}.`
        : `No policy selects ${T.from} for egress or ${T.to} for ingress.`,
    conns: ALL,
  };
};

/** An allow, explained by the pipelines' run on one connection of the allowed set (the asked one, else the first). */
const allowResult = (
  ctx: PolicyPairContext,
  a: number,
  b: number,
  egC: DirectionResult,
  igC: DirectionResult,
  probe: Conn,
  conns: ConnSet,
): LevelResult => {
  const decisive = !igC.open ? igC.firstAllow : egC.firstAllow;
  const dir: Direction = !igC.open ? 'ingress' : 'egress';
  const parts = [
    allowedText(egC, 'egress', T.from, () =>
      ctx.unenforced(a, 'egress') ? ctx.notEnforced(a, T.from, 'egress') : undefined,
    ),
    allowedText(igC, 'ingress', T.to, () =>
      ctx.unenforced(b, 'ingress') ? ctx.notEnforced(b, T.to, 'ingress') : undefined,
    ),
  ];
  const result: LevelResult = {
    verdict: 'allow',
    reason: `${T.from} → ${T.to} on ${probe.protocol} ${probe.port} is allowed: ${parts.join('; ')}.`,
    conns,
    allowing: [...new Set((igC.open ? egC : igC).allowing.map((s) => s.policy.rule.id))],
  };
  if (decisive) result.rule = ctx.stepRef(decisive, dir, dir === 'ingress' ? T.to : T.from);
  return result;
};

/** A deny: the side that blocks (egress first, as on the wire), its deciding step and the fix. */
const denyResult = (
  ctx: PolicyPairContext,
  a: number,
  b: number,
  eg: DirectionResult,
  ig: DirectionResult,
  c: Conn | undefined,
): LevelResult => {
  const conns = intersect(eg.allowed, ig.allowed);
  const egBlocks = isEmpty(eg.allowed);
  const side = egBlocks ? eg : ig;
  const dir: Direction = egBlocks ? 'egress' : 'ingress';
  const self = egBlocks ? T.from : T.to;
  const other = egBlocks ? T.to : T.from;
  const otherPods = egBlocks ? T.toPods : T.fromPods;
  const step = side.firstDeny;
  if (!egBlocks && !c && !isEmpty(ig.allowed)) {
    const result: LevelResult = {
      verdict: 'deny',
      reason: `${T.from}'s egress and ${T.to}'s ingress policies allow no common port.`,
      conns,
    };
    if (ig.firstAllow) result.rule = ctx.stepRef(ig.firstAllow, 'ingress', T.to);
    return result;
  }
  const ref = step ? ctx.stepRef(step, dir, self) : undefined;
  const what = c ? `${c.protocol} ${c.port}` : 'any port';
  const policy = step?.policy;
  // Kubernetes leaves ipBlock towards pods undefined; say which reading decided.
  const otherEp = ctx.endpoint(egBlocks ? b : a);
  const ipNote =
    policy?.kind === 'k8s' && policy.cidrs.length > 0 && otherEp.pod && otherEp.addresses.length === 0
      ? ` (ipBlock matches a pod by its address, as Calico does, while Cilium and np-guard never match pods by ipBlock; ${other}'s address is not known, so no ipBlock matches it)`
      : '';
  const result: LevelResult = {
    verdict: 'deny',
    reason:
      step?.kind === 'Deny'
        ? `${ref?.summary} denies ${other} on ${what}.`
        : `${self} is selected for ${dir} and no rule allows ${other} on ${what}: ${ref?.summary ?? ''}${ipNote}.`,
    conns,
    fix: denyFix(step, dir, self, otherPods, c ? `${c.protocol} ${c.port}` : 'the needed port'),
  };
  if (ref) result.rule = ref;
  return result;
};

/** The policy level's verdict on a → b, for one connection when `c` is given, else for every port. */
export const evaluatePolicyPair = (ctx: PolicyPairContext, a: number, b: number, c?: Conn): LevelResult => {
  const egress = ctx.applicable(a, 'egress');
  const ingress = ctx.applicable(b, 'ingress');
  if (egress.length === 0 && ingress.length === 0) return openResult(ctx, a, b);
  const epA = ctx.endpoint(a);
  const epB = ctx.endpoint(b);
  // With a connection asked, the pipelines run on that one connection: its deciders are the answer.
  const eg = c
    ? runPipelineConn(egress, 'egress', epA, epB, epB, c)
    : runPipeline(egress, 'egress', epA, epB, epB, ALL);
  const ig = c
    ? runPipelineConn(ingress, 'ingress', epB, epA, epB, c)
    : runPipeline(ingress, 'ingress', epB, epA, epB, ALL);
  const conns = intersect(eg.allowed, ig.allowed);
  const probe = c ?? firstConn(conns);
  if (isEmpty(conns) || !probe) return denyResult(ctx, a, b, eg, ig, c);
  const one = conn(probe.protocol, probe.port);
  const egC = c ? eg : runPipeline(egress, 'egress', epA, epB, epB, one);
  const igC = c ? ig : runPipeline(ingress, 'ingress', epB, epA, epB, one);
  return allowResult(ctx, a, b, egC, igC, probe, conns);
};
