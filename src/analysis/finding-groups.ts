// Findings grouped for reading: by rule, then by segment pair (broken calls) or segment, with counts; computed once per analysis.
import { LEVELS, type Level, type Severity, type Workspace } from '../model/types';
import type { Finding, FindingId } from './types';
import { figure, plural } from './wording';

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warn: 1, info: 2 };

/**
 * Among groups of the same worst severity, the order a reviewer wants them: limits and broken calls
 * first (they stop things working), then abuse and fragility, then the informative ones.
 */
export const RULE_PRIORITY: readonly FindingId[] = [
  'quota',
  'broken-call',
  'sg-abuse',
  'vpc-abuse',
  'inconsistent-levels',
  'exposed-colocated',
  'shared-failure-domain',
  'default-allow',
  'single-mechanism',
  'hub',
  'excess-reach',
];

/** Rules whose findings are about a call between two services: grouped by the pair of their segments. */
const PAIR_RULES: ReadonlySet<FindingId> = new Set(['broken-call']);

/** What one finding counts as in a group's summary ("151 calls"). */
const NOUNS: Partial<Record<FindingId, string>> = { 'broken-call': 'call', quota: 'limit', hub: 'hub' };

export interface FindingSubgroup {
  /** Stable within its group: a segment id, "a>b" for a pair, or "" for findings with no segment. */
  key: string;
  kind: 'pair' | 'segment' | 'none';
  /** "sg-app → sg-db", "sg-app", "no segment". */
  label: string;
  /** The level the segments belong to, when known. */
  level?: Level;
  /** Segments to reveal: the pair or the segment. */
  segments: string[];
  severity: Severity;
  findings: Finding[];
}

export interface FindingGroup {
  rule: FindingId;
  /** The worst severity in the group. */
  severity: Severity;
  count: number;
  bySeverity: Record<Severity, number>;
  subgroups: FindingSubgroup[];
  /** "151 calls across 12 segment pairs". */
  summary: string;
}

export interface FindingFilter {
  rule?: FindingId;
  level?: Level;
  severity?: Severity;
}

/** Where a finding belongs inside its rule's group. */
interface Place {
  key: string;
  kind: FindingSubgroup['kind'];
  segments: string[];
  level?: Level;
}

const worst = (a: Severity, b: Severity): Severity => (SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b);

/**
 * Group findings by rule, then by place. A broken call's place is the pair of its two services'
 * segments at the denying level; any other finding's place is its first segment, else the segment
 * of its first service at its level, else at `fallbackLevel` (the focused band), else the first
 * level the service has data for. Every finding lands in exactly one subgroup.
 */
export const groupFindings = (
  findings: readonly Finding[],
  ws: Pick<Workspace, 'services' | 'segments'>,
  fallbackLevel: Level,
): FindingGroup[] => {
  const services = new Map(ws.services.map((s) => [s.id, s]));
  const segments = new Map(ws.segments.map((s) => [s.id, s]));
  const segmentAt = (serviceId: string | undefined, level: Level | undefined): string | undefined => {
    const svc = serviceId === undefined ? undefined : services.get(serviceId);
    if (!svc) return undefined;
    const order = level ? [level, ...LEVELS.filter((l) => l !== level)] : LEVELS;
    for (const l of order) {
      const first = svc.memberships[l]?.[0];
      if (first !== undefined) return first;
    }
    return undefined;
  };
  const placeOf = (f: Finding): Place => {
    if (PAIR_RULES.has(f.id) && f.services.length >= 2 && f.level) {
      const a = services.get(f.services[0] as string)?.memberships[f.level]?.[0] ?? '';
      const b = services.get(f.services[1] as string)?.memberships[f.level]?.[0] ?? '';
      return { key: `${a}>${b}`, kind: 'pair', segments: [a, b].filter(Boolean), level: f.level };
    }
    const seg = f.segments[0] ?? segmentAt(f.services[0], f.level ?? fallbackLevel);
    if (seg === undefined) return { key: '', kind: 'none', segments: [] };
    const level = segments.get(seg)?.level ?? f.level;
    return level
      ? { key: seg, kind: 'segment', segments: [seg], level }
      : { key: seg, kind: 'segment', segments: [seg] };
  };
  const name = (id: string) => segments.get(id)?.name ?? id;
  const labelOf = (p: Place): string => {
    if (p.kind === 'none') return 'no segment';
    if (p.kind === 'segment') return name(p.key);
    const [a, b] = p.key.split('>') as [string, string];
    const none = p.level ? `no ${p.level} segment` : 'no segment';
    return `${a ? name(a) : none} → ${b ? name(b) : none}`;
  };

  const byRule = new Map<FindingId, Map<string, FindingSubgroup>>();
  for (const f of findings) {
    let subs = byRule.get(f.id);
    if (!subs) {
      subs = new Map();
      byRule.set(f.id, subs);
    }
    const place = placeOf(f);
    let sub = subs.get(place.key);
    if (!sub) {
      sub = {
        key: place.key,
        kind: place.kind,
        label: labelOf(place),
        segments: place.segments,
        severity: f.severity,
        findings: [],
      };
      if (place.level) sub.level = place.level;
      subs.set(place.key, sub);
    }
    sub.severity = worst(sub.severity, f.severity);
    sub.findings.push(f);
  }
  const groups: FindingGroup[] = [];
  for (const [rule, subs] of byRule) {
    const subgroups = sortSubgroups([...subs.values()]);
    groups.push(summarise(rule, subgroups));
  }
  return sortGroups(groups);
};

