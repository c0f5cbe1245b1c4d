// Policy level: Kubernetes NetworkPolicy and Calico policies evaluated as one ordered tier pipeline per direction.

import { matchLabelSelector } from '../../model/selector';
import type { LabelSelector } from '../../model/types';
import {
  ALL,
  type Conn,
  type ConnSet,
  conn,
  contains,
  EMPTY,
  firstConn,
  intersect,
  isEmpty,
  subtract,
  union,
} from '../connset';
import { type IndexCore, type LevelEngine, type LevelResult, ruleRef, T } from '../core';
import { cidrMeets } from '../net';
import type { RuleRef } from '../types';
import { ADMIN_TIERS, adminPolicyView, type NodeInfo, POLICY_BAND } from './policy-admin';
import { calicoPolicyView } from './policy-calico';
import { ciliumPolicyViews } from './policy-cilium';
import { type Endpoint, endpointOf, namespaceIndex, type PolicyRuleView, type PolicyView } from './policy-endpoint';
import { k8sPolicyView } from './policy-k8s';

/** Calico's default tier order (v3.26+); tiers without an order come last. */
export const DEFAULT_TIER_ORDER = 1_000_000;

type Direction = 'ingress' | 'egress';

/** Who decided a portion of the traffic. */
interface Step {
  policy: PolicyView;
  rule?: PolicyRuleView;
  kind: 'Allow' | 'Deny' | 'end-of-tier' | 'pass-to-profile';
}

export interface DirectionResult {
  /** No policy selects the endpoint for this direction. */
  open: boolean;
  allowed: ConnSet;
  firstAllow?: Step;
  firstDeny?: Step;
  allowing: Step[];
}

/**
 * Tiers in order; in a tier, policies by order then name; in a policy, rules in order. The first rule
 * that matches decides its part of the traffic: Allow and Deny end it, Pass sends it to the next tier
 * that selects the endpoint, Log continues. Traffic left unmatched in a tier that selects the
 * endpoint is denied at the end of that tier, or passed on when the tier's defaultAction is Pass. Traffic passed beyond the last such tier, or an
 * endpoint no tier selects, meets the profile, which allows (Kubernetes default). Kubernetes policies
 * sit in the default tier as Allow-only rules, so their union-of-allows semantics follows exactly.
 */
export const runPipeline = (
  policies: readonly PolicyView[],
  dir: Direction,
  self: Endpoint,
  peer: Endpoint,
  target: Endpoint,
  init: ConnSet,
): DirectionResult => {
  if (policies.length === 0) return { open: true, allowed: init, allowing: [] };
  let remaining = init;
  let allowed: ConnSet = EMPTY;
  let firstAllow: Step | undefined;
  let firstDeny: Step | undefined;
  const allowing: Step[] = [];
  let i = 0;
  let lastTierPolicy: PolicyView | undefined;
  while (i < policies.length && !isEmpty(remaining)) {
    const first = policies[i] as PolicyView;
    lastTierPolicy = first;
    // The end-of-tier denial names the tier's most specific policy for the endpoint: that is where a
    // missing rule belongs (not a namespace-wide DNS policy that happens to sort first).
    let specific = first;
    let passed: ConnSet = EMPTY;
    for (; i < policies.length && (policies[i] as PolicyView).tier === first.tier; i++) {
      const p = policies[i] as PolicyView;
      if (p.specificity > specific.specificity) specific = p;
      for (const r of dir === 'ingress' ? p.ingressRules : p.egressRules) {
        if (isEmpty(remaining)) break;
        if (r.action === 'Log' || !r.matches(self, peer)) continue;
        const rc = intersect(r.conns(target), remaining);
        if (isEmpty(rc)) continue;
        remaining = subtract(remaining, rc);
        if (r.action === 'Allow') {
          allowed = union(allowed, rc);
          const step: Step = { policy: p, rule: r, kind: 'Allow' };
          firstAllow ??= step;
          allowing.push(step);
        } else if (r.action === 'Deny') firstDeny ??= { policy: p, rule: r, kind: 'Deny' };
        else passed = union(passed, rc);
      }
    }
    // A tier with defaultAction Pass hands what it did not match to the next tier instead of dropping it.
    if (first.tierPasses) remaining = union(passed, remaining);
    else {
      if (!isEmpty(remaining)) firstDeny ??= { policy: specific, kind: 'end-of-tier' };
      remaining = passed;
    }
  }
  if (!isEmpty(remaining) && lastTierPolicy) {
    allowed = union(allowed, remaining);
    const step: Step = { policy: lastTierPolicy, kind: 'pass-to-profile' };
    firstAllow ??= step;
    allowing.push(step);
  }
  const out: DirectionResult = { open: false, allowed, allowing };
  if (firstAllow) out.firstAllow = firstAllow;
  if (firstDeny) out.firstDeny = firstDeny;
  return out;
};

