import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Analysis, CallVerdict } from '../analysis/types';
import { generateTopology } from '../gen/generate';
import { importFiles } from '../import/index';
import { applyCommand } from '../model/commands';
import type { Workspace } from '../model/types';
import { buildBand, type ElementDef, MIN_LABEL_PX } from './elements';
import { SERVICE_FONT } from './layout';

const sample = importFiles([
  { name: 's.json', text: readFileSync('public/samples/shop-estate.segscope.json', 'utf8') },
]).workspace;
/** The canvas of a 1280×720 window between the side panels. */
const VIEWPORT = { w: 680, h: 470 };

const nodesOf = (els: ElementDef[], kind: string) => els.filter((e) => e.group === 'nodes' && e.data.kind === kind);
const boxOf = (e: ElementDef) => {
  const { x, y } = e.position as { x: number; y: number };
  const w = Number(e.data.w);
  const h = Number(e.data.h);
  return { x1: x - w / 2, y1: y - h / 2, x2: x + w / 2, y2: y + h / 2 };
};
const inside = (a: ReturnType<typeof boxOf>, b: ReturnType<typeof boxOf>) =>
  a.x1 >= b.x1 - 0.01 && a.y1 >= b.y1 - 0.01 && a.x2 <= b.x2 + 0.01 && a.y2 <= b.y2 + 0.01;
const overlap = (a: ReturnType<typeof boxOf>, b: ReturnType<typeof boxOf>) =>
  a.x1 < b.x2 - 0.01 && b.x1 < a.x2 - 0.01 && a.y1 < b.y2 - 0.01 && b.y1 < a.y2 - 0.01;
const byId = (els: ElementDef[], id: string) => els.find((e) => e.data.id === id) as ElementDef;

/** An analysis marking the given call indexes broken and the rest allowed. */
const analysisOf = (ws: Workspace, broken: Set<number>): Analysis => ({
  calls: ws.calls.map(
    (c, index) =>
      ({
        index,
        from: c.from,
        to: c.to,
        class: broken.has(index) ? 'broken' : 'allowed',
        deniedBy: [],
      }) as unknown as CallVerdict,
  ),
  findings: [],
  quotas: [],
  hubs: [],
  groupHubs: [],
  excess: [],
});

describe('the focused band (DESIGN.md: focus + context)', () => {
  const built = buildBand(sample, { focus: 'group', viewport: VIEWPORT });
  const els = built.elements;

  it('draws only the focused band: each of its memberships once, inside its segment', () => {
    const services = nodesOf(els, 'service');
    const expected = sample.services.flatMap((s) => (s.memberships.group ?? []).map((id) => `group|${s.id}|${id}`));
    expect(services.map((n) => `${n.data.level}|${n.data.serviceId}|${n.data.segmentId}`).sort()).toEqual(
      expected.sort(),
    );
    for (const n of services) expect(inside(boxOf(n), boxOf(byId(els, `seg:${n.data.segmentId}`)))).toBe(true);
    expect(nodesOf(els, 'segment').every((n) => n.data.level === 'group')).toBe(true);
  });

  it('nests segments in their coarser ancestors, drawn as containers around them', () => {
    const sg = boxOf(byId(els, 'seg:group:sg-db'));
    const vpc = byId(els, 'ctx:network:vpc-data');
    const account = byId(els, 'ctx:account:222222222222');
    expect(inside(sg, boxOf(vpc))).toBe(true);
    expect(inside(boxOf(vpc), boxOf(account))).toBe(true);
    // Containers come before what they hold, so what they hold is drawn on top.
    const order = els.map((e) => e.data.id);
    expect(order.indexOf('ctx:account:222222222222')).toBeLessThan(order.indexOf('ctx:network:vpc-data'));
    expect(order.indexOf('ctx:network:vpc-data')).toBeLessThan(order.indexOf('seg:group:sg-db'));
  });

  it('never overlaps two services, nor two segments', () => {
    for (const kind of ['service', 'segment']) {
      const boxes = nodesOf(els, kind).map(boxOf);
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++)
          expect(overlap(boxes[i] as ReturnType<typeof boxOf>, boxes[j] as ReturnType<typeof boxOf>)).toBe(false);
    }
  });

  it('the sample fits a 1280×720 canvas with service labels ≥ 11 px: detail mode', () => {
    expect(built.memo.mode).toBe('detail');
    const zoom = Math.min((VIEWPORT.w - 32) / built.size.w, (VIEWPORT.h - 32) / built.size.h);
    expect(SERVICE_FONT * zoom).toBeGreaterThanOrEqual(MIN_LABEL_PX);
  });

  it('draws every call between drawn services, classed by its verdict', () => {
    const broken = new Set([0, 3]);
    const withVerdicts = buildBand(sample, {
      focus: 'group',
      viewport: VIEWPORT,
      analysis: analysisOf(sample, broken),
    });
    const calls = withVerdicts.elements.filter((e) => e.data.kind === 'call');
    expect(calls).toHaveLength(sample.calls.length);
    expect(calls.filter((c) => c.classes === 'call broken').map((c) => c.data.callIndex)).toEqual([0, 3]);
  });

  it('a band too big to read at full size is summarised at the coarser level whose names read (DESIGN.md: no label under 11 px)', () => {
    const tiny = buildBand(sample, { focus: 'group', viewport: { w: 300, h: 200 } });
    expect(tiny.memo.mode).toBe('summary');
    expect(nodesOf(tiny.elements, 'service')).toHaveLength(0);
    // The VPCs are the units: each folded, its name, its services and its segments counted.
    const folded = tiny.elements.filter((e) => e.group === 'nodes' && String(e.classes).includes('folded'));
    expect(folded.map((e) => e.data.label)).toEqual([
      'vpc-core\n12 services\n3 segments',
      'vpc-data\n3 services\n2 segments',
    ]);
    expect([...tiny.folded].sort()).toEqual(['network:vpc-core', 'network:vpc-data']);
    for (const e of tiny.elements.filter((x) => x.group === 'nodes'))
      expect(Number(e.data.fs) * tiny.memo.zoom).toBeGreaterThanOrEqual(MIN_LABEL_PX);
  });

  it('shows an empty band as nothing to draw (the strip says "no data")', () => {
    expect(buildBand(sample, { focus: 'overlay', viewport: VIEWPORT }).elements.length).toBeGreaterThan(0);
    const ws: Workspace = {
      segscope: 1,
      services: [{ id: 'a', name: 'a', kind: 'service', memberships: { overlay: ['overlay:n'] } }],
      segments: [{ id: 'overlay:n', level: 'overlay', name: 'n' }],
      calls: [],
      rules: [],
    };
    expect(buildBand(ws, { focus: 'group', viewport: VIEWPORT }).elements).toEqual([]);
  });
});

