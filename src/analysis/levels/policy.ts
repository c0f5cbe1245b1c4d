// Policy level: Kubernetes NetworkPolicy, admin, Cilium and Calico policies evaluated as one ordered tier pipeline per direction.
import { matchLabelSelector } from '../../model/selector';
import { type CiliumEnforcement, ciliumEnforcement } from '../../model/settings';
import type { LabelSelector } from '../../model/types';
import { ALL, type Conn, type ConnSet, intersect, isEmpty } from '../connset';
import type { IndexCore, LevelEngine } from '../core';
import { cidrMeets } from '../net';
import type { RuleRef } from '../types';
import { adminPolicyView, type NodeInfo, POLICY_BAND } from './policy-admin';
import { calicoPolicyView } from './policy-calico';
import { ciliumEnforcementViews, ciliumPolicyViews } from './policy-cilium';
import { type Endpoint, endpointOf, namespaceIndex, type PolicyView } from './policy-endpoint';
import { k8sPolicyView } from './policy-k8s';
import { type Direction, runPipeline, type Step } from './policy-pipeline';
import { buildStepRef, evaluatePolicyPair, hostNetworkText, neverText } from './policy-verdict';

/** Calico's default tier order (v3.26+); tiers without an order come last. */
export const DEFAULT_TIER_ORDER = 1_000_000;

