// The whole analysis of a workspace: call verdicts, quota uses, hubs, excess reach and every finding.
import type { Workspace } from '../model/types';
import { type AnalysisIndex, buildIndex } from './context';
import { computeExcess, DEFAULT_EXCESS_OPTIONS, type ExcessOptions, type ExcessResult } from './excess';
import { unexposedServices } from './exposure';
import { type FindingContext, runFindings } from './findings';
import { computeGroupHubs, computeHubs, hubRuleCost } from './hubs';
import { computeQuotas } from './quotas';
import { evaluatePair } from './reach';
import type { Analysis, AnalysisSummary, CallVerdict } from './types';

export type AnalyzeOptions = Partial<ExcessOptions>;

/** The steps of an analysis, in order, with the share of the time each takes on large estates. */
export const ANALYSIS_STEPS = [
  { step: 'calls', share: 0.4 },
  { step: 'quotas', share: 0.05 },
  { step: 'hubs', share: 0.05 },
  { step: 'excess', share: 0.42 },
  { step: 'findings', share: 0.08 },
] as const;
export type AnalysisStep = (typeof ANALYSIS_STEPS)[number]['step'];

/** Told how far an analysis is: `done` of `total` units of one step (calls for 'calls', else 0 of 1). */
export type AnalysisProgress = (step: AnalysisStep, done: number, total: number) => void;

/** The fraction of the whole analysis done, from a step and how far into it. */
export const analysisFraction = (step: AnalysisStep, done: number, total: number): number => {
  let before = 0;
  for (const s of ANALYSIS_STEPS) {
    if (s.step === step) return before + s.share * (total > 0 ? Math.min(1, done / total) : 0);
    before += s.share;
  }
  return 1;
};

/** Calls between two progress reports: frequent enough for a live figure, rare enough to cost nothing. */
const CALLS_PER_REPORT = 500;

/** Verdict of one call; a call without a port asks whether some connection gets through. */
export const callVerdict = (ix: AnalysisIndex, index: number): CallVerdict | undefined => {
  const c = ix.ws.calls[index];
  if (!c) return undefined;
  const a = ix.byId.get(c.from);
  const b = ix.byId.get(c.to);
  if (a === undefined || b === undefined) return undefined;
  const { verdict, deniedBy } = evaluatePair(ix, a, b, c.port, c.protocol, { named: false });
  const out: CallVerdict = {
    index,
    from: c.from,
    to: c.to,
    class: deniedBy.length > 0 ? 'broken' : 'allowed',
    deniedBy,
    verdict,
  };
  if (c.port !== undefined) out.port = c.port;
  return out;
};

export const callVerdicts = (ix: AnalysisIndex, progress?: AnalysisProgress): CallVerdict[] => {
  const out: CallVerdict[] = [];
  const n = ix.ws.calls.length;
  for (let i = 0; i < n; i++) {
    if (progress && i % CALLS_PER_REPORT === 0) progress('calls', i, n);
    const v = callVerdict(ix, i);
    if (v) out.push(v);
  }
  return out;
};

/** The analysis of its parts: the findings run over them, the excess as its list and how it was counted. */
const withFindings = (parts: FindingContext & Pick<Analysis, 'calls' | 'quotas' | 'hubs' | 'groupHubs'>): Analysis => {
  const { calls, quotas, hubs, groupHubs, excess } = parts;
  return {
    calls,
    findings: runFindings(parts),
    quotas,
    hubs,
    groupHubs,
    excess: excess.list,
    excessMode: excess.mode,
    excessLevel: excess.level,
    ...unexposedOf(parts.ix),
  };
};

export interface AnalysisDetail {
  analysis: Analysis;
  excess: ExcessResult;
  index: AnalysisIndex;
}

export const analyzeDetailed = (
  ws: Workspace,
  options: AnalyzeOptions = {},
  progress?: AnalysisProgress,
): AnalysisDetail => {
  const ix = buildIndex(ws);
  const calls = callVerdicts(ix, progress);
  progress?.('quotas', 0, 1);
  const quotas = computeQuotas(ix);
  progress?.('hubs', 0, 1);
  const { hubs } = computeHubs(ix);
  const groupHubs = computeGroupHubs(ix);
  progress?.('excess', 0, 1);
  const excess = computeExcess(ix, { ...DEFAULT_EXCESS_OPTIONS, ...options });
  progress?.('findings', 0, 1);
  return { analysis: withFindings({ ix, calls, quotas, hubs, groupHubs, excess }), excess, index: ix };
};

/** Analyse a workspace. Pure: the same workspace gives the same analysis. */
export const analyze = (ws: Workspace, options: AnalyzeOptions = {}, progress?: AnalysisProgress): Analysis =>
  analyzeDetailed(ws, options, progress).analysis;

/** The analysis without each call's per-level verdicts (see AnalysisSummary). */
export const summarizeAnalysis = (a: Analysis): AnalysisSummary => ({
  ...a,
  calls: a.calls.map(({ verdict: _detail, ...call }) => call),
});

/**
 * The analysis of an edited workspace from the analysis before the edit, when the edit left the
 * services and calls as they were and changed only pairs with a `touched` service: untouched calls
 * keep their verdicts, hubs keep their callers and betweenness (calls alone decide them) and get
 * their rule cost again; quotas, group hubs, excess and findings are computed afresh. Held to
 * `analyze` by synthesize/preview.test.ts.
 */
export const reanalyze = (
  ws: Workspace,
  before: Analysis,
  touched: ReadonlySet<string>,
  options: AnalyzeOptions = {},
): Analysis => {
  const ix = buildIndex(ws);
  const old = new Map(before.calls.map((c) => [c.index, c]));
  const calls: CallVerdict[] = [];
  for (let i = 0; i < ws.calls.length; i++) {
    const c = ws.calls[i];
    const kept = old.get(i);
    const v = c && kept && !touched.has(c.from) && !touched.has(c.to) ? kept : callVerdict(ix, i);
    if (v) calls.push(v);
  }
  const hubs = before.hubs.map((h) => {
    const i = ix.byId.get(h.service);
    return i === undefined ? h : { ...h, ruleCost: hubRuleCost(ix, i) };
  });
  const quotas = computeQuotas(ix);
  const groupHubs = computeGroupHubs(ix);
  const excess = computeExcess(ix, { ...DEFAULT_EXCESS_OPTIONS, ...options });
  return withFindings({ ix, calls, quotas, hubs, groupHubs, excess });
};

/** `unexposed` only when some service has a public address the routes keep off the internet. */
const unexposedOf = (ix: AnalysisIndex): Pick<Analysis, 'unexposed'> => {
  const list = unexposedServices(ix);
  return list.length > 0 ? { unexposed: list } : {};
};
