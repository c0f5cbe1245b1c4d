// What-if moves: apply a membership change, and the incremental delta of the analysis it causes.

import { applyCommand, CommandError } from '../model/commands';
import type { Level, Service, Workspace } from '../model/types';
import { callVerdict } from './analyze';
import { levelClasses } from './classes';
import { type AnalysisIndex, buildIndex } from './context';
import {
  aggregatedList,
  aggregationKey,
  aggregationLevel,
  calledPairs,
  computeExcess,
  DEFAULT_EXCESS_OPTIONS,
  type ExcessEntry,
  type ExcessOptions,
  type ExcessResult,
} from './excess';
import { FINDING_RULES } from './findings';
import { brokenCall } from './findings/broken-call';
import { callKey, compareFindings, type FindingContext } from './findings/context';
import { hubRuleCost } from './hubs';
import { type QuotaChange, quotaChanges, quotaKey } from './quota-changes';
import { computeQuotas, sortQuotas, touchedSubjects } from './quotas';
import type { Analysis, CallVerdict, Finding, QuotaUse } from './types';

/** The edit a drag makes: `from` null adds a membership, `to` null removes one. */
export interface Move {
  service: string;
  level: Level;
  from: string | null;
  to: string | null;
}

export interface MoveDelta {
  /** Calls that were allowed and are broken after the move (their new verdicts). */
  brokenCalls: CallVerdict[];
  /** Calls that were broken and are allowed after the move. */
  restoredCalls: CallVerdict[];
  /** Pairs involving the moved service that become reachable (least privilege lost). */
  openedPairs: { from: string; to: string }[];
  /** Pairs involving the moved service that stop being reachable. */
  closedPairs: { from: string; to: string }[];
  /** Quota uses whose figures change ("sg-db inbound rules 58 → 61 / 60"). */
  quota: QuotaChange[];
  findingsAdded: Finding[];
  findingsRemoved: Finding[];
  /** Same finding (key), different content: figures, counts, wording. */
  findingsChanged: { before: Finding; after: Finding }[];
  /** The whole analysis after the move, built incrementally. */
  analysis: Analysis;
  /** The workspace after the move. */
  workspace: Workspace;
}

/**
 * Apply a move (pure): the model's move command, so the store, the engine and the what-if agree
 * (at the policy level a label set stands for its selector's labels; see model/commands.ts). A move
 * the command refuses (not a member, a second single membership) leaves the workspace as it is.
 */
export const applyMove = (ws: Workspace, move: Move): Workspace => {
  if (move.from === move.to) return ws;
  try {
    return applyCommand(ws, { type: 'moveService', ...move });
  } catch (e) {
    if (e instanceof CommandError) return ws;
    throw e;
  }
};

// ---------------------------------------------------------------------------------------------

/** The excess state an analysis carries: mode, level, per-source counts (from the findings), the list. */
const excessFrom = (analysis: Analysis, options: ExcessOptions): ExcessResult => {
  const counts = new Map<string, number>();
  let complete = true;
  for (const f of analysis.findings) {
    if (f.id !== 'excess-reach') continue;
    if (f.key === 'excess-reach:not-computed') complete = false;
    else if (f.key.startsWith('excess-reach:segment:'))
      counts.set(f.key.slice('excess-reach:segment:'.length), f.count ?? 0);
    else counts.set(f.key.slice('excess-reach:'.length), f.count ?? 0);
  }
  return {
    mode: analysis.excessMode ?? 'service',
    level: analysis.excessLevel ?? 'overlay',
    counts,
    list: analysis.excess,
    complete,
    classes: 0,
    truncated: analysis.excess.length >= options.listLimit,
  };
};

interface PairChanges {
  opened: { from: string; to: string }[];
  closed: { from: string; to: string }[];
  excess: ExcessResult;
}

/**
 * Only pairs with the moved service change reachability. Walk them once in the old and the new
 * index (class-cached, so O(classes) level evaluations) and patch the excess counts and list.
 */
