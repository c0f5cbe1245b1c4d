// The change plan of a review session: every edit since import, what it implies per level, as Markdown and JSON.
import { analyze } from '../analysis/analyze';
import { type ConnlistDiff, diffConnlists } from '../analysis/conndiff';
import { computeConnlist } from '../analysis/connlist';
import { previewMove } from '../analysis/delta';
import type { Analysis } from '../analysis/types';
import { applyCommand, type Command, describeCommand } from '../model/commands';
import type { Level, Workspace } from '../model/types';

export interface PlanCall {
  from: string;
  to: string;
  port?: number;
  /** Levels that deny after this step. */
  levels: Level[];
  rule?: string;
  source?: string;
  /** The change that would let the call through again, when the level can say. */
  fix?: string;
}

export interface PlanStep {
  step: number;
  command: Command;
  description: string;
  /** Membership changes: service, level, from segment, to segment (names). */
  memberships: { service: string; level: Level; from: string | null; to: string | null }[];
  brokenCalls: PlanCall[];
  restoredCalls: PlanCall[];
  openedPairs: number;
  closedPairs: number;
  quota: string[];
  findingsAdded: string[];
  findingsRemoved: string[];
}

export interface ChangePlan {
  segscopePlan: 1;
  workspace: string;
  steps: PlanStep[];
  /** Broken calls before the first and after the last edit. */
  brokenBefore: number;
  brokenAfter: number;
  /** The allowed-connectivity difference from the imported workspace to the edited one. */
  connectivity: ConnlistDiff;
}

const names = (ws: Workspace) => {
  const services = new Map(ws.services.map((s) => [s.id, s.name]));
  const segments = new Map(ws.segments.map((s) => [s.id, s.name]));
  return {
    service: (id: string) => services.get(id) ?? id,
    segment: (id: string | null) => (id === null ? null : (segments.get(id) ?? id)),
  };
};

/** Membership changes a command makes, read off the two workspaces (any command kind). */
const membershipChanges = (before: Workspace, after: Workspace): PlanStep['memberships'] => {
  const n = names(after);
  const nb = names(before);
  const out: PlanStep['memberships'] = [];
  const prev = new Map(before.services.map((s) => [s.id, s]));
  for (const s of after.services) {
    const p = prev.get(s.id);
    if (!p || p === s) continue;
    const levels = new Set([...Object.keys(p.memberships), ...Object.keys(s.memberships)] as Level[]);
    for (const level of levels) {
      const a = p.memberships[level] ?? [];
      const b = s.memberships[level] ?? [];
      const left = a.filter((id) => !b.includes(id));
      const joined = b.filter((id) => !a.includes(id));
      for (let i = 0; i < Math.max(left.length, joined.length); i++) {
        out.push({
          service: n.service(s.id),
          level,
          from: nb.segment(left[i] ?? null),
          to: n.segment(joined[i] ?? null),
        });
      }
    }
  }
  return out;
};

const planCall = (
  ws: Workspace,
  c: { from: string; to: string; port?: number; deniedBy: Level[]; verdict: Analysis['calls'][number]['verdict'] },
): PlanCall => {
  const n = names(ws);
  const out: PlanCall = { from: n.service(c.from), to: n.service(c.to), levels: c.deniedBy };
  if (c.port !== undefined) out.port = c.port;
  const first = c.deniedBy[0];
  const v = first ? c.verdict.levels[first] : undefined;
  if (v?.rule) out.rule = v.rule.summary;
  if (v?.rule?.source) out.source = `${v.rule.source.file}:${v.rule.source.line}`;
  if (v?.fix) out.fix = v.fix;
  return out;
};