const sortSubgroups = (subs: FindingSubgroup[]): FindingSubgroup[] =>
  subs.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      b.findings.length - a.findings.length ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );

const sortGroups = (groups: FindingGroup[]): FindingGroup[] =>
  groups.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      RULE_PRIORITY.indexOf(a.rule) - RULE_PRIORITY.indexOf(b.rule),
  );

/** Counts and the summary line of a rule's subgroups. */
const summarise = (rule: FindingId, subgroups: FindingSubgroup[]): FindingGroup => {
  const bySeverity: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
  let severity: Severity = 'info';
  for (const s of subgroups) {
    severity = worst(severity, s.severity);
    for (const f of s.findings) bySeverity[f.severity]++;
  }
  const count = bySeverity.error + bySeverity.warn + bySeverity.info;
  const placed = subgroups.filter((s) => s.kind !== 'none');
  const pairs = placed.length > 0 && placed.every((s) => s.kind === 'pair');
  const where = placed.length === 0 ? '' : ` across ${plural(placed.length, pairs ? 'segment pair' : 'segment')}`;
  return {
    rule,
    severity,
    count,
    bySeverity,
    subgroups,
    summary: `${plural(count, NOUNS[rule] ?? 'finding')}${where}`,
  };
};

/** The groups restricted to a filter, with counts and summaries recomputed; empty groups drop out. */
export const filterFindingGroups = (groups: readonly FindingGroup[], filter: FindingFilter): FindingGroup[] => {
  if (!filter.rule && !filter.level && !filter.severity) return [...groups];
  const keep = (f: Finding) =>
    (!filter.level || f.level === filter.level) && (!filter.severity || f.severity === filter.severity);
  const out: FindingGroup[] = [];
  for (const g of groups) {
    if (filter.rule && g.rule !== filter.rule) continue;
    const subs: FindingSubgroup[] = [];
    for (const s of g.subgroups) {
      const findings = s.findings.filter(keep);
      if (findings.length === 0) continue;
      const severity = findings.reduce<Severity>((w, f) => worst(w, f.severity), 'info');
      subs.push({ ...s, findings, severity });
    }
    if (subs.length > 0) out.push(summarise(g.rule, sortSubgroups(subs)));
  }
  return sortGroups(out);
};

/** "2 errors · 1 warning": a group's severities in words (colour is never the only signal). */
export const severityCounts = (c: Record<Severity, number>): string =>
  [
    c.error ? plural(c.error, 'error') : '',
    c.warn ? plural(c.warn, 'warning') : '',
    c.info ? `${figure(c.info)} info` : '',
  ]
    .filter(Boolean)
    .join(' · ');
