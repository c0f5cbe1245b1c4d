// The fuzz harness catches each property broken by a planted fault, and shares runs among workers exactly.
import { describe, expect, it } from 'vitest';
import type { K8sNetworkPolicyRule } from '../../model/types';
import { importFiles } from '../index';
import type { FileInput } from '../types';
import { type FuzzReport, fuzzSlices, type Importer, mergeReports, runFuzz } from './fuzz';
import { FUZZ_TARGETS } from './fuzzTargets';

const target = (id: string) => {
  const t = FUZZ_TARGETS.find((x) => x.id === id);
  if (!t) throw new Error(`no fuzz target ${id}`);
  return t;
};
const isSeed = (id: string, f: FileInput) => target(id).seeds.some((s) => s.text === f.text);
const kinds = (r: FuzzReport) =>
  new Set(r.failures.map((f) => f.message.replace(/^.*?: (?=threw|diag|the valid|rule)/, '')));
const firstWords = (r: FuzzReport) => [...kinds(r)].map((m) => m.split(':')[0]);

describe('fuzz harness (a planted fault in the import is reported, never missed)', () => {
  it('an import that throws', () => {
    const read: Importer = (files) => {
      if (!isSeed('compose', files[0] as FileInput) && (files[0]?.text.length ?? 0) % 3 === 0) throw new Error('boom');
      return importFiles(files);
    };
    const r = runFuzz(target('compose'), 150, 3, read);
    expect(r.failed).toBeGreaterThan(0);
    expect(firstWords(r)).toContain('threw');
  });

  it('a diagnostic without a line', () => {
    const read: Importer = (files) => {
      const r = importFiles(files);
      for (const f of r.report.files) for (const d of f.diagnostics) d.line = 0;
      return r;
    };
    const r = runFuzz(target('compose'), 150, 3, read);
    expect(firstWords(r)).toContain('diagnostic not placed');
  });

  it('an error that loses the rest of the file', () => {
    const read: Importer = (files) => {
      const r = importFiles(files);
      const error = r.report.files.some((f) => f.diagnostics.some((d) => d.severity === 'error'));
      return error ? { ...r, workspace: { ...r.workspace, services: [], calls: [] } } : r;
    };
    const r = runFuzz(target('compose'), 300, 3, read);
    expect(firstWords(r)).toContain('the valid rest did not load');
  });

  it('a damaged NetworkPolicy read as allowing every peer on every port', () => {
    const read: Importer = (files) => {
      const r = importFiles(files);
      if (isSeed('k8s', files[0] as FileInput)) return r;
      // An empty entry allows every peer on every port (NetworkPolicy API).
      const open = (x: K8sNetworkPolicyRule): K8sNetworkPolicyRule => ({ ...x, ingress: [{}], egress: [{}] });
      const rules = r.workspace.rules.map((x) => (x.type === 'k8s-network-policy' ? open(x) : x));
      return { ...r, workspace: { ...r.workspace, rules } };
    };
    const r = runFuzz(target('k8s'), 100, 3, read);
    expect(firstWords(r)).toContain('rule k8s');
    expect(r.failures.find((f) => f.message.includes('widened'))?.message).toMatch(/widened for \S+ → \S+/);
  });
});

describe('fuzz runs shared among workers', () => {
  it('shares add up to the runs, from distinct seeds, the same for the same arguments', () => {
    for (const [runs, parts] of [
      [100_000, 2],
      [7, 3],
      [2, 4],
      [1, 1],
    ] as const) {
      const s = fuzzSlices(runs, parts, 2026);
      expect(s.reduce((n, x) => n + x.runs, 0)).toBe(runs);
      expect(s.length).toBe(Math.min(parts, runs));
      expect(new Set(s.map((x) => x.seed)).size).toBe(s.length);
      expect(Math.max(...s.map((x) => x.runs)) - Math.min(...s.map((x) => x.runs))).toBeLessThanOrEqual(1);
      expect(fuzzSlices(runs, parts, 2026)).toEqual(s);
    }
  });

  it('merged reports add inputs and failures and keep at most 20 failing inputs', () => {
    const failure = { input: { name: 'a', text: '' }, kind: 'text', message: 'threw: x' };
    const part = (failed: number): FuzzReport => ({
      reader: 'compose',
      inputs: 50,
      ms: 10,
      failed,
      failures: Array.from({ length: Math.min(failed, 20) }, () => failure),
    });
    const m = mergeReports('compose', [part(15), part(0), part(30)], 99);
    expect(m).toMatchObject({ reader: 'compose', inputs: 150, ms: 99, failed: 45 });
    expect(m.failures.length).toBe(20);
  });

  it('two shares run the inputs of their seeds: the same report as running each alone', () => {
    const [a, b] = fuzzSlices(60, 2, 11);
    if (!a || !b) throw new Error('two shares');
    const whole = mergeReports(
      'native',
      [runFuzz(target('native'), a.runs, a.seed), runFuzz(target('native'), b.runs, b.seed)],
      0,
    );
    expect(whole.inputs).toBe(60);
    expect(whole.failed).toBe(0);
  });
});
