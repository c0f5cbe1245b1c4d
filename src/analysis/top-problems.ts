// "Top problems": the few lines a review room reads first — limits crossed, the most broken segment pairs, the biggest hubs.
import type { Level, Severity, Workspace } from '../model/types';
import type { FindingGroup } from './finding-groups';
import type { Analysis, QuotaUse } from './types';
import { plural, quotaLine, quotaPercent, subjectName } from './wording';

export interface TopProblem {
  kind: 'quota' | 'broken-pair' | 'hub' | 'group-hub';
  /** ▲ over a quota, △ near one, ✕ broken calls, ★ hub: a shape, so colour is never the only signal. */
  glyph: '▲' | '△' | '✕' | '★';
  severity: Severity;
  text: string;
  /** What a click reveals. */
  services: string[];
  segments: string[];
  level?: Level;
}

export interface TopProblemsSection {
  kind: TopProblem['kind'] | 'quota-warn';
  items: TopProblem[];
  /** How many more of this kind there are beyond the items shown. */
  more: number;
}

/** Items per kind: a summary that fits a projector's left panel, not a second list. */
export const TOP_PER_KIND = 2;

const ratio = (u: QuotaUse) => (u.limit > 0 ? u.used / u.limit : Number.POSITIVE_INFINITY);

/**
 * The sections in reading order: quotas over the limit (worst ratio first), the segment pairs with
 * the most broken calls, quotas near the limit when none is over, then hubs by callers and groups
 * by references. Sections with nothing to say are left out.
 */
export const topProblems = (
  analysis: Pick<Analysis, 'quotas' | 'hubs' | 'groupHubs'>,
  ws: Pick<Workspace, 'services' | 'segments'>,
  groups: readonly FindingGroup[],
): TopProblemsSection[] => {
  const services = new Map(ws.services.map((s) => [s.id, s.name]));
  const segments = new Map(ws.segments.map((s) => [s.id, s.name]));
  const who = (u: QuotaUse) =>
    u.subject.kind === 'segment'
      ? (segments.get(u.subject.id) ?? u.subject.id)
      : u.subject.kind === 'service'
        ? (services.get(u.subject.id) ?? u.subject.id)
        : subjectName(u.subject.id);
  const quotaItem = (u: QuotaUse): TopProblem => {
    const item: TopProblem = {
      kind: 'quota',
      glyph: u.state === 'error' ? '▲' : '△',
      severity: u.state === 'error' ? 'error' : 'warn',
      text: `${quotaLine(u, who(u))} (${quotaPercent(u)} %)`,
      services: u.subject.kind === 'service' ? [u.subject.id] : [],
      segments: u.subject.kind === 'segment' ? [u.subject.id] : [],
    };
    if (u.level) item.level = u.level;
    return item;
  };
  const section = (kind: TopProblemsSection['kind'], all: TopProblem[]): TopProblemsSection[] =>
    all.length === 0 ? [] : [{ kind, items: all.slice(0, TOP_PER_KIND), more: Math.max(0, all.length - TOP_PER_KIND) }];
  const byRatio = (state: QuotaUse['state']) =>
    analysis.quotas
      .filter((u) => u.state === state)
      .sort((a, b) => ratio(b) - ratio(a) || b.used - a.used)
      .map(quotaItem);
  const over = byRatio('error');
  const broken = groups.find((g) => g.rule === 'broken-call');
  const pairs = [...(broken?.subgroups ?? [])]
    .sort((a, b) => b.findings.length - a.findings.length)
    .map((s): TopProblem => {
      const item: TopProblem = {
        kind: 'broken-pair',
        glyph: '✕',
        severity: 'error',
        text: `${s.label}: ${plural(s.findings.length, 'broken call')}`,
        services: [...new Set(s.findings.flatMap((f) => f.services))],
        segments: s.segments,
      };
      if (s.level) item.level = s.level;
      return item;
    });
  const hubs = analysis.hubs.map(
    (h): TopProblem => ({
      kind: 'hub',
      glyph: '★',
      severity: 'info',
      text: `${services.get(h.service) ?? h.service}: called by ${plural(h.callers, 'service')} (${Math.round(h.share * 100)} %)`,
      services: [h.service],
      segments: [],
    }),
  );
  const groupHubs = analysis.groupHubs.map(
    (h): TopProblem => ({
      kind: 'group-hub',
      glyph: '★',
      severity: 'info',
      text: `${segments.get(h.group) ?? h.group}: referenced by ${plural(h.references, 'group')}, ${plural(h.ruleCost, 'rule')}`,
      services: [],
      segments: [h.group],
      level: 'group',
    }),
  );
  return [
    ...section('quota', over),
    ...section('broken-pair', pairs),
    ...(over.length === 0 ? section('quota-warn', byRatio('warn')) : []),
    ...section('hub', hubs),
    ...section('group-hub', groupHubs),
  ];
};
