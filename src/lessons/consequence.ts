// What an applied action did, from the analyses before and after: the what-if's terms for any command (split, merge, move).

import { callChanges, findingChanges } from '../analysis/changes';
import type { MoveDelta } from '../analysis/delta';
import { quotaChanges } from '../analysis/quota-changes';
import type { AnalysisSummary, CallSummary, CallVerdict } from '../analysis/types';

/**
 * The what-if panel's shape (src/worker/core.ts PreviewDelta), so the same panel shows it; calls
 * carry their per-level verdicts when the analysis had them (the page's summaries do not).
 */
export type Consequence = Omit<MoveDelta, 'analysis' | 'workspace' | 'brokenCalls' | 'restoredCalls'> & {
  brokenCalls: (CallSummary & Partial<Pick<CallVerdict, 'verdict'>>)[];
  restoredCalls: CallSummary[];
};

const pairKey = (p: { from: string; to: string }) => `${p.from}>${p.to}`;

/**
 * The difference of two analyses of the same calls. Reach opened or closed is the change in pairs
 * reachable but never called (called pairs show as broken or restored); it is listed only when both
 * analyses list excess per service.
 */
export const analysisDelta = (before: AnalysisSummary, after: AnalysisSummary): Consequence => {
  const perService = before.excessMode !== 'segment' && after.excessMode !== 'segment';
  const excessBefore = new Set(before.excess.map(pairKey));
  const excessAfter = new Set(after.excess.map(pairKey));
  return {
    ...callChanges(before.calls, after.calls),
    openedPairs: perService ? after.excess.filter((p) => !excessBefore.has(pairKey(p))) : [],
    closedPairs: perService ? before.excess.filter((p) => !excessAfter.has(pairKey(p))) : [],
    quota: quotaChanges(before.quotas, after.quotas),
    ...findingChanges(before.findings, after.findings),
  };
};
