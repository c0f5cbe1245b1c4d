import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diff } from './diff';
import { main } from './main';
import { fakeIo } from './testing';

const BOUTIQUE = 'src/synthesize/testdata/boutique.yaml';

describe('segscope synthesize', () => {
  it('prints the policy-level plan as JSON: only removals of excess reach, the broken call restored, no call broken', async () => {
    const { io, out, err } = fakeIo();
    expect(await main(['synthesize', BOUTIQUE, '--level', 'policy', '--json'], io)).toBe(0);
    expect(err).toEqual([]);
    const j = JSON.parse(out.join(''));
    expect(Object.keys(j)).toEqual([
      'level',
      'granularity',
      'plan',
      'added',
      'removed',
      'segments',
      'diff',
      'brokenCalls',
      'notes',
    ]);
    expect(j.added).toHaveLength(5);
    expect(j.removed).toHaveLength(5);
    expect(j.brokenCalls).toEqual([]);
    // checkout → email was denied and is the one pair added; the 4 allowed calls stay; the rest only loses reach.
    expect(j.diff).toEqual({ added: 1, removed: 10, changed: 0, unchanged: 4 });
  });

  it('writes the synthesized level with --format through the exporters, and segscope diff shows only removals besides the restored call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segscope-synth-'));
    const { io, err } = fakeIo();
    expect(await main(['synthesize', BOUTIQUE, '--level', 'policy', '--format', 'k8s', '--out', dir], io)).toBe(0);
    expect(err.some((l) => l.startsWith(dir))).toBe(true);
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    expect(text).toContain('name: emailservice-least-privilege');
    expect(text).not.toContain('allow-prometheus-scrape');
    const d = fakeIo();
    expect(await diff([BOUTIQUE, '--to', dir, '--json'], d.io)).toBe(0);
    const r = JSON.parse(d.out.join(''));
    expect(r.added.map((x: { from: string; to: string }) => `${x.from} => ${x.to}`)).toEqual([
      'boutique/checkoutservice => boutique/emailservice',
    ]);
    expect(r.removed.length).toBeGreaterThan(0);
  });

  it('--format calico writes the synthesized policy level as Calico NetworkPolicies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segscope-synth-calico-'));
    const { io } = fakeIo();
    expect(await main(['synthesize', BOUTIQUE, '--level', 'policy', '--format', 'calico', '--out', dir], io)).toBe(0);
    const text = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    expect(text).toContain('apiVersion: projectcalico.org/v3');
    expect(text).toContain('name: emailservice-least-privilege');
    expect(text).not.toContain('networking.k8s.io');
  });

  it('group level in AWS CLI files: segscope diff from the current groups shows only removals and narrowed ports, no call broken', async () => {
    const SAMPLE = 'public/samples/shop-estate.segscope.json';
    const before = mkdtempSync(join(tmpdir(), 'segscope-synth-before-'));
    const after = mkdtempSync(join(tmpdir(), 'segscope-synth-after-'));
    expect(await main(['convert', SAMPLE, '--to', 'aws-sg', '--out', before], fakeIo().io)).toBe(0);
    const synth = fakeIo();
    expect(await main(['synthesize', SAMPLE, '--level', 'group', '--format', 'aws-sg', '--out', after], synth.io)).toBe(
      0,
    );
    expect(synth.out.join('\n')).toContain('no declared call broken');
    const d = fakeIo();
    expect(await diff([before, '--to', after, '--json'], d.io)).toBe(0);
    const r = JSON.parse(d.out.join(''));
    expect(r.added).toEqual([]);
    expect(r.removed.length).toBeGreaterThan(0);
    // "TCP 8080-9200" holds "TCP 9000": every changed pair keeps a part of what it had.
    const range = (p: string) => {
      const [proto, ports = ''] = p.split(' ');
      const [lo, hi = lo] = ports.split('-').map(Number);
      return { proto, lo: lo as number, hi: hi as number };
    };
    for (const c of r.changed as { before: string[]; after: string[] }[])
      for (const a of c.after.map(range))
        expect(c.before.map(range).some((b) => b.proto === a.proto && b.lo <= a.lo && a.hi <= b.hi)).toBe(true);
  });

  it('proposes a segmentation and reports alignment', async () => {
    const { io, out } = fakeIo();
    expect(
      await main(['synthesize', 'public/samples/shop-estate.segscope.json', '--level', 'group', '--align'], io),
    ).toBe(0);
    expect(out.join('\n').split('\n')[0]).toBe('levels aligned: 40 % of services (6 / 15); after 3 moves: 100 %');
    const p = fakeIo();
    expect(
      await main(
        ['synthesize', 'public/samples/shop-estate.segscope.json', '--level', 'group', '--propose', '--json'],
        p.io,
      ),
    ).toBe(0);
    const j = JSON.parse(p.out.join(''));
    expect(j.after.maxInbound).toBeLessThanOrEqual(j.after.inboundLimit);
    expect(j.after.excessPairs).toBeLessThan(j.before.excessPairs);
  });

  it('refuses a missing level', async () => {
    const { io, err } = fakeIo();
    expect(await main(['synthesize', BOUTIQUE], io)).toBe(2);
    expect(err.join('\n')).toContain('--level is required');
  });
});
