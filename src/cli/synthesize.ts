// `segscope synthesize FILE... --level L [--format F] [--out DIR] [--json]`: least-privilege rules for the declared calls at one level.
import { analyze } from '../analysis/analyze';
import { type ConnlistDiff, diffConnlists } from '../analysis/conndiff';
import { computeConnlist } from '../analysis/connlist';
import { WRITERS, writerNamed } from '../formats/registry';
import { importFiles } from '../import/index';
import { ruleText } from '../model/rule-text';
import { LEVELS, type Level, type Workspace } from '../model/types';
import { alignmentMoves } from '../synthesize/alignment';
import { asCalico } from '../synthesize/calico';
import { describePlan, type LevelSynthesis, synthesize } from '../synthesize/index';
import { proposeSegmentation } from '../synthesize/segmentation';
import { printFiles } from './convert';
import { type Command, type Io, parseFlags, readFilesOrReport, UsageError, writeFilesInto } from './io';

export const SYNTHESIZE_USAGE = `segscope synthesize FILE... --level ${LEVELS.join('|')} [--propose | --align] [--format ${WRITERS.map((w) => w.name).join('|')}] [--out DIR] [--json]`;

/** The stable JSON shape of `segscope synthesize --json`. */
export interface SynthesizeJson {
  level: Level;
  granularity: LevelSynthesis['granularity'];
  /** The plan, one line per model command, in order. */
  plan: string[];
  added: string[];
  removed: string[];
  segments: LevelSynthesis['segments'];
  /** Current → synthesized connectivity (all levels): only removals when the synthesis is least privilege. */
  diff: { added: number; removed: number; changed: number; unchanged: number };
  brokenCalls: { from: string; to: string; port?: number }[];
  notes: string[];
}

/** Calls some level denies, by service name (the synthesized level must add none). */
export const brokenCalls = (ws: Workspace): { from: string; to: string; port?: number }[] => {
  const name = (id: string) => ws.services.find((x) => x.id === id)?.name ?? id;
  return analyze(ws, { servicePairLimit: 0 })
    .calls.filter((c) => c.class === 'broken')
    .map((c) =>
      c.port === undefined
        ? { from: name(c.from), to: name(c.to) }
        : { from: name(c.from), to: name(c.to), port: c.port },
    );
};

const callKey = (c: { from: string; to: string; port?: number }) => `${c.from}>${c.to}>${c.port ?? ''}`;

export const synthesizeJson = (
  before: Workspace,
  s: LevelSynthesis,
  diff: ConnlistDiff,
  wasBroken: Set<string>,
): SynthesizeJson => ({
  level: s.level,
  granularity: s.granularity,
  plan: describePlan(before, s.commands),
  added: s.added.map((r) => ruleText(s.workspace, r)),
  removed: s.removed.map((r) => ruleText(before, r)),
  segments: s.segments,
  diff: {
    added: diff.added.length,
    removed: diff.removed.length,
    changed: diff.changed.length,
    unchanged: diff.unchanged,
  },
  brokenCalls: brokenCalls(s.workspace).filter((c) => !wasBroken.has(callKey(c))),
  notes: s.notes,
});

