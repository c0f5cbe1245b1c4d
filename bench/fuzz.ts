// `npm run fuzz [-- --runs N --seed S --reader ID --workers W]`: generated and mutated inputs for every reader.
// Each reader's inputs are shared among W worker threads (default: one per core), each running its
// share from its own seed (src/import/testing/fuzz.ts, fuzzSlices). Prints per reader the inputs
// run, the wall and CPU time and the failures (with the first failing inputs written to
// bench-results/), then a JSON summary; exits 1 when any property failed. `npm test` runs a
// fixed-seed slice of it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { type FuzzReport, fuzzSlices, mergeReports, runFuzz } from '../src/import/testing/fuzz';
import { FUZZ_TARGETS } from '../src/import/testing/fuzzTargets';

interface Job {
  reader: string;
  runs: number;
  seed: number;
}

// The yaml library warns on odd keys mutated inputs make; the readers report what matters.
process.removeAllListeners('warning');

/** A worker: run each job it is sent and answer with its report. */
const serve = () => {
  parentPort?.on('message', (job: Job) => {
    const target = FUZZ_TARGETS.find((t) => t.id === job.reader);
    if (!target) throw new Error(`no fuzz target ${job.reader}`);
    parentPort?.postMessage(runFuzz(target, job.runs, job.seed));
  });
};

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

const runJob = (worker: Worker, job: Job) =>
  new Promise<FuzzReport>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage(job);
  });

const main = async () => {
  const runs = Number(arg('runs', '100000'));
  const seed = Number(arg('seed', String(Date.now() % 2 ** 31)));
  const only = arg('reader', '');
  const workers = Array.from(
    { length: Math.max(1, Number(arg('workers', String(availableParallelism())))) },
    // Node 20's workers do not inherit tsx's loader: each registers it, then loads this file.
    () =>
      new Worker(
        `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`,
        { eval: true },
      ),
  );
  mkdirSync('bench-results', { recursive: true });
  const started = performance.now();
  const readers = [];
  for (const target of FUZZ_TARGETS) {
    if (only && target.id !== only) continue;
    const t0 = performance.now();
    // The process's CPU time: every worker's (a worker's own clock is the process's in Node 20).
    const cpu0 = process.cpuUsage();
    const slices = fuzzSlices(runs, workers.length, seed);
    const parts = await Promise.all(
      slices.map((s, k) => runJob(workers[k] as Worker, { reader: target.id, runs: s.runs, seed: s.seed })),
    );
    const r = mergeReports(target.id, parts, Math.round(performance.now() - t0));
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = Math.round((cpu.user + cpu.system) / 100_000) / 10;
    readers.push({
      reader: r.reader,
      inputs: r.inputs,
      seconds: Math.round(r.ms / 100) / 10,
      cpuSeconds,
      failures: r.failed,
    });
    process.stderr.write(
      `fuzz: ${r.reader}: ${r.inputs} inputs in ${(r.ms / 1000).toFixed(1)} s (${cpuSeconds} s CPU), ${r.failed} failures\n`,
    );
    for (const [i, f] of r.failures.slice(0, 3).entries()) {
      const file = `bench-results/fuzz-${r.reader}-${i}.txt`;
      writeFileSync(file, f.input.text);
      process.stderr.write(`  ${f.kind}: ${f.message.slice(0, 500)}\n  input: ${file}\n`);
    }
  }
  for (const w of workers) await w.terminate();
  const summary = {
    seed,
    runsPerReader: runs,
    workers: workers.length,
    seconds: Math.round((performance.now() - started) / 1000),
    readers,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  process.exitCode = readers.some((r) => r.failures > 0) ? 1 : 0;
};

if (isMainThread) void main();
else serve();
