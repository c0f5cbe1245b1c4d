// The exact allowed set of every pair for the connectivity list, memoised per level by signature classes.
import { LEVELS } from '../model/types';
import { signatureIds } from './classes';
import { ALL, type ConnSet, EMPTY, intersect, isAll, isEmpty, union } from './connset';
import type { AnalysisIndex } from './context';
import type { PolicyRuleView, PolicyView } from './levels/policy-endpoint';
import { runPipeline } from './levels/policy-pipeline';

type Direction = 'ingress' | 'egress';

/** A set of policies selecting some endpoints for one direction, and the rules they bring. */
interface Side {
  key: string;
  policies: readonly PolicyView[];
  /** Kubernetes policies only: Allow rules that ignore the selected endpoint, so the result is a union. */
  union: boolean;
  ruleViews: readonly PolicyRuleView[];
}

/** A row of results: per peer signature class, the set one side lets through (filled eagerly or on demand). */
type Row = (ConnSet | undefined)[];

/** More rules than this in one direction of one endpoint: its results are computed per pair, not by rule mask. */
const MASK_RULES = 30;

type PolicyLevel = AnalysisIndex['levels']['policy'];

/** What the row builders share: the level, the classes and a representative of each, and the memo maps. */
interface SetsContext {
  pol: PolicyLevel;
  policyClass: Int32Array;
  policyClasses: number;
  /** A service standing for each policy class, to evaluate rule matches on. */
  classRep: Int32Array;
  /** Per service, an id of its named ports (all 0 when no policy names a port). */
  portId: Int32Array;
  viewIds: ReadonlyMap<PolicyView, number>;
  matchVectors: Map<PolicyRuleView, Uint8Array>;
  sides: Map<string, Side>;
  rows: Map<string, Row>;
}

const setsContext = (ix: AnalysisIndex, policyClass: Int32Array, policyClasses: number): SetsContext => {
  const pol = ix.levels.policy;
  const n = ix.services.length;
  const classRep = new Int32Array(policyClasses).fill(-1);
  for (let i = 0; i < n; i++)
    if ((classRep[policyClass[i] as number] as number) < 0) classRep[policyClass[i] as number] = i;
  const viewIds = new Map(pol.views.map((v, k) => [v, k]));
  const portIds = new Map<string, number>();
  const portId = new Int32Array(n);
  if (pol.views.some((v) => v.usesNamedPorts)) {
    for (let i = 0; i < n; i++) {
      const key = pol
        .endpoint(i)
        .ports.map((p) => `${p.name ?? ''}:${p.protocol ?? 'TCP'}:${p.port}`)
        .join(',');
      let id = portIds.get(key);
      if (id === undefined) {
        id = portIds.size;
        portIds.set(key, id);
      }
      portId[i] = id;
    }
  }
  return {
    pol,
    policyClass,
    policyClasses,
    classRep,
    portId,
    viewIds,
    matchVectors: new Map(),
    sides: new Map(),
    rows: new Map(),
  };
};

/** Per peer class: does the rule match it (a union side's rules ignore the endpoint they apply to). */
const matchVector = (cx: SetsContext, r: PolicyRuleView, self: number): Uint8Array => {
  let v = cx.matchVectors.get(r);
  if (!v) {
    v = new Uint8Array(cx.policyClasses);
    const epSelf = cx.pol.endpoint(self);
    for (let pc = 0; pc < cx.policyClasses; pc++)
      v[pc] = r.matches(epSelf, cx.pol.endpoint(cx.classRep[pc] as number)) ? 1 : 0;
    cx.matchVectors.set(r, v);
  }
  return v;
};

