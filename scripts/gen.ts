// `npm run gen`: write a generated topology (see src/gen/generate.ts) in the native, Compose, Kubernetes or AWS format.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  describeTopology,
  type Exporter,
  GEN_USAGE,
  GenUsageError,
  parseGenArgs,
  pickExporter,
  planGen,
} from '../src/gen/cli';

/** The export registry, when it loads: exporters land one by one, so native works without it. */
const loadRegistry = async (): Promise<Record<string, Exporter | undefined>> => {
  try {
    const mod = (await import('../src/export/index')) as { EXPORTERS?: Record<string, Exporter | undefined> };
    return mod.EXPORTERS ?? {};
  } catch (e) {
    process.stderr.write(`gen: export registry unavailable (${(e as Error).message}); only native works\n`);
    return {};
  }
};

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

const main = async (argv: string[]): Promise<number> => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${GEN_USAGE}\n`);
    return 0;
  }
  try {
    const args = parseGenArgs(argv);
    const exporter = pickExporter(args.format, await loadRegistry());
    if (!exporter) {
      process.stderr.write(`gen: no exporter for --format ${args.format} yet\n`);
      return 2;
    }
    const started = performance.now();
    const plan = planGen(args, exporter, args.out !== undefined && isDirectory(args.out), join);
    for (const f of plan.files) {
      if (f.path === null) process.stdout.write(f.text);
      else {
        mkdirSync(dirname(f.path), { recursive: true });
        writeFileSync(f.path, f.text);
      }
    }
    const where = plan.files.every((f) => f.path === null)
      ? 'standard output'
      : plan.files.map((f) => f.path).join(', ');
    process.stderr.write(
      `gen: ${describeTopology(plan.topology)} (seed ${args.seed ?? 1}, ${Math.round(performance.now() - started)} ms) → ${args.format}: ${where}\n`,
    );
    for (const note of plan.notes) process.stderr.write(`gen: note: ${note}\n`);
    return 0;
  } catch (e) {
    if (e instanceof GenUsageError) {
      process.stderr.write(`gen: ${e.message}\n${GEN_USAGE}\n`);
      return 2;
    }
    throw e;
  }
};

process.exitCode = await main(process.argv.slice(2));
