// Least privilege at the segment-granular levels: roles (grants), networks (peerings), accounts (paths), overlays (networks per callee).
import { buildIndex } from '../analysis/context';
import { accountUnits } from '../analysis/levels/account';
import { cidrsOverlap } from '../analysis/net';
import type { AccountPathRule, RoleGrantRule, RoleTrustRule, Segment, VpcPeeringRule, Workspace } from '../model/types';
import { declaredNeeds, identities, uniqueName } from './needs';
import { type LevelSynthesis, PlanBuilder, type SegmentCost } from './plan';

const result = (
  level: LevelSynthesis['level'],
  plan: PlanBuilder,
  added: LevelSynthesis['added'],
  removed: LevelSynthesis['removed'],
  segments: SegmentCost[],
  notes: string[],
): LevelSynthesis => ({
  level,
  commands: plan.commands,
  workspace: plan.ws,
  added,
  removed,
  segments,
  granularity: 'segment',
  notes,
});

const countBy = (keys: string[]): Map<string, number> => {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
};

/**
 * Role: a grant per (caller role, callee service) of every declared call, and across accounts the
 * callee's roles trusting the caller's. Callers run as roles, so every service of a role may call
 * what one of them needs; a callee nobody calls keeps no grant and stays open at this level.
 */
export const synthesizeRole = (ws: Workspace): LevelSynthesis => {
  const ix = buildIndex(ws);
  const needs = declaredNeeds(ws, ix.byId);
  const plan = new PlanBuilder(ws);
  const removed = ws.rules.filter((r) => r.type === 'role-grant' || r.type === 'role-trust');
  for (const r of removed) plan.run({ type: 'removeRule', rule: r });
  const added: (RoleGrantRule | RoleTrustRule)[] = [];
  const ids = new Set<string>();
  const add = (r: RoleGrantRule | RoleTrustRule) => {
    if (ids.has(r.id)) return;
    ids.add(r.id);
    added.push(r);
    plan.run({ type: 'addRule', rule: r });
  };
  const noIdentity = new Set<string>();
  for (const [a, row] of needs.out) {
    const sa = ws.services[a];
    const roles = sa?.memberships.role ?? [];
    if (roles.length === 0) noIdentity.add(sa?.name ?? '');
    for (const b of row.keys()) {
      const sb = ws.services[b];
      if (!sb) continue;
      for (const role of roles) {
        add({
          id: `syn:grant:${role}>${sb.id}`,
          type: 'role-grant',
          level: 'role',
          principal: role,
          target: sb.id,
          effect: 'Allow',
        });
        const ua = accountUnits(ix, a).map((u) => u.id);
        const cross = accountUnits(ix, b).some((u) => !ua.includes(u.id));
        if (cross)
          for (const callee of sb.memberships.role ?? [])
            add({
              id: `syn:trust:${callee}<${role}`,
              type: 'role-trust',
              level: 'role',
              role: callee,
              principal: role,
            });
      }
    }
  }
  const perRole = countBy(added.flatMap((r) => (r.type === 'role-grant' ? [r.principal] : [])));
  const segments = [...perRole].map(([id, k]) => ({
    segment: id,
    name: ix.segments.get(id)?.name ?? id,
    members: ix.members.get(id)?.length ?? 0,
    inbound: 0,
    outbound: k,
    state: 'ok' as const,
  }));
  const notes =
    noIdentity.size > 0
      ? [`No role known for ${[...noIdentity].sort().join(', ')}: their calls cannot be granted at this level.`]
      : [];
  return result('role', plan, added, removed, segments, notes);
};

/** The VPC (or VLAN) a service runs in: its network membership walked up to the VPC. */
const vpcOf = (ix: ReturnType<typeof buildIndex>, i: number): string | undefined => {
  const id = ws0(ix, i).memberships.network?.[0];
  return id === undefined ? undefined : (ix.nearest(id, ['vpc', 'vlan'])?.id ?? id);
};
const ws0 = (ix: ReturnType<typeof buildIndex>, i: number) => ix.services[i] as Workspace['services'][number];

/**
 * Network: one peering per pair of VPCs that a declared call crosses; every other peering and
 * transit gateway attachment goes. Peerings are not transitive, so each crossed pair needs its own.
 * VPCs with overlapping CIDRs cannot peer: named in the notes (one side has to move).
 */