/**
 * The same pipeline for one connection: the first rule whose set contains it decides. No set
 * arithmetic, so per-call verdicts allocate almost nothing.
 */
export const runPipelineConn = (
  policies: readonly PolicyView[],
  dir: Direction,
  self: Endpoint,
  peer: Endpoint,
  target: Endpoint,
  c: Conn,
): DirectionResult => {
  if (policies.length === 0) return { open: true, allowed: conn(c.protocol, c.port), allowing: [] };
  let i = 0;
  let lastTierPolicy: PolicyView | undefined;
  while (i < policies.length) {
    const first = policies[i] as PolicyView;
    lastTierPolicy = first;
    let specific = first;
    let passed = false;
    let decided: DirectionResult | undefined;
    for (; i < policies.length && (policies[i] as PolicyView).tier === first.tier; i++) {
      const p = policies[i] as PolicyView;
      if (p.specificity > specific.specificity) specific = p;
      if (decided || passed) continue;
      for (const r of dir === 'ingress' ? p.ingressRules : p.egressRules) {
        if (r.action === 'Log' || !r.matches(self, peer) || !contains(r.conns(target), c)) continue;
        if (r.action === 'Allow') {
          const step: Step = { policy: p, rule: r, kind: 'Allow' };
          decided = { open: false, allowed: conn(c.protocol, c.port), firstAllow: step, allowing: [step] };
        } else if (r.action === 'Deny') {
          decided = { open: false, allowed: EMPTY, firstDeny: { policy: p, rule: r, kind: 'Deny' }, allowing: [] };
        } else passed = true;
        break;
      }
    }
    if (decided) return decided;
    if (!passed && !first.tierPasses)
      return { open: false, allowed: EMPTY, firstDeny: { policy: specific, kind: 'end-of-tier' }, allowing: [] };
  }
  const step: Step = { policy: lastTierPolicy as PolicyView, kind: 'pass-to-profile' };
  return { open: false, allowed: conn(c.protocol, c.port), firstAllow: step, allowing: [step] };
};

export interface PolicyLevel extends LevelEngine {
  endpoint(i: number): Endpoint;
  /** Policies selecting the service for a direction, in evaluation order. */
  applicable(i: number, dir: Direction): readonly PolicyView[];
  views: readonly PolicyView[];
}

const cmp = (a: PolicyView, b: PolicyView): number =>
  (a.band ?? POLICY_BAND) - (b.band ?? POLICY_BAND) ||
  a.tierOrder - b.tierOrder ||
  (a.tier < b.tier ? -1 : a.tier > b.tier ? 1 : 0) ||
  (a.order === b.order ? 0 : a.order < b.order ? -1 : 1) ||
  (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : 0);

/** Nodes as `nodes` peers see them: network-level segments of kind `node` (labels, addresses as CIDRs). */
const nodesOf = (core: IndexCore): NodeInfo[] => {
  const out: NodeInfo[] = [];
  for (const s of core.segments.values()) {
    if (s.attributes?.kind !== 'node') continue;
    out.push({ name: s.name, labels: s.labels ?? {}, cidrs: s.cidrs ?? [] });
  }
  return out;
};

