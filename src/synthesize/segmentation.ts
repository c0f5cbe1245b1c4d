// A proposed segmentation of one level from the call graph: communities kept together, hubs alone, exposed apart from critical, within quotas.
import Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import { buildIndex } from '../analysis/context';
import { computeHubs } from '../analysis/hubs';
import { rng } from '../gen/random';
import { quotaProfile } from '../model/quotas';
import type { Level, Segment, Workspace } from '../model/types';
import { declaredNeeds, type NeedsIndex, uniqueName } from './needs';
import { PlanBuilder } from './plan';

/** Figures of a segmentation under segment-granular rules (one rule per caller segment and port, as hubs want). */
export interface SegmentationFigures {
  segments: number;
  /** Pairs reachable because their segments have a rule between them (or share one), never called. */
  excessPairs: number;
  /** Rules at one per (caller segment, callee segment, port); and at one per (caller, callee segment, port). */
  rules: number;
  rulesPerCaller: number;
  /** Largest inbound rule count of one segment against the level's limit. */
  maxInbound: number;
  inboundLimit?: number;
  maxSegmentsLimit?: number;
}

export interface SegmentationProposal {
  level: Level;
  commands: PlanBuilder['commands'];
  workspace: Workspace;
  /** Proposed segment per service id. */
  assignment: Record<string, string>;
  before: SegmentationFigures;
  after: SegmentationFigures;
  notes: string[];
}

/** Quotas that bound a proposal at each level: inbound rules per segment, segments per scope, members per segment. */
const LIMITS: Partial<Record<Level, { inbound?: string; count?: string; size?: string }>> = {
  group: { inbound: 'aws.inbound-rules-per-group', count: 'aws.security-groups-per-region' },
  network: { count: 'aws.vpcs-per-region', inbound: 'aws.peerings-per-vpc' },
  account: { count: 'aws.accounts-per-organization' },
  overlay: { size: 'docker.bridge-ports' },
};

const KIND: Record<Level, string> = {
  account: 'account',
  role: 'iam-role',
  network: 'vpc',
  group: 'security-group',
  policy: 'label-set',
  overlay: 'compose-network',
};

type Assign = Map<number, string>;

/** Figures of an assignment: excess, rule counts, the busiest segment's inbound rules. */
export const figuresOf = (ws: Workspace, assign: Assign, level: Level): SegmentationFigures => {
  const ix = buildIndex(ws);
  const needs = declaredNeeds(ws, ix.byId);
  const ports = new Map<string, Set<string>>(); // "S>T" → ports
  const perCaller = new Set<string>();
  for (const [a, row] of needs.out)
    for (const [b, set] of row) {
      const sa = assign.get(a);
      const sb = assign.get(b);
      if (sa === undefined || sb === undefined) continue;
      const key = `${sa}>${sb}`;
      const p = JSON.stringify(set);
      if (!ports.has(key)) ports.set(key, new Set());
      ports.get(key)?.add(p);
      perCaller.add(`${a}>${sb}>${p}`);
    }
  const size = new Map<string, number>();
  for (const s of assign.values()) size.set(s, (size.get(s) ?? 0) + 1);
  let reachable = 0;
  for (const key of ports.keys()) {
    const [s, t] = key.split('>') as [string, string];
    reachable += (size.get(s) ?? 0) * (size.get(t) ?? 0) - (s === t ? (size.get(s) ?? 0) : 0);
  }
  let called = 0;
  for (const row of needs.out.values()) called += row.size;
  const inbound = new Map<string, number>();
  for (const [key, set] of ports) {
    const t = key.split('>')[1] as string;
    inbound.set(t, (inbound.get(t) ?? 0) + set.size);
  }
  const profile = quotaProfile(ws.quotas);
  const lim = (id?: string) => (id ? profile.find((q) => q.id === id)?.value : undefined);
  const out: SegmentationFigures = {
    segments: size.size,
    excessPairs: Math.max(0, reachable - called),
    rules: [...ports.values()].reduce((x, s) => x + s.size, 0),
    rulesPerCaller: perCaller.size,
    maxInbound: Math.max(0, ...inbound.values()),
  };
  const inboundLimit = lim(LIMITS[level]?.inbound);
  const maxSegmentsLimit = lim(LIMITS[level]?.count);
  if (inboundLimit !== undefined) out.inboundLimit = inboundLimit;
  if (maxSegmentsLimit !== undefined) out.maxSegmentsLimit = maxSegmentsLimit;
  return out;
};