const patchPairs = (
  ix1: AnalysisIndex,
  ix2: AnalysisIndex,
  s: number,
  old: ExcessResult,
  options: ExcessOptions,
): PairChanges => {
  const n = ix1.services.length;
  const lc1 = levelClasses(ix1);
  const lc2 = levelClasses(ix2);
  const called = calledPairs(ix2);
  const sId = (ix2.services[s] as Service).id;
  const id = (i: number) => (ix2.services[i] as Service).id;
  const opened: { from: string; to: string }[] = [];
  const closed: { from: string; to: string }[] = [];
  const level = aggregationLevel(ix2);
  const patchable = old.complete && level === old.level && !old.truncated;
  const counts = new Map(old.counts);
  const bump = (key: string, d: number) => counts.set(key, (counts.get(key) ?? 0) + d);
  const listIsPairs = old.mode === 'service' && !old.list.some((e) => e.count !== undefined);
  const pairCounts = new Map<string, number>();
  if (!listIsPairs) for (const e of old.list) pairCounts.set(`${e.from}\u0000${e.to}`, e.count ?? 0);
  const bumpPair = (gi: string, gj: string, d: number) => {
    const k = `${gi}\u0000${gj}`;
    pairCounts.set(k, (pairCounts.get(k) ?? 0) + d);
  };
  const agg1S = aggregationKey(ix1, level, s);
  const agg2S = aggregationKey(ix2, level, s);
  const aggOf = ix2.memoFn(`excess.agg.${level}`, (i) => aggregationKey(ix2, level, i));
  // Reach with the moved service depends on the other side's level signatures only: cache per level
  // and signature id, so 4·N pair checks cost a few map lookups each.
  const sideCache = (lc: typeof lc1, towardsS: boolean) => {
    const caches = lc.ids.map(() => new Map<number, boolean>());
    return (x: number): boolean => {
      for (let li = 0; li < caches.length; li++) {
        const sig = lc.ids[li]?.[x] as number;
        const cache = caches[li] as Map<number, boolean>;
        let ok = cache.get(sig);
        if (ok === undefined) {
          ok = towardsS ? lc.permits(li, x, s) : lc.permits(li, s, x);
          cache.set(sig, ok);
        }
        if (!ok) return false;
      }
      return true;
    };
  };
  const reachIn1 = sideCache(lc1, true);
  const reachIn2 = sideCache(lc2, true);
  const reachOut1 = sideCache(lc1, false);
  const reachOut2 = sideCache(lc2, false);
  const srcKey = (i: number, which: 1 | 2) =>
    old.mode === 'service' ? id(i) : i === s ? (which === 1 ? agg1S : agg2S) : aggOf(i);
  const pairsOut: ExcessEntry[] = [];
  // Aggregated pair deltas, summed per other-side segment before touching the string-keyed map.
  const inDelta1 = new Map<string, number>();
  const inDelta2 = new Map<string, number>();
  const outDelta1 = new Map<string, number>();
  const outDelta2 = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const calledFromS = called.get(s);
  for (let x = 0; x < n; x++) {
    if (x === s) continue;
    const in1 = reachIn1(x);
    const in2 = reachIn2(x);
    const out1 = reachOut1(x);
    const out2 = reachOut2(x);
    if (in2 && !in1) opened.push({ from: id(x), to: sId });
    if (in1 && !in2) closed.push({ from: id(x), to: sId });
    if (out2 && !out1) opened.push({ from: sId, to: id(x) });
    if (out1 && !out2) closed.push({ from: sId, to: id(x) });
    if (!patchable) continue;
    const cIn = called.get(x)?.has(s) === true;
    const cOut = calledFromS?.has(x) === true;
    if (!cIn && in1 !== in2) bump(srcKey(x, 2), in2 ? 1 : -1);
    if (!cOut) {
      if (out1) bump(srcKey(s, 1), -1);
      if (out2) bump(srcKey(s, 2), 1);
    }
    if (listIsPairs) {
      if (in2 && !cIn) pairsOut.push({ from: id(x), to: sId });
      if (out2 && !cOut) pairsOut.push({ from: sId, to: id(x) });
    } else {
      const gx = aggOf(x);
      if (!cIn) {
        if (in1) add(inDelta1, gx);
        if (in2) add(inDelta2, gx);
      }
      if (!cOut) {
        if (out1) add(outDelta1, gx);
        if (out2) add(outDelta2, gx);
      }
    }
  }
  for (const [gx, d] of inDelta1) bumpPair(gx, agg1S, -d);
  for (const [gx, d] of inDelta2) bumpPair(gx, agg2S, d);
  for (const [gx, d] of outDelta1) bumpPair(agg1S, gx, -d);
  for (const [gx, d] of outDelta2) bumpPair(agg2S, gx, d);
  if (!patchable) return { opened, closed, excess: computeExcess(ix2, options) };
  for (const [k, v] of [...counts]) if (v <= 0) counts.delete(k);
  const total = old.mode === 'service' ? [...counts.values()].reduce((a, b) => a + b, 0) : 0;
  // The list changes form when the service-mode total crosses the limit: recompute then.
  if (old.mode === 'service' && listIsPairs !== total <= options.listLimit) {
    return { opened, closed, excess: computeExcess(ix2, options) };
  }
  let list: ExcessEntry[];
  if (listIsPairs) {
    const order = new Map(ix2.services.map((x, i) => [x.id, i]));
    list = [...old.list.filter((e) => e.from !== sId && e.to !== sId), ...pairsOut].sort(
      (p, q) => (order.get(p.from) ?? 0) - (order.get(q.from) ?? 0) || (order.get(p.to) ?? 0) - (order.get(q.to) ?? 0),
    );
  } else {
    list = aggregatedList(pairCounts, options.listLimit);
    if (list.length >= options.listLimit) return { opened, closed, excess: computeExcess(ix2, options) };
  }
  return {
    opened,
    closed,
    excess: { mode: old.mode, level, counts, list, complete: true, classes: old.classes, truncated: false },
  };
};

