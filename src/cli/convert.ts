// `segscope convert FILE... --to FORMAT [--out DIR] [--check]`: import the files into one workspace and write it in another format.
import { WRITERS, writerNamed } from '../formats/registry';
import type { FormatWriter } from '../formats/types';
import { importFiles } from '../import/index';
import { checkRoundTrip } from './convert-check';
import { type Command, type Io, parseFlags, readFilesOrReport, UsageError, writeFilesInto } from './io';

const NAMES = WRITERS.map((w) => w.name);
const USAGE = `segscope convert FILE... --to ${NAMES.join('|')} [--out DIR] [--check]`;

export const CONVERT_HELP = [
  `usage: ${USAGE}`,
  '',
  'Imports every FILE (a directory: each .yaml, .yml and .json file under it) into one workspace and',
  'writes it in the chosen format:',
  ...WRITERS.map((w) => `  ${w.name.padEnd(10)} ${w.label}`),
  '',
  'With --out DIR the files are written into DIR and their paths printed. Without it one file is',
  'printed as it is; several files print, for YAML and HCL, each after a "# file: NAME" line, and',
  'for JSON formats (native, aws-sg) as one JSON object {"NAME": "file text", ...}.',
  'Import errors and warnings, and notes on what the format cannot express, go to stderr.',
  '',
  'With --check the written files are read back and, on every level the format describes, the',
  "connections they allow are compared with the workspace's (as `segscope diff` compares): one line",
  'per level, the differences under it. The files are then written only with --out.',
  '',
  'Exit status: 0 written (with --check: the same connectivity on every level); 1 nothing could be read,',
  'nothing to write, or (--check) a level differs or the files do not read back; 2 bad arguments,',
  'unreadable FILE, or --check on a format segscope does not read back.',
].join('\n');

/** Several files on stdout: the documented listing for their syntax (JSON as one JSON object `{name: text}`). */
export const printFiles = (syntax: FormatWriter['syntax'], files: { name: string; text: string }[]): string => {
  if (files.length === 1) return (files[0] as { text: string }).text;
  if (syntax === 'json') {
    const out: Record<string, string> = {};
    for (const f of files) out[f.name] = f.text;
    return `${JSON.stringify(out, null, 2)}\n`;
  }
  return files.map((f) => `# file: ${f.name}\n${f.text.endsWith('\n') ? f.text : `${f.text}\n`}`).join('');
};

export const convert: Command = (args: string[], io: Io) => {
  const { positional, flags } = parseFlags(args, ['to', 'out']);
  if (flags.help) {
    io.out(CONVERT_HELP);
    return 0;
  }
  const unknown = Object.keys(flags).filter((f) => f !== 'to' && f !== 'out' && f !== 'check');
  if (unknown.length > 0) throw new UsageError(`unknown option --${unknown[0]}`);
  const to = flags.to;
  if (to === undefined || to === true) throw new UsageError(`--to is required: one of ${NAMES.join(', ')}`);
  const writer = writerNamed(to);
  if (!writer) {
    io.err(`segscope convert: unknown format "${to}"; expected one of ${NAMES.join(', ')}`);
    return 2;
  }
  if (flags.out === true) throw new UsageError('--out needs a directory');
  if (flags.check !== undefined && flags.check !== true) throw new UsageError('--check takes no value');
  if (flags.check && !writer.readsBack) {
    io.err(`segscope convert: --check reads the files back, and segscope does not read what ${to} writes`);
    return 2;
  }
  if (positional.length === 0) throw new UsageError('name at least one FILE or directory');
  const files = readFilesOrReport('convert', positional, io);
  if (!files) return 2;
  const { workspace, report } = importFiles(files);
  for (const d of [...report.files.flatMap((f) => f.diagnostics), ...report.diagnostics]) {
    if (d.severity !== 'info') io.err(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
  }
  if (report.failed) {
    io.err('segscope convert: nothing could be read');
    return 1;
  }
  const result = writer.write(workspace);
  for (const note of result.notes) io.err(`note: ${note}`);
  if (result.files.length === 0) {
    io.err(`segscope convert: nothing to write as ${to}`);
    return 1;
  }
  if (typeof flags.out === 'string') {
    for (const path of writeFilesInto(flags.out, result.files)) io.out(path);
    return flags.check ? checkRoundTrip(workspace, writer, result.files, io) : 0;
  }
  if (flags.check) return checkRoundTrip(workspace, writer, result.files, io);
  io.out(printFiles(writer.syntax, result.files));
  return 0;
};

export const convertCommand = { run: convert, usage: USAGE };
