// Fix plans for quota, hub, sg-abuse, default-allow and inconsistent-levels findings (segment and rule changes, previewed by fixesFor).

import { intersect, isEmpty } from '../analysis/connset';
import { type AnalysisIndex, buildIndex } from '../analysis/context';
import { kindOf } from '../analysis/core';
import { expectedParent } from '../analysis/findings/inconsistent-levels';
import { sgRuleConns } from '../analysis/levels/group';
import type { Finding } from '../analysis/types';
import { applyCommand, type Command, SINGLE_MEMBERSHIP_LEVELS } from '../model/commands';
import type { K8sNetworkPolicyRule, PolicyPort, PolicyRuleEntry, Segment, Workspace } from '../model/types';
import { peerFor, podSelectorFor } from './fix-candidates';
import { QUOTA_FIXES } from './fixable';
import {
  callsThrough,
  type Direction,
  isolatePlan,
  membersOf,
  peerMatches,
  perSegmentPlan,
  prunePlan,
  worldIngressPlan,
} from './group-rules';
import { type callConns, declaredNeeds, pieces, uniqueName } from './needs';
import { broadGroupPlans, type PlanCandidate, split, splitsKeepingPeers } from './segment-fixes';

const defined = <T>(xs: (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);

const quotaOf = (f: Finding): string => String(f.figures?.quota ?? f.key.split(':')[1] ?? '');

export const quotaPlans = (ws: Workspace, f: Finding): PlanCandidate[] => {
  const q = quotaOf(f);
  if (!QUOTA_FIXES.has(q)) return [];
  const ix = buildIndex(ws);
  if (q.startsWith('aws.groups-') || q.startsWith('aws.rules-times')) {
    const i = ix.byId.get(f.services[0] ?? '');
    return i === undefined ? [] : defined([isolatePlan(ws, ix, i)]);
  }
  const g = f.segments[0];
  if (g === undefined) return [];
  const dir = q === 'aws.inbound-rules-per-group' ? 'ingress' : 'egress';
  const limit = Number(f.figures?.limit ?? 0);
  return defined([prunePlan(ix, g, dir), perSegmentPlan(ix, g, dir), splitByUsePlan(ws, ix, g, dir, limit)]);
};

/**
 * A shared group over its rules quota split so each part carries only the rules its members' calls
 * use: members packed (most rules first) into parts whose used rules stay under 80 % of the limit,
 * each part but the first a new group (rules and references copied, so no call breaks), then every
 * part's unused rules of that direction removed.
 */
const splitByUsePlan = (
  ws: Workspace,
  ix: AnalysisIndex,
  g: string,
  dir: Direction,
  limit: number,
): PlanCandidate | undefined => {
  const seg = ix.segments.get(g);
  const cap = Math.ceil(0.8 * limit) - 1;
  if (!seg || cap < 1) return undefined;
  const needs = declaredNeeds(ws, ix.byId);
  const used = new Map<number, Set<string>>(membersOf(ix, g).map((i) => [i, new Set<string>()]));
  const calls = callsThrough(ix, needs, g, dir);
  for (const r of ix.levels.group.rulesOf(g, dir)) {
    const rc = sgRuleConns(r);
    for (const c of calls)
      if (!isEmpty(intersect(rc, c.conns)) && peerMatches(ix, r.peer, c.peer)) used.get(c.self)?.add(r.id);
  }
  const parts: { members: number[]; rules: Set<string> }[] = [];
  for (const [i, rules] of [...used].sort((x, y) => y[1].size - x[1].size || x[0] - y[0])) {
    if (rules.size > cap) return undefined; // one member alone needs more: no split holds the quota
    const fit = parts.find((p) => new Set([...p.rules, ...rules]).size <= cap);
    if (fit) {
      fit.members.push(i);
      for (const r of rules) fit.rules.add(r);
    } else parts.push({ members: [i], rules: new Set(rules) });
  }
  if (parts.length < 2) return undefined;
  const taken = new Set(ws.segments.map((s) => s.name));
  const commands: Command[] = [];
  const ids = [g];
  for (const [k, p] of parts.slice(1).entries()) {
    const name = uniqueName(`${seg.name}-part-${k + 2}`, taken);
    const created: Segment = { id: `${g}:${name}`, level: 'group', name };
    if (seg.parent) created.parent = seg.parent;
    if (seg.attributes) created.attributes = { ...seg.attributes };
    delete created.attributes?.groupId;
    commands.push(...moveToNew(ix, seg, created, p.members));
    ids.push(created.id);
  }
  const after = buildIndex(commands.reduce(applyCommand, ws));
  const pruned = ids.flatMap((id) => prunePlan(after, id, dir)?.commands ?? []);
  // A copy the split makes and the pruning removes is never made: the plan says what changes.
  const copied = new Set(commands.flatMap((c) => (c.type === 'addRule' ? [c.rule.id] : [])));
  const dropped = new Set(pruned.flatMap((c) => (c.type === 'removeRule' && copied.has(c.rule.id) ? [c.rule.id] : [])));
  return {
    title: `split ${seg.name} into ${parts.length} groups, each with only the ${dir} rules its members' calls use`,
    commands: [...commands, ...pruned].filter(
      (c) => !((c.type === 'addRule' || c.type === 'removeRule') && dropped.has(c.rule.id)),
    ),
    levels: ['group'],
  };
};

/** A service hub (not a group hub): alone in a group of its own, one rule per caller segment and port. */
export const hubPlans = (ws: Workspace, f: Finding): PlanCandidate[] => {
  if (f.key.startsWith('hub:group:')) return [];
  const ix = buildIndex(ws);
  const i = ix.byId.get(f.services[0] ?? '');
  return i === undefined ? [] : defined([isolatePlan(ws, ix, i)]);
};

/** An over-broad group is split; a hub's group at its rules limit admits callers by segment, or its hubs leave it. */
export const sgAbusePlans = (ws: Workspace, f: Finding): PlanCandidate[] => {
  if (f.key.startsWith('sg-abuse:broad:')) return broadGroupPlans(ws, f);
  const g = f.segments[0];
  if (!f.key.startsWith('sg-abuse:hub-rules:') || g === undefined) return [];
  const ix = buildIndex(ws);
  return defined([perSegmentPlan(ix, g, 'ingress'), prunePlan(ix, g, 'ingress')]);
};

/** Ports of a NetworkPolicy entry for a connection set (none: every port). */
const policyPorts = (set: ReturnType<typeof callConns>): PolicyPort[] | undefined => {
  const out: PolicyPort[] = [];
  for (const p of pieces(set)) {
    if (p.protocol === 'all') return undefined;
    if (!p.range) out.push({ protocol: p.protocol });
    else if (p.range[0] === p.range[1]) out.push({ protocol: p.protocol, port: p.range[0] });
    else out.push({ protocol: p.protocol, port: p.range[0], endPort: p.range[1] });
  }
  return out;
};

/**
 * Least privilege for a namespace no policy selects: a default deny of both directions for its pods,
 * and per pod one policy admitting its declared callers and one letting out its declared calls, on
 * their ports (DNS is not allowed unless declared, as the level's synthesis says).
 */
const namespacePlan = (ix: AnalysisIndex, ns: string): PlanCandidate | undefined => {
  const pol = ix.levels.policy;
  const needs = declaredNeeds(ix.ws, ix.byId);
  const pods = ix.services.flatMap((_, i) => (pol.endpoint(i).pod && pol.endpoint(i).namespace === ns ? [i] : []));
  if (pods.length === 0) return undefined;
  const taken = new Set(ix.ws.rules.flatMap((r) => (r.type === 'k8s-network-policy' ? [r.name] : [])));
  const policies: K8sNetworkPolicyRule[] = [
    {
      id: `fix:policy:${ns}:default-deny`,
      type: 'k8s-network-policy',
      level: 'policy',
      name: uniqueName('default-deny', taken),
      namespace: ns,
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    },
  ];
  const bySelector = new Map<string, K8sNetworkPolicyRule>();
  for (const i of pods)
    for (const dir of ['ingress', 'egress'] as const) {
      const row = (dir === 'ingress' ? needs.in : needs.out).get(i);
      if (!row || row.size === 0) continue;
      const podSelector = podSelectorFor(ix, i);
      const key = `${dir}|${JSON.stringify(podSelector)}`;
      let p = bySelector.get(key);
      if (!p) {
        const name = uniqueName(`${ix.services[i]?.name ?? 'pod'}-${dir}`, taken);
        p = {
          id: `fix:policy:${ns}:${name}`,
          type: 'k8s-network-policy',
          level: 'policy',
          name,
          namespace: ns,
          podSelector,
          policyTypes: [dir === 'ingress' ? 'Ingress' : 'Egress'],
          [dir]: [],
        };
        bySelector.set(key, p);
        policies.push(p);
      }
      const entries = p[dir] as PolicyRuleEntry[];
      for (const [other, set] of row) {
        const ports = policyPorts(set);
        const e: PolicyRuleEntry = ports
          ? { peers: [peerFor(ix, i, other)], ports }
          : { peers: [peerFor(ix, i, other)] };
        if (!entries.some((x) => JSON.stringify(x) === JSON.stringify(e))) entries.push(e);
      }
    }
  return {
    title: `least privilege for namespace ${ns}: a default deny and ${policies.length - 1} NetworkPolic${policies.length === 2 ? 'y' : 'ies'} for its declared calls`,
    commands: policies.map((rule) => ({ type: 'addRule', rule })),
    levels: ['policy'],
  };
};

/**
 * Least privilege for an icc=true bridge: its containers leave it for user-defined networks, one per
 * set of callees with the same callers on the bridge, which those callers join too.
 */
const bridgePlan = (ws: Workspace, ix: AnalysisIndex, bridge: Segment): PlanCandidate | undefined => {
  const members = ix.members.get(bridge.id) ?? [];
  if (members.length < 2) return undefined;
  const on = new Set(members);
  const needs = declaredNeeds(ws, ix.byId);
  const byCallers = new Map<string, { callees: number[]; callers: number[] }>();
  for (const b of members) {
    const callers = [...(needs.in.get(b)?.keys() ?? [])].filter((a) => on.has(a)).sort((x, y) => x - y);
    if (callers.length === 0) continue;
    const key = callers.join(',');
    const e = byCallers.get(key) ?? { callees: [], callers };
    e.callees.push(b);
    byCallers.set(key, e);
  }
  const taken = new Set(ws.segments.map((s) => s.name));
  const commands: Command[] = [];
  for (const { callees, callers } of byCallers.values()) {
    const name = uniqueName(`${ix.services[callees[0] as number]?.name ?? 'net'}-net`, taken);
    const net: Segment = { id: `overlay:fix:${name}`, level: 'overlay', name, attributes: { kind: 'compose-network' } };
    if (bridge.parent) net.parent = bridge.parent;
    commands.push({ type: 'createSegment', segment: net });
    for (const i of new Set([...callees, ...callers]))
      commands.push({
        type: 'moveService',
        service: ix.services[i]?.id as string,
        level: 'overlay',
        from: null,
        to: net.id,
      });
  }
  // A container left with no network would be no data, which the level leaves open: it gets one of its own.
  const placed = new Set(commands.flatMap((c) => (c.type === 'moveService' ? [c.service] : [])));
  for (const i of members) {
    const s = ix.services[i] as (typeof ix.services)[number];
    if (placed.has(s.id) || (s.memberships.overlay ?? []).some((id) => id !== bridge.id)) continue;
    const name = uniqueName(`${s.name}-net`, taken);
    const net: Segment = { id: `overlay:fix:${name}`, level: 'overlay', name, attributes: { kind: 'compose-network' } };
    if (bridge.parent) net.parent = bridge.parent;
    commands.push(
      { type: 'createSegment', segment: net },
      { type: 'moveService', service: s.id, level: 'overlay', from: null, to: net.id },
    );
  }
  for (const i of members)
    commands.push({
      type: 'moveService',
      service: ix.services[i]?.id as string,
      level: 'overlay',
      from: bridge.id,
      to: null,
    });
  return {
    title: `move the ${members.length} containers off ${bridge.name} (icc=true) onto ${byCallers.size} user-defined network${byCallers.size === 1 ? '' : 's'}, one per callee set with its callers`,
    commands,
    levels: ['overlay'],
  };
};

export const defaultAllowPlans = (ws: Workspace, f: Finding): PlanCandidate[] => {
  const ix = buildIndex(ws);
  if (f.key.startsWith('default-allow:namespace:'))
    return defined([namespacePlan(ix, f.key.slice('default-allow:namespace:'.length))]);
  if (f.level === 'overlay') {
    const seg = ix.segments.get(f.segments[0] ?? '');
    return seg ? defined([bridgePlan(ws, ix, seg)]) : [];
  }
  const rule = ix.rulesOf('sg-permission').find((r) => r.id === f.rule?.id);
  return rule ? [worldIngressPlan(ix, rule)] : [];
};

/** The segment a member sits in at the parent's level, of the parent's kind (its VPC, its account). */
const homeOf = (ix: AnalysisIndex, i: number, parent: Segment): Segment | undefined => {
  const ids = ix.services[i]?.memberships[parent.level] ?? [];
  const all = ids.flatMap((id) => [...ix.ancestors(id)]);
  return all.find((s) => kindOf(s) === kindOf(parent)) ?? ix.segments.get(ids[0] ?? '');
};

/**
 * A segment whose members span parents: its outside members move into the parent at the parent's
 * level, or leave for a segment of their own under the parent they sit in (rules copied).
 */
const parentPlans = (ws: Workspace, f: Finding): PlanCandidate[] => {
  const ix = buildIndex(ws);
  const seg = ix.segments.get(f.segments[0] ?? '');
  const parent = seg && expectedParent(seg, ix.segments);
  if (!seg || !parent) return [];
  const outside = f.services.flatMap((id) => {
    const i = ix.byId.get(id);
    return i === undefined ? [] : [i];
  });
  const single = SINGLE_MEMBERSHIP_LEVELS.includes(parent.level);
  const into: Command[] = outside.flatMap((i) => {
    const s = ix.services[i];
    const now = s?.memberships[parent.level] ?? [];
    if (!s) return [];
    if (!single) return [{ type: 'moveService', service: s.id, level: parent.level, from: null, to: parent.id }];
    return [
      { type: 'moveService', service: s.id, level: parent.level, from: now[0] ?? null, to: parent.id },
      ...now
        .slice(1)
        .map((from): Command => ({ type: 'moveService', service: s.id, level: parent.level, from, to: null })),
    ];
  });
  const out: PlanCandidate[] = [
    {
      title: `move ${outside.length} member${outside.length === 1 ? '' : 's'} of ${seg.name} into ${parent.name} at the ${parent.level} level`,
      commands: into,
      levels: [parent.level],
    },
  ];
  const byHome = new Map<string, number[]>();
  for (const i of outside) {
    const h = homeOf(ix, i, parent);
    if (h) byHome.set(h.id, [...(byHome.get(h.id) ?? []), i]);
  }
  const taken = new Set(ws.segments.map((s) => s.name));
  const own: Command[] = [];
  for (const [home, members] of byHome) {
    const h = ix.segments.get(home) as Segment;
    const name = uniqueName(`${seg.name}-${h.name}`, taken);
    const created: Segment = { id: `${seg.id}:${name}`, level: seg.level, name, parent: home };
    if (seg.attributes) created.attributes = { ...seg.attributes, ...(seg.attributes.vpc ? { vpc: home } : {}) };
    delete created.attributes?.groupId;
    own.push(...moveToNew(ix, seg, created, members));
  }
  if (own.length > 0)
    out.push({
      title: `give the members of ${seg.name} outside ${parent.name} a ${seg.level} segment under the ${parent.level} segment they sit in (rules copied)`,
      commands: own,
      levels: [seg.level],
    });
  return out;
};

/**
 * Members moved from a segment into a new one (under another parent): for a security group its rules
 * are copied and every rule admitting it by reference admits the new group too, so no call breaks.
 */
const moveToNew = (ix: AnalysisIndex, seg: Segment, created: Segment, members: number[]): Command[] => {
  const cmds: Command[] = [{ type: 'createSegment', segment: created }];
  for (const i of members)
    cmds.push({
      type: 'moveService',
      service: ix.services[i]?.id as string,
      level: seg.level,
      from: seg.id,
      to: created.id,
    });
  if (seg.level !== 'group') return cmds;
  const g = ix.levels.group;
  const to = { kind: 'group', group: created.id } as const;
  for (const r of ix.rulesOf('sg-permission')) {
    const mine = g.resolveGroup(r.group) === seg.id;
    const self = r.peer.kind === 'group' && g.resolveGroup(r.peer.group) === seg.id;
    if (mine)
      cmds.push({
        type: 'addRule',
        rule: { ...r, id: `${r.id}@${created.id}`, group: created.id, peer: self ? to : r.peer },
      });
    if (self) cmds.push({ type: 'addRule', rule: { ...r, id: `${r.id}>${created.id}`, peer: to } });
    if (mine && self) cmds.push({ type: 'addRule', rule: { ...r, id: `${r.id}@${created.id}>`, group: created.id } });
  }
  return cmds;
};

/** A group without a VPC whose members sit in several: one group per VPC, the largest part staying (rules copied). */
const spanPlans = (ws: Workspace, f: Finding): PlanCandidate[] => {
  const ix = buildIndex(ws);
  const seg = ix.segments.get(f.segments[0] ?? '');
  if (!seg) return [];
  const byVpc = new Map<string, string[]>();
  for (const i of ix.members.get(seg.id) ?? []) {
    const v = ix.levels.network.units(i).find((u) => u.kind === 'vpc')?.id ?? '';
    byVpc.set(v, [...(byVpc.get(v) ?? []), ix.services[i]?.id as string]);
  }
  const parts = [...byVpc].sort((x, y) => y[1].length - x[1].length);
  if (parts.length < 2) return [];
  const taken = new Set(ws.segments.map((s) => s.name));
  const splits = parts
    .slice(1)
    .map(([v, ids]) => split(seg, uniqueName(`${seg.name}-${ix.segments.get(v)?.name ?? 'no-vpc'}`, taken), ids));
  return [
    {
      title: `split ${seg.name} into one group per VPC (${parts.length} groups, rules copied)`,
      commands: splitsKeepingPeers(ws, seg, splits),
      levels: ['group'],
    },
  ];
};

/** Segment mismatches of inconsistent-levels (the call mismatches are fixed at the denying level, in fixes.ts). */
export const inconsistentSegmentPlans = (ws: Workspace, f: Finding): PlanCandidate[] =>
  f.key.startsWith('inconsistent-levels:parent:')
    ? parentPlans(ws, f)
    : f.key.startsWith('inconsistent-levels:span:')
      ? spanPlans(ws, f)
      : [];
