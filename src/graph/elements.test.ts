import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Analysis, CallVerdict } from '../analysis/types';
import { generateTopology } from '../gen/generate';
import { importFiles } from '../import/index';
import { applyCommand } from '../model/commands';
import type { Workspace } from '../model/types';
import { AGGREGATE_PX, aggregateWidth, brokenTenths } from './edges';
import { buildBand, type ElementDef, MIN_LABEL_PX } from './elements';
import { SERVICE_FONT } from './layout';
import { bandSummaries } from './strips';

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
    // A call bent around what it would cross is classed `routed` too.
    expect(calls.filter((c) => String(c.classes).split(' ').includes('broken')).map((c) => c.data.callIndex)).toEqual([
      0, 3,
    ]);
  });

  it('a band too big to read at full size is summarised at the coarser level whose names read (DESIGN.md: no label under 11 px)', () => {
    const tiny = buildBand(sample, { focus: 'group', viewport: { w: 300, h: 200 } });
    expect(tiny.memo.mode).toBe('summary');
    expect(nodesOf(tiny.elements, 'service')).toHaveLength(0);
    // The VPCs are the units: each folded, its name, its services and its segments counted.
    const folded = tiny.elements.filter((e) => e.group === 'nodes' && String(e.classes).includes('folded'));
    expect(folded.map((e) => e.data.label)).toEqual([
      // Its two exposed services (gateway, web) marked as every unit marks them (badges.ts).
      'vpc-core\n12 services\n3 segments\n⚑ 2',
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
  /** The folded node standing for a service: its group's node, or the nearest drawn ancestor's. */
  const byIdSeg = new Map(ws.segments.map((x) => [x.id, x]));
  const unitOf = (els: ElementDef[], svc: string): string | undefined => {
    const drawn = new Set(els.filter((e) => e.group === 'nodes').map((e) => String(e.data.id)));
    let seg = byIdSeg.get(ws.services.find((x) => x.id === svc)?.memberships.group?.[0] ?? '');
    for (let first = true; seg; first = false, seg = seg.parent ? byIdSeg.get(seg.parent) : undefined) {
      const id = `${first ? 'seg' : 'ctx'}:${seg.id}`;
      if (drawn.has(id)) return id;
    }
    return undefined;
  };
  const folded = (els: ElementDef[]) =>
    new Map(
      els
        .filter((e) => e.group === 'nodes' && /\b(folded|summary)\b/.test(String(e.classes)))
        .map((n) => [n.data.id, { ...(n.position as { x: number; y: number }), w: n.data.w, h: n.data.h }]),
    );

  it('draws the band as folded units joined by aggregated edges carrying their broken share', () => {
    expect(base.memo.mode).toBe('summary');
    expect(nodesOf(base.elements, 'service')).toHaveLength(0);
    const aggs = base.elements.filter((e) => e.data.kind === 'aggregate');
    expect(aggs.length).toBeGreaterThan(0);
    // Recount one aggregate from the calls (both ways between its two units): same count, same broken share.
    const a = aggs.find((e) => Number(e.data.broken) > 0) as ElementDef;
    const ends = new Set([a.data.source, a.data.target]);
    const matching = ws.calls
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => {
        const f = unitOf(base.elements, c.from);
        const t = unitOf(base.elements, c.to);
        return f !== t && ends.has(f) && ends.has(t);
      });
    expect(a.data.count).toBe(matching.length);
    expect(a.data.broken).toBe(matching.filter(({ i }) => brokenIdx.has(i)).length);
    // Its label says both, unless no free spot along it was found (then it shows none).
    expect(['', `${a.data.count} calls · ${a.data.broken} broken`]).toContain(a.data.label);
    expect(a.classes).toContain('has-broken');
  });

  it('expands a segment in place: what holds it opens, its services inside its cell, every other unit where it was', () => {
    const g = ws.segments.find(
      (x) => x.level === 'group' && ws.services.filter((v) => v.memberships.group?.includes(x.id)).length > 5,
    ) as { id: string };
    const open = buildBand(ws, {
      focus: 'group',
      viewport: VIEWPORT,
      analysis,
      memo: base.memo,
      expanded: new Set([g.id]),
    });
    const holder = unitOf(base.elements, ws.services.find((v) => v.memberships.group?.includes(g.id))?.id as string);
    const before = folded(base.elements);
    const after = folded(open.elements);
    for (const [id, p] of before) if (id !== holder) expect(after.get(id)).toEqual(p);
    const cell = byId(open.elements, `seg:${g.id}`);
    const members = ws.services.filter((v) => v.memberships.group?.includes(g.id)).length;
    const services = nodesOf(open.elements, 'service');
    expect(services).toHaveLength(members);
    for (const x of services) expect(inside(boxOf(x), boxOf(cell))).toBe(true);
    // The unit that held it is drawn open around it.
    expect(inside(boxOf(cell), boxOf(byId(base.elements, holder as string)))).toBe(true);
    // Calls between drawn services are drawn; the rest stay aggregated.
    expect(
      open.elements.some((e) => e.data.kind === 'aggregate' && `${e.data.source}${e.data.target}`.includes('svc:')),
    ).toBe(true);
  });

  it('keeps every unit where it was across an edit (a move), its member counts updated', () => {
    const svc = ws.services.find((v) => (v.memberships.group?.length ?? 0) === 1) as Workspace['services'][number];
    const from = svc.memberships.group?.[0] as string;
    const holder = unitOf(base.elements, svc.id) as string;
    const to = ws.segments.find(
      (x) =>
        x.level === 'group' &&
        x.id !== from &&
        unitOf(base.elements, ws.services.find((v) => v.memberships.group?.[0] === x.id)?.id ?? '') !== holder,
    ) as { id: string };
    const target = unitOf(base.elements, ws.services.find((v) => v.memberships.group?.[0] === to.id)?.id as string);
    const moved = applyCommand(ws, { type: 'moveService', service: svc.id, level: 'group', from, to: to.id });
    const after = buildBand(moved, { focus: 'group', viewport: VIEWPORT, analysis, memo: base.memo });
    expect(folded(after.elements)).toEqual(folded(base.elements));
    const members = (els: ElementDef[], id: string) => Number(byId(els, id).data.members);
    expect(members(after.elements, holder)).toBe(members(base.elements, holder) - 1);
    expect(members(after.elements, target as string)).toBe(members(base.elements, target as string) + 1);
  });
});

describe('aggregate widths (issue 14: aggregated lines stay distinct, the broken share visible)', () => {
  it('run 1.5 to 4.5 px by calls on a log scale, and a broken share is at least a tenth of the line', () => {
    expect(aggregateWidth(0, 100)).toBe(AGGREGATE_PX.min);
    expect(aggregateWidth(100, 100)).toBeCloseTo(AGGREGATE_PX.max);
    expect(aggregateWidth(10, 100)).toBeGreaterThan(aggregateWidth(3, 100));
    expect(AGGREGATE_PX.max).toBeLessThanOrEqual(4.5);
    expect([brokenTenths(1, 173), brokenTenths(3, 12), brokenTenths(6, 12), brokenTenths(12, 12)]).toEqual([
      1, 3, 5, 10,
    ]);
  });
});

describe('the overlay band of a `docker network inspect` (README "Docker networks")', () => {
  it("Docker's own host and none networks take no room while no container is on them; an empty user network stays a drop target", () => {
    const docker = importFiles([
      { name: 'networks.json', text: readFileSync('public/samples/docker/voting-app-networks.json', 'utf8') },
      { name: 'voting-app.yml', text: readFileSync('public/samples/compose/voting-app.yml', 'utf8') },
    ]).workspace;
    const segmentsDrawn = (ws: Workspace) =>
      nodesOf(buildBand(ws, { focus: 'overlay', viewport: VIEWPORT }).elements, 'segment').map((n) => n.data.segmentId);
    const drawn = segmentsDrawn(docker);
    expect(drawn).not.toContain('overlay:host');
    expect(drawn).not.toContain('overlay:none');
    expect(drawn).toContain('overlay:bridge');
    // The band's strip counts the segments the band draws, not the hidden two.
    const strip = (ws: Workspace) => bandSummaries(ws, null, null).find((b) => b.level === 'overlay')?.segments;
    expect(strip(docker)).toBe(drawn.length);
    // An empty network of the user's own is kept: a service can be dragged onto it.
    const spare = {
      ...docker,
      segments: [...docker.segments, { id: 'overlay:spare', level: 'overlay' as const, name: 'spare' }],
    };
    expect(segmentsDrawn(spare)).toContain('overlay:spare');
    // A container on the host network (network_mode: host) draws it.
    const onHost = {
      ...docker,
      services: docker.services.map((s, i) =>
        i === 0
          ? { ...s, memberships: { ...s.memberships, overlay: [...(s.memberships.overlay ?? []), 'overlay:host'] } }
          : s,
      ),
    };
    expect(segmentsDrawn(onHost)).toContain('overlay:host');
    expect(strip(onHost)).toBe(drawn.length + 1);
  });
});
