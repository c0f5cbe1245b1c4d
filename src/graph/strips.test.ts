import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../import/index';
import { bandSummaries, bestFocus, bestMatch } from './strips';

const read = (path: string) => ({ name: path.split('/').pop() as string, text: readFileSync(path, 'utf8') });
const sample = importFiles([read('public/samples/shop-estate.segscope.json')]).workspace;

describe('band strips', () => {
  const strips = bandSummaries(sample, null, null);

  it('sums each band: segments, services, calls crossing segments', () => {
    const account = strips.find((b) => b.level === 'account');
    expect(account).toMatchObject({ segments: 2, services: 15, crossing: 4 });
    expect(account?.chips.map((c) => [c.name, c.services])).toEqual([
      ['prod-core', 12],
      ['prod-data', 3],
    ]);
  });

  it('counts a sub-segment member for its parent too (VPC ⊃ subnet)', () => {
    const network = strips.find((b) => b.level === 'network');
    const vpcData = network?.chips.find((c) => c.segmentId === 'network:vpc-data');
    const subnets = sample.segments.filter((s) => s.parent === 'network:vpc-data').map((s) => s.id);
    const inSubnets = sample.services.filter((s) => s.memberships.network?.some((m) => subnets.includes(m))).length;
    expect(vpcData?.services).toBeGreaterThanOrEqual(inSubnets);
    expect(inSubnets).toBeGreaterThan(0);
  });

  it('counts broken calls and marks hubs and quotas from the analysis', () => {
    const analysis = {
      calls: sample.calls.map((c, index) => ({
        index,
        from: c.from,
        to: c.to,
        class: index === 0 ? 'broken' : 'allowed',
      })),
      findings: [],
      quotas: [{ subject: { kind: 'segment', id: 'group:sg-app' }, state: 'error', used: 6, limit: 5, label: 'rules' }],
      hubs: [{ service: 'auth', callers: 9 }],
      excess: [],
    } as never;
    const group = bandSummaries(sample, analysis, null).find((b) => b.level === 'group');
    const first = sample.calls[0] as { from: string; to: string };
    const crosses =
      sample.services.find((s) => s.id === first.from)?.memberships.group?.[0] !==
      sample.services.find((s) => s.id === first.to)?.memberships.group?.[0];
    expect(group?.broken).toBe(crosses ? 1 : 0);
    expect(group?.chips.find((c) => c.segmentId === 'group:sg-app')).toMatchObject({ quota: 'error', hub: true });
  });
});

describe('band strips, counted once per workspace (the analysis adds its marks only)', () => {
  // A small estate of our own: a VPC with two subnets (one empty), a lone empty VPC, three services.
  const ws = {
    ...sample,
    segments: [
      { id: 'network:vpc', level: 'network' as const, name: 'vpc' },
      { id: 'network:sub-a', level: 'network' as const, name: 'sub-a', parent: 'network:vpc' },
      { id: 'network:sub-b', level: 'network' as const, name: 'sub-b', parent: 'network:vpc' },
      { id: 'network:empty', level: 'network' as const, name: 'empty' },
      { id: 'network:other', level: 'network' as const, name: 'other' },
    ],
    services: ['a', 'b', 'c'].map((id) => ({
      id,
      name: id,
      kind: 'service' as const,
      memberships: { network: [id === 'c' ? 'network:other' : 'network:sub-a'] },
    })),
    calls: [
      { from: 'a', to: 'b' },
      { from: 'a', to: 'c' },
      { from: 'b', to: 'c' },
    ],
    rules: [],
  } as unknown as typeof sample;
  const analysis = {
    calls: [
      { index: 0, class: 'broken' },
      { index: 1, class: 'broken' },
      { index: 2, class: 'allowed' },
    ],
    findings: [],
    quotas: [],
    hubs: [{ service: 'c', callers: 2 }],
    excess: [],
  } as never;
  const network = (a: unknown) => bandSummaries(ws, a as never, null).find((b) => b.level === 'network');

  it('a segment with no member has no chip; a subnet member counts for its VPC', () => {
    expect(network(null)?.chips.map((c) => [c.name, c.services])).toEqual([
      ['sub-a', 2],
      ['vpc', 2],
      ['other', 1],
    ]);
    expect(network(null)).toMatchObject({ segments: 5, services: 3, crossing: 2, broken: 0 });
  });

  it('broken calls and hubs marked from the analysis, on the chips of both ends and their ancestors', () => {
    const band = network(analysis);
    // a → b stays inside sub-a: not crossing, so not counted; a → c crosses and is broken.
    expect(band?.broken).toBe(1);
    expect(band?.chips.map((c) => [c.name, c.broken, c.hub])).toEqual([
      ['sub-a', 1, false],
      ['vpc', 1, false],
      ['other', 1, true],
    ]);
  });

  it('the marks of one analysis never stay on the counts kept for the workspace', () => {
    network(analysis);
    expect(network(null)?.chips.every((c) => c.broken === 0 && !c.hub)).toBe(true);
  });
});

describe('focus follows the data (DESIGN.md: on import the band with the most populated segments)', () => {
  it('a Compose file focuses the overlay band', () => {
    expect(bestFocus(importFiles([read('public/samples/compose/voting-app.yml')]).workspace)).toBe('overlay');
  });
  it('Kubernetes files focus the policy band', () => {
    expect(bestFocus(importFiles([read('public/samples/k8s/shop.yaml')]).workspace)).toBe('policy');
  });
  it('ties go to the band with more findings', () => {
    const ws = importFiles([read('public/samples/compose/voting-app.yml')]).workspace;
    const two = {
      ...ws,
      segments: [
        ...ws.segments,
        { id: 'group:g1', level: 'group' as const, name: 'g1' },
        { id: 'group:g2', level: 'group' as const, name: 'g2' },
      ],
      services: ws.services.map((s, i) => ({
        ...s,
        memberships: { ...s.memberships, group: [i % 2 ? 'group:g1' : 'group:g2'] },
      })),
    };
    const overlays = new Set(ws.services.flatMap((s) => s.memberships.overlay ?? [])).size;
    expect(overlays).toBe(2);
    expect(bestFocus(two, { findings: [{ level: 'overlay' }] } as never)).toBe('overlay');
    expect(bestFocus(two, { findings: [{ level: 'group' }, { level: 'group' }] } as never)).toBe('group');
  });
});

describe('search + Enter picks the best match', () => {
  it('prefers an exact name, then a prefix, then a substring', () => {
    expect(bestMatch(sample, 'cart')).toEqual({ kind: 'service', id: 'cart' });
    expect(bestMatch(sample, 'pay')).toEqual({ kind: 'service', id: 'payments' });
    expect(bestMatch(sample, 'sg-db')).toEqual({ kind: 'segment', id: 'group:sg-db', level: 'group' });
    expect(bestMatch(sample, '')).toBeNull();
    expect(bestMatch(sample, 'no-such-thing')).toBeNull();
  });
});
