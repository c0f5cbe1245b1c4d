// Security-group rules measured against the declared calls: which rules a group's calls use, and plans that keep only those or name callers by segment.
import { intersect, isEmpty } from '../analysis/connset';
import { type AnalysisIndex, buildIndex } from '../analysis/context';
import { sgRuleConns } from '../analysis/levels/group';
import { cidrMeets } from '../analysis/net';
import type { Command } from '../model/commands';
import { sgPermission } from '../model/sg-permission';
import type { Segment, SgPeer, SgPermissionRule, Workspace } from '../model/types';
import { declaredNeeds, type NeedsIndex, type Piece, pieces, uniqueName } from './needs';
import type { PlanCandidate } from './segment-fixes';

export type Direction = 'ingress' | 'egress';

/** A declared call through one side of a group: `self` a member, `peer` the other end, with its connections. */
interface Through {
  self: number;
  peer: number;
  conns: ReturnType<typeof intersect>;
}

export const membersOf = (ix: AnalysisIndex, g: string): readonly number[] => ix.members.get(g) ?? [];

/** Declared calls into a group's members (ingress) or out of them (egress). */
export const callsThrough = (ix: AnalysisIndex, needs: NeedsIndex, g: string, dir: Direction): Through[] => {
  const out: Through[] = [];
  for (const self of membersOf(ix, g)) {
    const row = (dir === 'ingress' ? needs.in : needs.out).get(self);
    for (const [peer, conns] of row ?? []) out.push({ self, peer, conns });
  }
  return out;
};

/** Whether an SG rule names service `i` as its peer (group reference, CIDR holding its address, prefix list). */
export const peerMatches = (ix: AnalysisIndex, peer: SgPeer, i: number): boolean => {
  const addresses = ix.services[i]?.addresses ?? [];
  const group = ix.levels.group;
  if (peer.kind === 'group') return group.groups(i).includes(group.resolveGroup(peer.group));
  if (peer.kind === 'cidr') return cidrMeets(peer.cidr, addresses);
  return ix
    .rulesOf('prefix-list')
    .some((p) => p.prefixListId === peer.prefixListId && p.cidrs.some((c) => cidrMeets(c, addresses)));
};

/** The rules of a group's side that some declared call through it uses. */
export const usedRules = (ix: AnalysisIndex, needs: NeedsIndex, g: string, dir: Direction): Set<SgPermissionRule> => {
  const used = new Set<SgPermissionRule>();
  const calls = callsThrough(ix, needs, g, dir);
  for (const r of ix.levels.group.rulesOf(g, dir)) {
    const rc = sgRuleConns(r);
    if (calls.some((c) => !isEmpty(intersect(rc, c.conns)) && peerMatches(ix, r.peer, c.peer))) used.add(r);
  }
  return used;
};

const pieceTag = (p: Piece): string =>
  p.protocol === 'all' ? 'all' : `${p.protocol.toLowerCase()}:${p.range ? p.range.join('-') : 'all'}`;

const ruleFor = (id: string, group: string, dir: Direction, p: Piece, peer: SgPeer): SgPermissionRule =>
  sgPermission({
    id,
    group,
    direction: dir,
    protocol: p.protocol === 'all' ? '-1' : p.protocol.toLowerCase(),
    peer,
    ...(p.protocol !== 'all' && p.range ? { ports: p.range } : {}),
    description: 'segscope fix: one rule per caller segment',
  });

/** The peer a segment-wide rule names: the service's first group, else its addresses, else anywhere. */
const segmentPeers = (ix: AnalysisIndex, i: number): SgPeer[] => {
  const g = ix.levels.group.groups(i)[0];
  if (g !== undefined) return [{ kind: 'group', group: g }];
  const addrs = ix.services[i]?.addresses ?? [];
  if (addrs.length === 0) return [{ kind: 'cidr', cidr: '0.0.0.0/0' }];
  return addrs.map((a) => ({ kind: 'cidr', cidr: a.includes(':') ? `${a}/128` : `${a}/32` }));
};

const peerKey = (p: SgPeer): string =>
  p.kind === 'group' ? `g:${p.group}` : p.kind === 'cidr' ? `c:${p.cidr}` : `p:${p.prefixListId}`;

