// What an applied action did, from the analyses before and after: the what-if's terms for any command (split, merge, move).
import type { MoveDelta } from '../analysis/delta';
import { quotaChanges } from '../analysis/quota-changes';
import type { AnalysisSummary, CallSummary, CallVerdict, Finding } from '../analysis/types';

/**
 * The what-if panel's shape (src/worker/core.ts PreviewDelta), so the same panel shows it; calls
 * carry their per-level verdicts when the analysis had them (the page's summaries do not).
 */
export type Consequence = Omit<MoveDelta, 'analysis' | 'workspace' | 'brokenCalls' | 'restoredCalls'> & {
  brokenCalls: (CallSummary & Partial<Pick<CallVerdict, 'verdict'>>)[];
  restoredCalls: CallSummary[];
};

const pairKey = (p: { from: string; to: string }) => `${p.from}>${p.to}`;
const sameFinding = (a: Finding, b: Finding) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The difference of two analyses of the same calls. Reach opened or closed is the change in pairs
 * reachable but never called (called pairs show as broken or restored); it is listed only when both
 * analyses list excess per service.
 */
export const analysisDelta = (before: AnalysisSummary, after: AnalysisSummary): Consequence => {
  const was = new Map(before.calls.map((c) => [c.index, c]));
  const brokenCalls = after.calls.filter((c) => c.class === 'broken' && was.get(c.index)?.class === 'allowed');
  const restoredCalls = after.calls.filter((c) => c.class === 'allowed' && was.get(c.index)?.class === 'broken');
  const perService = before.excessMode !== 'segment' && after.excessMode !== 'segment';
  const excessBefore = new Set(before.excess.map(pairKey));
  const excessAfter = new Set(after.excess.map(pairKey));
  const openedPairs = perService ? after.excess.filter((p) => !excessBefore.has(pairKey(p))) : [];
  const closedPairs = perService ? before.excess.filter((p) => !excessAfter.has(pairKey(p))) : [];
  const fBefore = new Map(before.findings.map((f) => [f.key, f]));
  const fAfter = new Map(after.findings.map((f) => [f.key, f]));
  return {
    brokenCalls,
    restoredCalls,
    openedPairs,
    closedPairs,
    quota: quotaChanges(before.quotas, after.quotas),
    findingsAdded: after.findings.filter((f) => !fBefore.has(f.key)),
    findingsRemoved: before.findings.filter((f) => !fAfter.has(f.key)),
    findingsChanged: after.findings.flatMap((f) => {
      const b = fBefore.get(f.key);
      return b && !sameFinding(b, f) ? [{ before: b, after: f }] : [];
    }),
  };
};
