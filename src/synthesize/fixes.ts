// Ranked fixes per finding: concrete plans of model commands, each previewed with the drag's what-if delta.
import { type AnalysisIndex, buildIndex } from '../analysis/context';
import type { MoveDelta } from '../analysis/delta';
import { callKey } from '../analysis/findings/context';
import { callMismatch } from '../analysis/findings/inconsistent-levels';
import type { QuotaChange } from '../analysis/quota-changes';
import { levelResult } from '../analysis/reach';
import type { Analysis, CallVerdict, Finding } from '../analysis/types';
import { applyCommand, type Command, flattenCommands } from '../model/commands';
import { LEVELS, type Level, type Workspace } from '../model/types';
import { exposedPlans } from './exposed-fixes';
import { defaultAllowPlans, hubPlans, inconsistentSegmentPlans, quotaPlans, sgAbusePlans } from './finding-plans';
import { type CallAsk, type Candidate, levelCandidates } from './fix-candidates';
import { groupHubConsolidated, groupHubPlans } from './group-hub-fixes';
import { hubIsolated } from './group-rules';
import { previewPlan } from './preview';
import { type Problem, planProblems } from './problems';
import { type PlanCandidate, sharedDomainPlans } from './segment-fixes';

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
  /** Findings the plan creates or worsens (a quota pushed past its warning line, a new exposure…). */
  problems: Problem[];
  /** Warnings and errors other than this finding that the plan resolves. */
  resolved: number;
  /** Problems created less problems resolved, an error weighing two warnings: the plan's net effect beyond its finding. */
  net: number;
}

export interface PreviewedFix extends Fix {
  delta: MoveDelta;
}

const applyAll = (ws: Workspace, commands: readonly Command[]): Workspace => commands.reduce(applyCommand, ws);

const ruleCost = (commands: readonly Command[]): number =>
  flattenCommands(commands).filter((c) => c.type === 'addRule' || c.type === 'replaceRule').length;

/**
 * Ranking: closes the finding, breaks nothing, the best net effect on the other findings (fewest
 * created or worsened, most resolved), opens the least reach, costs the fewest rules, touches the
 * fewest levels.
 */
export const compareFixes = (x: Fix, y: Fix): number =>
  Number(y.closes) - Number(x.closes) ||
  x.broken - y.broken ||
  x.net - y.net ||
  x.opened - y.opened ||
  x.rules - y.rules ||
  x.levels.length - y.levels.length ||
  x.commands.length - y.commands.length ||
  (x.title < y.title ? -1 : x.title > y.title ? 1 : 0);

/**
 * The finding is gone after the plan; a service hub stays a hub (its callers are a fact of the call
 * graph), so its fix closes what the finding costs: the hub alone in its own group, one rule per
 * caller segment and port; a group hub's, each grant naming it held by one group, not one per group.
 */
const closes = (finding: Finding, delta: MoveDelta): boolean =>
  finding.id !== 'hub'
    ? !delta.analysis.findings.some((f) => f.key === finding.key)
    : finding.key.startsWith('hub:group:')
      ? groupHubConsolidated(delta.workspace, finding.segments[0] ?? '')
      : hubIsolated(delta.workspace, finding.services[0] ?? '');

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
    closes: closes(finding, delta),
    rules: ruleCost(commands),
    opened: delta.openedPairs.filter((p) => !called.has(`${p.from}>${p.to}`)).length,
    closed: delta.closedPairs.length,
    broken: delta.brokenCalls.length,
    restored: delta.restoredCalls.length,
    quota: delta.quota,
    ...planProblems(finding, delta),
    delta,
  };
};

/** Candidates that make one level let the call through, cheapest first (rules, then commands). */
/** A call as the fix search asks it: its ends by index in `ix`, protocol and port; undefined when an end is gone. */
const callAsk = (ix: AnalysisIndex, call: CallVerdict): CallAsk | undefined => {
  const a = ix.byId.get(call.from);
  const b = ix.byId.get(call.to);
  if (a === undefined || b === undefined) return undefined;
  const ask: CallAsk = { a, b, protocol: call.verdict.protocol ?? 'TCP' };
  if (call.port !== undefined) ask.port = call.port;
  return ask;
};

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
  const ask = callAsk(ix, call);
  if (!ask) return [];
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