const formatText = (j: SynthesizeJson): string => {
  const lines = [
    `least privilege at the ${j.level} level (${j.granularity} granularity): ${j.added.length} rules added, ${j.removed.length} removed`,
  ];
  lines.push('', 'plan:', ...j.plan.map((p, i) => `  ${i + 1}. ${p}`));
  lines.push('', 'quota cost per segment (members, inbound, outbound):');
  for (const c of j.segments)
    lines.push(
      `  ${c.name}: ${c.members} · ${c.inbound}${c.limit ? ` / ${c.limit}` : ''} in · ${c.outbound} out${c.state !== 'ok' ? ` (${c.state})` : ''}`,
    );
  const d = j.diff;
  lines.push(
    '',
    `connectivity vs current: ${d.removed} pairs removed, ${d.changed} narrowed, ${d.added} added, ${d.unchanged} unchanged`,
  );
  lines.push(
    j.brokenCalls.length === 0
      ? 'no declared call broken'
      : `broken calls: ${j.brokenCalls.map((c) => `${c.from} → ${c.to}${c.port ? `:${c.port}` : ''}`).join(', ')}`,
  );
  for (const n of j.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
};

/** `--propose`: the proposed segmentation as moves with its figures; `--align`: alignment and the moves that raise it. */
const proposalOutput = (ws: Workspace, level: Level, align: boolean, json: boolean): string => {
  if (align) {
    const r = alignmentMoves(ws);
    const out = {
      before: r.before.percent,
      after: r.after.percent,
      counted: r.before.counted,
      split: r.before.split,
      moves: describePlan(ws, r.commands),
    };
    if (json) return JSON.stringify(out, null, 2);
    return [
      `levels aligned: ${out.before} % of services (${r.before.aligned} / ${out.counted}); after ${out.moves.length} moves: ${out.after} %`,
      ...out.moves.map((m, i) => `  ${i + 1}. ${m}`),
    ].join('\n');
  }
  const p = proposeSegmentation(ws, level);
  const moves = describePlan(ws, p.commands);
  const out = { level, before: p.before, after: p.after, moves, notes: p.notes };
  if (json) return JSON.stringify(out, null, 2);
  const f = (x: typeof p.before) =>
    `${x.segments} segments, ${x.excessPairs} excess pairs, ${x.rules} rules (${x.rulesPerCaller} at one per caller), busiest segment ${x.maxInbound}${x.inboundLimit ? ` / ${x.inboundLimit}` : ''} inbound rules`;
  return [
    `proposed ${level} segmentation`,
    `  now:      ${f(p.before)}`,
    `  proposed: ${f(p.after)}`,
    '',
    'moves:',
    ...moves.map((m, i) => `  ${i + 1}. ${m}`),
    ...p.notes.map((n) => `note: ${n}`),
  ].join('\n');
};

export const synthesizeCli: Command = (args: string[], io: Io) => {
  const { positional, flags } = parseFlags(args, ['level', 'format', 'out']);
  const unknown = Object.keys(flags).filter((f) => !['level', 'format', 'out', 'json', 'propose', 'align'].includes(f));
  if (unknown.length > 0) throw new UsageError(`unknown option --${unknown[0]}`);
  const level = flags.level;
  if (typeof level !== 'string' || !(LEVELS as readonly string[]).includes(level))
    throw new UsageError(`--level is required: one of ${LEVELS.join(', ')}`);
  const format = flags.format;
  const writer = typeof format === 'string' ? writerNamed(format) : undefined;
  if (format !== undefined && !writer)
    throw new UsageError(`--format is one of ${WRITERS.map((w) => w.name).join(', ')}`);
  if (flags.out === true) throw new UsageError('--out needs a directory');
  if (positional.length === 0) throw new UsageError('name at least one FILE or directory');
  const files = readFilesOrReport('synthesize', positional, io);
  if (!files) return 2;
  const { workspace, report } = importFiles(files);
  for (const d of [...report.files.flatMap((f) => f.diagnostics), ...report.diagnostics])
    if (d.severity !== 'info') io.err(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
  if (report.failed) {
    io.err('segscope synthesize: nothing could be read');
    return 1;
  }
  if (flags.propose || flags.align) {
    io.out(proposalOutput(workspace, level as Level, flags.align === true, flags.json === true));
    return 0;
  }
  const s = synthesize(workspace, level as Level);
  const was = new Set(brokenCalls(workspace).map(callKey));
  const j = synthesizeJson(workspace, s, diffConnlists(computeConnlist(workspace), computeConnlist(s.workspace)), was);
  if (writer) {
    // Calico says the synthesized NetworkPolicies in its own terms (the Calico writer writes Calico objects only).
    const result = writer.write(writer.name === 'calico' && level === 'policy' ? asCalico(s.workspace) : s.workspace);
    for (const note of result.notes) io.err(`note: ${note}`);
    if (typeof flags.out === 'string') {
      for (const path of writeFilesInto(flags.out, result.files)) io.err(path);
    } else {
      io.out(printFiles(writer.syntax, result.files));
      io.err(formatText(j));
      return 0;
    }
  }
  io.out(flags.json ? JSON.stringify(j, null, 2) : formatText(j));
  return 0;
};

export const synthesizeCommand = { run: synthesizeCli, usage: SYNTHESIZE_USAGE };
