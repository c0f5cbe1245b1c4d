// The whole analysis of a workspace: call verdicts, quota uses, hubs, excess reach and every finding.
import type { Workspace } from '../model/types';
import { type AnalysisIndex, buildIndex } from './context';
import { computeExcess, DEFAULT_EXCESS_OPTIONS, type ExcessOptions, type ExcessResult } from './excess';
import { runFindings } from './findings';
import { computeGroupHubs, computeHubs } from './hubs';
import { computeQuotas } from './quotas';
import { evaluatePair } from './reach';
import type { Analysis, CallVerdict } from './types';

export type AnalyzeOptions = Partial<ExcessOptions>;

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

export const callVerdicts = (ix: AnalysisIndex): CallVerdict[] => {
  const out: CallVerdict[] = [];
  for (let i = 0; i < ix.ws.calls.length; i++) {
    const v = callVerdict(ix, i);
    if (v) out.push(v);
  }
  return out;
};

export interface AnalysisDetail {
  analysis: Analysis;
  excess: ExcessResult;
  index: AnalysisIndex;
}

export const analyzeDetailed = (ws: Workspace, options: AnalyzeOptions = {}): AnalysisDetail => {
  const ix = buildIndex(ws);
  const calls = callVerdicts(ix);
  const quotas = computeQuotas(ix);
  const { hubs } = computeHubs(ix);
  const groupHubs = computeGroupHubs(ix);
  const excess = computeExcess(ix, { ...DEFAULT_EXCESS_OPTIONS, ...options });
  const findings = runFindings({ ix, calls, quotas, hubs, groupHubs, excess });
  return {
    analysis: {
      calls,
      findings,
      quotas,
      hubs,
      groupHubs,
      excess: excess.list,
      excessMode: excess.mode,
      excessLevel: excess.level,
    },
    excess,
    index: ix,
  };
};

/** Analyse a workspace. Pure: the same workspace gives the same analysis. */
export const analyze = (ws: Workspace, options: AnalyzeOptions = {}): Analysis => analyzeDetailed(ws, options).analysis;
