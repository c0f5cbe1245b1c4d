// What the app offers from synthesis, ready to show and apply: ranked fixes, a tightened level, a proposal in steps.
import type { MoveDelta } from '../analysis/delta';
import type { Analysis, Finding } from '../analysis/types';
import type { Command } from '../model/commands';
import { applyCommand } from '../model/commands';
import type { Level, Workspace } from '../model/types';
import { type Fix, fixesFor } from './fixes';
import { synthesize } from './index';
import { describePlan, type SegmentCost } from './plan';
import { previewPlan } from './preview';
import { proposeSegmentation, type SegmentationFigures } from './segmentation';

/** A what-if without the after-state's workspace and analysis (the page has no use for them). */
export type PlanDelta = Omit<MoveDelta, 'analysis' | 'workspace'>;

const lean = ({ analysis: _a, workspace: _w, ...delta }: MoveDelta): PlanDelta => delta;

/** A plan the app previews and applies as one step: its commands, one line per command, its what-if. */
export interface PlanOffer {
  title: string;
  commands: Command[];
  lines: string[];
  delta: PlanDelta;
}

export interface FixOffer extends PlanOffer, Omit<Fix, 'commands' | 'title'> {}

/** Ranked fixes of the finding with this key (none when the analysis has no such finding). */
export const fixOffers = (ws: Workspace, analysis: Analysis, key: string, limit = 5): FixOffer[] => {
  const finding = analysis.findings.find((f: Finding) => f.key === key);
  if (!finding) return [];
  return fixesFor(ws, analysis, finding, limit).map(({ delta, ...fix }) => ({
    ...fix,
    lines: describePlan(ws, fix.commands),
    delta: lean(delta),
  }));
};

export interface TightenOffer extends PlanOffer {
  level: Level;
  added: number;
  removed: number;
  /** Synthesized segments over their quota (e.g. more than 60 inbound rules on one group). */
  overQuota: SegmentCost[];
  granularity: 'service' | 'segment';
  notes: string[];
}

/** Least-privilege rules for the declared calls at one level, as one plan with its what-if. */
export const tightenOffer = (ws: Workspace, analysis: Analysis, level: Level): TightenOffer => {
  const s = synthesize(ws, level);
  return {
    title: `tighten the ${level} level to the declared calls`,
    level,
    commands: s.commands,
    lines: describePlan(ws, s.commands),
    delta: lean(previewPlan(ws, analysis, s.commands)),
    added: s.added.length,
    removed: s.removed.length,
    overQuota: s.segments.filter((c) => c.state === 'error'),
    granularity: s.granularity,
    notes: s.notes,
  };
};

/** One step of a proposal: the placement of one service (with the segment it is the first to enter). */
export interface ProposalStep {
  label: string;
  service: string;
  commands: Command[];
}

export interface ProposalOffer {
  level: Level;
  steps: ProposalStep[];
  before: SegmentationFigures;
  after: SegmentationFigures;
  notes: string[];
}

/**
 * A proposed segmentation of one level cut into steps a person applies one by one: each step places
 * one service, creating its segment when it is the first to enter. Steps whose service already sits
 * where the proposal puts it (nothing to do) are left out.
 */
export const proposalOffer = (ws: Workspace, level: Level): ProposalOffer => {
  const p = proposeSegmentation(ws, level);
  const created = new Map<string, Command>();
  const steps: ProposalStep[] = [];
  const names = new Map(ws.services.map((s) => [s.id, s.name]));
  let cur = ws;
  let open: ProposalStep | undefined;
  for (const c of p.commands) {
    if (c.type === 'createSegment') {
      created.set(c.segment.id, c);
      continue;
    }
    if (c.type !== 'moveService') continue;
    if (!open || open.service !== c.service) {
      open = { label: `place ${names.get(c.service) ?? c.service}`, service: c.service, commands: [] };
      steps.push(open);
    }
    const create = c.to === null ? undefined : created.get(c.to);
    if (create) {
      open.commands.push(create);
      created.delete(c.to as string);
    }
    open.commands.push(c);
  }
  for (const step of steps) {
    step.label = describePlan(cur, step.commands).join('; ');
    cur = step.commands.reduce(applyCommand, cur);
  }
  return { level, steps, before: p.before, after: p.after, notes: p.notes };
};
