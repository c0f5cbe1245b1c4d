// Hubs: popular services by distinct callers (share, betweenness, rule cost), and security groups many groups reference.
import Graph from 'graphology';
import betweennessCentrality from 'graphology-metrics/centrality/betweenness';
import type { AnalysisIndex } from './context';
import { kindOf } from './core';
import type { GroupHub, Hub } from './types';

/**
 * A hub has at least 3 distinct callers and either 20 % of all other services call it, or it is in
 * the top 1 % of services by callers (at least the single most-called service). The share test finds
 * hubs in small systems; the top-1 % test finds them in large ones where no service reaches 20 %.
 */
export const HUB_MIN_CALLERS = 3;
export const HUB_MIN_SHARE = 0.2;
export const HUB_TOP_FRACTION = 0.01;
/** Up to this many services betweenness is exact (graphology); above, it is estimated from pivots. */
export const EXACT_BETWEENNESS_LIMIT = 1000;
export const BETWEENNESS_PIVOTS = 256;

/** Distinct callers per service (self-calls ignored) and the distinct directed edges. */
export const callGraph = (ix: AnalysisIndex): { callers: number[]; edges: [number, number][] } => {
  const n = ix.services.length;
  const seen = new Set<number>();
  const callers = new Array<number>(n).fill(0);
  const edges: [number, number][] = [];
  for (const c of ix.ws.calls) {
    const a = ix.byId.get(c.from);
    const b = ix.byId.get(c.to);
    if (a === undefined || b === undefined || a === b) continue;
    const key = a * n + b;
    if (seen.has(key)) continue;
    seen.add(key);
    callers[b] = (callers[b] ?? 0) + 1;
    edges.push([a, b]);
  }
  return { callers, edges };
};

/**
 * Brandes' betweenness on a directed unweighted graph, from the given source nodes (all nodes =
 * exact), scaled by n / sources and normalised by (n−1)(n−2) like graphology-metrics.
 */
export const brandesBetweenness = (
  n: number,
  edges: readonly (readonly [number, number])[],
  sources?: readonly number[],
) => {
  const start = new Int32Array(n + 1);
  for (const [a] of edges) start[a + 1] = (start[a + 1] ?? 0) + 1;
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] ?? 0) + (start[i] ?? 0);
  const adj = new Int32Array(edges.length);
  const fill = start.slice(0, n);
  for (const [a, b] of edges) {
    adj[fill[a] as number] = b;
    fill[a] = (fill[a] as number) + 1;
  }
  const bc = new Float64Array(n);
  const sigma = new Float64Array(n);
  const dist = new Int32Array(n);
  const delta = new Float64Array(n);
  const order = new Int32Array(n);
  const queue = new Int32Array(n);
  const srcs = sources ?? Array.from({ length: n }, (_, i) => i);
  for (const s of srcs) {
    sigma.fill(0);
    dist.fill(-1);
    delta.fill(0);
    sigma[s] = 1;
    dist[s] = 0;
    let head = 0;
    let tail = 0;
    let count = 0;
    queue[tail++] = s;
    while (head < tail) {
      const v = queue[head++] as number;
      order[count++] = v;
      const dv = dist[v] as number;
      for (let k = start[v] as number; k < (start[v + 1] as number); k++) {
        const w = adj[k] as number;
        if (dist[w] === -1) {
          dist[w] = dv + 1;
          queue[tail++] = w;
        }
        if (dist[w] === dv + 1) sigma[w] = (sigma[w] as number) + (sigma[v] as number);
      }
    }
    // Dependencies in reverse BFS order: delta[v] = Σ over successors w one step further of σv/σw·(1+δw).
    for (let j = count - 1; j >= 0; j--) {
      const v = order[j] as number;
      const dv = dist[v] as number;
      let acc = 0;
      for (let k = start[v] as number; k < (start[v + 1] as number); k++) {
        const w = adj[k] as number;
        if (dist[w] === dv + 1) acc += ((sigma[v] as number) / (sigma[w] as number)) * (1 + (delta[w] as number));
      }
      delta[v] = acc;
      if (v !== s) bc[v] = (bc[v] as number) + acc;
    }
  }
  const scale = (n / srcs.length) * (n > 2 ? 1 / ((n - 1) * (n - 2)) : 1);
  for (let i = 0; i < n; i++) bc[i] = (bc[i] as number) * scale;
  return bc;
};

/** Evenly spread pivots over the services, deterministic so repeated analyses agree. */
const pivots = (n: number, k: number): number[] => {
  const out: number[] = [];
  for (let j = 0; j < k; j++) out.push(Math.floor(((j + 0.5) * n) / k));
  return out;
};

export const betweenness = (n: number, edges: readonly [number, number][]): Float64Array => {
  if (n <= EXACT_BETWEENNESS_LIMIT) {
    const g = new Graph({ type: 'directed', multi: false });
    for (let i = 0; i < n; i++) g.addNode(i);
    for (const [a, b] of edges) g.mergeEdge(a, b);
    const r = betweennessCentrality(g, { normalized: true, getEdgeWeight: null });
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = r[String(i)] ?? 0;
    return out;
  }
  return brandesBetweenness(n, edges, pivots(n, Math.min(n, BETWEENNESS_PIVOTS)));
};