/** Replace the uses of the touched subjects in place; sort only when uses appear or disappear. */
const mergeQuotas = (old: readonly QuotaUse[], recomputed: QuotaUse[], subjects: Set<string>): QuotaUse[] => {
  const fresh = new Map(recomputed.map((u) => [quotaKey(u), u]));
  let kept = 0;
  const out: QuotaUse[] = [];
  for (const u of old) {
    if (!subjects.has(u.subject.id)) out.push(u);
    else {
      const k = quotaKey(u);
      const n = fresh.get(k);
      if (n) {
        out.push(n);
        fresh.delete(k);
        kept++;
      }
    }
  }
  if (fresh.size === 0 && kept === recomputed.length) {
    const dropped = old.filter((u) => subjects.has(u.subject.id)).length - kept;
    if (dropped === 0) return out;
  }
  return sortQuotas([...out, ...fresh.values()]);
};

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
/** Same content (findings are small flat records; comparing fields avoids serialising thousands of them). */
const sameFinding = (a: Finding, b: Finding): boolean =>
  a === b ||
  (a.severity === b.severity &&
    a.message === b.message &&
    a.fix === b.fix &&
    a.level === b.level &&
    a.count === b.count &&
    a.rule?.id === b.rule?.id &&
    a.rule?.summary === b.rule?.summary &&
    a.figures?.used === b.figures?.used &&
    a.figures?.limit === b.figures?.limit &&
    sameList(a.services, b.services) &&
    sameList(a.segments, b.segments));

// Lookups into an analysis that every preview of its workspace needs (a drag previews many moves
// against one analysis): built once per analysis, not per move (15,000 calls at 5,000 services).
const lookups = new WeakMap<
  Analysis,
  { callByIndex: Map<number, CallVerdict>; findingByKey: Map<string, Finding>; callsOf: Map<string, number[]> }
>();
const lookupsOf = (ws: Workspace, analysis: Analysis) => {
  let hit = lookups.get(analysis);
  if (!hit) {
    const callsOf = new Map<string, number[]>();
    const touch = (id: string, i: number) => {
      const list = callsOf.get(id);
      if (!list) callsOf.set(id, [i]);
      else if (list.at(-1) !== i) list.push(i);
    };
    ws.calls.forEach((c, i) => {
      touch(c.from, i);
      touch(c.to, i);
    });
    hit = {
      callByIndex: new Map(analysis.calls.map((c) => [c.index, c])),
      findingByKey: new Map(analysis.findings.map((f) => [f.key, f])),
      callsOf,
    };
    lookups.set(analysis, hit);
  }
  return hit;
};

/**
 * The delta a move would cause, computed incrementally: the calls touching the moved service, the
 * pairs with it, the quota subjects of its old and new segments, and findings re-derived from those
 * patched parts (pair and call findings are patched; the cheap whole-workspace passes re-run).
 */
