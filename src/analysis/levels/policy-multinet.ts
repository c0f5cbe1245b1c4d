// MultiNetworkPolicy on secondary networks: NetworkPolicy semantics per network, a path of its own beside the primary pod network.
import { type K8sNetworkPolicyRule, NETWORK_ADDRESSES } from '../../model/types';
import { type Conn, type ConnSet, EMPTY, isEmpty, union } from '../connset';
import { type IndexCore, type LevelResult, T } from '../core';
import type { NetworkLevel } from './network';
import { DEFAULT_TIER_ORDER, type PolicyLevel } from './policy';
import type { Endpoint, PolicyView } from './policy-endpoint';
import { k8sPolicyView } from './policy-k8s';
import type { Direction } from './policy-pipeline';
import { buildStepRef, evaluatePolicyPair, hostNetworkText, type PolicyPairContext } from './policy-verdict';

/**
 * The MultiNetworkPolicies of each secondary network. A MultiNetworkPolicy (k8s.cni.cncf.io/v1beta1) has
 * the spec of a NetworkPolicy and applies only on the networks its `k8s.v1.cni.cncf.io/policy-for`
 * annotation names (k8snetworkplumbingwg/multi-networkpolicy); NetworkPolicy applies only on the primary
 * pod network (Multus documentation), so each network is judged by its own policies.
 */
const viewsByNetwork = (core: IndexCore): Map<string, PolicyView[]> => {
  const out = new Map<string, PolicyView[]>();
  for (const r of core.rulesOf('k8s-network-policy') as readonly K8sNetworkPolicyRule[]) {
    if (r.networks === undefined) continue;
    const view = k8sPolicyView(r, DEFAULT_TIER_ORDER);
    for (const n of new Set(r.networks)) {
      const list = out.get(n);
      if (list) list.push(view);
      else out.set(n, [view]);
    }
  }
  for (const list of out.values())
    list.sort((x, y) => (x.sortName < y.sortName ? -1 : x.sortName > y.sortName ? 1 : 0));
  return out;
};

const NONE: readonly PolicyView[] = [];

/** A workload's addresses on a secondary network, as the importer read them (none when unknown). */
const addressesOn = (core: IndexCore, i: number, net: string): readonly string[] => {
  const all = core.services[i]?.extra?.[NETWORK_ADDRESSES];
  const list = all && typeof all === 'object' ? (all as Record<string, unknown>)[net] : undefined;
  return Array.isArray(list) ? list.filter((a): a is string => typeof a === 'string') : [];
};

/** The verdict context of one secondary network: only its MultiNetworkPolicies select pods. */
const networkContext = (
  core: IndexCore,
  inner: PolicyLevel,
  net: string,
  views: readonly PolicyView[],
): PolicyPairContext => {
  const memo = new Map<string, readonly PolicyView[]>();
  const endpoints = new Map<number, Endpoint>();
  return {
    // A pod's address on this network is what an ipBlock of its MultiNetworkPolicies matches.
    endpoint: (i: number) => {
      let ep = endpoints.get(i);
      if (!ep) {
        ep = { ...inner.endpoint(i), addresses: addressesOn(core, i, net) };
        endpoints.set(i, ep);
      }
      return ep;
    },
    applicable: (i: number, dir: Direction) => {
      const key = `${dir}:${i}`;
      let hit = memo.get(key);
      if (!hit) {
        const ep = inner.endpoint(i);
        hit =
          ep.pod && !ep.hostNetwork
            ? views.filter((v) => (dir === 'ingress' ? v.ingress : v.egress) && v.selects(ep))
            : NONE;
        memo.set(key, hit);
      }
      return hit;
    },
    unenforced: () => false,
    notEnforced: (_i, who, dir) => hostNetworkText(who, dir),
    stepRef: buildStepRef,
  };
};

/** The primary path's result and each shared secondary network's, as one: allowed where any allows. */
const joinResults = (primary: LevelResult | undefined, results: readonly LevelResult[]): LevelResult => {
  let conns: ConnSet = primary?.conns ?? EMPTY;
  for (const r of results) conns = union(conns, r.conns);
  const allowing = [primary, ...results].find((r) => r !== undefined && r.verdict !== 'deny' && !isEmpty(r.conns));
  if (allowing) return { ...allowing, conns };
  const deny = primary ?? (results[0] as LevelResult);
  const others = results.map((r) => r.reason).join(' ');
  return primary
    ? { ...deny, reason: `${deny.reason} ${others}`, conns }
    : { ...deny, reason: `${T.from} and ${T.to} meet only on secondary networks. ${others}`, conns };
};

/**
 * The policy level with secondary networks: a pair attached to common secondary networks is allowed what
 * its primary path allows (when the primary networks connect them at all) together with what each shared
 * network's MultiNetworkPolicies allow on it. Pairs sharing no secondary network are judged as before.
 */
export const withMultiNetworkPolicies = (core: IndexCore, network: NetworkLevel, inner: PolicyLevel): PolicyLevel => {
  const byNetwork = core.shared('policy.multinet', () => viewsByNetwork(core));
  const anySecondary = core.services.some((_s, i) => network.sharedSecondary(i, i).length > 0);
  if (!anySecondary) return inner;

  const contexts = new Map<string, PolicyPairContext>();
  const contextOf = (net: string): PolicyPairContext => {
    let ctx = contexts.get(net);
    if (!ctx) {
      ctx = networkContext(core, inner, net, byNetwork.get(net) ?? NONE);
      contexts.set(net, ctx);
    }
    return ctx;
  };
  const nameOf = (net: string) => core.segments.get(net)?.name ?? net.replace(/^network:k8s:net:/, '');
  const onNetwork = (net: string, a: number, b: number, c?: Conn): LevelResult => {
    const r = evaluatePolicyPair(contextOf(net), a, b, c);
    return { ...r, reason: `Over secondary network ${nameOf(net)}: ${r.reason}` };
  };

  const evaluate = (a: number, b: number, c?: Conn): LevelResult => {
    const shared = network.sharedSecondary(a, b);
    if (shared.length === 0) return inner.evaluate(a, b, c);
    const primary = network.primaryPermits(a, b) ? inner.evaluate(a, b, c) : undefined;
    const results = shared.map((net) => onNetwork(net, a, b, c));
    return joinResults(primary, results);
  };

  const signature = core.memoFn('policy.multinet.signature', (i): string => {
    const base = inner.signature(i);
    // Pods on a secondary network: the MultiNetworkPolicies there read their labels, namespace and ports.
    const nets = network.sharedSecondary(i, i);
    if (nets.length === 0) return base;
    const ep = inner.endpoint(i);
    const onNets = nets.map((n) => addressesOn(core, i, n));
    return `${base}|sec:${nets.join(',')}|${JSON.stringify([ep.pod, ep.hostNetwork, ep.namespace, ep.labels, ep.nsLabels, ep.ports, ep.addresses, onNets])}`;
  });

  return {
    ...inner,
    signature,
    evaluate,
    permits: (a, b) =>
      network.sharedSecondary(a, b).length === 0 ? inner.permits(a, b) : evaluate(a, b).verdict !== 'deny',
    overSecondary: (a, b, primary) => {
      const shared = network.sharedSecondary(a, b);
      if (shared.length === 0) return undefined;
      let conns = network.primaryPermits(a, b) ? primary() : EMPTY;
      for (const net of shared) conns = union(conns, evaluatePolicyPair(contextOf(net), a, b).conns);
      return conns;
    },
  };
};
