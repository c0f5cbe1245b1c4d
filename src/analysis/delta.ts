// What-if moves: apply a membership change, and the incremental delta of the analysis it causes.

import { applyCommand, CommandError } from '../model/commands';
import type { Level, Workspace } from '../model/types';
import { callVerdict } from './analyze';
import { findingChanges } from './changes';
import { type AnalysisIndex, buildIndex } from './context';
import { changedQuotaIds, findingsAfter } from './delta-findings';
import { excessFrom, patchPairs } from './delta-pairs';
import { DEFAULT_EXCESS_OPTIONS, type ExcessOptions } from './excess';
import { unexposedServices } from './exposure';
import type { FindingContext } from './findings/context';
import { hubRuleCost } from './hubs';
import { perAnalysis } from './per-rules-segments';
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

/**
 * The uses after a move: the touched subjects' uses replaced at their positions when the move kept
 * the same uses (a copy of the list and a few writes); else merged and sorted.
 */
const mergeQuotas = (
  old: readonly QuotaUse[],
  recomputed: QuotaUse[],
  subjects: Set<string>,
  positions: ReadonlyMap<string, readonly number[]>,
): QuotaUse[] => {
  const fresh = new Map(recomputed.map((u) => [quotaKey(u), u]));
  if (fresh.size === recomputed.length) {
    const out = old.slice();
    let replaced = 0;
    for (const id of subjects)
      for (const k of positions.get(id) ?? []) {
        const n = fresh.get(quotaKey(old[k] as QuotaUse));
        if (n === undefined) return resortQuotas(old, recomputed, subjects);
        out[k] = n;
        replaced++;
      }
    if (replaced === recomputed.length) return out;
  }
  return resortQuotas(old, recomputed, subjects);
};

