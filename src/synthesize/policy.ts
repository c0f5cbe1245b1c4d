// Least privilege at the policy level: one NetworkPolicy per identity class of pods, ingress and egress for exactly the declared calls.

import type { ConnSet } from '../analysis/connset';
import { buildIndex } from '../analysis/context';
import type { Endpoint } from '../analysis/levels/policy-endpoint';
import { NS_PREFIX } from '../analysis/levels/policy-endpoint';
import { matchLabelSelector } from '../model/selector';
import type {
  K8sNetworkPolicyRule,
  LabelSelector,
  PolicyPeer,
  PolicyPort,
  PolicyRuleEntry,
  Workspace,
} from '../model/types';
import { declaredNeeds, type Identity, identities, type NeedsIndex, pieces, uniqueName } from './needs';
import { type LevelSynthesis, PlanBuilder, type SegmentCost } from './plan';

/** The label a synthesized label set gives its members when their own labels cannot single them out. */
export const IDENTITY_LABEL = 'segscope.io/identity';

const portsOf = (set: ConnSet): PolicyPort[] | undefined => {
  const out: PolicyPort[] = [];
  for (const p of pieces(set)) {
    if (p.protocol === 'all') return undefined;
    const port: PolicyPort = { protocol: p.protocol };
    if (p.range) {
      port.port = p.range[0];
      if (p.range[1] !== p.range[0]) port.endPort = p.range[1];
    }
    out.push(port);
  }
  return out;
};

const common = (eps: readonly Endpoint[]): Record<string, string> => {
  const [first, ...rest] = eps;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first?.labels ?? {})) if (rest.every((e) => e.labels[k] === v)) out[k] = v;
  return out;
};

/** Names of services at one end of a declared call that a rule can only name as 0.0.0.0/0 (not a member, no address). */
export const unaddressedPeers = (ws: Workspace, needs: NeedsIndex, member: (i: number) => boolean): string[] => {
  const out = new Set<string>();
  for (const [a, row] of needs.out)
    for (const b of row.keys())
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const)
        if (member(x) && !member(y) && (ws.services[y]?.addresses ?? []).length === 0)
          out.add(ws.services[y]?.name ?? '');
  return [...out].sort();
};

/** What the steps of one synthesis share: the workspace, its pods' endpoints and identity classes, the plan. */
interface PolicySynth {
  ws: Workspace;
  ep(i: number): Endpoint;
  isPod(i: number): boolean;
  classOf: ArrayLike<number>;
  plan: PlanBuilder;
  /** Per class id: the selector of its policy. */
  selectors: LabelSelector[];
}

/** Policy names taken per namespace (existing NetworkPolicies first), to make new ones unique. */
const takenPolicyNames = (ws: Workspace) => {
  const takenNames = new Map<string, Set<string>>();
  return (ns: string) => {
    let t = takenNames.get(ns);
    if (!t) {
      t = new Set(
        ws.rules
          .filter((r) => r.type === 'k8s-network-policy' && r.namespace === ns)
          .map((r) => (r as K8sNetworkPolicyRule).name),
      );
      takenNames.set(ns, t);
    }
    return t;
  };
};

/**
 * A class's selector: the labels its members share when they pick out no other pod of the namespace,
 * else an identity label given through a new label set (created with its namespace when needed).
 */
const classSelector = (
  sx: PolicySynth,
  c: Identity,
  name: string,
  nsPods: readonly number[],
  segNames: Set<string>,
): LabelSelector => {
  const { ws, ep, plan } = sx;
  const ns = ep(c.members[0] as number).namespace ?? 'default';
  const shared = common(c.members.map(ep));
  const memberSet = new Set(c.members);
  const others = nsPods.filter((i) => !memberSet.has(i));
  const exact = !others.some((i) =>
    matchLabelSelector({ matchLabels: shared }, ep(i).labels as Record<string, string>),
  );
  if (exact) return Object.keys(shared).length > 0 ? { matchLabels: shared } : {};
  const value = name.replace('-least-privilege', '');
  const selector = { matchLabels: { [IDENTITY_LABEL]: value } };
  let nsSeg = ws.segments.find(
    (s) =>
      s.level === 'policy' &&
      s.attributes?.kind === 'namespace' &&
      (s.attributes?.namespace === ns || s.id === `${NS_PREFIX}${ns}`),
  )?.id;
  if (!nsSeg && !plan.ws.segments.some((s) => s.id === `${NS_PREFIX}${ns}`)) {
    plan.run({
      type: 'createSegment',
      segment: {
        id: `${NS_PREFIX}${ns}`,
        level: 'policy',
        name: ns,
        attributes: { kind: 'namespace', namespace: ns },
      },
    });
  }
  nsSeg ??= `${NS_PREFIX}${ns}`;
  const setId = `policy:syn:${ns}/${value}`;
  if (segNames.has(setId)) throw new Error(`label set ${setId} exists`);
  segNames.add(setId);
  plan.run({
    type: 'createSegment',
    segment: {
      id: setId,
      level: 'policy',
      name: `${ns}/${value}`,
      parent: nsSeg,
      attributes: { kind: 'label-set', selector, synthesized: true },
    },
  });
  for (const i of c.members)
    plan.run({ type: 'moveService', service: ws.services[i]?.id as string, level: 'policy', from: null, to: setId });
  return selector;
};

