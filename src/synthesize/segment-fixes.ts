// Fix plans that change segments rather than rules: critical services, an over-broad group split apart.
import Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import { buildIndex } from '../analysis/context';
import { SG_BROAD_SHARE } from '../analysis/findings/sg-abuse';
import type { Finding } from '../analysis/types';
import { rng } from '../gen/random';
import { applyCommand, type Command } from '../model/commands';
import type { Level, Segment, Service, Workspace } from '../model/types';
import { uniqueName } from './needs';

/** A plan to be previewed and ranked by fixesFor. */
export interface PlanCandidate {
  title: string;
  commands: Command[];
  levels: Level[];
}

const segmentById = (ws: Workspace, id: string | undefined): Segment | undefined =>
  id === undefined ? undefined : ws.segments.find((s) => s.id === id);

/** A split of `seg` taking `members` into a new segment with a copy of its rules, so their calls keep working. */
export const split = (seg: Segment, name: string, members: readonly string[]): Command => ({
  type: 'splitSegment',
  segment: seg.id,
  newSegment: { id: `${seg.id}:${name}`, name },
  services: [...members],
});

/**
 * Splits of one segment, and the security-group rules that keep its reach: a rule admitting the
 * segment by reference from elsewhere also admits each new segment, and a rule among the parts
 * (its self-reference, which a split copies as the new part's own) admits every other part. What
 * reached a member before still does, so a split breaks no call.
 */
export const splitsKeepingPeers = (ws: Workspace, seg: Segment, splits: Command[]): Command[] => {
  if (seg.level !== 'group') return splits;
  const after = splits.reduce(applyCommand, ws);
  const family = [seg.id, ...splits.flatMap((c) => (c.type === 'splitSegment' ? [c.newSegment.id] : []))];
  const peers: Command[] = [];
  for (const r of after.rules) {
    if (r.type !== 'sg-permission' || r.peer.kind !== 'group' || !family.includes(r.peer.group)) continue;
    const inside = family.includes(r.group);
    if (!inside && r.peer.group !== seg.id) continue;
    for (const id of family)
      if (id !== r.peer.group)
        peers.push({ type: 'addRule', rule: { ...r, id: `${r.id}>${id}`, peer: { kind: 'group', group: id } } });
  }
  return [...splits, ...peers];
};

/** Levels where a segment is a policy object, not an address range: splitting one needs no re-addressing. */
const SPLITTABLE: readonly Level[] = ['group', 'policy', 'overlay'];

/**
 * Critical services that one segment can cut together: every one but the first is split off into a
 * segment of its own (rules copied), so a mistake in one group cuts one of them (DESIGN.md:
 * "the failure modes of Y and Z must be independent").
 */
export const sharedDomainPlans = (ws: Workspace, finding: Finding): PlanCandidate[] => {
  const seg = segmentById(ws, finding.segments[0]);
  if (!seg || !SPLITTABLE.includes(seg.level) || finding.services.length < 2) return [];
  const taken = new Set(ws.segments.map((s) => s.name));
  const names = new Map(ws.services.map((s) => [s.id, s.name]));
  const rest = finding.services.slice(1);
  const splits = rest.map((id) => split(seg, uniqueName(`${names.get(id) ?? id}-own`, taken), [id]));
  const commands = splitsKeepingPeers(ws, seg, splits);
  return [
    {
      title: `split ${rest.map((id) => names.get(id) ?? id).join(', ')} off ${seg.name}, one ${seg.level} segment each (rules copied)`,
      commands,
      levels: [seg.level],
    },
  ];
};

/** Members of a segment partitioned by a key; parts in order of size, the largest (which stays) first. */
const partsBy = (members: readonly Service[], key: (s: Service) => string): Service[][] => {
  const by = new Map<string, Service[]>();
  for (const s of members) by.set(key(s), [...(by.get(key(s)) ?? []), s]);
  return [...by.values()].sort((x, y) => y.length - x.length);
};

/** Communities of the members' calls among themselves (graphology Louvain, seeded). */
const communities = (ws: Workspace, members: readonly Service[]): Service[][] => {
  const ids = new Set(members.map((s) => s.id));
  const g = new Graph({ type: 'undirected' });
  for (const s of members) g.addNode(s.id);
  for (const c of ws.calls)
    if (ids.has(c.from) && ids.has(c.to) && c.from !== c.to && !g.hasEdge(c.from, c.to)) g.addEdge(c.from, c.to);
  if (g.size === 0) return [];
  const comm = louvain(g, { rng: rng(1) });
  // Members with no call inside the group form no community: they stay together.
  return partsBy(members, (s) => (g.degree(s.id) === 0 ? 'rest' : String(comm[s.id])));
};

/**
 * Members (communities kept next to each other) cut into parts of at most half the grouped services
 * of the group's VPC, as sg-abuse counts them: no part is over-broad, so this split always closes it.
 */
const halves = (ws: Workspace, seg: Segment, ordered: readonly Service[]): Service[][] => {
  const ix = buildIndex(ws);
  const vpcOf = (id: string): string | undefined => {
    const s = ix.segments.get(id);
    const v = s?.attributes?.vpc ?? (s?.parent !== undefined ? ix.nearest(s.parent, ['vpc'])?.id : undefined);
    return typeof v === 'string' ? v : undefined;
  };
  const vpc = vpcOf(seg.id);
  const scope = ix.services.filter((_, i) =>
    ix.levels.group.groups(i).some((g) => vpc === undefined || vpcOf(g) === vpc),
  ).length;
  const cap = Math.floor(SG_BROAD_SHARE * scope);
  if (cap < 1) return [];
  const parts: Service[][] = [];
  for (let k = 0; k < ordered.length; k += cap) parts.push(ordered.slice(k, k + cap));
  return parts;
};

/**
 * One security group holding most services: split it by namespace, by tier (the kind of service:
 * gateway, service, datastore), by call communities or into parts of at most half its scope, each part but the largest into a group of
 * its own with a copy of the rules (no call breaks); the preview says whether the finding closes.
 */
export const broadGroupPlans = (ws: Workspace, finding: Finding): PlanCandidate[] => {
  const seg = segmentById(ws, finding.segments[0]);
  if (!seg || !finding.key.startsWith('sg-abuse:broad:')) return [];
  const members = ws.services.filter((s) => s.memberships[seg.level]?.includes(seg.id));
  const byCommunity = communities(ws, members);
  const ways: [string, Service[][]][] = [
    ['namespace', partsBy(members, (s) => s.namespace ?? '')],
    ['tier', partsBy(members, (s) => s.kind)],
    ['call communities', byCommunity],
    ['halves', halves(ws, seg, byCommunity.length > 0 ? byCommunity.flat() : members)],
  ];
  const out: PlanCandidate[] = [];
  for (const [by, parts] of ways) {
    if (parts.length < 2) continue;
    const taken = new Set(ws.segments.map((s) => s.name));
    const splits = parts.slice(1).map((p) =>
      split(
        seg,
        uniqueName(`${seg.name}-${by === 'tier' ? p[0]?.kind : p[0]?.name}`, taken),
        p.map((s) => s.id),
      ),
    );
    out.push({
      title:
        by === 'halves'
          ? `split ${seg.name} into ${parts.length} groups of at most half its VPC's grouped services (call communities kept together, rules copied)`
          : `split ${seg.name} by ${by} into ${parts.length} groups (rules copied)`,
      commands: splitsKeepingPeers(ws, seg, splits),
      levels: [seg.level],
    });
  }
  return out;
};
