// `segscope check FILE... [--json] [--fail-on error|warn]`: every finding of the analysis; exit 1 at the given severity.
import { analyze } from '../analysis/analyze';
import type { Finding } from '../analysis/types';
import { importFiles } from '../import/index';
import type { Severity } from '../model/types';
import {
  type Command,
  failsAt,
  type Io,
  parseFailOn,
  parseFlags,
  readFilesOrReport,
  settingsFlags,
  UsageError,
} from './io';

export interface CheckDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  message: string;
}

/** The stable JSON shape of `check --json` (documented in the README). */
export interface CheckResult {
  findings: Finding[];
  counts: Record<Severity, number>;
  /** Import diagnostics, so a reader sees what was skipped while reading the files. */
  diagnostics: CheckDiagnostic[];
}

export const formatCheck = (r: CheckResult): string => {
  const out: string[] = [];
  for (const f of r.findings) {
    out.push(`${f.severity.padEnd(5)} ${f.id}${f.level ? ` [${f.level}]` : ''}: ${f.message}`);
    if (f.rule) {
      const at = f.rule.source ? ` (${f.rule.source.file}:${f.rule.source.line}:${f.rule.source.column})` : '';
      out.push(`      rule: ${f.rule.summary}${at}`);
    }
    if (f.fix) out.push(`      fix: ${f.fix}`);
  }
  if (r.diagnostics.length > 0) {
    out.push('', `${r.diagnostics.length} import diagnostic${r.diagnostics.length === 1 ? '' : 's'}:`);
    for (const d of r.diagnostics) out.push(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
  }
  if (out.length > 0) out.push('');
  const { error, warn, info } = r.counts;
  out.push(`${error} error${error === 1 ? '' : 's'}, ${warn} warning${warn === 1 ? '' : 's'}, ${info} info`);
  return out.join('\n');
};

export const check: Command = (args: string[], io: Io) => {
  const { positional, flags } = parseFlags(args, ['fail-on', 'ephemeral-ports', 'cilium-enforcement']);
  const known = ['json', 'fail-on', 'ephemeral-ports', 'cilium-enforcement'];
  const unknown = Object.keys(flags).filter((f) => !known.includes(f));
  if (unknown.length > 0) throw new UsageError(`unknown option --${unknown[0]}`);
  const failOn = parseFailOn(flags['fail-on'], 'error');
  const settings = settingsFlags(flags);
  if (positional.length === 0) throw new UsageError('name at least one FILE or directory');
  const files = readFilesOrReport('check', positional, io);
  if (!files) return 2;
  const { workspace, report } = importFiles(files);
  const diagnostics = [...report.files.flatMap((f) => f.diagnostics), ...report.diagnostics].map(
    ({ file, line, column, severity, message }) => ({ file, line, column, severity, message }),
  );
  if (report.failed) {
    for (const d of diagnostics) io.err(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
    io.err('segscope check: nothing could be read');
    return 2;
  }
  const findings = analyze(settings.apply(workspace)).findings;
  const counts: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const result: CheckResult = { findings, counts, diagnostics };
  io.out(flags.json ? JSON.stringify(result, null, 2) : formatCheck(result));
  return failsAt(
    findings.map((f) => f.severity),
    failOn,
  )
    ? 1
    : 0;
};

export const checkCommand = {
  run: check,
  usage:
    'segscope check FILE... [--json] [--fail-on error|warn] [--ephemeral-ports 1024-65535] [--cilium-enforcement default|always|never]',
};