/** Same permission (peer, protocol, ports) whatever its id. */
const sameGrant = (x: SgPermissionRule, y: SgPermissionRule): boolean =>
  peerKey(x.peer) === peerKey(y.peer) &&
  x.protocol.toLowerCase() === y.protocol.toLowerCase() &&
  (x.fromPort ?? -1) === (y.fromPort ?? -1) &&
  (x.toPort ?? -1) === (y.toPort ?? -1);

/**
 * One rule per peer segment and port for the declared calls through `g`'s side `dir`, owned by
 * `owner` (g itself, or a group taking over g's calls): what a hub wants instead of a rule per caller.
 * `only` limits the calls to those of some members.
 */
export const perSegmentRules = (
  ix: AnalysisIndex,
  needs: NeedsIndex,
  g: string,
  dir: Direction,
  owner = g,
  only?: ReadonlySet<number>,
): SgPermissionRule[] => {
  const out = new Map<string, SgPermissionRule>();
  for (const c of callsThrough(ix, needs, g, dir)) {
    if (only && !only.has(c.self)) continue;
    for (const peer of segmentPeers(ix, c.peer))
      for (const p of pieces(c.conns)) {
        const id = `fix:${owner}:${dir === 'ingress' ? 'in' : 'out'}:${peerKey(peer)}:${pieceTag(p)}`;
        if (!out.has(id)) out.set(id, ruleFor(id, owner, dir, p, peer));
      }
  }
  return [...out.values()];
};

const needsOf = (ix: AnalysisIndex): NeedsIndex => declaredNeeds(ix.ws, ix.byId);

/** Remove the rules of a side that no declared call uses. */
export const prunePlan = (ix: AnalysisIndex, g: string, dir: Direction): PlanCandidate | undefined => {
  const used = usedRules(ix, needsOf(ix), g, dir);
  const unused = ix.levels.group.rulesOf(g, dir).filter((r) => !used.has(r));
  if (unused.length === 0) return undefined;
  return {
    title: `remove the ${unused.length} ${dir} rule${unused.length === 1 ? '' : 's'} of ${ix.levels.group.groupName(g)} no declared call uses`,
    commands: unused.map((rule) => ({ type: 'removeRule', rule })),
    levels: ['group'],
  };
};

/** Replace a side's rules by one rule per peer segment and port (rules already of that shape are kept). */
export const perSegmentPlan = (ix: AnalysisIndex, g: string, dir: Direction): PlanCandidate | undefined => {
  const now = ix.levels.group.rulesOf(g, dir);
  const want = perSegmentRules(ix, needsOf(ix), g, dir);
  const drop = now.filter((r) => !want.some((w) => sameGrant(r, w)));
  const add = want.filter((w) => !now.some((r) => sameGrant(r, w)));
  if (drop.length === 0 && add.length === 0) return undefined;
  return {
    title: `${dir === 'ingress' ? 'admit callers of' : 'let out callees of'} ${ix.levels.group.groupName(g)} by segment: ${now.length} → ${want.length} ${dir} rules (one per ${dir === 'ingress' ? 'caller' : 'callee'} segment and port)`,
    commands: [
      ...drop.map((rule): Command => ({ type: 'removeRule', rule })),
      ...add.map((rule): Command => ({ type: 'addRule', rule })),
    ],
    levels: ['group'],
  };
};

/**
 * A service alone in a security group of its own (its own group kept when it already has one), with
 * one rule per caller segment and port in, one per callee segment and port out; rules elsewhere that
 * admitted its old groups by reference for its declared calls also admit the new group, so no call
 * that the group level allowed breaks. The service leaves its other groups.
 */