export const synthesizeNetwork = (ws: Workspace): LevelSynthesis => {
  const ix = buildIndex(ws);
  const needs = declaredNeeds(ws, ix.byId);
  const plan = new PlanBuilder(ws);
  const removed = ws.rules.filter((r) => r.type === 'vpc-peering' || r.type === 'tgw-attachment');
  for (const r of removed) plan.run({ type: 'removeRule', rule: r });
  const added: VpcPeeringRule[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const [a, row] of needs.out)
    for (const b of row.keys()) {
      const va = vpcOf(ix, a);
      const vb = vpcOf(ix, b);
      if (!va || !vb || va === vb) continue;
      const [x, y] = [va, vb].sort() as [string, string];
      if (seen.has(`${x}|${y}`)) continue;
      seen.add(`${x}|${y}`);
      const cx = ix.segments.get(x)?.cidrs ?? [];
      const cy = ix.segments.get(y)?.cidrs ?? [];
      if (cx.some((c) => cy.some((d) => cidrsOverlap(c, d)))) {
        notes.push(
          `${ix.segments.get(x)?.name ?? x} and ${ix.segments.get(y)?.name ?? y} overlap, so they cannot peer: move one side of the calls between them.`,
        );
        continue;
      }
      const r: VpcPeeringRule = {
        id: `syn:peering:${x}|${y}`,
        type: 'vpc-peering',
        level: 'network',
        requester: x,
        accepter: y,
        status: 'active',
      };
      added.push(r);
      plan.run({ type: 'addRule', rule: r });
    }
  const per = countBy(added.flatMap((r) => [r.requester, r.accepter]));
  const segments = [...per].map(([id, k]) => ({
    segment: id,
    name: ix.segments.get(id)?.name ?? id,
    members: 0,
    inbound: k,
    outbound: k,
    limit: 50,
    state: k > 50 ? ('error' as const) : k >= 40 ? ('warn' as const) : ('ok' as const),
  }));
  return result('network', plan, added, removed, segments, notes);
};

/** Account: a path from the caller's account to the callee's for every account pair a declared call crosses (PrivateLink is one-way). */
export const synthesizeAccount = (ws: Workspace): LevelSynthesis => {
  const ix = buildIndex(ws);
  const needs = declaredNeeds(ws, ix.byId);
  const plan = new PlanBuilder(ws);
  const removed = ws.rules.filter((r) => r.type === 'account-path');
  for (const r of removed) plan.run({ type: 'removeRule', rule: r });
  const added: AccountPathRule[] = [];
  const seen = new Set<string>();
  for (const [a, row] of needs.out)
    for (const b of row.keys())
      for (const ua of accountUnits(ix, a))
        for (const ub of accountUnits(ix, b)) {
          if (ua.id === ub.id || seen.has(`${ua.id}>${ub.id}`)) continue;
          seen.add(`${ua.id}>${ub.id}`);
          const r: AccountPathRule = {
            id: `syn:path:${ua.id}>${ub.id}`,
            type: 'account-path',
            level: 'account',
            from: ua.id,
            to: ub.id,
            via: 'privatelink',
          };
          added.push(r);
          plan.run({ type: 'addRule', rule: r });
        }
  const per = countBy(added.map((r) => r.to));
  const segments = [...per].map(([id, k]) => ({
    segment: id,
    name: ix.segments.get(id)?.name ?? id,
    members: 0,
    inbound: k,
    outbound: 0,
    state: 'ok' as const,
  }));
  return result('account', plan, added, removed, segments, []);
};

/**
 * Overlay: Docker networks do not filter ports, so a callee's identity class gets a network of its own
 * that its callers join (the Compose idiom of one back network per service). Members of one network
 * reach each other: callers of one callee share it. Links go.
 */
export const synthesizeOverlay = (ws: Workspace): LevelSynthesis => {
  const ix = buildIndex(ws);
  const needs = declaredNeeds(ws, ix.byId);
  const n = ws.services.length;
  const { classes, classOf } = identities(
    n,
    needs,
    (i) => ws.services[i]?.kind !== 'external',
    () => '',
    (j) => ws.services[j]?.id ?? '',
  );
  const plan = new PlanBuilder(ws);
  const removed = ws.rules.filter((r) => r.type === 'overlay-link');
  for (const r of removed) plan.run({ type: 'removeRule', rule: r });
  const taken = new Set(ws.segments.map((s) => s.name));
  const netOf: string[] = [];
  for (const c of classes) {
    const name = uniqueName(`${ws.services[c.members[0] as number]?.name ?? 'svc'}-net`, taken);
    const seg: Segment = {
      id: `overlay:syn:${name}`,
      level: 'overlay',
      name,
      attributes: { kind: 'compose-network', synthesized: true },
    };
    plan.run({ type: 'createSegment', segment: seg });
    netOf[c.id] = seg.id;
  }
  const want = new Map<number, Set<string>>();
  for (let i = 0; i < n; i++) {
    const c = classOf[i] as number;
    if (c < 0) continue;
    const nets = new Set([netOf[c] as string]);
    for (const b of needs.out.get(i)?.keys() ?? []) {
      const cb = classOf[b] as number;
      if (cb >= 0) nets.add(netOf[cb] as string);
    }
    want.set(i, nets);
  }
  for (const [i, nets] of want) {
    const s = ws.services[i];
    if (!s) continue;
    const [home, ...rest] = [...nets];
    plan.placeOnly(s, 'overlay', home as string);
    for (const id of rest) plan.run({ type: 'moveService', service: s.id, level: 'overlay', from: null, to: id });
  }
  const members = countBy([...want.values()].flatMap((x) => [...x]));
  const segments = classes.map((c) => {
    const id = netOf[c.id] as string;
    return {
      segment: id,
      name: id.replace('overlay:syn:', ''),
      members: members.get(id) ?? 0,
      inbound: 0,
      outbound: 0,
      state: 'ok' as const,
    };
  });
  return result('overlay', plan, [], removed, segments, []);
};
