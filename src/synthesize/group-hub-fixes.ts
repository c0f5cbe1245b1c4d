// Fix plans for a group-level hub: the groups that admit it by the same rules share groups holding those rules once.
import { type AnalysisIndex, buildIndex } from '../analysis/context';
import { SG_BROAD_MIN_SERVICES, SG_BROAD_SHARE } from '../analysis/findings/sg-abuse';
import { groupVpc } from '../analysis/hubs';
import type { Finding } from '../analysis/types';
import { plural } from '../analysis/wording';
import type { Command } from '../model/commands';
import { quotaProfile, quotaState } from '../model/quotas';
import type { Segment, SgPermissionRule, Workspace } from '../model/types';
import { uniqueName } from './needs';
import type { PlanCandidate } from './segment-fixes';

/** One grant naming the hub: direction, protocol and ports, in one VPC. */
const grantKey = (ix: AnalysisIndex, r: SgPermissionRule, owner: string): string =>
  [groupVpc(ix, owner), r.direction, r.protocol.toLowerCase(), r.fromPort ?? -1, r.toPort ?? -1].join('|');

/** Rules of other groups naming the hub group, by grant. */
const grantsNaming = (ix: AnalysisIndex, hub: string): Map<string, { owner: string; rule: SgPermissionRule }[]> => {
  const g = ix.levels.group;
  const out = new Map<string, { owner: string; rule: SgPermissionRule }[]>();
  for (const r of ix.rulesOf('sg-permission')) {
    if (r.peer.kind !== 'group' || g.resolveGroup(r.peer.group) !== hub) continue;
    const owner = g.resolveGroup(r.group);
    if (owner === hub) continue;
    const key = grantKey(ix, r, owner);
    out.set(key, [...(out.get(key) ?? []), { owner, rule: r }]);
  }
  return out;
};

/** Services with a group in each VPC: the scope sg-abuse measures a group's breadth against. */
const scopes = (ix: AnalysisIndex): Map<string, number> => {
  const out = new Map<string, number>();
  ix.services.forEach((_, i) => {
    for (const v of new Set(ix.levels.group.groups(i).map((g) => groupVpc(ix, g)))) out.set(v, (out.get(v) ?? 0) + 1);
  });
  return out;
};

/** Most members one group of a VPC may hold without being over-broad (sg-abuse: more than half its grouped services). */
const capOf = (scope: number): number =>
  scope < SG_BROAD_MIN_SERVICES ? Number.POSITIVE_INFINITY : Math.max(1, Math.floor(SG_BROAD_SHARE * scope));

/**
 * What a group hub's fix achieves (the hub stays referenced: its members' calls are a fact): each grant
 * naming it is held by as few groups as its VPC allows — one, or where one group holding every service
 * that needs it would be over-broad (sg-abuse), one per share of at most half the VPC's grouped services.
 */
export const groupHubConsolidated = (ws: Workspace, hub: string): boolean => {
  const ix = buildIndex(ws);
  const scope = scopes(ix);
  return [...grantsNaming(ix, hub)].every(([, list]) => {
    const owners = new Set(list.map((x) => x.owner));
    const members = new Set([...owners].flatMap((o) => [...(ix.members.get(o) ?? [])]));
    const vpc = groupVpc(ix, list[0]?.owner as string);
    return owners.size <= Math.max(1, Math.ceil(members.size / capOf(scope.get(vpc) ?? 0)));
  });
};

/** Grants held by exactly the same groups: one shared group can hold them all, each member joining it once. */
interface Atom {
  vpc: string;
  owners: string[];
  rules: { owner: string; rule: SgPermissionRule }[][];
}

const atomsOf = (ix: AnalysisIndex, hub: string): Atom[] => {
  const byOwners = new Map<string, Atom>();
  for (const list of grantsNaming(ix, hub).values()) {
    const owners = [...new Set(list.map((x) => x.owner))].sort();
    const vpc = groupVpc(ix, owners[0] as string);
    const key = `${vpc}|${owners.join(',')}`;
    const atom = byOwners.get(key) ?? { vpc, owners, rules: [] };
    atom.rules.push(list);
    byOwners.set(key, atom);
  }
  // Those saving the most rules first: they get the room under the groups-per-interface line first.
  return [...byOwners.values()]
    .filter((a) => a.owners.length > 1)
    .sort((x, y) => y.owners.length * y.rules.length - x.owners.length * x.rules.length);
};

