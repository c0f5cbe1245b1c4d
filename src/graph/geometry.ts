// Rectangles and segments in model units: where edge labels can go without covering names, and
// whether a line crosses a node it does not belong to.

export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The rectangle of a box given by its centre and size. */
export const rectAt = (x: number, y: number, w: number, h: number): Rect => ({
  x1: x - w / 2,
  y1: y - h / 2,
  x2: x + w / 2,
  y2: y + h / 2,
});

export const overlaps = (a: Rect, b: Rect): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

export const centre = (r: Rect): Point => ({ x: (r.x1 + r.x2) / 2, y: (r.y1 + r.y2) / 2 });

/** Where the line from the rectangle's centre towards `to` leaves the rectangle. */
export const exitPoint = (r: Rect, to: Point): Point => {
  const c = centre(r);
  const dx = to.x - c.x;
  const dy = to.y - c.y;
  const tx = dx === 0 ? Number.POSITIVE_INFINITY : (r.x2 - r.x1) / 2 / Math.abs(dx);
  const ty = dy === 0 ? Number.POSITIVE_INFINITY : (r.y2 - r.y1) / 2 / Math.abs(dy);
  const t = Math.min(1, tx, ty);
  return { x: c.x + dx * t, y: c.y + dy * t };
};

/** Whether the segment p→q crosses the rectangle (Liang–Barsky clipping). */
export const segmentHits = (p: Point, q: Point, r: Rect): boolean => {
  let t0 = 0;
  let t1 = 1;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const edges: [number, number][] = [
    [-dx, p.x - r.x1],
    [dx, r.x2 - p.x],
    [-dy, p.y - r.y1],
    [dy, r.y2 - p.y],
  ];
  for (const [pk, qk] of edges) {
    if (pk === 0) {
      if (qk < 0) return false;
      continue;
    }
    const t = qk / pk;
    if (pk < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
};

/** A label to place on an edge: the visible stretch of the edge and the label's size. */
export interface EdgeLabel {
  from: Point;
  to: Point;
  w: number;
  h: number;
}

/** Fractions of an edge tried for its label, middle first. */
const SPOTS = [0.5, 0.35, 0.65, 0.25, 0.75];

/**
 * Place labels greedily, in the given order (most important first): each at the first spot along
 * its edge where it covers no obstacle (node names) and no label placed before; null where none is free.
 */
export const placeLabels = (labels: EdgeLabel[], obstacles: Rect[]): (Point | null)[] => {
  const placed: Rect[] = [];
  return labels.map((l) => {
    for (const t of SPOTS) {
      const at = { x: l.from.x + (l.to.x - l.from.x) * t, y: l.from.y + (l.to.y - l.from.y) * t };
      const r = rectAt(at.x, at.y, l.w, l.h);
      if (obstacles.some((o) => overlaps(r, o)) || placed.some((o) => overlaps(r, o))) continue;
      placed.push(r);
      return at;
    }
    return null;
  });
};