/** Rules the hub's segments carry for its callers: ingress permissions on its groups, ingress rules of policies selecting it. */
export const hubRuleCost = (ix: AnalysisIndex, i: number): number => {
  let cost = 0;
  for (const g of ix.levels.group.groups(i)) cost += ix.levels.group.rulesOf(g, 'ingress').length;
  for (const p of ix.levels.policy.applicable(i, 'ingress')) cost += p.ingressRules.length;
  return cost;
};

export interface HubResult {
  hubs: Hub[];
  callers: number[];
}

export const computeHubs = (ix: AnalysisIndex): HubResult => {
  const n = ix.services.length;
  const { callers, edges } = callGraph(ix);
  if (n === 0) return { hubs: [], callers };
  const sorted = [...callers].sort((x, y) => y - x);
  const topK = Math.max(1, Math.ceil(n * HUB_TOP_FRACTION));
  const cutoff = sorted[topK - 1] ?? 0;
  const others = Math.max(1, n - 1);
  const candidates: number[] = [];
  callers.forEach((c, i) => {
    if (c >= HUB_MIN_CALLERS && (c / others >= HUB_MIN_SHARE || c >= cutoff)) candidates.push(i);
  });
  const bc = candidates.length > 0 ? betweenness(n, edges) : new Float64Array(n);
  const hubs = candidates
    .map(
      (i): Hub => ({
        service: (ix.services[i] as { id: string }).id,
        callers: callers[i] as number,
        share: (callers[i] as number) / others,
        betweenness: bc[i] as number,
        ruleCost: hubRuleCost(ix, i),
      }),
    )
    .sort((x, y) => y.callers - x.callers || (x.service < y.service ? -1 : x.service > y.service ? 1 : 0));
  return { hubs, callers };
};

/** The VPC a security group is in (its attribute, else its nearest VPC parent); '' when unknown. */
export const groupVpc = (ix: AnalysisIndex, id: string): string => {
  const s = ix.segments.get(id);
  const v = s?.attributes?.vpc ?? (s?.parent !== undefined ? ix.nearest(s.parent, ['vpc'])?.id : undefined);
  return typeof v === 'string' ? v : '';
};

/** A group hub is referenced by more than this many times the median references of the groups of its VPC. */
export const GROUP_HUB_OVER_MEDIAN = 2;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * A group-level hub is a security group that other groups reference in their rules, by the same
 * test as a service hub with "referencing groups" for "callers": at least 3 other groups, and 20 %
 * of the other groups or the top 1 % of groups by references. It needs no calls: the rules alone
 * show it (a bastion or monitoring group every group admits). Like a hub among services it is
 * popular (DESIGN.md hub): referenced by more than twice the median group of its VPC, where group
 * references work. Where every group admits every other (a mesh of team groups) none stands out and
 * none is a hub: no one group's references could be shared away. Self-references do not count; only
 * groups the workspace describes can be hubs (an undescribed group is no data).
 */
export const computeGroupHubs = (ix: AnalysisIndex): GroupHub[] => {
  const level = ix.levels.group;
  const groups = [...ix.segments.values()].filter(
    (s) => s.level === 'group' && (kindOf(s) === undefined || kindOf(s) === 'security-group'),
  );
  if (groups.length === 0) return [];
  const known = new Set(groups.map((g) => g.id));
  const referencedBy = new Map<string, Set<string>>();
  const rules = new Map<string, number>();
  for (const r of ix.rulesOf('sg-permission')) {
    if (r.peer.kind !== 'group') continue;
    const target = level.resolveGroup(r.peer.group);
    const owner = level.resolveGroup(r.group);
    if (target === owner || !known.has(target)) continue;
    let by = referencedBy.get(target);
    if (!by) {
      by = new Set();
      referencedBy.set(target, by);
    }
    by.add(owner);
    rules.set(target, (rules.get(target) ?? 0) + 1);
  }
  const refs = (id: string) => referencedBy.get(id)?.size ?? 0;
  const counts = groups.map((g) => refs(g.id)).sort((a, b) => b - a);
  const cutoff = counts[Math.max(1, Math.ceil(groups.length * HUB_TOP_FRACTION)) - 1] ?? 0;
  const byVpc = new Map<string, number[]>();
  for (const g of groups) {
    const v = groupVpc(ix, g.id);
    byVpc.set(v, [...(byVpc.get(v) ?? []), refs(g.id)]);
  }
  const typical = new Map([...byVpc].map(([v, xs]) => [v, median(xs)]));
  const others = Math.max(1, groups.length - 1);
  const out: GroupHub[] = [];
  for (const [group, by] of referencedBy) {
    const n = by.size;
    if (n < HUB_MIN_CALLERS || (n / others < HUB_MIN_SHARE && n < cutoff)) continue;
    if (n <= GROUP_HUB_OVER_MEDIAN * (typical.get(groupVpc(ix, group)) ?? 0)) continue;
    out.push({
      group,
      references: n,
      share: n / others,
      ruleCost: rules.get(group) ?? 0,
      referencedBy: [...by].sort(),
    });
  }
  return out.sort((x, y) => y.references - x.references || (x.group < y.group ? -1 : x.group > y.group ? 1 : 0));
};
