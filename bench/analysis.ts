// Benchmark: full analyze() and the incremental move delta on a generated 5,000-service / 15,000-call workspace.
// Run: npx tsx bench/analysis.ts   (SERVICES=… CALLS=… RUNS=… MOVES=… to change the size)
//
// The estate is the one `npm run bench` measures in the browser (src/gen, the same seed and segment
// count), and the moves are the bench's too, so the figures compare.
import { analyze } from '../src/analysis/analyze';
import { previewMove } from '../src/analysis/delta';
import { generateTopology } from '../src/gen/generate';
import { randomMoves } from '../src/gen/moves';
import type { Workspace } from '../src/model/types';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const size = { services: env('SERVICES', 5000), calls: env('CALLS', 15000) };
const runs = env('RUNS', 5);
const moves = env('MOVES', 40);

const timed = <T>(f: () => T): { value: T; ms: number; cpuMs: number } => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, cpuMs: (c.user + c.system) / 1000 };
};

/** A structurally fresh copy, so no cache keyed by the previous run's objects helps. */
const fresh = (ws: Workspace): Workspace => ({
  ...ws,
  services: ws.services.map((s) => ({ ...s })),
  segments: ws.segments.map((s) => ({ ...s })),
  rules: ws.rules.map((r) => ({ ...r })),
  calls: [...ws.calls],
});

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const round = (x: number) => Math.round(x);

const gen = timed(
  () => generateTopology({ ...size, segments: Math.max(250, Math.round(size.services / 4)), seed: 42 }).workspace,
);
const ws = gen.value;
const wall: number[] = [];
const cpu: number[] = [];
let analysis = analyze(fresh(ws));
let last = ws;
for (let r = 0; r < runs; r++) {
  last = fresh(ws);
  const t = timed(() => analyze(last));
  wall.push(t.ms);
  cpu.push(t.cpuMs);
  analysis = t.value;
}

// Hover deltas: the bench's random moves, each previewed against the same base analysis.
const deltaMs: number[] = [];
for (const m of randomMoves(last, moves, 7)) {
  const t = timed(() => previewMove(last, analysis, m));
  deltaMs.push(t.ms);
}

console.log(
  JSON.stringify(
    {
      services: ws.services.length,
      calls: ws.calls.length,
      rules: ws.rules.length,
      segments: ws.segments.length,
      generateMs: round(gen.ms),
      analyzeMs: wall.map(round),
      analyzeBestMs: round(Math.min(...wall)),
      analyzeMedianMs: round(pct(wall, 50)),
      analyzeCpuBestMs: round(Math.min(...cpu)),
      broken: analysis.calls.filter((c) => c.class === 'broken').length,
      findings: analysis.findings.length,
      hubs: analysis.hubs.length,
      quotaUses: analysis.quotas.length,
      excessMode: analysis.excessMode,
      previewMoveMs: {
        runs: deltaMs.length,
        p50: round(pct(deltaMs, 50)),
        p95: round(pct(deltaMs, 95)),
        max: round(Math.max(...deltaMs)),
      },
      loadAverage: (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100),
    },
    null,
    2,
  ),
);
