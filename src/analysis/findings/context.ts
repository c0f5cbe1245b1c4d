// What every finding rule reads: the index, call verdicts, quota uses, hubs and excess counts; plus naming helpers.
import { LEVELS, type Level, type Severity } from '../../model/types';
import type { AnalysisIndex } from '../context';
import type { ExcessResult } from '../excess';
import { levelResult, namedVerdict } from '../reach';
import type { CallVerdict, Finding, GroupHub, Hub, LevelVerdict, QuotaUse } from '../types';

export interface FindingContext {
  ix: AnalysisIndex;
  calls: readonly CallVerdict[];
  quotas: readonly QuotaUse[];
  hubs: readonly Hub[];
  groupHubs: readonly GroupHub[];
  excess: ExcessResult;
}

export type FindingRule = (ctx: FindingContext) => Finding[];

export const serviceName = (ctx: FindingContext, id: string): string => {
  const i = ctx.ix.byId.get(id);
  return i === undefined ? id : (ctx.ix.services[i]?.name ?? id);
};

export const segmentName = (ctx: FindingContext, id: string): string => ctx.ix.segments.get(id)?.name ?? id;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warn: 1, info: 2 };

export const compareFindings = (a: Finding, b: Finding): number =>
  SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
  (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Stable key of a call: endpoints, port and protocol (duplicates of one call collapse into one finding). */
export const callKey = (c: { from: string; to: string; port?: number; verdict: { protocol?: string } }): string =>
  `${c.from}->${c.to}:${c.port ?? '*'}${c.port !== undefined ? `/${c.verdict.protocol ?? 'TCP'}` : ''}`;

// One level's texts of a call naming its services: what broken-call and inconsistent-levels print.
const namedOne = new WeakMap<CallVerdict, Partial<Record<Level, LevelVerdict>>>();

export const namedLevel = (ctx: FindingContext, c: CallVerdict, level: Level): LevelVerdict => {
  let byLevel = namedOne.get(c);
  if (!byLevel) {
    byLevel = {};
    namedOne.set(c, byLevel);
  }
  const hit = byLevel[level];
  if (hit) return hit;
  const a = ctx.ix.byId.get(c.from);
  const b = ctx.ix.byId.get(c.to);
  if (a === undefined || b === undefined) return c.verdict.levels[level];
  const port = c.port;
  const raw = levelResult(
    ctx.ix,
    LEVELS.indexOf(level),
    a,
    b,
    port === undefined ? undefined : { protocol: c.verdict.protocol ?? 'TCP', port },
  );
  const v = namedVerdict(ctx.ix, a, b, raw);
  byLevel[level] = v;
  return v;
};
