// Least privilege at the group level: one security group per identity class, group-referencing rules for exactly the declared calls.
import { buildIndex } from '../analysis/context';
import { quotaProfile } from '../model/quotas';
import { sgPermission } from '../model/sg-permission';
import type { Segment, SgPeer, SgPermissionRule, Workspace } from '../model/types';
import { declaredNeeds, type Identity, identities, type NeedsIndex, type Piece, pieces, uniqueName } from './needs';
import { costState, type LevelSynthesis, PlanBuilder, type SegmentCost } from './plan';
import { unaddressedPeers } from './policy';

const limitOf = (ws: Workspace, id: string): number | undefined =>
  quotaProfile(ws.quotas).find((q) => q.id === id)?.value;

const sgRule = (id: string, group: string, direction: 'ingress' | 'egress', p: Piece, peer: SgPeer): SgPermissionRule =>
  sgPermission({
    id,
    group,
    direction,
    protocol: p.protocol === 'all' ? '-1' : p.protocol.toLowerCase(),
    peer,
    ...(p.protocol !== 'all' && p.range ? { ports: p.range } : {}),
    description: 'segscope least privilege',
  });

/** Address peers for a service outside security groups: its /32s, or 0.0.0.0/0 when its address is unknown. */
const addressPeers = (addresses: readonly string[] | undefined): SgPeer[] =>
  (addresses ?? []).length === 0
    ? [{ kind: 'cidr', cidr: '0.0.0.0/0' }]
    : (addresses ?? []).map((a) => ({ kind: 'cidr', cidr: a.includes(':') ? `${a}/128` : `${a}/32` }));

type Index = ReturnType<typeof buildIndex>;

const peerKey = (peer: SgPeer): string => (peer.kind === 'group' ? peer.group : peer.kind === 'cidr' ? peer.cidr : '');

/** The rules on one group's side of a declared call, one per peer, for one piece of its ports. */
const sideRules = (group: string, direction: 'ingress' | 'egress', p: Piece, peers: readonly SgPeer[]) => {
  const tag = p.protocol === 'all' ? 'all' : `${p.protocol}:${p.range ? p.range.join('-') : 'all'}`;
  const dir = direction === 'ingress' ? 'in' : 'out';
  return peers.map((peer) => sgRule(`syn:${group}:${dir}:${peerKey(peer)}:${tag}`, group, direction, p, peer));
};

/** Per class, its group: an existing group whose membership it is exactly, else a new one in its VPC. */
const classGroups = (
  ws: Workspace,
  ix: Index,
  plan: PlanBuilder,
  classes: readonly Identity[],
  vpcOf: (i: number) => string,
): string[] => {
  const taken = new Set(ws.segments.map((s) => s.name));
  const used = new Set<string>();
  const groupOf: string[] = [];
  for (const c of classes) {
    const memberSet = new Set(c.members);
    const first = ws.services[c.members[0] as number];
    const own = (first?.memberships.group ?? []).find((g) => {
      const m = ix.members.get(g) ?? [];
      return !used.has(g) && m.length === memberSet.size && m.every((i) => memberSet.has(i));
    });
    let gid = own;
    if (!gid) {
      const name = uniqueName(`sg-${first?.name ?? 'group'}`, taken);
      gid = `group:syn:${name}`;
      const seg: Segment = { id: gid, level: 'group', name, attributes: { kind: 'security-group', synthesized: true } };
      const parent = vpcOf(c.members[0] as number);
      if (parent) seg.parent = parent;
      plan.run({ type: 'createSegment', segment: seg });
    }
    used.add(gid);
    groupOf[c.id] = gid;
    for (const i of c.members) plan.placeOnly(ws.services[i] as never, 'group', gid);
  }
  return groupOf;
};

