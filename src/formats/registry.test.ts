import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTopology } from '../gen/generate';
import { importFiles } from '../import/index';
import { FORMATS, formatNouns, WRITERS, writerNamed } from './registry';
import { load, reimport, sampleFiles } from './testing';
import type { FormatWriter } from './types';

const writer = (name: string): FormatWriter => writerNamed(name) as FormatWriter;

const SAMPLES: [string, string[]][] = [
  ['compose', ['public/samples/compose']],
  ['k8s', ['public/samples/k8s']],
  ['calico', ['public/samples/calico']],
  ['aws', ['public/samples/aws']],
  ['aws network ACLs', ['public/samples/aws-nacl']],
  ['aws route tables', ['public/samples/aws-routes']],
  ['aws collector bundle', ['public/samples/aws-bundle']],
  ['native', ['public/samples/shop-estate.segscope.json']],
  ['k8s + calico + compose', ['public/samples/k8s', 'public/samples/calico', 'public/samples/compose']],
];
describe('FORMATS', () => {
  it('lists each format once, with the writers convert and gen offer in the same order', () => {
    expect(FORMATS.map((f) => f.id)).toEqual(['native', 'compose', 'docker', 'k8s', 'calico', 'aws', 'terraform']);
    expect(WRITERS.map((w) => w.name)).toEqual(['native', 'compose', 'k8s', 'calico', 'aws-sg', 'terraform']);
    expect(writerNamed('yaml')).toBeUndefined();
    // Terraform HCL is written for people and `terraform plan`, not read.
    expect(WRITERS.filter((w) => !w.readsBack).map((w) => w.name)).toEqual(['terraform']);
  });

  it('names every format in the "not recognised" message', () => {
    expect(formatNouns()).toBe(
      'a segscope workspace, Docker Compose, docker network inspect JSON, Kubernetes, Calico, AWS CLI or Terraform JSON',
    );
    const { report } = importFiles([{ name: 'x.yaml', text: 'just: a map\n' }]);
    expect(report.files[0]?.diagnostics[0]?.message).toBe(`format not recognised: expected ${formatNouns()} file`);
  });

  it.each(FORMATS.map((f) => [f.id, f] as const))(
    '%s: its sample files are detected as it and read without errors',
    (id, f) => {
      for (const path of f.samples) {
        const file = sampleFiles(`public/samples/${path}`)[0] as { name: string; text: string };
        const { report } = importFiles([file]);
        expect(report.files[0]?.format).toBe(id);
        expect(report.files[0]?.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      }
    },
  );

  it('native writes a native file byte for byte as it was read', () => {
    const text = readFileSync('public/samples/shop-estate.segscope.json', 'utf8');
    const out = writer('native').write(load([{ name: 'shop-estate.segscope.json', text }]));
    expect(out).toEqual({ files: [{ name: 'Shop-estate-sample.segscope.json', text }], notes: [] });
  });

  // Every format on every sample: no throw, and what segscope reads back loads without errors.
  describe.each(SAMPLES)('%s samples', (_label, paths) => {
    const ws = load(paths.flatMap(sampleFiles));
    it.each(WRITERS.map((w) => [w.name, w] as const))('to %s', (_name, w) => {
      const out = w.write(ws);
      for (const f of out.files) expect(f.text.length).toBeGreaterThan(0);
      expect(new Set(out.files.map((f) => f.name)).size).toBe(out.files.length);
      if (w.readsBack && out.files.length > 0) {
        expect(reimport(out).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      }
    });
  });

  it('a generated topology keeps its services and calls through Compose and Kubernetes, its groups through AWS', () => {
    const ws = generateTopology({ services: 60, calls: 150, seed: 3 }).workspace;
    const names = (list: { name: string }[]) => list.map((s) => s.name).sort();
    for (const format of ['compose', 'k8s'] as const) {
      const back = reimport(writer(format).write(ws)).workspace;
      expect(names(back.services)).toEqual(names(ws.services));
      expect(back.calls).toHaveLength(ws.calls.length);
    }
    const aws = reimport(writer('aws-sg').write(ws)).workspace;
    const groups = (list: typeof ws.services) =>
      Object.fromEntries(list.map((s) => [s.name, [...(s.memberships.group ?? [])].sort()]));
    expect(groups(aws.services)).toEqual(groups(ws.services));
  });
});
