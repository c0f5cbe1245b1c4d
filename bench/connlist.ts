// Benchmark: `segscope connlist` on generated Kubernetes manifests (1,000 workloads, 500 NetworkPolicies by default).
import { computeConnlist, connlistJson } from '../src/analysis/connlist';
import { importFiles } from '../src/import/index';
import { generateManifests } from './connlist-manifests';

const WORKLOADS = Number(process.env.WORKLOADS ?? 1000);
const POLICIES = Number(process.env.POLICIES ?? 500);
const NAMESPACES = Number(process.env.NAMESPACES ?? 20);

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
};

const text = generateManifests(WORKLOADS, POLICIES, NAMESPACES);
const [imported, importMs] = time(() => importFiles([{ name: 'bench.yaml', text }]));
const [result, connlistMs] = time(() => computeConnlist(imported.workspace));
const [json, jsonMs] = time(() => JSON.stringify(connlistJson(result)));
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
      jsonBytes: json.length,
      totalMs: Math.round(importMs + connlistMs + jsonMs),
    },
    null,
    2,
  ),
);
