// Call edges around, not through, what they do not join (DESIGN.md "Call edges route around, not
// through, unrelated services"): a straight call that crosses another service or a segment's title
// gets one bend, the nearest to its straight line that clears them all; none found, it stays straight
// and is drawn under the services (style.ts: services sit above call edges).
import Flatbush from 'flatbush';
import { centre, exitPoint, type Point, type Rect, segmentHits } from './geometry';

/** Bend offsets tried, in steps off the straight line, nearest first, both sides. */
const STEPS = [1, -1, 2, -2, 3, -3, 4, -4];
/** A bend never takes a call further off its line than this share of its length: a detour reads worse than a crossing. */
const MAX_BEND = 0.35;

export interface Obstacles {
  rects: readonly Rect[];
  index: Flatbush | null;
  /** Where a bend may go: inside what is drawn, never past the band's edge (the fit frames the nodes). */
  bounds: Rect | null;
}

/** A spatial index over what calls must not cross. */
export const obstaclesOf = (rects: readonly Rect[]): Obstacles => {
  if (rects.length === 0) return { rects, index: null, bounds: null };
  const index = new Flatbush(rects.length);
  for (const r of rects) index.add(r.x1, r.y1, r.x2, r.y2);
  index.finish();
  return { rects, index, bounds: { x1: index.minX, y1: index.minY, x2: index.maxX, y2: index.maxY } };
};

/** How many obstacles p→q crosses, other than the ends' own boxes. */
const crossings = (p: Point, q: Point, o: Obstacles, a: Rect, b: Rect): number => {
  if (!o.index) return 0;
  const hits = o.index.search(Math.min(p.x, q.x), Math.min(p.y, q.y), Math.max(p.x, q.x), Math.max(p.y, q.y));
  let n = 0;
  for (const i of hits) {
    const r = o.rects[i] as Rect;
    if (r !== a && r !== b && segmentHits(p, q, r)) n++;
  }
  return n;
};

/**
 * The bend a call from box `a` to box `b` takes: its perpendicular distance from the line between
 * their centres, at the middle (signed as cytoscape's segment-distances, edge-distances: node-position);
 * 0 when the straight line is clear. With no clear bend, the one crossing fewest (nearest on ties).
 * `step` is the distance between tries.
 */
export const bendOf = (a: Rect, b: Rect, o: Obstacles, step: number): number => {
  const ca = centre(a);
  const cb = centre(b);
  let best = crossings(exitPoint(a, cb), exitPoint(b, ca), o, a, b);
  if (best === 0) return 0;
  const dx = cb.x - ca.x;
  const dy = cb.y - ca.y;
  const len = Math.hypot(dx, dy) || 1;
  // The unit normal cytoscape offsets segment points along (its segment-distances sign).
  const n = { x: -dy / len, y: dx / len };
  const mid = { x: (ca.x + cb.x) / 2, y: (ca.y + cb.y) / 2 };
  let bend = 0;
  for (const k of STEPS) {
    if (Math.abs(k * step) > MAX_BEND * len) continue;
    const m = { x: mid.x + n.x * k * step, y: mid.y + n.y * k * step };
    const inside = o.bounds && m.x > o.bounds.x1 && m.x < o.bounds.x2 && m.y > o.bounds.y1 && m.y < o.bounds.y2;
    if (!inside) continue;
    const c = crossings(exitPoint(a, m), m, o, a, b) + crossings(m, exitPoint(b, m), o, a, b);
    if (c < best) {
      best = c;
      bend = k * step;
      if (c === 0) break;
    }
  }
  return bend;
};