/** Compiled policies in evaluation order; they depend only on rules and segments, so what-if copies share them. */
const policyStatic = (core: IndexCore) => {
  const nsIndex = namespaceIndex(core);
  const tierOrders = new Map<string, number>();
  const passingTiers = new Set<string>();
  for (const t of core.rulesOf('calico-tier')) {
    if (tierOrders.has(t.name)) continue;
    tierOrders.set(t.name, t.order ?? Number.POSITIVE_INFINITY);
    if (t.defaultAction === 'Pass') passingTiers.add(t.name);
  }
  if (!tierOrders.has('default')) tierOrders.set('default', DEFAULT_TIER_ORDER);
  const tierOrder = (name: string) => tierOrders.get(name) ?? Number.POSITIVE_INFINITY;
  const sets = core.rulesOf('calico-network-set');
  const nodes = nodesOf(core);
  const views: PolicyView[] = [
    ...core.rulesOf('admin-network-policy').map((r) => adminPolicyView(r, nodes)),
    ...core
      .rulesOf('k8s-network-policy')
      .filter((r) => r.networks === undefined)
      .map((r) => k8sPolicyView(r, tierOrder('default'))),
    ...core.rulesOf('cilium-network-policy').flatMap((r) => ciliumPolicyViews(r, nodes, tierOrder('default'))),
    ...core.rulesOf('calico-policy').map((r) => calicoPolicyView(r, tierOrder(r.tier || 'default'), sets, nsIndex)),
  ]
    .map((v) => (passingTiers.has(v.tier) ? { ...v, tierPasses: true } : v))
    .sort(cmp);
  const labelKeys = new Set(views.flatMap((v) => v.labelKeys));
  // Distinct selectors (by content): a pod's class keeps which of them match its labels.
  const bySelector = new Map<string, LabelSelector>();
  for (const v of views) for (const sel of v.labelSelectors ?? []) bySelector.set(JSON.stringify(sel), sel);
  const labelSelectors = [...bySelector.values()];
  const cidrs = [...new Set(views.flatMap((v) => v.cidrs))].sort();
  const namedPorts = views.some((v) => v.usesNamedPorts);
  const serviceAccounts = views.some((v) => v.usesServiceAccounts);
  const anyCalico = views.some((v) => v.kind === 'calico');
  const names = views.some((v) => v.usesNames);

  return { nsIndex, views, labelKeys, labelSelectors, cidrs, namedPorts, serviceAccounts, anyCalico, names };
};

