import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTopology } from '../gen/generate';
import { EXPORT_FORMATS, EXPORTERS, type ExportFormat, isExportFormat } from './index';
import { load, reimport, sampleFiles } from './testing';

const SAMPLES: [string, string[]][] = [
  ['compose', ['public/samples/compose']],
  ['k8s', ['public/samples/k8s']],
  ['calico', ['public/samples/calico']],
  ['aws', ['public/samples/aws']],
  ['native', ['public/samples/shop-estate.segscope.json']],
  ['k8s + calico + compose', ['public/samples/k8s', 'public/samples/calico', 'public/samples/compose']],
];
/** Formats segscope reads back (Terraform HCL is written for people and `terraform plan`, not read). */
const READ_BACK: ExportFormat[] = ['native', 'compose', 'k8s', 'calico', 'aws-sg'];

describe('EXPORTERS', () => {
  it('has one exporter per format of the convert command', () => {
    expect(Object.keys(EXPORTERS)).toEqual([...EXPORT_FORMATS]);
    expect(EXPORT_FORMATS.map(isExportFormat)).toEqual(EXPORT_FORMATS.map(() => true));
    expect(isExportFormat('yaml')).toBe(false);
  });

  it('native writes a native file byte for byte as it was read', () => {
    const text = readFileSync('public/samples/shop-estate.segscope.json', 'utf8');
    const out = EXPORTERS.native(load([{ name: 'shop-estate.segscope.json', text }]));
    expect(out).toEqual({ files: [{ name: 'Shop-estate-sample.segscope.json', text }], notes: [] });
  });

  // Every format on every sample: no throw, and what segscope reads back loads without errors.
  describe.each(SAMPLES)('%s samples', (_label, paths) => {
    const ws = load(paths.flatMap(sampleFiles));
    it.each(EXPORT_FORMATS.map((f) => [f]))('to %s', (format) => {
      const out = EXPORTERS[format](ws);
      for (const f of out.files) expect(f.text.length).toBeGreaterThan(0);
      expect(new Set(out.files.map((f) => f.name)).size).toBe(out.files.length);
      if (READ_BACK.includes(format) && out.files.length > 0) {
        expect(reimport(out).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      }
    });
  });

  it('a generated topology keeps its services and calls through Compose and Kubernetes, its groups through AWS', () => {
    const ws = generateTopology({ services: 60, calls: 150, seed: 3 }).workspace;
    const names = (list: { name: string }[]) => list.map((s) => s.name).sort();
    for (const format of ['compose', 'k8s'] as const) {
      const back = reimport(EXPORTERS[format](ws)).workspace;
      expect(names(back.services)).toEqual(names(ws.services));
      expect(back.calls).toHaveLength(ws.calls.length);
    }
    const aws = reimport(EXPORTERS['aws-sg'](ws)).workspace;
    const groups = (list: typeof ws.services) =>
      Object.fromEntries(list.map((s) => [s.name, [...(s.memberships.group ?? [])].sort()]));
    expect(groups(aws.services)).toEqual(groups(ws.services));
  });
});