/** How a rule of `self`'s policy names `other`: its class's selector (with its namespace), else its address. */
const peerOf = (sx: PolicySynth, self: number, other: number): PolicyPeer[] => {
  const { ws, ep } = sx;
  if (!sx.isPod(other)) {
    const addrs = ws.services[other]?.addresses ?? [];
    return addrs.length === 0
      ? [{ ipBlock: { cidr: '0.0.0.0/0' } }]
      : addrs.map((a) => ({ ipBlock: { cidr: a.includes(':') ? `${a}/128` : `${a}/32` } }));
  }
  const sel = sx.selectors[sx.classOf[other] as number] as LabelSelector;
  const ns = ep(other).namespace ?? 'default';
  return ns === ep(self).namespace
    ? [{ podSelector: sel }]
    : [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } }, podSelector: sel }];
};

/** One rule entry per declared peer and its ports, without repeats. */
const entries = (sx: PolicySynth, self: number, row: Map<number, ConnSet> | undefined): PolicyRuleEntry[] => {
  const seen = new Set<string>();
  const out: PolicyRuleEntry[] = [];
  for (const [other, set] of row ?? []) {
    const peers = peerOf(sx, self, other);
    const e: PolicyRuleEntry = { peers };
    const ports = portsOf(set);
    if (ports) e.ports = ports;
    const key = JSON.stringify(e);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(e);
    }
  }
  return out;
};

const synthesisNotes = (unnamed: readonly string[], added: readonly K8sNetworkPolicyRule[]): string[] => [
  ...(unnamed.length > 0
    ? [
        `${unnamed.join(', ')} ${unnamed.length === 1 ? 'is' : 'are'} outside Kubernetes with no known address: named as 0.0.0.0/0, which pods match too, so pods calling ${unnamed.length === 1 ? 'it' : 'them'} and pods it calls may reach each other on those ports.`,
      ]
    : []),
  ...(added.some((r) => (r.egress?.length ?? 0) > 0)
    ? [
        'Every pod is isolated for egress: add DNS (UDP/TCP 53 to kube-dns) if the pods resolve names; it is not a declared call.',
      ]
    : []),
];

/**
 * Pods fall into identity classes per namespace; each class is selected by the labels its members
 * share when those pick out no other pod of the namespace, else by an identity label given through a
 * new label set (a policy-level move, so the plan says which pods get it). Every pod becomes isolated
 * for ingress and egress by its class's policy, so a pair gets through only on a declared call's
 * ports. Peers that are not pods are named by address (their /32, or 0.0.0.0/0 when unknown: the
 * other side's policy still narrows it). Existing NetworkPolicies and Calico policies are replaced.
 */
export const synthesizePolicy = (ws: Workspace): LevelSynthesis => {
  const ix = buildIndex(ws);
  const engine = ix.levels.policy;
  const n = ws.services.length;
  const needs = declaredNeeds(ws, ix.byId);
  const ep = (i: number) => engine.endpoint(i);
  const isPod = (i: number) => ep(i).pod && ws.services[i]?.kind !== 'external';
  const { classes, classOf } = identities(
    n,
    needs,
    isPod,
    (i) => ep(i).namespace ?? '',
    (j) => ws.services[j]?.id ?? '',
  );
  const sx: PolicySynth = { ws, ep, isPod, classOf, plan: new PlanBuilder(ws), selectors: [] };
  const { plan } = sx;
  const removed = ws.rules.filter(
    (r) =>
      r.type === 'k8s-network-policy' ||
      r.type === 'admin-network-policy' ||
      r.type === 'calico-policy' ||
      r.type === 'calico-tier',
  );
  const podsOfNs = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    if (!isPod(i)) continue;
    const ns = ep(i).namespace ?? '';
    podsOfNs.set(ns, [...(podsOfNs.get(ns) ?? []), i]);
  }
  const names = takenPolicyNames(ws);
  const segNames = new Set(ws.segments.map((s) => s.id));
  const policyNames: string[] = [];
  for (const c of classes) {
    const ns = ep(c.members[0] as number).namespace ?? 'default';
    const name = uniqueName(`${ws.services[c.members[0] as number]?.name ?? 'pods'}-least-privilege`, names(ns));
    policyNames[c.id] = name;
    sx.selectors[c.id] = classSelector(sx, c, name, podsOfNs.get(ns) ?? [], segNames);
  }
  plan.removeRules(removed);
  const added: K8sNetworkPolicyRule[] = [];
  const segments: SegmentCost[] = [];
  for (const c of classes) {
    const rep = c.members[0] as number;
    const ns = ep(rep).namespace ?? 'default';
    const rule: K8sNetworkPolicyRule = {
      id: `syn:policy:${ns}/${policyNames[c.id]}`,
      type: 'k8s-network-policy',
      level: 'policy',
      name: policyNames[c.id] as string,
      namespace: ns,
      podSelector: sx.selectors[c.id] as LabelSelector,
      policyTypes: ['Ingress', 'Egress'],
      ingress: entries(sx, rep, needs.in.get(rep)),
      egress: entries(sx, rep, needs.out.get(rep)),
    };
    added.push(rule);
    plan.run({ type: 'addRule', rule });
    segments.push({
      segment: rule.id,
      name: `${ns}/${rule.name}`,
      members: c.members.length,
      inbound: rule.ingress?.length ?? 0,
      outbound: rule.egress?.length ?? 0,
      state: 'ok',
    });
  }
  const notes = synthesisNotes(unaddressedPeers(ws, needs, isPod), added);
  return {
    level: 'policy',
    commands: plan.commands,
    workspace: plan.ws,
    added,
    removed,
    segments,
    granularity: 'service',
    notes,
  };
};