/** Every entry of a union side's row at once: a rule mask per peer class, one union per distinct mask. */
const unionRow = (cx: SetsContext, side: Side, dir: Direction, self: number): Row => {
  const { pol, policyClasses, classRep } = cx;
  const masks = new Int32Array(policyClasses);
  side.ruleViews.forEach((r, k) => {
    const v = matchVector(cx, r, self);
    const bit = 1 << k;
    for (let pc = 0; pc < policyClasses; pc++) if (v[pc] === 1) masks[pc] = (masks[pc] as number) | bit;
  });
  const byMask = new Map<number, ConnSet>([[0, EMPTY]]);
  const row: Row = new Array<ConnSet | undefined>(policyClasses);
  // Ingress rules resolve named ports on the endpoint itself, egress rules on each peer.
  const conns = (mask: number, target: number): ConnSet => {
    let set: ConnSet = EMPTY;
    side.ruleViews.forEach((r, k) => {
      if (mask & (1 << k)) set = union(set, r.conns(pol.endpoint(target)));
    });
    return set;
  };
  for (let pc = 0; pc < policyClasses; pc++) {
    const mask = masks[pc] as number;
    if (dir === 'egress' && mask !== 0) {
      row[pc] = conns(mask, classRep[pc] as number);
      continue;
    }
    let set = byMask.get(mask);
    if (set === undefined) {
      set = conns(mask, self);
      byMask.set(mask, set);
    }
    row[pc] = set;
  }
  return row;
};

/** The side made of the policies selecting an endpoint for a direction, one per distinct policy list. */
const sideOf = (cx: SetsContext, dir: Direction, policies: readonly PolicyView[]): Side => {
  const key = `${dir}:${policies.map((v) => cx.viewIds.get(v)).join(',')}`;
  let side = cx.sides.get(key);
  if (!side) {
    const ruleViews = policies.flatMap((v) => (dir === 'ingress' ? v.ingressRules : v.egressRules));
    const union =
      policies.every((v) => v.kind === 'k8s') &&
      ruleViews.every((r) => r.action === 'Allow') &&
      ruleViews.length <= MASK_RULES;
    side = { key, policies, union, ruleViews };
    cx.sides.set(key, side);
  }
  return side;
};

/** Per endpoint, its row of results for a direction (null: no policy selects it), shared by equal sides. */
const rowFor = (cx: SetsContext, dir: Direction) => {
  const memo = new Array<Row | null | undefined>(cx.portId.length);
  return (self: number): Row | null => {
    const hit = memo[self];
    if (hit !== undefined) return hit;
    const policies = cx.pol.applicable(self, dir);
    let row: Row | null = null;
    if (policies.length > 0) {
      const side = sideOf(cx, dir, policies);
      // Egress: the target is the peer, whose class the row is indexed by; ingress: the endpoint itself.
      const rowKey = side.union
        ? `${side.key}|${dir === 'ingress' ? cx.portId[self] : ''}`
        : `${side.key}|c${cx.policyClass[self]}`;
      row = cx.rows.get(rowKey) ?? null;
      if (!row) {
        row = side.union ? unionRow(cx, side, dir, self) : new Array<ConnSet | undefined>(cx.policyClasses);
        cx.rows.set(rowKey, row);
      }
    }
    memo[self] = row;
    return row;
  };
};

/**
 * The policy level's exact set a → b, organised for all pairs at once. A NetworkPolicy rule is an
 * Allow that looks only at the peer, so a side made of them yields the union of the rules that match
 * the peer: rule matches are computed once per (rule, peer signature), and a whole row of results per
 * (policy set, target ports) in one pass over the peer classes. Sides with Calico policies (tiers,
 * Deny, Pass, selectors on the endpoint itself) run the level's own pipeline per pair of signatures.
 * Either way the set is the `conns` of the level's `evaluate`.
 */
const policySets = (ix: AnalysisIndex, policyClass: Int32Array, policyClasses: number) => {
  const cx = setsContext(ix, policyClass, policyClasses);
  const { pol } = cx;
  const egressRow = rowFor(cx, 'egress');
  const ingressRow = rowFor(cx, 'ingress');
  const pipeline = (dir: Direction, self: number, peer: number, target: number): ConnSet =>
    runPipeline(pol.applicable(self, dir), dir, pol.endpoint(self), pol.endpoint(peer), pol.endpoint(target), ALL)
      .allowed;

  return (a: number, b: number): ConnSet => {
    const out = egressRow(a);
    const inn = ingressRow(b);
    if (!out && !inn) return ALL;
    let e: ConnSet = ALL;
    if (out) {
      const pb = policyClass[b] as number;
      let hit = out[pb];
      if (hit === undefined) {
        hit = pipeline('egress', a, b, b);
        out[pb] = hit;
      }
      e = hit;
      if (isEmpty(e)) return EMPTY;
    }
    if (!inn) return e;
    const pa = policyClass[a] as number;
    let i = inn[pa];
    if (i === undefined) {
      i = pipeline('ingress', b, a, b);
      inn[pa] = i;
    }
    return intersect(e, i);
  };
};