export const isolatePlan = (ws: Workspace, ix: AnalysisIndex, i: number): PlanCandidate | undefined => {
  const s = ix.services[i];
  const group = ix.levels.group;
  const gs = group.groups(i);
  if (!s || gs.length === 0) return undefined;
  const needs = needsOf(ix);
  const own = gs.find((g) => membersOf(ix, g).length === 1 && ix.segments.has(g));
  const commands: Command[] = [];
  let target = own;
  if (target === undefined) {
    const first = ix.segments.get(gs[0] as string);
    const name = uniqueName(`${s.name}-own`, new Set(ws.segments.map((x) => x.name)));
    const created: Segment = { id: `group:fix:${s.id}:own`, level: 'group', name };
    if (first?.parent) created.parent = first.parent;
    const vpc = first?.attributes?.vpc;
    created.attributes = { kind: 'security-group', ...(typeof vpc === 'string' ? { vpc } : {}) };
    commands.push({ type: 'createSegment', segment: created });
    target = created.id;
  }
  const me = new Set([i]);
  const keep = new Set<string>();
  for (const dir of ['ingress', 'egress'] as const) {
    const want = perSegmentRules(ix, needs, gs[0] as string, dir, target, me);
    const now = own ? group.rulesOf(own, dir) : [];
    for (const r of now) if (!want.some((w) => sameGrant(r, w))) commands.push({ type: 'removeRule', rule: r });
    for (const w of want)
      if (!now.some((r) => sameGrant(r, w)) && !keep.has(w.id)) {
        keep.add(w.id);
        commands.push({ type: 'addRule', rule: w });
      }
  }
  // Rules on the other ends naming the old groups: the peers of its declared calls keep admitting it.
  const peers = new Set<number>([...(needs.in.get(i)?.keys() ?? []), ...(needs.out.get(i)?.keys() ?? [])]);
  for (const r of ix.rulesOf('sg-permission')) {
    if (r.peer.kind !== 'group' || !gs.includes(group.resolveGroup(r.peer.group))) continue;
    const owner = group.resolveGroup(r.group);
    if (owner === target) continue;
    const serves = [...peers].some((p) => group.groups(p).includes(owner));
    const id = `${r.id}>${target}`;
    if (serves && !keep.has(id)) {
      keep.add(id);
      commands.push({ type: 'addRule', rule: { ...r, id, peer: { kind: 'group', group: target } } });
    }
  }
  const leave = gs.filter((g) => g !== target);
  if (own === undefined) commands.push({ type: 'moveService', service: s.id, level: 'group', from: null, to: target });
  for (const g of leave) commands.push({ type: 'moveService', service: s.id, level: 'group', from: g, to: null });
  if (leave.length === 0 && commands.every((c) => c.type !== 'addRule' && c.type !== 'removeRule')) return undefined;
  return {
    title: `give ${s.name} ${own ? `its own group ${group.groupName(own)} alone` : 'a security group of its own'}, one rule per caller segment and port`,
    commands,
    levels: ['group'],
  };
};

/**
 * Ingress from anywhere replaced by the declared callers of the group's members on the ports they
 * call (one rule per caller segment and port, within the rule's own ports).
 */
export const worldIngressPlan = (ix: AnalysisIndex, rule: SgPermissionRule): PlanCandidate => {
  const g = ix.levels.group.resolveGroup(rule.group);
  const rc = sgRuleConns(rule);
  const needs = needsOf(ix);
  const add = new Map<string, SgPermissionRule>();
  for (const c of callsThrough(ix, needs, g, 'ingress')) {
    const conns = intersect(rc, c.conns);
    if (isEmpty(conns) || !peerMatches(ix, rule.peer, c.peer)) continue;
    for (const peer of segmentPeers(ix, c.peer)) {
      if (peer.kind === 'cidr' && rule.peer.kind === 'cidr' && peer.cidr === rule.peer.cidr) continue; // never the rule it replaces
      for (const p of pieces(conns)) {
        const id = `fix:${g}:in:${peerKey(peer)}:${pieceTag(p)}`;
        if (!add.has(id) && !ix.ws.rules.some((r) => r.id === id)) add.set(id, ruleFor(id, g, 'ingress', p, peer));
      }
    }
  }
  return {
    title: `replace ${ix.levels.group.groupName(g)}'s ingress from ${rule.peer.kind === 'cidr' ? rule.peer.cidr : 'anywhere'} by its ${add.size} declared caller${add.size === 1 ? '' : 's'}' segment${add.size === 1 ? '' : 's'} and ports`,
    commands: [{ type: 'removeRule', rule }, ...[...add.values()].map((r): Command => ({ type: 'addRule', rule: r }))],
    levels: ['group'],
  };
};

/**
 * What a hub's fix achieves (the hub stays a hub: popularity is a fact of the call graph): it sits
 * alone in one security group that carries no more ingress rules than one per caller segment and port.
 */
export const hubIsolated = (ws: Workspace, serviceId: string): boolean => {
  const ix = buildIndex(ws);
  const i = ix.byId.get(serviceId);
  const gs = i === undefined ? [] : ix.levels.group.groups(i);
  const [g] = gs;
  if (g === undefined || gs.length !== 1 || membersOf(ix, g).length !== 1) return false;
  return ix.levels.group.rulesOf(g, 'ingress').length <= perSegmentRules(ix, needsOf(ix), g, 'ingress').length;
};