/** Members cut into consecutive parts of at most `cap` (an owner's members may straddle two parts). */
const parts = (members: readonly number[], cap: number): number[][] => {
  const out: number[][] = [];
  for (let k = 0; k < members.length; k += cap) out.push(members.slice(k, k + cap));
  return out;
};

const portsText = (r: SgPermissionRule): string =>
  r.fromPort === undefined ? 'all' : `${r.fromPort}${r.toPort !== r.fromPort ? `-${r.toPort}` : ''}`;

/**
 * DESIGN.md hub ("their rule cost") at the group level: groups that name the hub group with the same
 * grants (direction, protocol, ports, in one VPC) share one group holding those grants once; every
 * member of those groups joins it and their copies are removed, so the same services reach the same
 * services on the same ports. Grants held by the same groups share one group, so a member joins one
 * group per set of groups, not one per grant. Within quota: a member joins only while its interface
 * stays under the groups-per-interface warning line, and a shared group holds at most half of its
 * VPC's grouped services (more would make it over-broad: sg-abuse), so a grant many need takes
 * several shared groups. Grants saving the most rules go first.
 */
export const groupHubPlans = (ws: Workspace, f: Finding): PlanCandidate[] => {
  const hub = f.segments[0];
  if (!f.key.startsWith('hub:group:') || hub === undefined) return [];
  const ix = buildIndex(ws);
  const g = ix.levels.group;
  const limit = quotaProfile(ws.quotas ?? {}).find((d) => d.id === 'aws.groups-per-interface')?.value ?? 5;
  const extra = new Map<number, number>();
  const room = (i: number) => quotaState(g.groups(i).length + (extra.get(i) ?? 0) + 1, limit) === 'ok';
  const membersOf = (o: string) => ix.members.get(o) ?? [];
  const scope = scopes(ix);
  const taken = new Set(ws.segments.map((s) => s.name));
  const hubName = g.groupName(hub);
  const commands: Command[] = [];
  let shared = 0;
  let removed = 0;
  let added = 0;
  for (const atom of atomsOf(ix, hub)) {
    const owners = atom.owners.filter((o) => membersOf(o).every(room));
    if (owners.length < 2) continue;
    const members = [...new Set(owners.flatMap((o) => [...membersOf(o)]))];
    const first = atom.rules.map((list) => list[0]?.rule as SgPermissionRule);
    const home = ix.segments.get(owners[0] as string);
    for (const part of parts(members, capOf(scope.get(atom.vpc) ?? 0))) {
      const [r0] = first as [SgPermissionRule];
      const ports = first.map(portsText).join('+');
      const name = uniqueName(`${r0.direction === 'ingress' ? 'from' : 'to'}-${hubName}-${ports}`, taken);
      const created: Segment = {
        id: `group:fix:${name}`,
        level: 'group',
        name,
        attributes: { kind: 'security-group', ...(atom.vpc ? { vpc: atom.vpc } : {}) },
        ...(home?.parent ? { parent: home.parent } : {}),
      };
      commands.push({ type: 'createSegment', segment: created });
      for (const r of first)
        commands.push({ type: 'addRule', rule: { ...r, id: `fix:${created.id}:${r.id}`, group: created.id } });
      for (const i of part) {
        extra.set(i, (extra.get(i) ?? 0) + 1);
        commands.push({
          type: 'moveService',
          service: ix.services[i]?.id as string,
          level: 'group',
          from: null,
          to: created.id,
        });
      }
      shared++;
      added += first.length;
    }
    for (const list of atom.rules)
      for (const x of list)
        if (owners.includes(x.owner)) {
          commands.push({ type: 'removeRule', rule: x.rule });
          removed++;
        }
  }
  if (shared === 0) return [];
  const before = [...grantsNaming(ix, hub).values()].reduce((n, list) => n + list.length, 0);
  return [
    {
      title: `let groups naming ${hubName} by the same grants share ${plural(shared, 'group')} holding them once: ${before} → ${plural(before - removed + added, 'rule')} naming ${hubName}`,
      commands,
      levels: ['group'],
    },
  ];
};
