// Quota figures that differ between two analyses: light (types only), so the page's lesson code uses it without the what-if engine.
import type { Level } from '../model/types';
import type { QuotaUse } from './types';

/** A quota figure a move changes: `${before} → ${after} / ${limit}`. A use that appears or disappears counts as 0 on the other side. */
export interface QuotaChange {
  quota: string;
  label: string;
  level?: Level;
  subject: QuotaUse['subject'];
  before: number;
  after: number;
  limit: number;
  /** State before and after (ok / warn / error). */
  stateBefore: QuotaUse['state'];
  state: QuotaUse['state'];
}

/** Stable identity of a quota use, for diffs before/after a move: a segment and a service may share an id. */
export const quotaKey = (u: QuotaUse): string => `${u.quota}|${u.subject.kind}|${u.subject.id}`;

/** The quota uses that differ between two lists (by quota and subject), as before → after. */
export const quotaChanges = (before: readonly QuotaUse[], after: readonly QuotaUse[]): QuotaChange[] => {
  const was = new Map(before.map((u) => [quotaKey(u), u]));
  const now = new Map(after.map((u) => [quotaKey(u), u]));
  const out: QuotaChange[] = [];
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const b = was.get(key);
    const a = now.get(key);
    if (b && a && b.used === a.used && b.limit === a.limit) continue;
    const u = (a ?? b) as QuotaUse;
    const change: QuotaChange = {
      quota: u.quota,
      label: u.label,
      subject: u.subject,
      before: b?.used ?? 0,
      after: a?.used ?? 0,
      limit: u.limit,
      stateBefore: b?.state ?? 'ok',
      state: a?.state ?? 'ok',
    };
    if (u.level) change.level = u.level;
    out.push(change);
  }
  return out;
};
