// `segscope summary FILE... [--json] [--fail-on error|warn]`: what each file contributed, totals per level, every diagnostic.
import { importFiles } from '../import/index';
import type { FileInput, FileReport } from '../import/types';
import { LEVELS, type Level, type Severity } from '../model/types';
import { type Command, failsAt, type Io, parseFailOn, parseFlags, readFilesOrReport, UsageError } from './io';

/** A file's line of the summary: its report without the diagnostics (those are listed once, for all files). */
export type SummaryFile = Omit<FileReport, 'diagnostics'>;

export interface SummaryDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  message: string;
}

/** The stable JSON shape of `summary --json` (documented in the README). */
export interface Summary {
  files: SummaryFile[];
  services: number;
  calls: number;
  rules: number;
  segments: Record<Level, number>;
  diagnostics: SummaryDiagnostic[];
}

export const summarize = (files: FileInput[]): Summary => {
  const { workspace, report } = importFiles(files);
  const segments = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  for (const s of workspace.segments) segments[s.level] += 1;
  const diagnostics = [...report.files.flatMap((f) => f.diagnostics), ...report.diagnostics].map(
    ({ file, line, column, severity, message }) => ({ file, line, column, severity, message }),
  );
  return {
    files: report.files.map(({ name, format, services, segments, calls, rules }) => ({
      name,
      format,
      services,
      segments,
      calls,
      rules,
    })),
    services: workspace.services.length,
    calls: workspace.calls.length,
    rules: workspace.rules.length,
    segments,
    diagnostics,
  };
};

/** A plain-text table: one row per file, then totals, then diagnostics as `file:line:column: severity: message`. */
export const formatSummary = (s: Summary): string => {
  const head = ['FILE', 'FORMAT', 'SERVICES', 'SEGMENTS', 'CALLS', 'RULES'];
  const rows = s.files.map((f) => [f.name, f.format, f.services, f.segments, f.calls, f.rules].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  // Text columns left-aligned, counts right-aligned.
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const out = [line(head), ...rows.map(line), ''];
  out.push(`workspace: ${s.services} services, ${s.calls} calls, ${s.rules} rules`);
  out.push(`segments: ${LEVELS.map((l) => `${l} ${s.segments[l]}`).join(', ')}`);
  if (s.diagnostics.length > 0) {
    out.push('', `${s.diagnostics.length} diagnostic${s.diagnostics.length === 1 ? '' : 's'}:`);
    for (const d of s.diagnostics) out.push(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
  }
  return out.join('\n');
};

export const summary: Command = (args: string[], io: Io) => {
  const { positional, flags } = parseFlags(args, ['fail-on']);
  const unknown = Object.keys(flags).filter((f) => f !== 'json' && f !== 'fail-on');
  if (unknown.length > 0) throw new UsageError(`unknown option --${unknown[0]}`);
  const failOn = parseFailOn(flags['fail-on']);
  if (positional.length === 0) throw new UsageError('name at least one FILE or directory');
  const files = readFilesOrReport('summary', positional, io);
  if (!files) return 2;
  const s = summarize(files);
  io.out(flags.json ? JSON.stringify(s, null, 2) : formatSummary(s));
  // Like check: a CI step can stop on input it could not read cleanly.
  return failsAt(
    s.diagnostics.map((d) => d.severity),
    failOn,
  )
    ? 1
    : 0;
};

export const summaryCommand = { run: summary, usage: 'segscope summary FILE... [--json] [--fail-on error|warn]' };