export interface PolicyLevel extends LevelEngine {
  endpoint(i: number): Endpoint;
  /** Policies selecting the service for a direction, in evaluation order. */
  applicable(i: number, dir: Direction): readonly PolicyView[];
  views: readonly PolicyView[];
  /**
   * For a pair attached to common secondary networks, its whole allowed set: `primary()` (the set on the
   * primary pod network) where the primary networks connect the pair, with what each shared network's
   * MultiNetworkPolicies allow; undefined when the pair shares no secondary network.
   */
  overSecondary?(a: number, b: number, primary: () => ConnSet): ConnSet | undefined;
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
const policyStatic = (core: IndexCore, mode: CiliumEnforcement) => {
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
  const all: PolicyView[] = [
    ...core.rulesOf('admin-network-policy').map((r) => adminPolicyView(r, nodes)),
    ...core
      .rulesOf('k8s-network-policy')
      .filter((r) => r.networks === undefined)
      .map((r) => k8sPolicyView(r, tierOrder('default'))),
    ...core.rulesOf('cilium-network-policy').flatMap((r) => ciliumPolicyViews(r, nodes, tierOrder('default'))),
    ...core.rulesOf('calico-policy').map((r) => calicoPolicyView(r, tierOrder(r.tier || 'default'), sets, nsIndex)),
  ].map((v) => (passingTiers.has(v.tier) ? { ...v, tierPasses: true } : v));
  const { enforced, unenforced } = ciliumEnforcementViews(all, mode, tierOrder('default'));
  const views = enforced.sort(cmp);
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

  return {
    nsIndex,
    views,
    unenforced,
    labelKeys,
    labelSelectors,
    cidrs,
    namedPorts,
    serviceAccounts,
    anyCalico,
    names,
  };
};

type PolicyStatic = ReturnType<typeof policyStatic>;

/**
 * Which policies apply to a service per direction, and where they are not enforced (a hostNetwork pod,
 * Cilium's mode `never`): memos per workspace over the shared compiled views.
 */
const selection = (core: IndexCore, mode: CiliumEnforcement, stat: PolicyStatic) => {
  const { nsIndex, views, unenforced: neverEnforced } = stat;
  const endpoint = (i: number) => endpointOf(core, nsIndex, i);
  // Policies that select the pod for a direction; for a hostNetwork pod, those that would (none applies).
  const selectingFor = (dir: Direction) =>
    core.memoFn(`policy.selecting.${dir}.${mode}`, (i): PolicyView[] => {
      const ep = endpoint(i);
      if (!ep.pod) return [];
      return views.filter((v) => (dir === 'ingress' ? v.ingress : v.egress) && v.selects(ep));
    });
  const selectingIn = selectingFor('ingress');
  const selectingOut = selectingFor('egress');
  const selecting = (i: number, dir: Direction): PolicyView[] => (dir === 'ingress' ? selectingIn(i) : selectingOut(i));
  const NONE: PolicyView[] = [];
  const applicable = (i: number, dir: Direction): PolicyView[] => (endpoint(i).hostNetwork ? NONE : selecting(i, dir));
  /** Under Cilium's mode `never`, a pod that NetworkPolicy or Cilium rules select for the direction: none is enforced. */
  const neverFor = (dir: Direction) =>
    core.memoFn(`policy.never.${dir}`, (i): boolean => {
      const ep = endpoint(i);
      return ep.pod && neverEnforced.some((v) => (dir === 'ingress' ? v.ingress : v.egress) && v.selects(ep));
    });
  const neverIn = neverFor('ingress');
  const neverOut = neverFor('egress');
  const never = (i: number, dir: Direction) =>
    neverEnforced.length > 0 && (dir === 'ingress' ? neverIn(i) : neverOut(i));
  /** A hostNetwork pod that policies select for the direction, or any pod under `never`: they are not enforced on it. */
  const unenforced = (i: number, dir: Direction): boolean =>
    (endpoint(i).hostNetwork && selecting(i, dir).length > 0) || never(i, dir);
  const notEnforced = (i: number, who: string, dir: Direction) =>
    never(i, dir) ? neverText(who, dir) : hostNetworkText(who, dir);
  return { endpoint, applicable, unenforced, notEnforced, neverIn, neverOut };
};

/** A service's class: only what some loaded policy can tell apart (labels it reads, CIDRs, named ports…). */
const policySignature = (
  core: IndexCore,
  mode: CiliumEnforcement,
  stat: PolicyStatic,
  sel: ReturnType<typeof selection>,
) => {
  const { views, unenforced: neverEnforced, labelKeys, labelSelectors, cidrs, namedPorts } = stat;
  const { serviceAccounts, anyCalico, names } = stat;
  const { endpoint, neverIn, neverOut } = sel;
  return core.memoFn(`policy.signature.${mode}`, (i): string => {
    if (views.length === 0 && neverEnforced.length === 0) return '';
    const ep = endpoint(i);
    const labels = Object.keys(ep.labels)
      .filter((k) => labelKeys.has(k) || (anyCalico && k.startsWith('projectcalico.org/')))
      .sort()
      .map((k) => `${k}=${ep.labels[k]}`);
    let matched = '';
    for (const selector of labelSelectors) matched += matchLabelSelector(selector, ep.labels) ? '1' : '0';
    const addr = cidrs.filter((c) => cidrMeets(c, ep.addresses)).join(',');
    const ports = namedPorts ? ep.ports.map((p) => `${p.name ?? ''}:${p.protocol ?? 'TCP'}:${p.port}`).join(',') : '';
    const sa = serviceAccounts ? `${ep.serviceAccount ?? ''}:${JSON.stringify(ep.saLabels)}` : '';
    // Cilium's toFQDNs reads a peer's name: only then does the name tell classes apart.
    const name = names && (!ep.pod || ep.external) ? `${ep.name}:${ep.hostname ?? ''}` : '';
    const off = neverEnforced.length > 0 ? `|never:${neverIn(i) ? 1 : 0}${neverOut(i) ? 1 : 0}` : '';
    return `${mode}${off}|${ep.hostNetwork ? 'hostNetwork' : ep.external ? 'external' : ep.pod ? 'pod' : '-'}|${ep.namespace ?? ''}|${labels.join(',')}|${matched}|${addr}|${ports}|${sa}|${name}`;
  });
};

/** One RuleRef per (policy, step, direction, side): verdicts share them instead of rebuilding texts. */
const stepRefs = (core: IndexCore) => {
  const refCache = core.shared('policy.refs', () => new Map<PolicyView, Map<string, RuleRef>>());
  return (s: Step, dir: Direction, self: string): RuleRef => {
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
};

export const createPolicyLevel = (core: IndexCore): PolicyLevel => {
  // The Cilium mode is a setting, not a rule: shared values and memos over the same rules are kept per mode.
  const mode = ciliumEnforcement(core.ws);
  const stat = core.shared(`policy.static.${mode}`, () => policyStatic(core, mode));
  const sel = selection(core, mode, stat);
  const { endpoint, applicable, unenforced, notEnforced } = sel;
  const signature = policySignature(core, mode, stat, sel);
  const ctx = { endpoint, applicable, unenforced, notEnforced, stepRef: stepRefs(core) };

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

  const evaluate = (a: number, b: number, c?: Conn) => evaluatePolicyPair(ctx, a, b, c);
  return { level: 'policy', endpoint, applicable, views: stat.views, signature, evaluate, permits };
};
