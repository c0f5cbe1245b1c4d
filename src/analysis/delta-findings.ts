// The findings after a what-if move: each rule re-runs only when an input it reads changed; otherwise its findings are kept.

import { LEVELS, type Level, type Workspace } from '../model/types';
import type { AnalysisIndex } from './context';
import { FINDING_RULES } from './findings';
import { brokenCall } from './findings/broken-call';
import { callKey, compareFindings, type FindingContext } from './findings/context';
import { DEFAULT_ALLOW_PARTS } from './findings/default-allow';
import { colocatedFindings } from './findings/exposed-colocated';
import { mismatchFindings, parentFindings } from './findings/inconsistent-levels';
import { quotaKey } from './quota-changes';
import type { Analysis, CallVerdict, Finding, FindingId, QuotaUse } from './types';

/** What a move changed, as the finding rules read it. */
export interface MoveChanges {
  /** The moved service's index (the same in both indexes) and the level of the move. */
  service: number;
  level: Level;
  from: string | null;
  to: string | null;
  ws1: Workspace;
  ix1: AnalysisIndex;
  /** The verdicts of the calls touching the moved service, before and after the move. */
  touchedBefore: readonly CallVerdict[];
  touchedAfter: readonly CallVerdict[];
  /** Quota ids with a use that appeared, disappeared or changed figures. */
  quotasChanged: ReadonlySet<string>;
}

/** Quota ids whose uses differ between the old uses of the touched subjects and their recomputed ones. */
export const changedQuotaIds = (old: readonly QuotaUse[], recomputed: readonly QuotaUse[]): Set<string> => {
  const out = new Set<string>();
  const fresh = new Map(recomputed.map((u) => [quotaKey(u), u]));
  for (const u of old) {
    const n = fresh.get(quotaKey(u));
    if (!n || n.used !== u.used || n.limit !== u.limit || n.state !== u.state || n.label !== u.label) out.add(u.quota);
    fresh.delete(quotaKey(u));
  }
  for (const u of fresh.values()) out.add(u.quota);
  return out;
};

const populated = (ix: AnalysisIndex, id: string | null) => id !== null && (ix.members.get(id)?.length ?? 0) > 0;

/** A group or policy level verdict as shared-failure-domain reads it (the sole allowing rule). */
const soleRuleView = (c: CallVerdict) =>
  `${c.class}|${(['group', 'policy'] as const)
    .map((l) => {
      const v = c.verdict.levels[l];
      return `${v.verdict}:${(v.allowing ?? []).join(',')}:${v.rule?.summary ?? ''}`;
    })
    .join('|')}`;

/**
 * When each rule must re-run, from what it reads (see the rule's module). A move changes one service's
 * memberships at one level (and, at the policy level, its labels), the verdicts of the calls touching
 * it, the quotas of the subjects it touches, the pairs with it, and the moved hub's rule cost.
 */
const RERUN: Record<
  Exclude<FindingId, 'broken-call' | 'inconsistent-levels' | 'default-allow' | 'exposed-colocated'>,
  (m: MoveChanges, ctx: FindingContext) => boolean
> = {
  // Reads the patched excess counts: cheap, one finding per source.
  'excess-reach': () => true,
  quota: (m) => m.quotasChanged.size > 0,
  // Reads the hubs (the moved hub's rule cost) and each hub's groups.
  hub: (m, ctx) => ctx.hubs.some((h) => h.service === ctx.ix.services[m.service]?.id),
  // Reads group memberships (members of groups, each service's groups) and inbound-rule quotas.
  'sg-abuse': (m) => m.level === 'group' || m.quotasChanged.has('aws.inbound-rules-per-group'),
  // Reads network units (network memberships), the workspace's calls and subnet address quotas.
  'vpc-abuse': (m) => m.level === 'network' || m.quotasChanged.has('aws.reserved-addresses-per-subnet'),
  // Reads which segments have members: only the move's two segments can gain or lose their last one.
  'single-mechanism': (m, ctx) =>
    populated(m.ix1, m.from) !== populated(ctx.ix, m.from) || populated(m.ix1, m.to) !== populated(ctx.ix, m.to),
  // Reads hub and critical services' memberships, and the allowed calls into critical services.
  'shared-failure-domain': (m, ctx) => {
    const s = m.ws1.services[m.service];
    if (s?.critical === true || RERUN.hub(m, ctx)) return true;
    const before = new Map(m.touchedBefore.map((c) => [c.index, c]));
    return m.touchedAfter.some((c) => {
      const to = ctx.ix.byId.get(c.to);
      if (to === undefined || ctx.ix.services[to]?.critical !== true) return false;
      const b = before.get(c.index);
      return b === undefined || soleRuleView(b) !== soleRuleView(c);
    });
  },
};

