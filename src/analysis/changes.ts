// Calls and findings that differ between two analyses: light (types only), shared by the what-if of a move or a plan and a lesson's consequence.
import type { CallSummary, Finding } from './types';

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
/** Same content (findings are small flat records; comparing fields avoids serialising thousands of them). */
export const sameFinding = (a: Finding, b: Finding): boolean =>
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

export interface FindingChanges {
  findingsAdded: Finding[];
  findingsRemoved: Finding[];
  /** Same finding (key), different content: figures, counts, wording. */
  findingsChanged: { before: Finding; after: Finding }[];
}

/**
 * Findings added, removed and changed (same key, other content) from `old` to `findings`. `before` is
 * `old` by key, for a caller that keeps it (a drag previews many moves against one analysis).
 */
export const findingChanges = (
  old: readonly Finding[],
  findings: readonly Finding[],
  before: ReadonlyMap<string, Finding> = new Map(old.map((f) => [f.key, f])),
): FindingChanges => {
  const after = new Map(findings.map((f) => [f.key, f]));
  const changed: { before: Finding; after: Finding }[] = [];
  for (const f of findings) {
    const b = before.get(f.key);
    if (b && !sameFinding(b, f)) changed.push({ before: b, after: f });
  }
  return {
    findingsAdded: findings.filter((f) => !before.has(f.key)),
    findingsRemoved: old.filter((f) => !after.has(f.key)),
    findingsChanged: changed,
  };
};

/** Calls allowed before and broken after (`brokenCalls`), and the other way round, as the later analysis has them. */
export const callChanges = <C extends CallSummary>(
  old: readonly CallSummary[],
  calls: readonly C[],
): { brokenCalls: C[]; restoredCalls: C[] } => {
  const was = new Map(old.map((c) => [c.index, c.class]));
  return {
    brokenCalls: calls.filter((c) => c.class === 'broken' && was.get(c.index) === 'allowed'),
    restoredCalls: calls.filter((c) => c.class === 'allowed' && was.get(c.index) === 'broken'),
  };
};
