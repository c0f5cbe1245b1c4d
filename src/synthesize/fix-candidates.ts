// Candidate changes that would let one denied call through at one level: rules to add, related rules to widen, moves.
import type { AnalysisIndex } from '../analysis/context';
import type { Command } from '../model/commands';
import { SINGLE_MEMBERSHIP_LEVELS } from '../model/commands';
import { matchLabelSelector } from '../model/selector';
import { sgPermission } from '../model/sg-permission';
import type {
  K8sNetworkPolicyRule,
  LabelSelector,
  Level,
  PolicyPeer,
  PolicyRuleEntry,
  Protocol,
  Rule,
  SgPeer,
  SgPermissionRule,
} from '../model/types';
import { istioCandidates } from './istio-fix';

export interface CallAsk {
  a: number;
  b: number;
  port?: number;
  protocol: Protocol;
}

export interface Candidate {
  title: string;
  commands: Command[];
  level: Level;
}

/** A group's peer by id, or a service outside groups by its address (its /32). */
const peerOf = (peer: string): SgPeer =>
  peer.includes('/') ? { kind: 'cidr', cidr: peer } : { kind: 'group', group: peer };

const sgPerm = (
  id: string,
  group: string,
  direction: 'ingress' | 'egress',
  peer: string,
  c: CallAsk,
): SgPermissionRule =>
  sgPermission({
    id,
    group,
    direction,
    protocol: c.port === undefined ? '-1' : c.protocol.toLowerCase(),
    peer: peerOf(peer),
    ...(c.port === undefined ? {} : { ports: [c.port, c.port] as const }),
  });

/** A service's address as a /32 (/128) peer, when it has one. */
const hostCidr = (ix: AnalysisIndex, i: number): string[] => {
  const a = ix.services[i]?.addresses?.[0];
  // An address that is not known can only be named as anywhere (as the level's synthesis does).
  return a === undefined ? ['0.0.0.0/0'] : [a.includes(':') ? `${a}/128` : `${a}/32`];
};

/**
 * Group: ingress on one of the callee's groups from one of the caller's, egress the other way, or
 * both; a side outside every group is named by its address (its side does not restrict, the other does).
 */
const groupCandidates = (ix: AnalysisIndex, c: CallAsk): Candidate[] => {
  const ga0 = ix.levels.group.groups(c.a);
  const gb0 = ix.levels.group.groups(c.b);
  const ga = ga0.length > 0 ? ga0 : gb0.length > 0 ? hostCidr(ix, c.a) : [];
  const gb = gb0.length > 0 ? gb0 : ga0.length > 0 ? hostCidr(ix, c.b) : [];
  const name = (id: string) => (id.includes('/') ? id : ix.levels.group.groupName(id));
  const out: Candidate[] = [];
  const what = c.port === undefined ? 'all traffic' : `${c.protocol.toLowerCase()} ${c.port}`;
  for (const x of ga)
    for (const y of gb) {
      if (x.includes('/') && y.includes('/')) continue;
      const inRule = sgPerm(`fix:${y}:in:${x}:${c.port ?? 'all'}`, y, 'ingress', x, c);
      const outRule = sgPerm(`fix:${x}:out:${y}:${c.port ?? 'all'}`, x, 'egress', y, c);
      const inbound: Candidate = {
        title: `add ingress ${what} from ${name(x)} to ${name(y)}`,
        commands: [{ type: 'addRule', rule: inRule }],
        level: 'group',
      };
      const outbound: Candidate = {
        title: `add egress ${what} to ${name(y)} on ${name(x)}`,
        commands: [{ type: 'addRule', rule: outRule }],
        level: 'group',
      };
      // A side with no group has no rule to carry: only the other side's rule is a candidate.
      if (x.includes('/')) out.push(inbound);
      else if (y.includes('/')) out.push(outbound);
      else
        out.push(inbound, outbound, {
          title: `add ingress ${what} from ${name(x)} to ${name(y)} and egress on ${name(x)}`,
          commands: [...inbound.commands, ...outbound.commands],
          level: 'group',
        });
    }
  return out;
};

/** The narrowest selector for a pod: its `app` (or `app.kubernetes.io/name`) label when that singles it out, else all its labels. */
export const podSelectorFor = (ix: AnalysisIndex, i: number): LabelSelector => {
  const ep = ix.levels.policy.endpoint(i);
  for (const key of ['app', 'app.kubernetes.io/name', 'k8s-app', 'name']) {
    const v = ep.labels[key];
    if (v !== undefined) return { matchLabels: { [key]: v } };
  }
  return { matchLabels: { ...ep.labels } };
};

export const peerFor = (ix: AnalysisIndex, self: number, other: number): PolicyPeer => {
  const a = ix.levels.policy.endpoint(other);
  if (!a.pod) return { ipBlock: { cidr: a.addresses[0] ? `${a.addresses[0]}/32` : '0.0.0.0/0' } };
  const sel = podSelectorFor(ix, other);
  return a.namespace === ix.levels.policy.endpoint(self).namespace
    ? { podSelector: sel }
    : {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': a.namespace ?? 'default' } },
        podSelector: sel,
      };
};