/** default-allow by part: only the part reading the moved level re-runs (its findings carry the part's level). */
const defaultAllowAfter = (old: readonly Finding[], m: MoveChanges, ctx: FindingContext): Finding[] =>
  DEFAULT_ALLOW_PARTS.flatMap((p) =>
    (p.reads as readonly Level[]).includes(m.level) ? p.run(ctx) : old.filter((f) => f.level === p.level),
  );

/**
 * inconsistent-levels in two parts: the call mismatches re-run when a touched call is or was broken;
 * the per-segment findings re-run for the segments the moved service is or was in (its resolved
 * parents changed) and the move's two segments (their members changed).
 */
const inconsistentAfter = (old: readonly Finding[], m: MoveChanges, ctx: FindingContext): Finding[] => {
  const out: Finding[] = [];
  const anyBroken = [...m.touchedBefore, ...m.touchedAfter].some((c) => c.class === 'broken');
  if (anyBroken) out.push(...mismatchFindings(ctx));
  else out.push(...old.filter((f) => f.key.startsWith('inconsistent-levels:calls:')));
  const ids = new Set<string>([m.from, m.to].filter((x): x is string => x !== null));
  for (const s of [m.ws1.services[m.service], ctx.ix.services[m.service]])
    for (const l of LEVELS) for (const id of s?.memberships[l] ?? []) ids.add(id);
  const segs = [...ids].flatMap((id) => {
    const seg = ctx.ix.segments.get(id);
    return seg ? [seg] : [];
  });
  // Per-segment findings name their segment first.
  out.push(
    ...old.filter((f) => !f.key.startsWith('inconsistent-levels:calls:') && !ids.has(f.segments[0] as string)),
    ...parentFindings(ctx, segs),
  );
  return out;
};

/**
 * exposed-colocated reads only exposed and critical services (their segments and hosts): all re-run
 * when a critical service moves, only the moved one's when it is exposed, none otherwise.
 */
const colocatedAfter = (old: readonly Finding[], m: MoveChanges, ctx: FindingContext): Finding[] => {
  const moved = [m.ws1.services[m.service], ctx.ix.services[m.service]];
  if (moved.some((x) => x?.critical === true)) return colocatedFindings(ctx);
  if (!moved.some((x) => x?.exposed === true)) return [...old];
  const own = `exposed-colocated:${moved[0]?.id}`;
  return [...old.filter((f) => f.key !== own), ...colocatedFindings(ctx, new Set([m.service]))];
};

/** The findings after the move, sorted: broken-call patched for the touched calls, the other rules re-run or kept. */
export const findingsAfter = (analysis: Analysis, ctx: FindingContext, m: MoveChanges): Finding[] => {
  const byRule = new Map<FindingId, Finding[]>();
  for (const f of analysis.findings) {
    const list = byRule.get(f.id);
    if (list) list.push(f);
    else byRule.set(f.id, [f]);
  }
  const touchedKeys = new Set([...m.touchedBefore, ...m.touchedAfter].map((c) => `broken-call:${callKey(c)}`));
  const findings: Finding[] = [
    ...(byRule.get('broken-call') ?? []).filter((f) => !touchedKeys.has(f.key)),
    ...brokenCall({ ...ctx, calls: m.touchedAfter }),
    ...inconsistentAfter(byRule.get('inconsistent-levels') ?? [], m, ctx),
    ...defaultAllowAfter(byRule.get('default-allow') ?? [], m, ctx),
    ...colocatedAfter(byRule.get('exposed-colocated') ?? [], m, ctx),
  ];
  for (const [id, rerun] of Object.entries(RERUN) as [keyof typeof RERUN, (typeof RERUN)[keyof typeof RERUN]][]) {
    findings.push(...(rerun(m, ctx) ? FINDING_RULES[id](ctx) : (byRule.get(id) ?? [])));
  }
  return findings.sort(compareFindings);
};
