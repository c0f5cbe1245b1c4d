// Benchmark: `segscope connlist` on generated Kubernetes manifests (1,000 workloads, 500 NetworkPolicies by default).
import { computeConnlist } from '../src/analysis/connlist';
import { connlistJsonChunks } from '../src/analysis/connlist-output';
import { importFiles } from '../src/import/index';
import { generateManifests } from './connlist-manifests';

const WORKLOADS = Number(process.env.WORKLOADS ?? 1000);
const POLICIES = Number(process.env.POLICIES ?? 500);
const NAMESPACES = Number(process.env.NAMESPACES ?? 20);

// Wall time, and CPU time of this process: on a machine busy with other work the CPU time is the
// figure that says what the code costs (JavaScript runs on one thread; GC threads add a little).
const cpu: Record<string, number> = {};
const time = <T>(name: string, f: () => T): [T, number] => {
  const t = performance.now();
  const c = process.cpuUsage();
  const r = f();
  const d = process.cpuUsage(c);
  cpu[name] = Math.round((d.user + d.system) / 1000);
  return [r, performance.now() - t];
};

const text = generateManifests(WORKLOADS, POLICIES, NAMESPACES);
const [imported, importMs] = time('import', () => importFiles([{ name: 'bench.yaml', text }]));
const [result, connlistMs] = time('connlist', () => computeConnlist(imported.workspace));
// The JSON as `segscope connlist --json` writes it: in pieces (at 5,000 workloads the document is
// over a gigabyte, past the longest string a JavaScript engine makes), counted here instead of written.
const [jsonBytes, jsonMs] = time('json', () => {
  let bytes = 0;
  for (const chunk of connlistJsonChunks(result)) bytes += Buffer.byteLength(chunk);
  return bytes;
});
const diagnostics = imported.report.files.reduce((n, f) => n + f.diagnostics.length, 0);
console.log(
  JSON.stringify(
    {
      workloads: result.stats.workloads,
      policies: imported.workspace.rules.filter((r) => r.type === 'k8s-network-policy').length,
      ranges: result.stats.ranges,
      classes: result.stats.classes,
      classPairs: result.stats.classPairs,
      connections: result.connections.length,
      diagnostics,
      importMs: Math.round(importMs),
      connlistMs: Math.round(connlistMs),
      jsonMs: Math.round(jsonMs),
      jsonBytes,
      heapUsedMB: Math.round(process.memoryUsage().heapUsed / 1048576),
      rssMB: Math.round(process.memoryUsage().rss / 1048576),
      totalMs: Math.round(importMs + connlistMs + jsonMs),
      cpuMs: { ...cpu, total: (cpu.import ?? 0) + (cpu.connlist ?? 0) + (cpu.json ?? 0) },
    },
    null,
    2,
  ),
);
