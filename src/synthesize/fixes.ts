// Ranked fixes per finding: concrete plans of model commands, each previewed with the drag's what-if delta.
import { type AnalysisIndex, buildIndex } from '../analysis/context';
import type { MoveDelta, QuotaChange } from '../analysis/delta';
import { callKey } from '../analysis/findings/context';
import { levelResult } from '../analysis/reach';
import type { Analysis, CallVerdict, Finding } from '../analysis/types';
import { applyCommand, type Command, flattenCommands } from '../model/commands';
import { LEVELS, type Level, type Workspace } from '../model/types';
import { type CallAsk, type Candidate, levelCandidates } from './fix-candidates';
import { previewPlan } from './preview';
import { broadGroupPlans, exposedPlans, type PlanCandidate, sharedDomainPlans } from './segment-fixes';

export interface Fix {
  title: string;
  commands: Command[];
  levels: Level[];
  /** The finding is gone after the plan. */
  closes: boolean;
  /** Rules added or widened. */
  rules: number;
  /** Pairs never called that become reachable (excess reach opened) / stop being reachable; calls broken and restored. */
  opened: number;
  closed: number;
  broken: number;
  restored: number;
  quota: QuotaChange[];
}

export interface PreviewedFix extends Fix {
  delta: MoveDelta;
}

const applyAll = (ws: Workspace, commands: readonly Command[]): Workspace => commands.reduce(applyCommand, ws);

const ruleCost = (commands: readonly Command[]): number =>
  flattenCommands(commands).filter((c) => c.type === 'addRule' || c.type === 'replaceRule').length;

/** Ranking: closes the finding, breaks nothing, opens the least reach, costs the fewest rules, touches the fewest levels. */
export const compareFixes = (x: Fix, y: Fix): number =>
  Number(y.closes) - Number(x.closes) ||
  x.broken - y.broken ||
  x.opened - y.opened ||
  x.rules - y.rules ||
  x.levels.length - y.levels.length ||
  x.commands.length - y.commands.length ||
  (x.title < y.title ? -1 : x.title > y.title ? 1 : 0);

const previewed = (
  ws: Workspace,
  analysis: Analysis,
  finding: Finding,
  title: string,
  commands: Command[],
  levels: Level[],
): PreviewedFix | undefined => {
  let delta: MoveDelta;
  try {
    delta = previewPlan(ws, analysis, commands);
  } catch {
    return undefined; // a candidate the model refuses (segment exists, not a member) is no fix
  }
  const called = new Set(ws.calls.map((c) => `${c.from}>${c.to}`));
  return {
    title,
    commands,
    levels,
    closes: !delta.analysis.findings.some((f) => f.key === finding.key),
    rules: ruleCost(commands),
    opened: delta.openedPairs.filter((p) => !called.has(`${p.from}>${p.to}`)).length,
    closed: delta.closedPairs.length,
    broken: delta.brokenCalls.length,
    restored: delta.restoredCalls.length,
    quota: delta.quota,
    delta,
  };
};

/** Candidates that make one level let the call through, cheapest first (rules, then commands). */
const levelFixes = (ix: AnalysisIndex, ask: CallAsk, level: Level, keep: number): Candidate[] => {
  const li = LEVELS.indexOf(level);
  const conn = ask.port === undefined ? undefined : { protocol: ask.protocol, port: ask.port };
  const ok: Candidate[] = [];
  for (const cand of levelCandidates(ix, ask, level)) {
    let after: Workspace;
    try {
      after = applyAll(ix.ws, cand.commands);
    } catch {
      continue;
    }
    if (levelResult(buildIndex(after), li, ask.a, ask.b, conn).verdict !== 'deny') ok.push(cand);
  }
  return ok
    .sort((x, y) => ruleCost(x.commands) - ruleCost(y.commands) || x.commands.length - y.commands.length)
    .slice(0, keep);
};

/** Every combination of one candidate per denying level (a call denied at two levels needs both fixed). */
const combos = (lists: Candidate[][]): Candidate[][] =>
  lists.reduce<Candidate[][]>((acc, list) => acc.flatMap((pre) => list.map((c) => [...pre, c])), [[]]);

const brokenCallFixes = (ws: Workspace, analysis: Analysis, finding: Finding, limit: number): PreviewedFix[] => {
  const call = analysis.calls.find((c: CallVerdict) => `broken-call:${callKey(c)}` === finding.key);
  if (!call) return [];
  const ix = buildIndex(ws);
  const a = ix.byId.get(call.from);
  const b = ix.byId.get(call.to);
  if (a === undefined || b === undefined) return [];
  const ask: CallAsk = { a, b, protocol: call.verdict.protocol ?? 'TCP' };
  if (call.port !== undefined) ask.port = call.port;
  const perLevel = call.deniedBy.map((level) => levelFixes(ix, ask, level, 4));
  if (perLevel.some((l) => l.length === 0)) return [];
  const out: PreviewedFix[] = [];
  for (const combo of combos(perLevel).slice(0, limit * 2)) {
    const f = previewed(
      ws,
      analysis,
      finding,
      combo.map((c) => c.title).join('; '),
      combo.flatMap((c) => c.commands),
      [...new Set(combo.map((c) => c.level))],
    );
    if (f) out.push(f);
  }
  return out;
};

/** Segment plans of a finding, each previewed. */
const planFixes = (ws: Workspace, analysis: Analysis, finding: Finding, plans: PlanCandidate[]): PreviewedFix[] =>
  plans.flatMap((p) => {
    const f = previewed(ws, analysis, finding, p.title, p.commands, p.levels);
    return f ? [f] : [];
  });

/** Plans per finding rule beyond broken calls (segment changes; see segment-fixes.ts). */
const SEGMENT_PLANS: Partial<Record<Finding['id'], (ws: Workspace, f: Finding) => PlanCandidate[]>> = {
  'exposed-colocated': exposedPlans,
  'shared-failure-domain': sharedDomainPlans,
  'sg-abuse': broadGroupPlans,
};

/**
 * The ranked fixes of one finding (best first), each with its what-if delta. Broken calls get rules
 * at the denying levels (new, or a related policy widened), peerings, grants and moves; an exposed
 * service next to critical ones gets a segment of its own, critical services sharing one segment are
 * split apart, an over-broad security group is split by namespace, tier or call community. Other
 * findings get none yet.
 */
export const fixesFor = (ws: Workspace, analysis: Analysis, finding: Finding, limit = 5): PreviewedFix[] => {
  const plans = SEGMENT_PLANS[finding.id];
  const all =
    finding.id === 'broken-call'
      ? brokenCallFixes(ws, analysis, finding, limit)
      : plans
        ? planFixes(ws, analysis, finding, plans(ws, finding))
        : [];
  return all.sort(compareFixes).slice(0, limit);
};