/**
 * A policy is related to a call when it already speaks about the call's port for the callee, or
 * when every pod it selects serves that port (a policy for the callee's kind of pod). Widening any
 * other policy (a scrape policy selecting every pod, say) would give its unrelated purpose a new one.
 */
export const relatedPolicy = (
  ix: AnalysisIndex,
  rule: K8sNetworkPolicyRule,
  dir: 'ingress' | 'egress',
  c: CallAsk,
): boolean => {
  if (c.port === undefined) return false;
  const entries = (dir === 'ingress' ? rule.ingress : rule.egress) ?? [];
  const mentions = entries.some((e) =>
    (e.ports ?? []).some((p) => p.port === c.port && (p.protocol ?? 'TCP') === c.protocol),
  );
  if (mentions) return true;
  const pol = ix.levels.policy;
  const selected: number[] = [];
  ix.services.forEach((_, i) => {
    const ep = pol.endpoint(i);
    if (
      ep.pod &&
      ep.namespace === rule.namespace &&
      matchLabelSelector(rule.podSelector, ep.labels as Record<string, string>)
    )
      selected.push(i);
  });
  const served = (i: number) => (ix.services[i]?.ports ?? []).some((p) => p.port === c.port);
  return dir === 'ingress' && selected.length > 0 && selected.every(served);
};

/** Policy: widen a related NetworkPolicy of the callee (or caller, for egress), or add a new one for the pair. */
const policyCandidates = (ix: AnalysisIndex, c: CallAsk): Candidate[] => {
  const pol = ix.levels.policy;
  const out: Candidate[] = [];
  const ports = c.port === undefined ? undefined : [{ protocol: c.protocol, port: c.port }];
  const entry = (self: number, other: number): PolicyRuleEntry =>
    ports ? { peers: [peerFor(ix, self, other)], ports } : { peers: [peerFor(ix, self, other)] };
  const sa = ix.services[c.a];
  const sb = ix.services[c.b];
  const eg = pol.applicable(c.a, 'egress').length > 0;
  const ig = pol.applicable(c.b, 'ingress').length > 0;
  // The pod's own policy for the pair: ingress on the callee from the caller, egress on the caller to the callee.
  const pairPolicy = (self: number, other: number, dir: 'ingress' | 'egress'): K8sNetworkPolicyRule => {
    const [s, o] = [ix.services[self], ix.services[other]];
    const word = dir === 'ingress' ? 'from' : 'to';
    return {
      id: `fix:policy:${s?.id}:${word}:${o?.id}:${c.port ?? 'all'}`,
      type: 'k8s-network-policy',
      level: 'policy',
      name: `${s?.name}-${word}-${o?.name}`,
      namespace: pol.endpoint(self).namespace ?? 'default',
      podSelector: podSelectorFor(ix, self),
      policyTypes: [dir === 'ingress' ? 'Ingress' : 'Egress'],
      ...(dir === 'ingress' ? { ingress: [entry(self, other)] } : { egress: [entry(self, other)] }),
    };
  };
  const newIn = ig ? pairPolicy(c.b, c.a, 'ingress') : undefined;
  const newOut = eg ? pairPolicy(c.a, c.b, 'egress') : undefined;
  const what = c.port === undefined ? 'all ports' : `${c.protocol} ${c.port}`;
  if (newIn || newOut) {
    const commands: Command[] = [];
    if (newIn) commands.push({ type: 'addRule', rule: newIn });
    if (newOut) commands.push({ type: 'addRule', rule: newOut });
    out.push({
      title: `add NetworkPolicy ${[newIn, newOut]
        .filter(Boolean)
        .map((r) => `${r?.namespace}/${r?.name}`)
        .join(' and ')} allowing ${sa?.name} → ${sb?.name} on ${what}`,
      commands,
      level: 'policy',
    });
  }
  for (const [dir, self, other] of [
    ['ingress', c.b, c.a],
    ['egress', c.a, c.b],
  ] as const) {
    for (const v of pol.applicable(self, dir)) {
      if (v.kind !== 'k8s') continue;
      const rule = v.rule as K8sNetworkPolicyRule;
      if (!relatedPolicy(ix, rule, dir, c)) continue;
      const after: K8sNetworkPolicyRule = { ...rule, [dir]: [...(rule[dir] ?? []), entry(self, other)] };
      const commands: Command[] = [{ type: 'replaceRule', before: rule, after }];
      const otherSide = dir === 'ingress' ? newOut : newIn;
      if (otherSide) commands.push({ type: 'addRule', rule: otherSide });
      out.push({
        title: `widen NetworkPolicy ${rule.namespace}/${rule.name}: ${dir} ${dir === 'ingress' ? 'from' : 'to'} ${(dir === 'ingress' ? sa : sb)?.name} on ${what}`,
        commands,
        level: 'policy',
      });
    }
  }
  return out;
};