export const previewMove = (
  ws: Workspace,
  analysis: Analysis,
  move: Move,
  options: Partial<ExcessOptions> = {},
): MoveDelta => {
  const opts = { ...DEFAULT_EXCESS_OPTIONS, ...options };
  const ws2 = applyMove(ws, move);
  const ix1 = buildIndex(ws);
  const s = ix1.byId.get(move.service);
  if (s === undefined || ws2 === ws) {
    return {
      brokenCalls: [],
      restoredCalls: [],
      openedPairs: [],
      closedPairs: [],
      quota: [],
      findingsAdded: [],
      findingsRemoved: [],
      findingsChanged: [],
      analysis,
      workspace: ws2,
    };
  }
  const ix2 = buildIndex(ws2, { index: ix1, changed: [s] });

  // Calls touching the service.
  const { callByIndex: byIndex, findingByKey: before, callsOf } = lookupsOf(ws, analysis);
  const touched = callsOf.get(move.service) ?? [];
  const newCalls = new Map<number, CallVerdict>();
  for (const i of touched) {
    const v = callVerdict(ix2, i);
    if (v) newCalls.set(i, v);
  }
  const calls = analysis.calls.map((c) => newCalls.get(c.index) ?? c);
  const brokenCalls: CallVerdict[] = [];
  const restoredCalls: CallVerdict[] = [];
  for (const i of touched) {
    const before = byIndex.get(i);
    const after = newCalls.get(i);
    if (!before || !after) continue;
    if (before.class === 'allowed' && after.class === 'broken') brokenCalls.push(after);
    if (before.class === 'broken' && after.class === 'allowed') restoredCalls.push(after);
  }

  // Quotas of the subjects the move touches.
  const segs = [move.from, move.to].filter((x): x is string => x !== null);
  const subjects = touchedSubjects(ix1, s, segs);
  for (const x of touchedSubjects(ix2, s, segs)) subjects.add(x);
  const recomputed = computeQuotas(ix2, (id) => subjects.has(id));
  const quotas = mergeQuotas(analysis.quotas, recomputed, subjects);
  const quota = quotaChanges(
    analysis.quotas.filter((u) => subjects.has(u.subject.id)),
    recomputed,
  );

  // Hubs: callers and betweenness depend on calls only; the moved hub's rule cost may change.
  const hubs = analysis.hubs.map((h) => (h.service === move.service ? { ...h, ruleCost: hubRuleCost(ix2, s) } : h));

  // Pairs with the service, and the excess counts.
  const pairs = patchPairs(ix1, ix2, s, excessFrom(analysis, opts), opts);

  // Findings: broken-call patched for the touched calls, the rest re-derived from the patched parts.
  // Group hubs come from rules and segments, which a move leaves as they are.
  const { groupHubs } = analysis;
  const ctx: FindingContext = { ix: ix2, calls, quotas, hubs, groupHubs, excess: pairs.excess };
  const touchedKeys = new Set(
    touched.flatMap((i) => (newCalls.get(i) ? [`broken-call:${callKey(newCalls.get(i) as CallVerdict)}`] : [])),
  );
  for (const i of touched) {
    const b = byIndex.get(i);
    if (b) touchedKeys.add(`broken-call:${callKey(b)}`);
  }
  const touchedCalls = touched.flatMap((i) => (newCalls.has(i) ? [newCalls.get(i) as CallVerdict] : []));
  const findings: Finding[] = [
    ...analysis.findings.filter((f) => f.id === 'broken-call' && !touchedKeys.has(f.key)),
    ...brokenCall({ ...ctx, calls: touchedCalls }),
  ];
  // exposed-colocated reads only exposed and critical services (their segments and hosts): a move
  // of any other service leaves its findings as they are (a pass over exposed × critical services).
  const moved = [ws.services[s], ws2.services[s]];
  const colocatedKept = moved.every((x) => x?.exposed !== true && x?.critical !== true);
  for (const [id, rule] of Object.entries(FINDING_RULES)) {
    if (id === 'broken-call') continue;
    if (id === 'exposed-colocated' && colocatedKept) findings.push(...analysis.findings.filter((f) => f.id === id));
    else findings.push(...rule(ctx));
  }
  findings.sort(compareFindings);

  const after = new Map(findings.map((f) => [f.key, f]));
  const findingsAdded = findings.filter((f) => !before.has(f.key));
  const findingsRemoved = analysis.findings.filter((f) => !after.has(f.key));
  const findingsChanged: { before: Finding; after: Finding }[] = [];
  for (const f of findings) {
    const b = before.get(f.key);
    if (b && !sameFinding(b, f)) findingsChanged.push({ before: b, after: f });
  }
  const next: Analysis = {
    calls,
    findings,
    quotas,
    hubs,
    groupHubs,
    excess: pairs.excess.list,
    excessMode: pairs.excess.mode,
    excessLevel: pairs.excess.level,
  };
  return {
    brokenCalls,
    restoredCalls,
    openedPairs: pairs.opened,
    closedPairs: pairs.closed,
    quota,
    findingsAdded,
    findingsRemoved,
    findingsChanged,
    analysis: next,
    workspace: ws2,
  };
};