describe('summary mode at scale', () => {
  // About twenty teams (so twenty team groups), as the estate this test was written on.
  const ws = generateTopology({ services: 1000, segments: 150, calls: 3000, seed: 3 }).workspace;
  const brokenIdx = new Set(ws.calls.map((_, i) => i).filter((i) => i % 7 === 0));
  const analysis = analysisOf(ws, brokenIdx);
  const base = buildBand(ws, { focus: 'group', viewport: VIEWPORT, analysis });
  const positions = (els: ElementDef[]) =>
    new Map(
      nodesOf(els, 'segment').map((n) => [
        n.data.id,
        { ...(n.position as { x: number; y: number }), w: n.data.w, h: n.data.h },
      ]),
    );

  it('draws segments as summaries joined by aggregated edges carrying their broken share', () => {
    expect(base.memo.mode).toBe('summary');
    expect(nodesOf(base.elements, 'service')).toHaveLength(0);
    const aggs = base.elements.filter((e) => e.data.kind === 'aggregate');
    expect(aggs.length).toBeGreaterThan(0);
    // Recount one aggregate from the calls (both ways between its two cells): same count, same broken share.
    const a = aggs.find((e) => Number(e.data.broken) > 0) as ElementDef;
    const seg = (id: unknown) => String(id).slice(4);
    const group = (svc: string) => ws.services.find((s) => s.id === svc)?.memberships.group?.[0];
    const ends = new Set([seg(a.data.source), seg(a.data.target)]);
    const matching = ws.calls
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => {
        const f = group(c.from) as string;
        const t = group(c.to) as string;
        return f !== t && ends.has(f) && ends.has(t);
      });
    expect(a.data.count).toBe(matching.length);
    expect(a.data.broken).toBe(matching.filter(({ i }) => brokenIdx.has(i)).length);
    // Its label says both, unless no free spot along it was found (then it shows none).
    expect(['', `${a.data.count} calls · ${a.data.broken} broken`]).toContain(a.data.label);
    expect(a.classes).toContain('has-broken');
  });

  it('expands a segment in place: its services inside its cell, every segment where it was', () => {
    const seg = nodesOf(base.elements, 'segment').find((n) => Number(n.data.members) > 5) as ElementDef;
    const id = String(seg.data.segmentId);
    const open = buildBand(ws, {
      focus: 'group',
      viewport: VIEWPORT,
      analysis,
      memo: base.memo,
      expanded: new Set([id]),
    });
    expect(positions(open.elements)).toEqual(positions(base.elements));
    const services = nodesOf(open.elements, 'service');
    expect(services).toHaveLength(Number(seg.data.members));
    for (const s of services) expect(inside(boxOf(s), boxOf(seg))).toBe(true);
    // Calls between drawn services are drawn; the rest stay aggregated.
    expect(
      open.elements.some((e) => e.data.kind === 'aggregate' && `${e.data.source}${e.data.target}`.includes('svc:')),
    ).toBe(true);
  });

  it('keeps every segment where it was across an edit (a move)', () => {
    const svc = ws.services.find((s) => (s.memberships.group?.length ?? 0) === 1) as Workspace['services'][number];
    const from = svc.memberships.group?.[0] as string;
    const to = ws.segments.find((s) => s.level === 'group' && s.id !== from && !s.id.includes('org')) as { id: string };
    const moved = applyCommand(ws, { type: 'moveService', service: svc.id, level: 'group', from, to: to.id });
    const after = buildBand(moved, { focus: 'group', viewport: VIEWPORT, analysis, memo: base.memo });
    expect(positions(after.elements)).toEqual(positions(base.elements));
    expect(byId(after.elements, `seg:${to.id}`).data.members).toBe(
      Number(byId(base.elements, `seg:${to.id}`).data.members) + 1,
    );
  });
});
