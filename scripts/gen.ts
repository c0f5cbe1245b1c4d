// `npm run gen`: write a generated topology (see src/gen/generate.ts) in any format segscope writes (FORMATS).
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeTopology, exporterFor, GEN_USAGE, GenUsageError, parseGenArgs, planGen } from '../src/gen/cli';

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
    const exporter = exporterFor(args.format);
    if (!exporter) throw new GenUsageError(`no writer for --format ${args.format}`);
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
