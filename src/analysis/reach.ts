// Pair reachability across all six levels: per-level verdicts with the deciding rule, combined verdict, connection set.
import { labelSelectorText } from '../model/selector';
import { LEVELS, type Level, type Protocol, type Service, type Workspace } from '../model/types';
import { levelClasses } from './classes';
import { ALL, type Conn, type ConnSet, conn, contains, EMPTY, formatConnSet, intersect } from './connset';
import { type AnalysisIndex, buildIndex } from './context';
import { hasTokens, type LevelEngine, type LevelResult, membershipOf } from './core';
import { perIndex, perRulesAndSegments } from './per-rules-segments';
import type { LevelVerdict, PairVerdict } from './types';

export interface PairEvaluation {
  verdict: PairVerdict;
  results: Record<Level, LevelResult>;
  /** Levels that deny, coarse to fine. */
  deniedBy: Level[];
}

const PROTOCOL_INDEX: Record<Protocol, number> = { TCP: 1, UDP: 2, SCTP: 3 };

// Level results depend only on the rules, the segments and the two signatures (texts carry
// placeholders for the rest), so they are cached per signature pair and connection, across edited
// copies of a workspace too.
type ResultStore = Map<number, Map<number, Map<number, LevelResult>>>[];
const resultStoreOf = perRulesAndSegments<ResultStore>(() => LEVELS.map(() => new Map()));

const resultStore = (ix: AnalysisIndex): ResultStore => resultStoreOf(ix.ws);

/** One level's raw result (placeholders unfilled) for a → b, cached by signature pair and connection. */
// Per index: the class ids and the result store, looked up once instead of per call and level.
const hotOf = perIndex((ix) => ({ ids: levelClasses(ix).ids, store: resultStore(ix) }));

export const levelResult = (ix: AnalysisIndex, li: number, a: number, b: number, c?: Conn): LevelResult =>
  levelResultIn(ix, hotOf(ix), li, a, b, c);

const levelResultIn = (
  ix: AnalysisIndex,
  h: { ids: Int32Array[]; store: ResultStore },
  li: number,
  a: number,
  b: number,
  c?: Conn,
): LevelResult => {
  const ids = h.ids[li] as Int32Array;
  const store = h.store[li] as Map<number, Map<number, Map<number, LevelResult>>>;
  const engine = ix.engines[li] as LevelEngine;
  const la = engine.callerIrrelevant?.(b) ? -1 : (ids[a] as number);
  const lb = ids[b] as number;
  let byB = store.get(la);
  if (!byB) {
    byB = new Map();
    store.set(la, byB);
  }
  let byConn = byB.get(lb);
  if (!byConn) {
    byConn = new Map();
    byB.set(lb, byConn);
  }
  const connKey = c ? PROTOCOL_INDEX[c.protocol] * 65536 + c.port : 0;
  let r = byConn.get(connKey);
  if (!r) {
    r = engine.evaluate(a, b, c);
    byConn.set(connKey, r);
  }
  return r;
};

const addressText = (s: Service): string => {
  const addr = s.addresses?.[0];
  return addr ? `${addr}/${addr.includes(':') ? 128 : 32}` : `${s.name}'s address`;
};

const podsText = (ix: AnalysisIndex, i: number): string => {
  const s = ix.services[i] as Service;
  const ep = ix.levels.policy.endpoint(i);
  if (!ep.pod) return s.addresses?.[0] ? `ipBlock ${addressText(s)}` : s.name;
  const app = ep.labels.app ?? ep.labels['app.kubernetes.io/name'];
  const sel = app !== undefined ? `app=${app}` : labelSelectorText({ matchLabels: { ...ep.labels } }) || '{}';
  return `podSelector ${sel}${ep.namespace !== undefined ? ` in namespace ${ep.namespace}` : ''}`;
};

const GENERIC: Record<string, string> = {
  F: 'the caller',
  T: 'the callee',
  a: "the caller's address",
  b: "the callee's address",
  p: "the caller's pods",
  q: "the callee's pods",
  r: "the caller's role",
};

const capitalize = (t: string): string => (t.length > 0 ? `${t[0]?.toUpperCase()}${t.slice(1)}` : t);