/** Moves at one level: the caller joins (or moves to) a segment of the callee, or the callee one of the caller's. */
const moveCandidates = (ix: AnalysisIndex, c: CallAsk, level: Level): Candidate[] => {
  const sa = ix.services[c.a];
  const sb = ix.services[c.b];
  if (!sa || !sb) return [];
  const out: Candidate[] = [];
  const single = SINGLE_MEMBERSHIP_LEVELS.includes(level);
  const name = (id: string) => ix.segments.get(id)?.name ?? id;
  for (const [who, other] of [
    [sa, sb],
    [sb, sa],
  ] as const) {
    const mine = who.memberships[level] ?? [];
    for (const to of other.memberships[level] ?? []) {
      if (mine.includes(to)) continue;
      const from = single ? (mine[0] ?? null) : null;
      out.push({
        title: `${from === null ? 'add' : 'move'} ${who.name} ${from === null ? 'to' : `from ${name(from)} to`} ${level} ${name(to)}`,
        commands: [{ type: 'moveService', service: who.id, level, from, to }],
        level,
      });
    }
  }
  return out;
};

type Service = AnalysisIndex['services'][number];
type SegmentName = (id: string) => string;

const addRule = (title: string, rule: Rule): Candidate => ({
  title,
  commands: [{ type: 'addRule', rule }],
  level: rule.level,
});

/** Network: a peering between the two services' VPCs (or VLANs). */
const peeringCandidates = (ix: AnalysisIndex, sa: Service, sb: Service, name: SegmentName): Candidate[] => {
  const va = sa.memberships.network?.[0];
  const vb = sb.memberships.network?.[0];
  const x = va && (ix.nearest(va, ['vpc', 'vlan'])?.id ?? va);
  const y = vb && (ix.nearest(vb, ['vpc', 'vlan'])?.id ?? vb);
  if (!x || !y || x === y) return [];
  return [
    addRule(`add a peering ${name(x)} ↔ ${name(y)}`, {
      id: `fix:peering:${x}|${y}`,
      type: 'vpc-peering',
      level: 'network',
      requester: x,
      accepter: y,
      status: 'active',
    }),
  ];
};

/** Role: a grant from each of the caller's roles; a caller without a role takes one the callee's grants accept. */
const roleCandidates = (ix: AnalysisIndex, sa: Service, sb: Service, name: SegmentName): Candidate[] => {
  const out: Candidate[] = [];
  for (const role of sa.memberships.role ?? [])
    out.push(
      addRule(`grant ${name(role)} access to ${sb.name}`, {
        id: `fix:grant:${role}>${sb.id}`,
        type: 'role-grant',
        level: 'role',
        principal: role,
        target: sb.id,
        effect: 'Allow',
      }),
    );
  if ((sa.memberships.role ?? []).length === 0)
    for (const g of ix.rulesOf('role-grant'))
      if (
        g.effect === 'Allow' &&
        (g.target === sb.id || (sb.memberships.role ?? []).includes(g.target)) &&
        ix.segments.has(g.principal)
      )
        out.push({
          title: `give ${sa.name} role ${name(g.principal)}, which ${sb.name} accepts`,
          commands: [{ type: 'moveService', service: sa.id, level: 'role', from: null, to: g.principal }],
          level: 'role',
        });
  return out;
};

/** Account: a PrivateLink path between the two services' accounts. */
const accountPathCandidates = (sa: Service, sb: Service, name: SegmentName): Candidate[] => {
  const fa = sa.memberships.account?.[0];
  const fb = sb.memberships.account?.[0];
  if (!fa || !fb) return [];
  return [
    addRule(`add a PrivateLink path ${name(fa)} → ${name(fb)}`, {
      id: `fix:path:${fa}>${fb}`,
      type: 'account-path',
      level: 'account',
      from: fa,
      to: fb,
      via: 'privatelink',
    }),
  ];
};

/** Network, role, account: the path the level is missing (a peering, a grant, an account path). */
const pathCandidates = (ix: AnalysisIndex, c: CallAsk, level: Level): Candidate[] => {
  const sa = ix.services[c.a];
  const sb = ix.services[c.b];
  if (!sa || !sb) return [];
  const name = (id: string) => ix.segments.get(id)?.name ?? id;
  switch (level) {
    case 'network':
      return peeringCandidates(ix, sa, sb, name);
    case 'role':
      return roleCandidates(ix, sa, sb, name);
    case 'overlay':
      return [
        addRule(`link ${sa.name} to ${sb.name}`, {
          id: `fix:link:${sa.id}>${sb.id}`,
          type: 'overlay-link',
          level: 'overlay',
          from: sa.id,
          to: sb.id,
        }),
      ];
    case 'account':
      return accountPathCandidates(sa, sb, name);
    default:
      return [];
  }
};

export const levelCandidates = (ix: AnalysisIndex, c: CallAsk, level: Level): Candidate[] => [
  ...(level === 'group' ? groupCandidates(ix, c) : []),
  ...(level === 'policy' ? policyCandidates(ix, c) : []),
  ...pathCandidates(ix, c, level),
  ...(level === 'role' ? istioCandidates(ix, c) : []),
  ...moveCandidates(ix, c, level),
];