/** Split members so no two services that one caller depends on, both critical, share a part (they must fail independently). */
const separateCritical = (
  members: number[],
  critical: (i: number) => boolean,
  coCallee: Map<number, Set<number>>,
): number[][] => {
  const parts: number[][] = [];
  const rest: number[] = [];
  for (const i of members) {
    if (!critical(i)) {
      rest.push(i);
      continue;
    }
    const part = parts.find((p) => !p.some((j) => coCallee.get(i)?.has(j)));
    if (part) part.push(i);
    else parts.push([i]);
  }
  if (parts.length === 0) return [rest];
  (parts[0] as number[]).push(...rest);
  return parts;
};

/** Louvain communities of the declared calls between services in scope (hubs left out), weighted by calls. */
const communities = (
  n: number,
  needs: NeedsIndex,
  inScope: (i: number) => boolean,
  hubs: ReadonlySet<number>,
  seed: number,
): Record<string, number> => {
  const g = new Graph({ type: 'undirected' });
  for (let i = 0; i < n; i++) if (inScope(i) && !hubs.has(i)) g.addNode(String(i));
  for (const [a, row] of needs.out)
    for (const b of row.keys()) {
      if (!g.hasNode(String(a)) || !g.hasNode(String(b))) continue;
      if (g.hasEdge(String(a), String(b))) g.updateEdgeAttribute(String(a), String(b), 'weight', (w) => (w ?? 1) + 1);
      else g.addEdge(String(a), String(b), { weight: 1 });
    }
  return g.order > 0 ? louvain(g, { rng: rng(seed), getEdgeWeight: 'weight' }) : {};
};

/** For each critical callee, the other critical services its callers also call. */
const criticalCoCallees = (ws: Workspace, needs: NeedsIndex): Map<number, Set<number>> => {
  const coCallee = new Map<number, Set<number>>();
  for (const row of needs.out.values()) {
    const callees = [...row.keys()].filter((b) => ws.services[b]?.critical);
    for (const x of callees)
      for (const y of callees) if (x !== y) coCallee.set(x, (coCallee.get(x) ?? new Set()).add(y));
  }
  return coCallee;
};

const toAssign = (ps: number[][]): Assign => {
  const m: Assign = new Map();
  ps.forEach((p, k) => {
    for (const i of p) m.set(i, `p${k}`);
  });
  return m;
};

/**
 * Halves parts whose inbound rules or size pass the limits. Splitting a caller's segment adds rules on
 * its callees, so split until nothing is over (each round adds a part, so at most one round per service).
 */
const splitOverLimits = (
  ws: Workspace,
  needs: NeedsIndex,
  start: number[][],
  limits: { inbound?: number; size?: number },
  notes: string[],
): number[][] => {
  const { inbound: inboundLimit, size: sizeLimit } = limits;
  let parts = start;
  const alone = new Set<string>();
  for (let round = 0; round <= ws.services.length && (inboundLimit !== undefined || sizeLimit !== undefined); round++) {
    const assign = toAssign(parts);
    const inbound = new Map<string, Set<string>>();
    for (const [a, row] of needs.out)
      for (const [b, set] of row) {
        const t = assign.get(b);
        if (t === undefined) continue;
        if (!inbound.has(t)) inbound.set(t, new Set());
        inbound.get(t)?.add(`${assign.get(a) ?? a}|${JSON.stringify(set)}`);
      }
    let split = false;
    parts = parts.flatMap((p, k) => {
      // Bridge ports are taken per container: a service counts its replicas.
      const tasks = p.reduce((x, i) => x + (ws.services[i]?.replicas ?? 1), 0);
      const over =
        (inboundLimit !== undefined && (inbound.get(`p${k}`)?.size ?? 0) > inboundLimit) ||
        (sizeLimit !== undefined && tasks > sizeLimit);
      const name = ws.services[p[0] as number]?.name ?? '';
      if (over && p.length < 2 && !alone.has(name)) {
        alone.add(name);
        notes.push(`${name} alone passes the inbound rule quota: its callers' segments need merging or a prefix list.`);
      }
      if (!over || p.length < 2) return [p];
      split = true;
      return [p.slice(0, p.length >> 1), p.slice(p.length >> 1)];
    });
    if (!split) break;
  }
  return parts;
};

/** Merges the smallest parts while there are more than the level's segment quota (sorts `parts`, largest first). */
const mergeOverCount = (parts: number[][], countLimit: number | undefined, notes: string[]): void => {
  if (countLimit === undefined || parts.length <= countLimit) return;
  notes.push(
    `${parts.length} segments pass the quota of ${countLimit}: the smallest were merged, so some hubs, exposed or critical services share a segment.`,
  );
  parts.sort((x, y) => y.length - x.length);
  while (parts.length > countLimit) {
    const last = parts.pop() as number[];
    (parts[parts.length - 1] as number[]).push(...last);
    parts.sort((x, y) => y.length - x.length);
  }
};