/** Per level, signature ids of every service (equal ids: equal verdicts on either end of any pair). */
const levelIds = (ix: AnalysisIndex) =>
  LEVELS.map((_, li) => {
    const map = new Map<string, number>();
    const arr = signatureIds(ix, li, ix.services.length, map);
    return { arr, size: map.size };
  });

/** Most (class, class) entries a cache holds: 16M (64 MB as integers); past it, rows are dropped and recomputed. */
const CACHE_ENTRIES = 1 << 24;

/**
 * A (class, class) cache by rows of the first class. All rows fit when classes² ≤ CACHE_ENTRIES (a
 * dense table); beyond, the rows kept are bounded and dropped when full, so memory stays flat on huge
 * inputs while consecutive lookups of one row (the N² loop goes source by source) still hit.
 */
export const rowCache = <T>(size: number, makeRow: () => T[] | Int32Array) => {
  const maxRows = Math.max(1, Math.floor(CACHE_ENTRIES / Math.max(1, size)));
  const rows = new Map<number, T[] | Int32Array>();
  return (x: number): T[] | Int32Array => {
    let row = rows.get(x);
    if (!row) {
      if (rows.size >= maxRows) rows.clear();
      row = makeRow();
      rows.set(x, row);
    }
    return row;
  };
};

/**
 * The exact set a → b across every level (what `pairConnections` computes), memoised per level by the
 * pair of the level's signatures, so each level does its work once per pair of its own classes.
 */
export const pairEvaluator = (ix: AnalysisIndex) => {
  const ids = levelIds(ix);
  const policyIndex = LEVELS.indexOf('policy');
  const policyIds = ids[policyIndex] as { arr: Int32Array; size: number };
  const policy = policySets(ix, policyIds.arr, policyIds.size);
  const overSecondary = ix.levels.policy.overSecondary;
  /** One level's set for a pair, cached by its pair of signatures (a flat table when small). */
  const levelLookup = (li: number): ((a: number, b: number) => ConnSet) => {
    const { arr, size } = ids[li] as { arr: Int32Array; size: number };
    const evaluate = (a: number, b: number): ConnSet => ix.engines[li]?.evaluate(a, b).conns ?? ALL;
    if (size * size <= CACHE_ENTRIES) {
      const table = new Array<ConnSet | undefined>(size * size);
      return (a, b) => {
        const k = (arr[a] as number) * size + (arr[b] as number);
        let set = table[k];
        if (set === undefined) {
          set = evaluate(a, b);
          table[k] = set;
        }
        return set;
      };
    }
    const rows = rowCache<ConnSet | undefined>(size, () => new Array<ConnSet | undefined>(size));
    return (a, b) => {
      const row = rows(arr[a] as number) as (ConnSet | undefined)[];
      let set = row[arr[b] as number];
      if (set === undefined) {
        set = evaluate(a, b);
        row[arr[b] as number] = set;
      }
      return set;
    };
  };
  // A level where every service has one signature answers one set for every pair (of distinct
  // services); when that set is everything, the level cannot restrict anything and is skipped.
  const others: ((a: number, b: number) => ConnSet)[] = [];
  for (let li = 0; li < LEVELS.length; li++) {
    if (li === policyIndex) continue;
    const lookup = levelLookup(li);
    if ((ids[li] as { size: number }).size === 1 && ix.services.length >= 2 && isAll(lookup(0, 1))) continue;
    others.push(lookup);
  }
  const pair = (a: number, b: number): ConnSet => {
    // The policy level first: it is the most restrictive, so an empty set stops early. Pairs on common
    // secondary networks add what those networks' MultiNetworkPolicies allow.
    let conns = overSecondary?.(a, b, () => policy(a, b)) ?? policy(a, b);
    for (const level of others) {
      if (isEmpty(conns)) return EMPTY;
      conns = intersect(conns, level(a, b));
    }
    return conns;
  };
  const classKey = (i: number): string => ids.map((x) => x.arr[i]).join(',');
  return { pair, classKey };
};
