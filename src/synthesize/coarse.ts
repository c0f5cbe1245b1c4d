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

/** Overlay segment kinds the Compose reader makes (a project's networks, the host's default bridge). */
const COMPOSE_KINDS = new Set(['compose-network', 'bridge']);

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
  const removed = plan.removeRules(ws.rules.filter((r) => r.type === 'role-grant' || r.type === 'role-trust'));
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
  const removed = plan.removeRules(ws.rules.filter((r) => r.type === 'vpc-peering' || r.type === 'tgw-attachment'));
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
  const removed = plan.removeRules(ws.rules.filter((r) => r.type === 'account-path'));
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
 * The Compose project a service is in: the `project` of its current networks, or its namespace (which
 * the Compose reader sets to the project) when they are Compose ones without one (the v1 default
 * bridge); none when any network is of another kind (Weave) or the networks disagree.
 */
const projectOf = (ws: Workspace, byId: Map<string, Segment>, i: number): string | undefined => {
  const svc = ws.services[i];
  const nets = (svc?.memberships.overlay ?? []).map((id) => byId.get(id));
  if (nets.length === 0 || nets.some((s) => !COMPOSE_KINDS.has(String(s?.attributes?.kind)))) return undefined;
  const projects = new Set(nets.map((s) => s?.attributes?.project ?? svc?.namespace));
  const [p] = projects;
  return projects.size === 1 && typeof p === 'string' ? p : undefined;
};

/**
 * One network per callee class, created in the plan. A network is named as the overlay convention
 * names Docker networks (`overlay:<network name>`); when all its members are in one Compose project it
 * is that project's network `<project>_<key>`, so the Compose writer declares it under its key in that
 * project's file and reading the file back gives the same memberships (a network of no one project is
 * written as external under its own name, which reads back the same too).
 */
const overlayNetworks = (
  ws: Workspace,
  classes: readonly { id: number; members: readonly number[] }[],
  want: Map<number, Set<number>>,
  plan: PlanBuilder,
): string[] => {
  const byId = new Map(ws.segments.map((s) => [s.id, s]));
  const projects = new Map<number, Set<string | undefined>>();
  for (const [i, nets] of want)
    for (const c of nets) projects.set(c, (projects.get(c) ?? new Set()).add(projectOf(ws, byId, i)));
  const taken = new Set(ws.segments.flatMap((s) => [s.name, s.id.replace(/^overlay:/, '')]));
  const keys = new Map<string, Set<string>>();
  /** Network keys a project's names already use: `<project>_<key>`. */
  const keysOf = (project: string): Set<string> => {
    const got =
      keys.get(project) ??
      new Set([...taken].flatMap((n) => (n.startsWith(`${project}_`) ? [n.slice(project.length + 1)] : [])));
    keys.set(project, got);
    return got;
  };
  const netOf: string[] = [];
  for (const c of classes) {
    const base = `${ws.services[c.members[0] as number]?.name ?? 'svc'}-net`;
    const [first, ...others] = projects.get(c.id) ?? [];
    const project = others.length === 0 ? first : undefined;
    // Compose names a project's network `<project>_<key>` (DESIGN.md: `<project>_default`).
    const name = project === undefined ? uniqueName(base, taken) : `${project}_${uniqueName(base, keysOf(project))}`;
    taken.add(name);
    const seg: Segment = {
      id: `overlay:${name}`,
      level: 'overlay',
      name,
      attributes: {
        kind: 'compose-network',
        synthesized: true,
        ...(project === undefined ? {} : { project, network: name.slice(project.length + 1) }),
      },
    };
    plan.run({ type: 'createSegment', segment: seg });
    netOf[c.id] = seg.id;
  }
  return netOf;
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
  const removed = plan.removeRules(ws.rules.filter((r) => r.type === 'overlay-link'));
  const want = new Map<number, Set<number>>();
  for (let i = 0; i < n; i++) {
    const c = classOf[i] as number;
    if (c < 0) continue;
    const nets = new Set([c]);
    for (const b of needs.out.get(i)?.keys() ?? []) {
      const cb = classOf[b] as number;
      if (cb >= 0) nets.add(cb);
    }
    want.set(i, nets);
  }
  const netOf = overlayNetworks(ws, classes, want, plan);
  for (const [i, nets] of want) {
    const s = ws.services[i];
    if (!s) continue;
    const [home, ...rest] = [...nets].map((c) => netOf[c] as string);
    plan.placeOnly(s, 'overlay', home as string);
    for (const id of rest) plan.run({ type: 'moveService', service: s.id, level: 'overlay', from: null, to: id });
  }
  const members = countBy([...want.values()].flatMap((x) => [...x].map((c) => netOf[c] as string)));
  const byId = new Map(plan.ws.segments.map((s) => [s.id, s]));
  const segments = classes.map((c) => {
    const id = netOf[c.id] as string;
    return {
      segment: id,
      name: byId.get(id)?.name ?? id,
      members: members.get(id) ?? 0,
      inbound: 0,
      outbound: 0,
      state: 'ok' as const,
    };
  });
  return result('overlay', plan, [], removed, segments, []);
};
