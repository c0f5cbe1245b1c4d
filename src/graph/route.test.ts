import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centre, type Point, type Rect, segmentHits } from './geometry';
import { obstaclesOf, routeOf, segmentsOf } from './route';

const a = { x1: 0, y1: 0, x2: 100, y2: 40 };
const b = { x1: 400, y1: 0, x2: 500, y2: 40 };
const between = { x1: 200, y1: 0, x2: 300, y2: 40 };
/** Services above and below: the band reaches there, so a path may too. */
const band = [
  { x1: 0, y1: -200, x2: 10, y2: -190 },
  { x1: 0, y1: 190, x2: 10, y2: 200 },
];

/** The drawn path: a's centre, the bends, b's centre. */
const pathOf = (from: Rect, to: Rect, bends: Point[]): Point[] => [centre(from), ...bends, centre(to)];

/** The obstacles a path crosses, other than its ends' own boxes. */
const crossed = (path: Point[], rects: Rect[], from: Rect, to: Rect): Rect[] =>
  rects.filter((r) => r !== from && r !== to && path.some((p, i) => i > 0 && segmentHits(path[i - 1] as Point, p, r)));

describe('calls route around unrelated services and titles (DESIGN.md "Call edges route around, not through, unrelated services")', () => {
  it('a clear call stays straight', () => {
    expect(routeOf(a, b, obstaclesOf([a, b]), 32)).toEqual([]);
  });

  it('a call through another service goes around it, and nothing else is crossed', () => {
    const rects = [a, b, between, ...band];
    const bends = routeOf(a, b, obstaclesOf(rects), 32);
    expect(bends?.length).toBeGreaterThan(0);
    expect(crossed(pathOf(a, b, bends ?? []), rects, a, b)).toEqual([]);
  });

  it('a call out of a segment whose title spans its top leaves by the side, not over the title', () => {
    // A segment's title over its first row of services (narrower than the row), the hub above it.
    const title = { x1: 40, y1: 100, x2: 230, y2: 124 };
    const row = [0, 1, 2].map((i) => ({ x1: 10 + i * 120, y1: 124, x2: 122 + i * 120, y2: 156 }));
    const hub = { x1: 150, y1: 20, x2: 262, y2: 52 };
    const caller = row[1] as Rect;
    const rects = [title, ...row, hub];
    const bends = routeOf(caller, hub, obstaclesOf(rects), 32);
    expect(bends?.length).toBeGreaterThan(0);
    expect(crossed(pathOf(caller, hub, bends ?? []), rects, caller, hub)).toEqual([]);
  });

  it("no bend lies inside the ends' own boxes: cytoscape draws a call from where it leaves its source", () => {
    const title = { x1: 40, y1: 100, x2: 230, y2: 124 };
    const row = [0, 1, 2].map((i) => ({ x1: 10 + i * 120, y1: 124, x2: 122 + i * 120, y2: 156 }));
    const hub = { x1: 150, y1: 20, x2: 262, y2: 52 };
    const rects = [title, ...row, hub];
    for (const caller of row) {
      const bends = routeOf(caller, hub, obstaclesOf(rects), 32) ?? [];
      for (const p of bends)
        for (const end of [caller, hub])
          expect(p.x > end.x1 && p.x < end.x2 && p.y > end.y1 && p.y < end.y2).toBe(false);
      expect(crossed(pathOf(caller, hub, bends), rects, caller, hub)).toEqual([]);
    }
  });

  it('never goes past the edge of the band: the fit frames the nodes', () => {
    // Nothing but the three boxes in a row: no gap around the middle one inside the band.
    const bends = routeOf(a, b, obstaclesOf([a, b, between]), 32);
    for (const p of bends ?? []) expect(p.y).toBeGreaterThanOrEqual(-16);
  });

  it('bends are placed where cytoscape puts segment points (edge-distances: node-position)', () => {
    const bends = [{ x: 250, y: 80 }];
    const { weights, distances } = segmentsOf(a, b, bends);
    // cytoscape: the point at weight w between the centres, moved d along (-dy, dx) / length.
    const ca = centre(a);
    const cb = centre(b);
    const len = Math.hypot(cb.x - ca.x, cb.y - ca.y);
    const w = weights[0] as number;
    const d = distances[0] as number;
    expect(ca.x + (cb.x - ca.x) * w + (-(cb.y - ca.y) / len) * d).toBeCloseTo(250, 2);
    expect(ca.y + (cb.y - ca.y) * w + ((cb.x - ca.x) / len) * d).toBeCloseTo(80, 2);
  });

  it('on any grid of services, a routed path crosses none of them (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 35 }),
        fc.integer({ min: 0, max: 35 }),
        fc.boolean(),
        (cols, rows, i, j, titled) => {
          // Services 112×32 eight apart under a title as wide as the grid, as layout.ts packs a segment.
          const rects: Rect[] = [];
          if (titled) rects.push({ x1: 30, y1: -24, x2: cols * 120 - 38, y2: 0 });
          for (let r = 0; r < rows; r++)
            for (let c = 0; c < cols; c++) rects.push({ x1: c * 120, y1: r * 40, x2: c * 120 + 112, y2: r * 40 + 32 });
          const services = rects.slice(titled ? 1 : 0);
          const from = services[i % services.length] as Rect;
          const to = services[j % services.length] as Rect;
          if (from === to) return;
          // The gaps between services always leave a way round.
          const bends = routeOf(from, to, obstaclesOf(rects), 32);
          expect(bends).not.toBeNull();
          expect(crossed(pathOf(from, to, bends ?? []), rects, from, to)).toEqual([]);
          for (const p of bends ?? [])
            expect([from, to].some((r) => p.x > r.x1 && p.x < r.x2 && p.y > r.y1 && p.y < r.y2)).toBe(false);
        },
      ),
    );
  });
});
