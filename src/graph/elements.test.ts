import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../import/index';
import { LEVELS, type Workspace } from '../model/types';
import { buildElements, type ElementDef } from './elements';
import { SERVICE_H, SERVICE_W } from './layout';

const sample = importFiles([
  { name: 's.json', text: readFileSync('public/samples/shop-estate.segscope.json', 'utf8') },
]).workspace;

const nodesOf = (els: ElementDef[], kind: string) => els.filter((e) => e.group === 'nodes' && e.data.kind === kind);

describe('six-band elements', () => {
  const els = buildElements(sample, { focus: 'group' });

  it('draws six bands in order, coarse to fine', () => {
    const bands = nodesOf(els, 'band');
    expect(bands.map((b) => b.data.level)).toEqual([...LEVELS]);
    const ys = LEVELS.map((l) =>
      Math.min(...els.filter((e) => e.data.level === l && e.position).map((e) => e.position?.y ?? 0)),
    );
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
  });

  it('draws each service once per membership, inside that segment', () => {
    const services = nodesOf(els, 'service');
    const expected = sample.services.flatMap((s) =>
      Object.entries(s.memberships).flatMap(([level, ids]) => (ids ?? []).map((id) => `${level}|${s.id}|${id}`)),
    );
    expect(services.map((n) => `${n.data.level}|${n.data.serviceId}|${n.data.segmentId}`).sort()).toEqual(
      expected.sort(),
    );
    for (const n of services) expect(n.data.parent).toBe(`seg:${n.data.segmentId}`);
  });

  it('nests segments in their parents, with coarser parents as context containers', () => {
    const subnet = els.find((e) => e.data.id === 'seg:network:subnet-data');
    expect(subnet?.data.parent).toBe('seg:network:vpc-data');
    expect(els.find((e) => e.data.id === 'seg:network:vpc-data')?.data.parent).toBe('ctx:network:account:222222222222');
    const sg = els.find((e) => e.data.id === 'seg:group:sg-db');
    expect(sg?.data.parent).toBe('ctx:group:network:vpc-data');
    expect(els.find((e) => e.data.id === 'ctx:group:network:vpc-data')?.data.parent).toBe(
      'ctx:group:account:222222222222',
    );
  });

  it('never overlaps two service nodes', () => {
    const boxes = nodesOf(els, 'service').map((n) => n.position as { x: number; y: number });
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i] as { x: number; y: number };
        const b = boxes[j] as { x: number; y: number };
        expect(Math.abs(a.x - b.x) >= SERVICE_W || Math.abs(a.y - b.y) >= SERVICE_H).toBe(true);
      }
    }
  });

  it('draws calls in the focused band and aggregates elsewhere', () => {
    const calls = els.filter((e) => e.data.kind === 'call');
    expect(calls).toHaveLength(sample.calls.length);
    expect(calls.every((c) => c.data.level === 'group')).toBe(true);
    const agg = els.filter((e) => e.data.kind === 'aggregate');
    const accountAgg = agg.find((e) => e.data.level === 'account');
    // Calls from prod-core to prod-data: orders→db-orders, users→db-users, auth→cache, catalog→cache.
    expect(accountAgg?.data).toMatchObject({
      source: 'seg:account:111111111111',
      target: 'seg:account:222222222222',
      count: 4,
    });
  });

  it('shows an honest empty band for a level with no data', () => {
    const ws: Workspace = {
      segscope: 1,
      services: [{ id: 'a', name: 'a', kind: 'service', memberships: { overlay: ['overlay:n'] } }],
      segments: [{ id: 'overlay:n', level: 'overlay', name: 'n' }],
      calls: [],
      rules: [],
    };
    const e = buildElements(ws, { focus: 'overlay' });
    expect(nodesOf(e, 'empty').map((n) => n.data.level)).toEqual(['account', 'role', 'network', 'group', 'policy']);
    expect(e.find((x) => x.data.id === 'band:account')?.data.label).toMatch(/no data for this level/);
  });
});