/** Put the pair's own facts into a level text's placeholders (or generic words when no pair is given). */
export const fillText = (ix: AnalysisIndex, a: number | undefined, b: number | undefined, text: string): string => {
  if (!hasTokens(text)) return text;
  if (a === undefined || b === undefined)
    return text.replace(/\uE000([FTabpqr])/g, (_m, k: string) => GENERIC[k] ?? '');
  const sa = ix.services[a] as Service;
  const sb = ix.services[b] as Service;
  return text.replace(/\uE000([FTabpqr])/g, (_m, k: string) => {
    switch (k) {
      case 'F':
        return sa.name;
      case 'T':
        return sb.name;
      case 'a':
        return addressText(sa);
      case 'b':
        return addressText(sb);
      case 'p':
        return podsText(ix, a);
      case 'q':
        return podsText(ix, b);
      default: {
        const roles = membershipOf(sa, 'role').map((id) => ix.segments.get(id)?.name ?? id);
        return roles.length > 0 ? roles.join(', ') : `${sa.name} (no known role)`;
      }
    }
  });
};

const toVerdict = (ix: AnalysisIndex, a: number | undefined, b: number | undefined, r: LevelResult): LevelVerdict => {
  const named = a !== undefined;
  const fill = (t: string) => (named ? fillText(ix, a, b, t) : capitalize(fillText(ix, a, b, t)));
  const v: LevelVerdict = { verdict: r.verdict, reason: fill(r.reason) };
  if (r.rule) v.rule = hasTokens(r.rule.summary) ? { ...r.rule, summary: fillText(ix, a, b, r.rule.summary) } : r.rule;
  if (r.fix) v.fix = fillText(ix, a, b, r.fix);
  if (r.allowing && r.allowing.length > 0 && r.verdict === 'allow') v.allowing = r.allowing;
  return v;
};

/** One level's verdict with texts naming services a and b. */
export const namedVerdict = (ix: AnalysisIndex, a: number, b: number, r: LevelResult): LevelVerdict =>
  toVerdict(ix, a, b, r);

// Call verdicts share one generic explanation per raw result, and one levels record per combination
// of raw results. Caches live on the (internal) result objects: WeakMaps over tens of thousands of
// keys make garbage collection slow.
interface CachedResult extends LevelResult {
  _id?: number;
  _generic?: LevelVerdict;
}
let nextResultId = 1;
const resultId = (r: CachedResult): number => {
  if (r._id === undefined) r._id = nextResultId++;
  return r._id;
};
interface SharedLevels {
  levels: Record<Level, LevelVerdict>;
  reachable: boolean;
  connections: 'all' | string[];
  /** Levels that deny, coarse to fine (shared by every call with these results). */
  deniedBy: Level[];
}
type Trie = Map<number, Trie | SharedLevels>;
const sharedLevels = perIndex((): Trie => new Map());

export interface EvaluateOptions {
  /**
   * true (default): texts name the two services (reach, findings). false: texts say "the caller" and
   * "the callee" and are shared between all pairs of the same classes (bulk call verdicts).
   */
  named?: boolean;
}

/**
 * Evaluate services a → b (indices). With a port, each level answers for that connection (protocol
 * default TCP) and `connections` is that connection or nothing; without one, each level answers for
 * "some connection" and `connections` is the exact set all levels let through together.
 * Reachable unless some level denies.
 */