/** Ingress on the callee's group and egress on the caller's, per declared call and port piece, in call order. */
const declaredRules = (ws: Workspace, needs: NeedsIndex, classOf: ArrayLike<number>, groupOf: readonly string[]) => {
  const out: SgPermissionRule[] = [];
  for (const [a, row] of needs.out) {
    for (const [b, set] of row) {
      const ca = classOf[a] as number;
      const cb = classOf[b] as number;
      const ga = ca >= 0 ? groupOf[ca] : undefined;
      const gb = cb >= 0 ? groupOf[cb] : undefined;
      for (const p of pieces(set)) {
        if (gb) {
          const peers: SgPeer[] = ga ? [{ kind: 'group', group: ga }] : addressPeers(ws.services[a]?.addresses);
          out.push(...sideRules(gb, 'ingress', p, peers));
        }
        if (ga) {
          const peers: SgPeer[] = gb ? [{ kind: 'group', group: gb }] : addressPeers(ws.services[b]?.addresses);
          out.push(...sideRules(ga, 'egress', p, peers));
        }
      }
    }
  }
  return out;
};

/** Rules per group against the inbound-rules quota. */
const groupCosts = (
  ws: Workspace,
  plan: PlanBuilder,
  classes: readonly Identity[],
  groupOf: readonly string[],
  added: readonly SgPermissionRule[],
): SegmentCost[] => {
  const inLimit = limitOf(ws, 'aws.inbound-rules-per-group');
  return classes.map((c) => {
    const g = groupOf[c.id] as string;
    const inbound = added.filter((r) => r.group === g && r.direction === 'ingress').length;
    const outbound = added.filter((r) => r.group === g && r.direction === 'egress').length;
    const cost: SegmentCost = {
      segment: g,
      name: plan.ws.segments.find((s) => s.id === g)?.name ?? g,
      members: c.members.length,
      inbound,
      outbound,
      state: costState(Math.max(inbound, outbound), inLimit),
    };
    if (inLimit !== undefined) cost.limit = inLimit;
    return cost;
  });
};

/**
 * Every non-external service gets exactly one group: its identity class's. A class that is exactly an
 * existing group's membership keeps that group; others get a new one in the VPC of their first
 * member's group. Every sg-permission is replaced: ingress on the callee's group from the caller's
 * group and egress on the caller's group to the callee's, per declared port. External services stay
 * outside groups and are named by address.
 */
export const synthesizeGroup = (ws: Workspace): LevelSynthesis => {
  const ix = buildIndex(ws);
  const n = ws.services.length;
  const needs = declaredNeeds(ws, ix.byId);
  const grouped = (i: number) => ws.services[i]?.kind !== 'external';
  const vpcOf = (i: number) => {
    const g = ws.services[i]?.memberships.group?.[0];
    return (g && ix.segments.get(g)?.parent) ?? '';
  };
  const { classes, classOf } = identities(n, needs, grouped, vpcOf, (j) => ws.services[j]?.id ?? '');
  const plan = new PlanBuilder(ws);
  const groupOf = classGroups(ws, ix, plan, classes, vpcOf);
  const removed = plan.removeRules(ws.rules.filter((r) => r.type === 'sg-permission'));
  const added: SgPermissionRule[] = [];
  for (const r of declaredRules(ws, needs, classOf, groupOf)) {
    if (added.some((x) => x.id === r.id)) continue;
    added.push(r);
    plan.run({ type: 'addRule', rule: r });
  }
  const unnamed = unaddressedPeers(ws, needs, grouped);
  return {
    level: 'group',
    commands: plan.commands,
    workspace: plan.ws,
    added,
    removed,
    segments: groupCosts(ws, plan, classes, groupOf, added),
    granularity: 'service',
    notes:
      unnamed.length > 0
        ? [
            `${unnamed.join(', ')} ${unnamed.length === 1 ? 'is' : 'are'} outside security groups with no known address: named as 0.0.0.0/0, which every service without an address matches too.`,
          ]
        : [],
  };
};
