// What a plan costs beyond the finding it fixes: the problems it creates or worsens, and the others it resolves.
import type { MoveDelta } from '../analysis/delta';
import type { Finding } from '../analysis/types';
import { figure, quotaNoun, subjectName } from '../analysis/wording';
import type { Severity } from '../model/types';

/** A finding a plan creates, or a quota it pushes further past its warning line. */
export interface Problem {
  key: string;
  severity: Exclude<Severity, 'info'>;
  text: string;
}

/** Broken calls and excess reach have figures of their own in a fix (broken, opened): not counted twice. */
const COUNTED_ELSEWHERE: ReadonlySet<string> = new Set(['broken-call', 'excess-reach']);

const RANK: Record<Severity, number> = { info: 0, warn: 1, error: 2 };

const weight = (xs: readonly { severity: Severity }[]): number =>
  xs.reduce((n, x) => n + (x.severity === 'error' ? 2 : 1), 0);

const counts = (f: Finding): f is Finding & { severity: Problem['severity'] } =>
  f.severity !== 'info' && !COUNTED_ELSEWHERE.has(f.id);

/**
 * The problems a plan creates: each quota it raises while at or over the warning line (DESIGN.md
 * quota: "warn at ≥ 80 %, error above 100 %": 4 → 5 of 5 inbound rules is one, though the quota
 * finding was there before), each new warning or error finding, each finding whose severity rises;
 * how many warnings and errors besides `finding` it resolves; and the net of the two, an error
 * weighing two warnings (what fixes rank by after closing and breaking nothing).
 */
export const planProblems = (
  finding: Finding,
  delta: MoveDelta,
): { problems: Problem[]; resolved: number; net: number } => {
  const ws = delta.workspace;
  const name = (id: string) =>
    ws.services.find((s) => s.id === id)?.name ?? ws.segments.find((s) => s.id === id)?.name ?? subjectName(id);
  const out = new Map<string, Problem>();
  for (const q of delta.quota) {
    if (q.after <= q.before || q.state === 'ok') continue;
    const key = `quota:${q.quota}:${q.subject.id}`;
    const where = q.state === 'error' ? 'over the limit' : '≥ 80 %';
    out.set(key, {
      key,
      severity: q.state,
      text: `${name(q.subject.id)}: ${figure(q.before)} → ${figure(q.after)} of ${figure(q.limit)} ${quotaNoun(q.quota, q.label)} (${where})`,
    });
  }
  const add = (f: Finding) => {
    if (counts(f) && !out.has(f.key)) out.set(f.key, { key: f.key, severity: f.severity, text: f.message });
  };
  for (const f of delta.findingsAdded) add(f);
  for (const { before, after } of delta.findingsChanged) if (RANK[after.severity] > RANK[before.severity]) add(after);
  const gone = delta.findingsRemoved.filter((f) => f.key !== finding.key && counts(f));
  const problems = [...out.values()];
  return { problems, resolved: gone.length, net: weight(problems) - weight(gone) };
};
