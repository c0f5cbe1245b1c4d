// `npm run fuzz [-- --runs N --seed S --reader ID]`: generated and mutated inputs for every reader (src/import/testing/fuzz.ts).
// Prints per reader the inputs run, the time and the failures (with the first failing inputs), then
// a JSON summary; exits 1 when any property failed. `npm test` runs a fixed-seed slice of it.
import { writeFileSync } from 'node:fs';
import { runFuzz } from '../src/import/testing/fuzz';
import { FUZZ_TARGETS } from '../src/import/testing/fuzzTargets';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const runs = Number(arg('runs', '100000'));
const seed = Number(arg('seed', String(Date.now() % 2 ** 31)));
const only = arg('reader', '');
// The yaml library warns on odd keys mutated inputs make; the readers report what matters.
process.removeAllListeners('warning');

const started = performance.now();
const readers = [];
for (const target of FUZZ_TARGETS) {
  if (only && target.id !== only) continue;
  const r = runFuzz(target, runs, seed);
  readers.push({
    reader: r.reader,
    inputs: r.inputs,
    seconds: Math.round(r.ms / 100) / 10,
    failures: r.failures.length,
  });
  process.stderr.write(
    `fuzz: ${r.reader}: ${r.inputs} inputs in ${(r.ms / 1000).toFixed(1)} s, ${r.failures.length} failures\n`,
  );
  for (const f of r.failures.slice(0, 3)) {
    const file = `bench-results/fuzz-${r.reader}-${readers.length}-${r.failures.indexOf(f)}.txt`;
    writeFileSync(file, f.input.text);
    process.stderr.write(`  ${f.kind}: ${f.message.slice(0, 500)}\n  input: ${file}\n`);
  }
}
const summary = { seed, runsPerReader: runs, seconds: Math.round((performance.now() - started) / 1000), readers };
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
process.exitCode = readers.some((r) => r.failures > 0) ? 1 : 0;
