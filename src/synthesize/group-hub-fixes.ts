// Fix plans for a group-level hub: the groups that admit it by one same rule share one group holding that rule instead.
import { type AnalysisIndex, buildIndex } from '../analysis/context';
import { SG_BROAD_SHARE } from '../analysis/findings/sg-abuse';
import type { Finding } from '../analysis/types';
import type { Command } from '../model/commands';
import { quotaProfile, quotaState } from '../model/quotas';
import type { Segment, SgPermissionRule, Workspace } from '../model/types';
import { uniqueName } from './needs';
import type { PlanCandidate } from './segment-fixes';

/** The VPC a security group sits in (its attribute, else its nearest VPC parent): groups share members only inside one. */
const vpcOf = (ix: AnalysisIndex, id: string): string => {
  const s = ix.segments.get(id);
  const v = s?.attributes?.vpc ?? (s?.parent !== undefined ? ix.nearest(s.parent, ['vpc'])?.id : undefined);
  return typeof v === 'string' ? v : '';
};

/** One grant naming the hub: direction, protocol and ports, in one VPC. */
const grantKey = (ix: AnalysisIndex, r: SgPermissionRule, owner: string): string =>
  [vpcOf(ix, owner), r.direction, r.protocol.toLowerCase(), r.fromPort ?? -1, r.toPort ?? -1].join('|');

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

/**
 * What a group hub's fix achieves (the hub stays referenced: its members' calls are a fact): no two
 * groups of one VPC hold the same grant naming it, so each grant costs one rule, not one per group.
 */
export const groupHubConsolidated = (ws: Workspace, hub: string): boolean =>
  [...grantsNaming(buildIndex(ws), hub).values()].every((list) => new Set(list.map((x) => x.owner)).size < 2);

/** Services with a group in each VPC: the scope sg-abuse measures a group's breadth against. */
const scopes = (ix: AnalysisIndex): Map<string, number> => {
  const out = new Map<string, number>();
  ix.services.forEach((_, i) => {
    for (const v of new Set(ix.levels.group.groups(i).map((g) => vpcOf(ix, g)))) out.set(v, (out.get(v) ?? 0) + 1);
  });
  return out;
};

/** Owners packed (largest first) into bins of at most `cap` members; bins of one owner save nothing and are dropped. */
const pack = (owners: readonly string[], size: (o: string) => number, cap: number): string[][] => {
  const bins: { owners: string[]; n: number }[] = [];
  for (const o of [...owners].sort((x, y) => size(y) - size(x) || (x < y ? -1 : 1))) {
    if (size(o) > cap) continue;
    const fit = bins.find((b) => b.n + size(o) <= cap);
    if (fit) {
      fit.owners.push(o);
      fit.n += size(o);
    } else bins.push({ owners: [o], n: size(o) });
  }
  return bins.filter((b) => b.owners.length > 1).map((b) => b.owners);
};

/**
 * DESIGN.md hub ("their rule cost") at the group level: groups that each name the hub group with the
 * same grant (direction, protocol, ports, in one VPC) share one group holding that grant once; every
 * member of those groups joins it and their copies are removed, so the same services reach the same
 * services on the same ports. Within quota: a member joins only while its interface stays under the
 * groups-per-interface warning line, and a shared group holds at most half of its VPC's grouped
 * services (more would make it over-broad: sg-abuse), so a large grant may take several shared groups.
 * Grants saving the most rules go first.
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
  const grants = [...grantsNaming(ix, hub).values()].sort((x, y) => y.length - x.length);
  for (const list of grants) {
    const rule = list[0]?.rule as SgPermissionRule;
    const vpc = vpcOf(ix, list[0]?.owner as string);
    const owners = [...new Set(list.map((x) => x.owner))].filter((o) => membersOf(o).every(room));
    for (const bin of pack(owners, (o) => membersOf(o).length, Math.floor(SG_BROAD_SHARE * (scope.get(vpc) ?? 0)))) {
      const members = [...new Set(bin.flatMap((o) => [...membersOf(o)]))];
      if (!members.every(room)) continue;
      const ports =
        rule.fromPort === undefined
          ? 'all'
          : `${rule.fromPort}${rule.toPort !== rule.fromPort ? `-${rule.toPort}` : ''}`;
      const name = uniqueName(`${rule.direction === 'ingress' ? 'from' : 'to'}-${hubName}-${ports}`, taken);
      const created: Segment = {
        id: `group:fix:${name}`,
        level: 'group',
        name,
        attributes: { kind: 'security-group', ...(vpc ? { vpc } : {}) },
      };
      const home = ix.segments.get(bin[0] as string);
      if (home?.parent) created.parent = home.parent;
      commands.push(
        { type: 'createSegment', segment: created },
        { type: 'addRule', rule: { ...rule, id: `fix:${created.id}:${rule.id}`, group: created.id } },
      );
      for (const i of members) {
        extra.set(i, (extra.get(i) ?? 0) + 1);
        commands.push({
          type: 'moveService',
          service: ix.services[i]?.id as string,
          level: 'group',
          from: null,
          to: created.id,
        });
      }
      for (const x of list)
        if (bin.includes(x.owner)) {
          commands.push({ type: 'removeRule', rule: x.rule });
          removed++;
        }
      shared++;
    }
  }
  if (shared === 0) return [];
  const before = grants.reduce((n, list) => n + list.length, 0);
  return [
    {
      title: `let groups naming ${hubName} by one same grant share ${shared} group${shared === 1 ? '' : 's'} holding it once: ${before} → ${before - removed + shared} rules naming ${hubName}`,
      commands,
      levels: ['group'],
    },
  ];
};