/** Replace the uses of the touched subjects in place; sort only when uses appear or disappear. */
const resortQuotas = (old: readonly QuotaUse[], recomputed: QuotaUse[], subjects: Set<string>): QuotaUse[] => {
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

// Lookups into an analysis that every preview of its workspace needs (a drag previews many moves
// against one analysis): built once per analysis, not per move (15,000 calls at 5,000 services).
interface Lookups {
  callByIndex: Map<number, CallVerdict>;
  /** A call's position in `analysis.calls`, by call index. */
  callPosition: Map<number, number>;
  findingByKey: Map<string, Finding>;
  callsOf: Map<string, number[]>;
  quotasOf: Map<string, QuotaUse[]>;
  /** Positions in `analysis.quotas` of each subject's uses. */
  quotaPositions: Map<string, number[]>;
}
// (`ws` is the analysis's own workspace.)
const lookupsOf = perAnalysis((analysis, ws: Workspace): Lookups => {
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
  const quotasOf = new Map<string, QuotaUse[]>();
  const quotaPositions = new Map<string, number[]>();
  analysis.quotas.forEach((u, k) => {
    const list = quotasOf.get(u.subject.id);
    if (list) {
      list.push(u);
      quotaPositions.get(u.subject.id)?.push(k);
    } else {
      quotasOf.set(u.subject.id, [u]);
      quotaPositions.set(u.subject.id, [k]);
    }
  });
  return {
    callByIndex: new Map(analysis.calls.map((c) => [c.index, c])),
    callPosition: new Map(analysis.calls.map((c, k) => [c.index, k])),
    findingByKey: new Map(analysis.findings.map((f) => [f.key, f])),
    callsOf,
    quotasOf,
    quotaPositions,
  };
});

/** A move that changes nothing (unknown service, or refused by the command). */
const unchanged = (analysis: Analysis, workspace: Workspace): MoveDelta => ({
  brokenCalls: [],
  restoredCalls: [],
  openedPairs: [],
  closedPairs: [],
  quota: [],
  findingsAdded: [],
  findingsRemoved: [],
  findingsChanged: [],
  analysis,
  workspace,
});

/** The calls touching the moved service, re-judged in the what-if index; the calls list patched. */
const patchCalls = (ix2: AnalysisIndex, analysis: Analysis, look: Lookups, touched: readonly number[]) => {
  const newCalls = new Map<number, CallVerdict>();
  for (const i of touched) {
    const v = callVerdict(ix2, i);
    if (v) newCalls.set(i, v);
  }
  const calls = analysis.calls.slice();
  for (const [i, v] of newCalls) {
    const k = look.callPosition.get(i);
    if (k !== undefined) calls[k] = v;
  }
  const brokenCalls: CallVerdict[] = [];
  const restoredCalls: CallVerdict[] = [];
  for (const i of touched) {
    const before = look.callByIndex.get(i);
    const after = newCalls.get(i);
    if (!before || !after) continue;
    if (before.class === 'allowed' && after.class === 'broken') brokenCalls.push(after);
    if (before.class === 'broken' && after.class === 'allowed') restoredCalls.push(after);
  }
  return { calls, newCalls, brokenCalls, restoredCalls };
};

/** The quotas of the subjects the move touches (old and new segments, their parents, the service's own). */
const patchQuotas = (
  ix1: AnalysisIndex,
  ix2: AnalysisIndex,
  s: number,
  move: Move,
  analysis: Analysis,
  look: Lookups,
) => {
  const segs = [move.from, move.to].filter((x): x is string => x !== null);
  const subjects = touchedSubjects(ix1, s, segs);
  for (const x of touchedSubjects(ix2, s, segs)) subjects.add(x);
  const recomputed = computeQuotas(ix2, subjects);
  const quotas = mergeQuotas(analysis.quotas, recomputed, subjects, look.quotaPositions);
  const oldUses = sortQuotas([...subjects].flatMap((id) => look.quotasOf.get(id) ?? []));
  return { quotas, changes: quotaChanges(oldUses, recomputed), changedIds: changedQuotaIds(oldUses, recomputed) };
};

/**
 * The delta a move would cause, computed incrementally: the calls touching the moved service, the
 * pairs with it, the quota subjects of its old and new segments, and findings re-derived from those
 * patched parts (each rule re-run only when something it reads changed).
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
  if (s === undefined || ws2 === ws) return unchanged(analysis, ws2);
  const ix2 = buildIndex(ws2, { index: ix1, changed: [s] });
  const look = lookupsOf(analysis, ws);
  const touched = look.callsOf.get(move.service) ?? [];
  const { calls, newCalls, brokenCalls, restoredCalls } = patchCalls(ix2, analysis, look, touched);
  const quota = patchQuotas(ix1, ix2, s, move, analysis, look);
  // Hubs: callers and betweenness depend on calls only; the moved hub's rule cost may change.
  const hubs = analysis.hubs.map((h) => (h.service === move.service ? { ...h, ruleCost: hubRuleCost(ix2, s) } : h));
  const pairs = patchPairs(ix1, ix2, s, excessFrom(analysis, opts), opts);
  // Group hubs come from rules and segments, which a move leaves as they are.
  const { groupHubs } = analysis;
  const ctx: FindingContext = { ix: ix2, calls, quotas: quota.quotas, hubs, groupHubs, excess: pairs.excess };
  const after = findingsAfter(analysis, ctx, {
    service: s,
    level: move.level,
    from: move.from,
    to: move.to,
    ws1: ws,
    ix1,
    touchedBefore: touched.flatMap((i) => look.callByIndex.get(i) ?? []),
    touchedAfter: touched.flatMap((i) => newCalls.get(i) ?? []),
    quotasChanged: quota.changedIds,
  });
  const unexposed = unexposedServices(ix2);
  const next: Analysis = {
    calls,
    findings: after.findings,
    quotas: quota.quotas,
    hubs,
    groupHubs,
    excess: pairs.excess.list,
    excessMode: pairs.excess.mode,
    excessLevel: pairs.excess.level,
    ...(unexposed.length > 0 ? { unexposed } : {}),
  };
  return {
    brokenCalls,
    restoredCalls,
    openedPairs: pairs.opened,
    closedPairs: pairs.closed,
    quota: quota.changes,
    // Only the re-derived findings can be added or changed, and only the base ones left out removed
    // (the kept ones are the same objects).
    ...findingChanges(after.dropped, after.fresh, look.findingByKey),
    analysis: next,
    workspace: ws2,
  };
};