/**
 * Louvain communities of the call graph (graphology), then: every hub alone (its callers' segments
 * each cost it one rule instead of one per caller), exposed services apart from critical ones,
 * critical callees of one caller apart, namespaces apart at the policy level; segments whose inbound
 * rules pass the limit are halved, and the smallest are merged while the level's segment count is
 * over its quota. Seeded, so the same workspace gives the same proposal.
 */
export const proposeSegmentation = (ws: Workspace, level: Level, seed = 1): SegmentationProposal => {
  const ix = buildIndex(ws);
  const n = ws.services.length;
  const needs = declaredNeeds(ws, ix.byId);
  const inScope = (i: number) => ws.services[i]?.kind !== 'external';
  const hubs = new Set(computeHubs(ix).hubs.map((h) => ix.byId.get(h.service) as number));
  const comm = communities(n, needs, inScope, hubs, seed);
  const groups = new Map<string, number[]>();
  const put = (key: string, i: number) => groups.set(key, [...(groups.get(key) ?? []), i]);
  const nsOf = (i: number) => (level === 'policy' ? (ix.levels.policy.endpoint(i).namespace ?? '') : '');
  for (let i = 0; i < n; i++) {
    if (!inScope(i)) continue;
    const s = ws.services[i];
    if (hubs.has(i)) put(`hub:${i}`, i);
    // Exposed services leave a community that holds critical ones: they form their own part of it.
    else put(`c${comm[String(i)]}|${nsOf(i)}|${s?.exposed && !s?.critical ? 'exposed' : ''}`, i);
  }
  const coCallee = criticalCoCallees(ws, needs);
  const grouped: number[][] = [];
  for (const members of groups.values())
    if (members.length > 0)
      grouped.push(...separateCritical(members, (i) => ws.services[i]?.critical === true, coCallee));
  const notes: string[] = [];
  const profile = quotaProfile(ws.quotas);
  const lim = (id?: string) => (id ? profile.find((q) => q.id === id)?.value : undefined);
  const limits = { inbound: lim(LIMITS[level]?.inbound), size: lim(LIMITS[level]?.size) };
  const parts = splitOverLimits(ws, needs, grouped, limits, notes);
  mergeOverCount(parts, lim(LIMITS[level]?.count), notes);
  return buildProposal(ws, ix, level, parts, hubs, notes);
};

const buildProposal = (
  ws: Workspace,
  ix: ReturnType<typeof buildIndex>,
  level: Level,
  parts: number[][],
  hubs: Set<number>,
  notes: string[],
): SegmentationProposal => {
  const plan = new PlanBuilder(ws);
  const current = new Map<number, string>();
  ws.services.forEach((s, i) => {
    const id = s.memberships[level]?.[0];
    if (id !== undefined) current.set(i, id);
  });
  const assignment: Record<string, string> = {};
  const assign: Assign = new Map();
  const taken = new Set(ws.segments.map((s) => s.name));
  parts.forEach((p) => {
    const first = ws.services[p[0] as number];
    const name = uniqueName(
      hubs.has(p[0] as number) && p.length === 1 ? `${first?.name}-hub` : `${first?.name ?? 'seg'}-${level}`,
      taken,
    );
    const id = `${level}:proposed:${name}`;
    const seg: Segment = { id, level, name, attributes: { kind: KIND[level], proposed: true } };
    if (level === 'policy') {
      seg.attributes = {
        kind: 'label-set',
        proposed: true,
        selector: { matchLabels: { 'segscope.io/segment': name } },
      };
      const nsSeg = first ? ix.segments.get(first.memberships.policy?.[0] ?? '') : undefined;
      const parent = nsSeg && (ix.nearest(nsSeg.id, ['namespace'])?.id ?? undefined);
      if (parent) seg.parent = parent;
    }
    plan.run({ type: 'createSegment', segment: seg });
    for (const i of p) {
      const s = ws.services[i];
      if (!s) continue;
      plan.placeOnly(s, level, id);
      assignment[s.id] = id;
      assign.set(i, id);
    }
  });
  return {
    level,
    commands: plan.commands,
    workspace: plan.ws,
    assignment,
    before: figuresOf(ws, new Map([...current].filter(([i]) => ws.services[i]?.kind !== 'external')), level),
    after: figuresOf(ws, assign, level),
    notes,
  };
};