/** Replay the edits from the imported workspace, recording what each one does. */
export const buildChangePlan = (base: Workspace, commands: readonly Command[]): ChangePlan => {
  let ws = base;
  let analysis = analyze(base);
  const brokenBefore = analysis.calls.filter((c) => c.class === 'broken').length;
  const steps: PlanStep[] = [];
  commands.forEach((command, i) => {
    const next = applyCommand(ws, command);
    const step: PlanStep = {
      step: i + 1,
      command,
      description: describeCommand(ws, command),
      memberships: membershipChanges(ws, next),
      brokenCalls: [],
      restoredCalls: [],
      openedPairs: 0,
      closedPairs: 0,
      quota: [],
      findingsAdded: [],
      findingsRemoved: [],
    };
    if (command.type === 'moveService') {
      const d = previewMove(ws, analysis, command);
      step.brokenCalls = d.brokenCalls.map((c) => planCall(next, c));
      step.restoredCalls = d.restoredCalls.map((c) => planCall(next, c));
      step.openedPairs = d.openedPairs.length;
      step.closedPairs = d.closedPairs.length;
      step.quota = d.quota.map((q) => `${q.label}: ${q.before} → ${q.after} / ${q.limit} (${q.subject.id})`);
      step.findingsAdded = d.findingsAdded.map((f) => `${f.severity} ${f.id}: ${f.message}`);
      step.findingsRemoved = d.findingsRemoved.map((f) => `${f.id}: ${f.message}`);
      analysis = d.analysis;
    } else {
      // Segment edits change many services at once: compare whole analyses.
      const after = analyze(next);
      const keys = new Set(analysis.findings.map((f) => f.key));
      const afterKeys = new Set(after.findings.map((f) => f.key));
      const wasBroken = new Set(analysis.calls.filter((c) => c.class === 'broken').map((c) => c.index));
      step.brokenCalls = after.calls
        .filter((c) => c.class === 'broken' && !wasBroken.has(c.index))
        .map((c) => planCall(next, c));
      step.restoredCalls = after.calls
        .filter((c) => c.class === 'allowed' && wasBroken.has(c.index))
        .map((c) => planCall(next, c));
      step.findingsAdded = after.findings
        .filter((f) => !keys.has(f.key))
        .map((f) => `${f.severity} ${f.id}: ${f.message}`);
      step.findingsRemoved = analysis.findings.filter((f) => !afterKeys.has(f.key)).map((f) => `${f.id}: ${f.message}`);
      analysis = after;
    }
    steps.push(step);
    ws = next;
  });
  return {
    segscopePlan: 1,
    workspace: base.name ?? 'workspace',
    steps,
    brokenBefore,
    brokenAfter: analysis.calls.filter((c) => c.class === 'broken').length,
    connectivity: diffConnlists(computeConnlist(base), computeConnlist(ws)),
  };
};

const callLine = (c: PlanCall): string =>
  `${c.from} → ${c.to}${c.port ? `:${c.port}` : ''} (denied at ${c.levels.join(', ')}${c.rule ? `: ${c.rule}` : ''}${c.source ? `, ${c.source}` : ''})${c.fix ? ` — fix: ${c.fix}` : ''}`;

/** The plan as Markdown for review minutes. */
export const planToMarkdown = (plan: ChangePlan): string => {
  const out: string[] = [`# Change plan — ${plan.workspace}`, ''];
  out.push(
    `${plan.steps.length} edit${plan.steps.length === 1 ? '' : 's'}; broken calls ${plan.brokenBefore} → ${plan.brokenAfter}.`,
    '',
  );
  for (const s of plan.steps) {
    out.push(`## ${s.step}. ${s.description}`, '');
    for (const m of s.memberships)
      out.push(
        `- ${m.level}: ${m.service} ${m.from ? `leaves ${m.from}` : ''}${m.from && m.to ? ', ' : ''}${m.to ? `joins ${m.to}` : ''}`,
      );
    if (s.brokenCalls.length) {
      out.push('- breaks:');
      for (const c of s.brokenCalls) out.push(`  - ${callLine(c)}`);
    }
    if (s.restoredCalls.length) {
      out.push('- restores:');
      for (const c of s.restoredCalls) out.push(`  - ${c.from} → ${c.to}${c.port ? `:${c.port}` : ''}`);
    }
    if (s.openedPairs || s.closedPairs) out.push(`- reach: +${s.openedPairs} pairs opened, −${s.closedPairs} closed`);
    for (const q of s.quota) out.push(`- quota: ${q}`);
    for (const f of s.findingsAdded) out.push(`- new finding: ${f}`);
    for (const f of s.findingsRemoved) out.push(`- resolved: ${f}`);
    out.push('');
  }
  const c = plan.connectivity;
  out.push('## Connectivity change', '');
  out.push(
    `${c.added.length} pairs added, ${c.removed.length} removed, ${c.changed.length} changed, ${c.unchanged} unchanged.`,
    '',
  );
  const ports = (p: 'all' | string[]) => (p === 'all' ? 'all' : p.join(', '));
  for (const a of c.added) out.push(`- added: ${a.from} → ${a.to} (${ports(a.ports)})`);
  for (const r of c.removed) out.push(`- removed: ${r.from} → ${r.to} (${ports(r.ports)})`);
  for (const ch of c.changed) out.push(`- changed: ${ch.from} → ${ch.to}: ${ports(ch.before)} → ${ports(ch.after)}`);
  return `${out.join('\n').trimEnd()}\n`;
};
