// Pair reachability across all six levels: per-level verdicts with the deciding rule, combined verdict, connection set.
import { LEVELS, type Level, type Protocol, type Workspace } from '../model/types';
import { ALL, type Conn, type ConnSet, formatConnSet, intersect } from './connset';
import { type AnalysisIndex, buildIndex } from './context';
import type { LevelResult } from './core';
import type { LevelVerdict, PairVerdict } from './types';

export interface PairEvaluation {
  verdict: PairVerdict;
  results: Record<Level, LevelResult>;
}

const toVerdict = (r: LevelResult): LevelVerdict => {
  const v: LevelVerdict = { verdict: r.verdict, reason: r.reason };
  if (r.rule) v.rule = r.rule;
  if (r.fix) v.fix = r.fix;
  return v;
};

/**
 * Evaluate services a → b (indices). With a port, each level answers for that connection (protocol
 * default TCP); without one, for "some connection". Reachable unless some level denies.
 */
export const evaluatePair = (
  ix: AnalysisIndex,
  a: number,
  b: number,
  port?: number,
  protocol?: Protocol,
): PairEvaluation => {
  const c: Conn | undefined = port === undefined ? undefined : { protocol: protocol ?? 'TCP', port };
  const results = {} as Record<Level, LevelResult>;
  const levels = {} as Record<Level, LevelVerdict>;
  let reachable = true;
  let conns: ConnSet = ALL;
  for (const level of LEVELS) {
    const r = ix.levels[level].evaluate(a, b, c);
    results[level] = r;
    levels[level] = toVerdict(r);
    if (r.verdict === 'deny') reachable = false;
    conns = intersect(conns, r.conns);
  }
  const verdict: PairVerdict = {
    from: (ix.services[a] as { id: string }).id,
    to: (ix.services[b] as { id: string }).id,
    reachable,
    levels,
    connections: formatConnSet(conns),
  };
  if (port !== undefined) {
    verdict.port = port;
    verdict.protocol = protocol ?? 'TCP';
  }
  return { verdict, results };
};

/** The exact connection set a → b allows across every level (the intersection of the levels' sets). */
export const pairConnections = (ix: AnalysisIndex, a: number, b: number): ConnSet => {
  let conns: ConnSet = ALL;
  for (const e of ix.engines) conns = intersect(conns, e.evaluate(a, b).conns);
  return conns;
};

/** Combined "no level denies some connection" test without building explanations' objects twice. */
export const pairReachable = (ix: AnalysisIndex, a: number, b: number, c?: Conn): boolean =>
  ix.engines.every((e) => e.evaluate(a, b, c).verdict !== 'deny');

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
