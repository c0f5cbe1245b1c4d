// Benchmark: the hover delta (previewMove) per move, CPU time, on the bench's estate and moves.
// Run: npx tsx bench/preview.ts [--sizes 1000,5000,10000] [--moves 51] [--passes 2] [--each]
// Profile: npx esbuild bench/preview.ts --bundle --platform=node --format=esm --outfile=/tmp/preview.mjs
//          && node --cpu-prof --cpu-prof-dir=/tmp/prof /tmp/preview.mjs --sizes 5000
//
// The estate is `npm run bench`'s (src/gen, seed 42, services / 4 segments, 3 calls per service) and
// the moves are its `randomMoves(ws, 51, 7)`, each previewed once against one analysis (a drag
// previews many moves against one). CPU time per move from process.cpuUsage, so the figures hold
// on a busy machine better than wall time; a second pass previews the same moves again (the
// permit caches warm). --each prints every move's level and time.
import { PerformanceObserver } from 'node:perf_hooks';
import { analyze } from '../src/analysis/analyze';
import { previewMove } from '../src/analysis/delta';
import { generateTopology } from '../src/gen/generate';
import { randomMoves } from '../src/gen/moves';

const arg = (name: string, d: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? d) : d;
};
const sizes = arg('sizes', '5000').split(',').map(Number);
const moveCount = Number(arg('moves', '51'));
const passes = Number(arg('passes', '2'));
const each = process.argv.includes('--each');

const cpuMs = (f: () => void): number => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const round = (x: number) => Math.round(x);
// Garbage collection during the previews (wall ms of the collector's pauses, delivered after the pass).
let gcMs = 0;
let counting = false;
new PerformanceObserver((list) => {
  if (counting) for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });
const settle = () => new Promise((r) => setTimeout(r, 10));

for (const services of sizes) {
  const ws = generateTopology({
    services,
    segments: Math.max(250, Math.round(services / 4)),
    calls: services * 3,
    seed: 42,
  }).workspace;
  const analysis = analyze(ws);
  const moves = randomMoves(ws, moveCount, 7);
  for (let pass = 1; pass <= passes; pass++) {
    await settle();
    gcMs = 0;
    counting = true;
    const times = moves.map((m) => {
      const ms = cpuMs(() => previewMove(ws, analysis, m));
      if (each) console.log(`  ${m.level.padEnd(8)} ${m.service.padEnd(12)} ${ms.toFixed(1)} ms`);
      return ms;
    });
    await settle();
    counting = false;
    const sum = times.reduce((a, b) => a + b, 0);
    console.log(
      `${services} services, pass ${pass}, ${times.length} moves: sum ${round(sum)} ms, p50 ${round(pct(times, 50))}, ` +
        `p95 ${round(pct(times, 95))}, max ${round(Math.max(...times))} (gc pauses ${round(gcMs)} ms)`,
    );
  }
}