/** Plans per finding rule beyond broken calls (segment and rule changes; see segment-fixes.ts, finding-plans.ts). */
const SEGMENT_PLANS: Partial<Record<Finding['id'], (ws: Workspace, f: Finding) => PlanCandidate[]>> = {
  'exposed-colocated': exposedPlans,
  'shared-failure-domain': sharedDomainPlans,
  'sg-abuse': sgAbusePlans,
  quota: quotaPlans,
  hub: (ws, f) => (f.key.startsWith('hub:group:') ? groupHubPlans(ws, f) : hubPlans(ws, f)),
  'default-allow': defaultAllowPlans,
  'inconsistent-levels': inconsistentSegmentPlans,
};

/** Most calls one inconsistent-levels fix aligns (each costs a candidate search on the workspace so far). */
const ALIGN_CALLS = 60;

/**
 * Calls one level allows by a rule written for them and another denies: the denying level is aligned,
 * call by call, with its cheapest rule (a move only where no rule does), each on the workspace the
 * previous ones left, so calls sharing a pair of segments share a rule.
 */
const alignPlans = (ws: Workspace, analysis: Analysis, finding: Finding): PlanCandidate[] => {
  const calls = analysis.calls.filter((c) => callMismatch(c)?.key === finding.key).slice(0, ALIGN_CALLS);
  const level = calls[0] && callMismatch(calls[0])?.denied;
  if (!level) return [];
  const li = LEVELS.indexOf(level);
  let cur = ws;
  const commands: Command[] = [];
  for (const call of calls) {
    const ix = buildIndex(cur);
    const ask = callAsk(ix, call);
    if (!ask) return [];
    const { a, b } = ask;
    const conn = ask.port === undefined ? undefined : { protocol: ask.protocol, port: ask.port };
    if (levelResult(ix, li, a, b, conn).verdict !== 'deny') continue;
    const found = levelFixes(ix, ask, level, 8);
    const best = found.find((c) => c.commands.every((x) => x.type !== 'moveService')) ?? found[0];
    if (!best) return [];
    cur = applyAll(cur, best.commands);
    commands.push(...best.commands);
  }
  return commands.length === 0
    ? []
    : [
        {
          title: `align the ${level} level with the calls it denies: ${commands.length} change${commands.length === 1 ? '' : 's'} for ${calls.length} call${calls.length === 1 ? '' : 's'}`,
          commands,
          levels: [level],
        },
      ];
};

/**
 * The ranked fixes of one finding (best first), each with its what-if delta. Broken calls get rules
 * at the denying levels (new, or a related policy widened), peerings, grants and moves; an exposed
 * service next to critical ones gets a segment of its own, critical services sharing one segment are
 * split apart, an over-broad security group is split by namespace, tier or call communities; a group
 * over its rules quota keeps the rules its calls use or admits callers by segment; a hub (or a
 * service over the groups-per-interface quota) gets a group of its own with one rule per caller
 * segment; flat defaults get the least-privilege rules of their level; levels that disagree are
 * aligned (the denying level allows the calls, or members move under one parent).
 */
export const fixesFor = (ws: Workspace, analysis: Analysis, finding: Finding, limit = 5): PreviewedFix[] => {
  if (finding.id === 'broken-call')
    return brokenCallFixes(ws, analysis, finding, limit).sort(compareFixes).slice(0, limit);
  const plans = [
    ...(SEGMENT_PLANS[finding.id]?.(ws, finding) ?? []),
    ...(finding.id === 'inconsistent-levels' && finding.key.startsWith('inconsistent-levels:calls:')
      ? alignPlans(ws, analysis, finding)
      : []),
  ];
  return planFixes(ws, analysis, finding, plans).sort(compareFixes).slice(0, limit);
};