export const evaluatePair = (
  ix: AnalysisIndex,
  a: number,
  b: number,
  port?: number,
  protocol?: Protocol,
  options: EvaluateOptions = {},
): PairEvaluation => {
  const c: Conn | undefined = port === undefined ? undefined : { protocol: protocol ?? 'TCP', port };
  const results = {} as Record<Level, LevelResult>;
  const h = hotOf(ix);
  for (let li = 0; li < LEVELS.length; li++) results[LEVELS[li] as Level] = levelResultIn(ix, h, li, a, b, c);
  let shared: SharedLevels | undefined;
  if (options.named === false) {
    let node = sharedLevels(ix);
    for (let li = 0; li < LEVELS.length - 1; li++) {
      const id = resultId(results[LEVELS[li] as Level]);
      let next = node.get(id) as Trie | undefined;
      if (!next) {
        next = new Map();
        node.set(id, next);
      }
      node = next;
    }
    const last = resultId(results[LEVELS[LEVELS.length - 1] as Level]);
    shared = node.get(last) as SharedLevels | undefined;
    if (!shared) {
      shared = combine(ix, undefined, undefined, results, c);
      node.set(last, shared);
    }
  } else shared = combine(ix, a, b, results, c);
  const verdict: PairVerdict = {
    from: (ix.services[a] as Service).id,
    to: (ix.services[b] as Service).id,
    reachable: shared.reachable,
    levels: shared.levels,
    connections: shared.connections,
  };
  if (port !== undefined) {
    verdict.port = port;
    verdict.protocol = protocol ?? 'TCP';
  }
  return { verdict, results, deniedBy: shared.deniedBy };
};

const combine = (
  ix: AnalysisIndex,
  a: number | undefined,
  b: number | undefined,
  results: Record<Level, LevelResult>,
  c: Conn | undefined,
): SharedLevels => {
  const levels = {} as Record<Level, LevelVerdict>;
  let reachable = true;
  let conns: ConnSet = ALL;
  for (const level of LEVELS) {
    const r = results[level] as CachedResult;
    if (a === undefined) {
      r._generic ??= toVerdict(ix, undefined, undefined, r);
      levels[level] = r._generic;
    } else levels[level] = toVerdict(ix, a, b, r);
    if (r.verdict === 'deny') reachable = false;
    conns = intersect(conns, r.conns);
  }
  if (c) conns = contains(conns, c) ? conn(c.protocol, c.port) : EMPTY;
  const deniedBy = LEVELS.filter((l) => levels[l].verdict === 'deny');
  return { levels, reachable, connections: formatConnSet(conns), deniedBy };
};

/** The exact connection set a → b allows across every level (the intersection of the levels' sets). */
export const pairConnections = (ix: AnalysisIndex, a: number, b: number): ConnSet => {
  let conns: ConnSet = ALL;
  for (let li = 0; li < LEVELS.length; li++) conns = intersect(conns, levelResult(ix, li, a, b).conns);
  return conns;
};

export type ServiceLookup =
  | { ok: true; index: number; id: string }
  | { ok: false; message: string; candidates: string[] };

/** A service by id, by plain name when unambiguous, or by `namespace/name`. */
export const findService = (ix: AnalysisIndex, text: string): ServiceLookup => {
  const byId = ix.byId.get(text);
  if (byId !== undefined) return { ok: true, index: byId, id: text };
  const hits: number[] = [];
  ix.services.forEach((s, i) => {
    if (s.name === text || (s.namespace !== undefined && `${s.namespace}/${s.name}` === text)) hits.push(i);
  });
  if (hits.length === 1) {
    const i = hits[0] as number;
    return { ok: true, index: i, id: (ix.services[i] as { id: string }).id };
  }
  if (hits.length > 1) {
    const candidates = hits.map((i) => (ix.services[i] as { id: string }).id).sort();
    return { ok: false, message: `"${text}" names ${hits.length} services; use one of their ids`, candidates };
  }
  const lower = text.toLowerCase();
  const candidates = ix.services
    .filter((s) => s.id.toLowerCase().includes(lower) || s.name.toLowerCase().includes(lower))
    .map((s) => s.id)
    .sort()
    .slice(0, 10);
  return { ok: false, message: `no service "${text}"`, candidates };
};

/** The per-level verdicts for one pair, by service id or unambiguous name. Throws on unknown services. */
export const reach = (ws: Workspace, from: string, to: string, port?: number, protocol?: Protocol): PairVerdict => {
  const ix = buildIndex(ws);
  const a = findService(ix, from);
  const b = findService(ix, to);
  for (const r of [a, b]) {
    if (!r.ok) throw new Error(`${r.message}${r.candidates.length ? ` (candidates: ${r.candidates.join(', ')})` : ''}`);
  }
  return evaluatePair(ix, (a as { index: number }).index, (b as { index: number }).index, port, protocol).verdict;
};
