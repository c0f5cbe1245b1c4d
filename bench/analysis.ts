// Benchmark: full analysis and the incremental move delta on a generated 5,000-service / 15,000-call workspace.
import { analyzeDetailed } from '../src/analysis/analyze';
import { buildIndex } from '../src/analysis/context';
import { generateWorkspace } from '../src/analysis/testing/generate';

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
};

const size = { services: Number(process.env.SERVICES ?? 5000), calls: Number(process.env.CALLS ?? 15000) };
const [ws, genMs] = time(() => generateWorkspace({ ...size, seed: 42 }));
const runs: number[] = [];
let last: ReturnType<typeof analyzeDetailed> | undefined;
const phases: Record<string, number> = {};
for (let r = 0; r < 3; r++) {
  // A fresh copy each run so no cache of a previous run helps.
  const copy = {
    ...ws,
    services: ws.services.map((s) => ({ ...s })),
    rules: [...ws.rules],
    segments: [...ws.segments],
  };
  const [res, ms] = time(() => analyzeDetailed(copy));
  runs.push(ms);
  last = res;
  if (r === 0) phases.indexMs = time(() => buildIndex({ ...copy, services: [...copy.services] }))[1];
}
const a = last?.analysis;
const out = {
  services: ws.services.length,
  calls: ws.calls.length,
  rules: ws.rules.length,
  segments: ws.segments.length,
  generateMs: Math.round(genMs),
  analyzeMs: runs.map((x) => Math.round(x)),
  analyzeBestMs: Math.round(Math.min(...runs)),
  broken: a?.calls.filter((c) => c.class === 'broken').length,
  findings: a?.findings.length,
  hubs: a?.hubs.length,
  quotas: a?.quotas.length,
  excessMode: a?.excessMode,
  excessClasses: last?.excess.classes,
  ...phases,
};
console.log(JSON.stringify(out, null, 2));
