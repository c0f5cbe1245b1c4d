// The findings after a what-if move: each rule re-runs only when an input it reads changed; otherwise its findings are kept.

import { lowerBound } from '../model/sorted';
import { LEVELS, type Level, type Service, type Workspace } from '../model/types';
import type { AnalysisIndex } from './context';
import { exposureOf } from './exposure';
import { FINDING_RULES } from './findings';
import { brokenCall } from './findings/broken-call';
import { callKey, compareFindings, type FindingContext } from './findings/context';
import { DEFAULT_ALLOW_PARTS, namespaceFinding, podsByNamespace } from './findings/default-allow';
import { colocatedFindings, finestFirst, finestShared } from './findings/exposed-colocated';
import { mismatchFindings, parentFindings } from './findings/inconsistent-levels';
import { perAnalysis, perIndex } from './per-rules-segments';
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

// Pods per namespace of a base index (every preview against it starts from them).
const basePods = perIndex(podsByNamespace);
/**
 * The namespace part after a policy or role move: only the moved service's endpoint changed, so
 * only the namespaces it left and joined can change (their pods, or whether a policy selects one).
 */
const namespacesAfter = (old: readonly Finding[], m: MoveChanges, ctx: FindingContext): Finding[] => {
  const base = basePods(m.ix1);
  const s = m.service;
  const after = ctx.ix.levels.policy.endpoint(s);
  const nss = new Set<string>();
  for (const ep of [m.ix1.levels.policy.endpoint(s), after])
    if (ep.pod && ep.namespace !== undefined) nss.add(ep.namespace);
  const fresh = [...nss].flatMap((ns) => {
    const pods = (base.get(ns) ?? []).filter((i) => i !== s);
    if (after.pod && after.namespace === ns) pods.splice(lowerBound(pods, s), 0, s);
    return namespaceFinding(ctx, ns, pods) ?? [];
  });
  const rerun = new Set([...nss].map((ns) => `default-allow:namespace:${ns}`));
  return [...old.filter((f) => f.level === 'policy' && !rerun.has(f.key)), ...fresh];
};

/** default-allow by part: only the part reading the moved level re-runs (its findings carry the part's level). */
const defaultAllowAfter = (old: readonly Finding[], m: MoveChanges, ctx: FindingContext): Finding[] =>
  DEFAULT_ALLOW_PARTS.flatMap((p) => {
    if (!(p.reads as readonly Level[]).includes(m.level)) return old.filter((f) => f.level === p.level);
    return p.level === 'policy' ? namespacesAfter(old, m, ctx) : p.run(ctx);
  });

// Positions of an analysis's broken calls, and each call's position by call index (per analysis).
const brokenOf = perAnalysis((analysis) => {
  const broken: number[] = [];
  const position = new Map<number, number>();
  analysis.calls.forEach((c, k) => {
    position.set(c.index, k);
    if (c.class === 'broken') broken.push(k);
  });
  return { broken, position };
});
/**
 * The calls that can be broken after the move, in the analysis's order: the broken ones before it
 * and the touched ones (the call mismatches read broken calls only; 15,000 calls at 5,000 services).
 */
const brokenCandidates = (analysis: Analysis, m: MoveChanges, ctx: FindingContext): CallVerdict[] => {
  const hit = brokenOf(analysis);
  const positions = new Set(hit.broken);
  for (const c of m.touchedAfter) {
    const k = hit.position.get(c.index);
    if (k !== undefined) positions.add(k);
  }
  return [...positions].sort((a, b) => a - b).map((k) => ctx.calls[k] as CallVerdict);
};

/**
 * inconsistent-levels in two parts: the call mismatches re-run when a touched call is or was broken;
 * the per-segment findings re-run for the segments the moved service is or was in (its resolved
 * parents changed) and the move's two segments (their members changed).
 */
