// A step's expectations checked against an analysis: the lesson tests and the browser walk-through share this.
import type { AnalysisSummary, Finding, PairVerdict } from '../analysis/types';
import type { Workspace } from '../model/types';
import { resolveSegment, resolveService } from './resolve';
import type { Expectations, FindingExpectation } from './story';

export interface CheckContext {
  workspace: Workspace;
  analysis: Pick<AnalysisSummary, 'findings' | 'calls'>;
  /** Each level's verdict for a pair: the analysis in Node, `window.segscope.reach` in the browser. */
  reach(from: string, to: string, port?: number): PairVerdict | Promise<PairVerdict>;
}

const describe = (e: FindingExpectation): string =>
  [
    e.finding,
    e.key ? `key ${e.key}…` : '',
    e.services?.length ? `services ${e.services.join(', ')}` : '',
    e.segments?.length ? `segments ${e.segments.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');

/** The findings an expectation matches: same id, key prefix, and these subjects among the finding's. */
export const matchingFindings = (ws: Workspace, findings: readonly Finding[], e: FindingExpectation): Finding[] => {
  const services = (e.services ?? []).map((r) => resolveService(ws, r).id);
  const segments = (e.segments ?? []).map((r) => resolveSegment(ws, r).id);
  return findings.filter(
    (f) =>
      f.id === e.finding &&
      (e.key === undefined || f.key.startsWith(e.key)) &&
      services.every((s) => f.services.includes(s)) &&
      segments.every((s) => f.segments.includes(s)),
  );
};

/** Every expectation that does not hold, as a sentence; [] when all hold. */
export const checkExpectations = async (ctx: CheckContext, exp: Expectations): Promise<string[]> => {
  const { workspace: ws, analysis } = ctx;
  const failures: string[] = [];
  const ids = analysis.findings.map((f) => f.key);
  for (const e of exp.present ?? []) {
    if (matchingFindings(ws, analysis.findings, e).length === 0)
      failures.push(
        `expected a finding ${describe(e)}; found ${ids.filter((k) => k.startsWith(e.finding)).join(', ') || 'none of that id'}`,
      );
  }
  for (const e of exp.absent ?? []) {
    const hits = matchingFindings(ws, analysis.findings, e);
    if (hits.length > 0)
      failures.push(`expected no finding ${describe(e)}; found ${hits.map((f) => f.key).join(', ')}`);
  }
  for (const c of exp.calls ?? []) {
    const from = resolveService(ws, c.from).id;
    const to = resolveService(ws, c.to).id;
    const calls = analysis.calls.filter(
      (v) => v.from === from && v.to === to && (c.port === undefined || v.port === c.port),
    );
    if (calls.length === 0)
      failures.push(`expected a call ${c.from} → ${c.to}${c.port ? `:${c.port}` : ''}; there is none`);
    else if (!calls.some((v) => v.class === c.class))
      failures.push(
        `expected the call ${c.from} → ${c.to}${c.port ? `:${c.port}` : ''} ${c.class}; it is ${calls[0]?.class}`,
      );
  }
  for (const r of exp.reach ?? []) {
    const v = await ctx.reach(resolveService(ws, r.from).id, resolveService(ws, r.to).id, r.port);
    if (v.reachable !== r.reachable)
      failures.push(
        `expected ${r.from} → ${r.to}${r.port ? `:${r.port}` : ''} ${r.reachable ? 'reachable' : 'not reachable'}`,
      );
  }
  return failures;
};