export const createPolicyLevel = (core: IndexCore): PolicyLevel => {
  const { nsIndex, views, labelKeys, labelSelectors, cidrs, namedPorts, serviceAccounts, anyCalico, names } =
    core.shared('policy.static', () => policyStatic(core));
  const endpoint = (i: number) => endpointOf(core, nsIndex, i);
  // Policies that select the pod for a direction; for a hostNetwork pod, those that would (none applies).
  const selectingFor = (dir: Direction) =>
    core.memoFn(`policy.selecting.${dir}`, (i): PolicyView[] => {
      const ep = endpoint(i);
      if (!ep.pod) return [];
      return views.filter((v) => (dir === 'ingress' ? v.ingress : v.egress) && v.selects(ep));
    });
  const selectingIn = selectingFor('ingress');
  const selectingOut = selectingFor('egress');
  const selecting = (i: number, dir: Direction): PolicyView[] => (dir === 'ingress' ? selectingIn(i) : selectingOut(i));
  const NONE: PolicyView[] = [];
  const applicable = (i: number, dir: Direction): PolicyView[] => (endpoint(i).hostNetwork ? NONE : selecting(i, dir));
  /** A hostNetwork pod that policies select for the direction: they are not enforced on it. */
  const unenforced = (i: number, dir: Direction): boolean => endpoint(i).hostNetwork && selecting(i, dir).length > 0;
  const notEnforced = (who: string, dir: Direction) =>
    `policies selecting ${who} for ${dir} are not enforced (hostNetwork): like most implementations, segscope does not apply NetworkPolicy to hostNetwork pods (Kubernetes leaves it undefined)`;

  const signature = core.memoFn('policy.signature', (i): string => {
    if (views.length === 0) return '';
    const ep = endpoint(i);
    const labels = Object.keys(ep.labels)
      .filter((k) => labelKeys.has(k) || (anyCalico && k.startsWith('projectcalico.org/')))
      .sort()
      .map((k) => `${k}=${ep.labels[k]}`);
    let matched = '';
    for (const sel of labelSelectors) matched += matchLabelSelector(sel, ep.labels) ? '1' : '0';
    const addr = cidrs.filter((c) => cidrMeets(c, ep.addresses)).join(',');
    const ports = namedPorts ? ep.ports.map((p) => `${p.name ?? ''}:${p.protocol ?? 'TCP'}:${p.port}`).join(',') : '';
    const sa = serviceAccounts ? `${ep.serviceAccount ?? ''}:${JSON.stringify(ep.saLabels)}` : '';
    // Cilium's toFQDNs reads a peer's name: only then does the name tell classes apart.
    const name = names && (!ep.pod || ep.external) ? `${ep.name}:${ep.hostname ?? ''}` : '';
    return `${ep.hostNetwork ? 'hostNetwork' : ep.external ? 'external' : ep.pod ? 'pod' : '-'}|${ep.namespace ?? ''}|${labels.join(',')}|${matched}|${addr}|${ports}|${sa}|${name}`;
  });

  // One RuleRef per (policy, step, direction, side): verdicts share them instead of rebuilding texts.
  const refCache = core.shared('policy.refs', () => new Map<PolicyView, Map<string, RuleRef>>());
  const stepRef = (s: Step, dir: Direction, self: string): RuleRef => {
    let byKey = refCache.get(s.policy);
    if (!byKey) {
      byKey = new Map();
      refCache.set(s.policy, byKey);
    }
    const key = `${s.kind}|${dir}|${self}|${s.rule?.index ?? -1}`;
    let ref = byKey.get(key);
    if (!ref) {
      ref = buildStepRef(s, dir, self);
      byKey.set(key, ref);
    }
    return ref;
  };
  const buildStepRef = (s: Step, dir: Direction, self: string): RuleRef => {
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

  const passText = (p: PolicyView, dir: Direction, self: string): string =>
    p.kind === 'cilium'
      ? `no Cilium deny rule matches and no policy puts ${self} in default deny for ${dir} (${p.display} only adds): the default allows`
      : p.kind !== 'admin'
        ? `tier ${p.tier} (${p.display}) passes ${dir} on; no later tier selects ${self}, the profile allows`
        : p.tier === ADMIN_TIERS.baseline
          ? `no ${p.display} ${dir} rule matches; the default allows`
          : `${p.display} passes ${dir} on (Pass, or no rule matched); no NetworkPolicy or baseline rule decides for ${self}, the default allows`;

  const evaluate = (a: number, b: number, c?: Conn): LevelResult => {
    const epA = endpoint(a);
    const epB = endpoint(b);
    const egress = applicable(a, 'egress');
    const ingress = applicable(b, 'ingress');
    if (egress.length === 0 && ingress.length === 0) {
      const hostNet = [
        ...(unenforced(a, 'egress') ? [notEnforced(T.from, 'egress')] : []),
        ...(unenforced(b, 'ingress') ? [notEnforced(T.to, 'ingress')] : []),
      ];
      return {
        verdict: 'open',
        reason:
          hostNet.length > 0
            ? `No policy restricts the pair: ${hostNet.join('; ')}.`
            : `No policy selects ${T.from} for egress or ${T.to} for ingress.`,
        conns: ALL,
      };
    }
    // With a connection asked, the pipelines run on that one connection: its deciders are the answer.
    const eg = c
      ? runPipelineConn(egress, 'egress', epA, epB, epB, c)
      : runPipeline(egress, 'egress', epA, epB, epB, ALL);
    const ig = c
      ? runPipelineConn(ingress, 'ingress', epB, epA, epB, c)
      : runPipeline(ingress, 'ingress', epB, epA, epB, ALL);
    const conns = intersect(eg.allowed, ig.allowed);
    const probe = c ?? firstConn(conns);
    const what = c ? `${c.protocol} ${c.port}` : 'any port';
    if (!isEmpty(conns) && probe) {
      const one = conn(probe.protocol, probe.port);
      const egC = c ? eg : runPipeline(egress, 'egress', epA, epB, epB, one);
      const igC = c ? ig : runPipeline(ingress, 'ingress', epB, epA, epB, one);
      const decisive = !igC.open ? igC.firstAllow : egC.firstAllow;
      const dir: Direction = !igC.open ? 'ingress' : 'egress';
      const side = (d: DirectionResult, dir: Direction, who: string): string => {
        if (d.open && unenforced(dir === 'egress' ? a : b, dir)) return notEnforced(who, dir);
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
      const parts = [side(egC, 'egress', T.from), side(igC, 'ingress', T.to)];
      const result: LevelResult = {
        verdict: 'allow',
        reason: `${T.from} → ${T.to} on ${probe.protocol} ${probe.port} is allowed: ${parts.join('; ')}.`,
        conns,
        allowing: [...new Set((igC.open ? egC : igC).allowing.map((s) => s.policy.rule.id))],
      };
      if (decisive) result.rule = stepRef(decisive, dir, dir === 'ingress' ? T.to : T.from);
      return result;
    }
    // Which side blocks: egress first (it is evaluated first on the wire).
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
      if (ig.firstAllow) result.rule = stepRef(ig.firstAllow, 'ingress', T.to);
      return result;
    }
    const ref = step ? stepRef(step, dir, self) : undefined;
    const fixPort = c ? `${c.protocol} ${c.port}` : 'the needed port';
    const policy = step?.policy;
    let fix: string;
    if (policy?.kind === 'admin') {
      fix =
        step?.kind === 'Deny'
          ? `add an Allow (or Pass) ${dir} rule for ${otherPods} on ${fixPort} before ${policy.display} rule ${(step.rule?.index ?? 0) + 1}, or in an AdminNetworkPolicy of lower priority value`
          : `add an Allow ${dir} rule for ${otherPods} on ${fixPort} to ${policy.display}`;
    } else if (policy?.kind === 'cilium') {
      const peerField = `${dir === 'ingress' ? 'from' : 'to'}Endpoints`;
      fix =
        step?.kind === 'Deny'
          ? `narrow ${policy.display} ${(step.rule?.describe() ?? '').split(':')[0]} so it no longer matches ${otherPods} on ${fixPort} (Cilium deny rules win over every allow)`
          : `add to ${policy.display} an ${dir} rule with ${peerField} selecting ${otherPods} and toPorts ${fixPort}`;
    } else if (policy?.kind === 'k8s' || !policy) {
      // A policy selecting every pod of its namespace (a default deny, a scrape policy) has a purpose of
      // its own: widening it would open the port to every pod, so the hint is a policy for this pod.
      const rule = `${dir} rule ${dir === 'ingress' ? 'from' : 'to'} ${otherPods} on ${fixPort}`;
      fix =
        policy && policy.specificity > 0
          ? `add to ${policy.display} an ${rule}`
          : `add a NetworkPolicy selecting ${self} with an ${rule}`;
    } else {
      fix = `add an Allow ${dir} rule for ${otherPods} on ${fixPort} in tier ${policy.tier}${step?.kind === 'Deny' ? ` before ${policy.display} rule ${(step.rule?.index ?? 0) + 1}` : ''}`;
    }
    // Kubernetes leaves ipBlock towards pods undefined; say which reading decided.
    const otherEp = egBlocks ? epB : epA;
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
      fix,
    };
    if (ref) result.rule = ref;
    return result;
  };

  const permits = (a: number, b: number): boolean => {
    const egress = applicable(a, 'egress');
    const ingress = applicable(b, 'ingress');
    if (egress.length === 0 && ingress.length === 0) return true;
    const epA = endpoint(a);
    const epB = endpoint(b);
    const eg = runPipeline(egress, 'egress', epA, epB, epB, ALL);
    if (isEmpty(eg.allowed)) return false;
    return !isEmpty(intersect(eg.allowed, runPipeline(ingress, 'ingress', epB, epA, epB, ALL).allowed));
  };

  return { level: 'policy', endpoint, applicable, views, signature, evaluate, permits };
};