const inconsistentAfter = (
  analysis: Analysis,
  old: readonly Finding[],
  m: MoveChanges,
  ctx: FindingContext,
): Finding[] => {
  const out: Finding[] = [];
  const anyBroken = [...m.touchedBefore, ...m.touchedAfter].some((c) => c.class === 'broken');
  if (anyBroken) out.push(...mismatchFindings({ ...ctx, calls: brokenCandidates(analysis, m, ctx) }));
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

/** How an exposed service relates to a critical one, as its finding reads it: a shared host, or the finest shared segment. */
const relation = (e: Service, c: Service, cLevels: ReturnType<typeof finestFirst>): string => {
  const host = e.placement?.host;
  if (host !== undefined && host === c.placement?.host) return 'host';
  const f = finestShared(finestFirst(e), cLevels);
  return f?.segment !== undefined ? `${f.level}|${f.segment}` : '';
};

/**
 * The exposed services whose finding a moved critical service changes: those that named it or can
 * name it now (members of its segments, its host), where their relation to it changed.
 */
const colocatedByCritical = (m: MoveChanges, ctx: FindingContext, old: readonly Finding[], only: Set<number>) => {
  const before = m.ws1.services[m.service] as Service;
  const after = ctx.ix.services[m.service] as Service;
  const levels1 = finestFirst(before);
  const levels2 = finestFirst(after);
  const changed = (i: number) => {
    const e = ctx.ix.services[i] as Service;
    return relation(e, before, levels1) !== relation(e, after, levels2);
  };
  for (const f of old) {
    if (!f.services.includes(after.id)) continue;
    const e = ctx.ix.byId.get(f.services[0] as string);
    if (e !== undefined && changed(e)) only.add(e);
  }
  const exposure = exposureOf(ctx.ix);
  const candidate = (i: number) => i !== m.service && !only.has(i) && exposure(i).exposed && changed(i);
  const seen = new Set<number>();
  for (const l of LEVELS)
    for (const id of after.memberships[l] ?? [])
      for (const i of ctx.ix.members.get(id) ?? []) {
        if (seen.has(i)) continue;
        seen.add(i);
        if (candidate(i)) only.add(i);
      }
  const host = after.placement?.host;
  if (host !== undefined)
    ctx.ix.services.forEach((x, i) => {
      if (x.placement?.host === host && candidate(i)) only.add(i);
    });
};

/**
 * exposed-colocated reads only exposed and critical services (their segments and hosts), and each
 * exposed service's finding only its own relations to the critical ones. A moved exposed service
 * re-runs its own finding; a moved critical one those whose relation to it changed.
 */
const colocatedAfter = (old: readonly Finding[], m: MoveChanges, ctx: FindingContext): Finding[] => {
  const moved = [m.ws1.services[m.service], ctx.ix.services[m.service]];
  const only = new Set<number>();
  if (moved.some((x) => x?.exposed === true)) only.add(m.service);
  if (moved.some((x) => x?.critical === true) && moved[0] && moved[1]) colocatedByCritical(m, ctx, old, only);
  if (only.size === 0) return [...old];
  const rerun = new Set([...only].map((i) => `exposed-colocated:${ctx.ix.services[i]?.id}`));
  return [...old.filter((f) => !rerun.has(f.key)), ...colocatedFindings(ctx, only)];
};

// Positions in an analysis's calls of the calls into critical services: the only calls
// shared-failure-domain reads (a move changes neither the calls nor which services are critical).
// (`ix` is the analysis's own index.)
const criticalCallsOf = perAnalysis((analysis, ix: AnalysisIndex): number[] => {
  const hit: number[] = [];
  analysis.calls.forEach((c, k) => {
    const to = ix.byId.get(c.to);
    if (to !== undefined && ix.services[to]?.critical === true) hit.push(k);
  });
  return hit;
});

// An analysis's findings by rule: every preview of its workspace starts from them.
const byRuleOf = perAnalysis((analysis): Map<FindingId, Finding[]> => {
  const byRule = new Map<FindingId, Finding[]>();
  for (const f of analysis.findings) {
    const list = byRule.get(f.id);
    if (list) list.push(f);
    else byRule.set(f.id, [f]);
  }
  return byRule;
});

// An analysis's findings as a set: what a preview keeps of them is told from what it re-derives by identity.
const findingSetOf = perAnalysis((analysis) => new Set(analysis.findings));

/** The findings after a move, and which of them are new objects (`fresh`) and which base ones it left out (`dropped`). */
export interface FindingsAfter {
  findings: Finding[];
  /** Findings the move re-derived (new objects), sorted. */
  fresh: Finding[];
  /** Findings of the base analysis the move did not keep, in its order. */
  dropped: Finding[];
}

/**
 * The base analysis's findings are sorted: the ones kept stay in its order and the re-derived ones,
 * sorted on their own (a few dozen), are merged in (no sort of the whole list per move).
 */
const mergeFindings = (analysis: Analysis, findings: readonly Finding[]): FindingsAfter => {
  const old = findingSetOf(analysis);
  const kept = new Set<Finding>();
  const fresh: Finding[] = [];
  for (const f of findings) {
    if (old.has(f)) kept.add(f);
    else fresh.push(f);
  }
  fresh.sort(compareFindings);
  const out: Finding[] = [];
  const dropped: Finding[] = [];
  let j = 0;
  for (const f of analysis.findings) {
    if (!kept.has(f)) {
      dropped.push(f);
      continue;
    }
    while (j < fresh.length && compareFindings(fresh[j] as Finding, f) < 0) out.push(fresh[j++] as Finding);
    out.push(f);
  }
  while (j < fresh.length) out.push(fresh[j++] as Finding);
  return { findings: out, fresh, dropped };
};

/** The findings after the move, sorted: broken-call patched for the touched calls, the other rules re-run or kept. */
export const findingsAfter = (analysis: Analysis, ctx: FindingContext, m: MoveChanges): FindingsAfter => {
  const byRule = byRuleOf(analysis);
  const touchedKeys = new Set([...m.touchedBefore, ...m.touchedAfter].map((c) => `broken-call:${callKey(c)}`));
  const findings: Finding[] = [
    ...(byRule.get('broken-call') ?? []).filter((f) => !touchedKeys.has(f.key)),
    ...brokenCall({ ...ctx, calls: m.touchedAfter }),
    ...inconsistentAfter(analysis, byRule.get('inconsistent-levels') ?? [], m, ctx),
    ...defaultAllowAfter(byRule.get('default-allow') ?? [], m, ctx),
    ...colocatedAfter(byRule.get('exposed-colocated') ?? [], m, ctx),
  ];
  for (const [id, rerun] of Object.entries(RERUN) as [keyof typeof RERUN, (typeof RERUN)[keyof typeof RERUN]][]) {
    if (!rerun(m, ctx)) findings.push(...(byRule.get(id) ?? []));
    else if (id === 'shared-failure-domain') {
      const calls = criticalCallsOf(analysis, m.ix1).map((k) => ctx.calls[k] as CallVerdict);
      findings.push(...FINDING_RULES[id]({ ...ctx, calls }));
    } else findings.push(...FINDING_RULES[id](ctx));
  }
  return mergeFindings(analysis, findings);
};
