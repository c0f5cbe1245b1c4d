// Call edges around, not through, what they do not join (DESIGN.md "Call edges route around, not
// through, unrelated services"): a straight call that crosses another service or a segment's title
// takes the shortest clear path through the gaps between boxes (an orthogonal search on the gaps'
// centre lines, then straightened where the way is clear); none found, it stays straight and is
// drawn under the services (style.ts: services sit above call edges).
import Flatbush from 'flatbush';
import { lowerBound } from '../model/sorted';
import { centre, exitPoint, type Point, type Rect, segmentHits } from './geometry';

export interface Obstacles {
  rects: readonly Rect[];
  index: Flatbush | null;
  /** Where a path may go: inside what is drawn, never past the band's edge (the fit frames the nodes). */
  bounds: Rect | null;
  /** Grid points the searches of one drawing may still visit (ROUTE_BUDGET): past it, calls stay straight. */
  budget: number;
}

/**
 * Grid points one drawing's searches visit at most: a band drawn whole with hundreds of calls (or
 * every unit of a large band opened) is routed call by call until then, the rest drawn straight
 * under the services, so a redraw stays a short task (about 1 ms per 10,000 points).
 */
export const ROUTE_BUDGET = 60_000;

/** A spatial index over what calls must not cross. */
export const obstaclesOf = (rects: readonly Rect[], budget = ROUTE_BUDGET): Obstacles => {
  if (rects.length === 0) return { rects, index: null, bounds: null, budget };
  const index = new Flatbush(rects.length);
  for (const r of rects) index.add(r.x1, r.y1, r.x2, r.y2);
  index.finish();
  return { rects, index, bounds: { x1: index.minX, y1: index.minY, x2: index.maxX, y2: index.maxY }, budget };
};

/** Whether p→q crosses an obstacle other than the ends' own boxes, each grown by `grow`. */
const blocked = (p: Point, q: Point, o: Obstacles, a: Rect, b: Rect, grow = 0): boolean => {
  if (!o.index) return false;
  const hits = o.index.search(
    Math.min(p.x, q.x) - grow,
    Math.min(p.y, q.y) - grow,
    Math.max(p.x, q.x) + grow,
    Math.max(p.y, q.y) + grow,
  );
  for (const i of hits) {
    const r = o.rects[i] as Rect;
    if (r === a || r === b) continue;
    if (segmentHits(p, q, grow ? { x1: r.x1 - grow, y1: r.y1 - grow, x2: r.x2 + grow, y2: r.y2 + grow } : r))
      return true;
  }
  return false;
};

/** A grid search is given up past this many points, or boxes in its window (the call stays straight, under the services). */
const GRID_LIMIT = 4_000;
const WINDOW_LIMIT = 150;
/** A turn costs as much as this many units of length: few bends read better than a short zigzag. */
const TURN = 1.5;

/** Sorted distinct values. */
const distinct = (v: number[]): number[] => {
  v.sort((x, y) => x - y);
  return v.filter((x, i) => i === 0 || x !== v[i - 1]);
};

/**
 * Grid lines of a window: the centre lines of the gaps between the obstacles' edges (every obstacle
 * holds one, so a step between neighbouring lines that meets an obstacle ends inside it), and the
 * ends' centres.
 */
const gridLines = (edges: number[], lo: number, hi: number, ends: number[]): number[] => {
  const e = distinct([lo, hi, ...edges.filter((x) => x > lo && x < hi)]);
  const mids: number[] = [];
  for (let i = 1; i < e.length; i++) mids.push(((e[i - 1] as number) + (e[i] as number)) / 2);
  return distinct([...mids, ...ends]);
};

/** A binary heap of (cost, state) on typed arrays: the search runs once per call drawn. */
class Heap {
  private cost: number[] = [];
  private state: number[] = [];
  get size(): number {
    return this.cost.length;
  }
  push(c: number, s: number): void {
    let i = this.cost.length;
    this.cost.push(c);
    this.state.push(s);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((this.cost[p] as number) <= c) break;
      this.cost[i] = this.cost[p] as number;
      this.state[i] = this.state[p] as number;
      i = p;
    }
    this.cost[i] = c;
    this.state[i] = s;
  }
  pop(): number {
    const top = this.state[0] as number;
    const c = this.cost.pop() as number;
    const s = this.state.pop() as number;
    const n = this.cost.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let k = 2 * i + 1;
        if (k >= n) break;
        if (k + 1 < n && (this.cost[k + 1] as number) < (this.cost[k] as number)) k++;
        if ((this.cost[k] as number) >= c) break;
        this.cost[i] = this.cost[k] as number;
        this.state[i] = this.state[k] as number;
        i = k;
      }
      this.cost[i] = c;
      this.state[i] = s;
    }
    return top;
  }
}

const DX = [1, -1, 0, 0];
const DY = [0, 0, 1, -1];

/** The search grid of one path: lines through every box edge and both centres; walls, start and goal. */
interface Grid {
  xs: number[];
  ys: number[];
  /** 1: a wall; 2: inside an end's box on a line through its centre, where a path goes straight on. */
  wall: Uint8Array;
  start: number;
  goal: number;
}

/** The grid for a path from a's centre to b's within `win`; null when over a limit or the budget. */
const buildGrid = (a: Rect, b: Rect, o: Obstacles, win: Rect): Grid | null => {
  if (o.budget <= 0) return null;
  const found = o.index ? o.index.search(win.x1, win.y1, win.x2, win.y2) : [];
  o.budget -= found.length;
  if (found.length > WINDOW_LIMIT) return null;
  const inWin = found.map((i) => o.rects[i] as Rect);
  const walls = inWin.filter((r) => r !== a && r !== b);
  const ca = centre(a);
  const cb = centre(b);
  const all = [...inWin, a, b];
  const xs = gridLines(
    all.flatMap((r) => [r.x1, r.x2]),
    win.x1,
    win.x2,
    [ca.x, cb.x],
  );
  const ys = gridLines(
    all.flatMap((r) => [r.y1, r.y2]),
    win.y1,
    win.y2,
    [ca.y, cb.y],
  );
  const nx = xs.length;
  const ny = ys.length;
  o.budget -= nx * ny;
  if (nx * ny > GRID_LIMIT || o.budget < 0) return null;
  const wall = new Uint8Array(nx * ny);
  const mark = (r: Rect, open?: Point) => {
    for (let i = lowerBound(xs, r.x1); i < nx && (xs[i] as number) <= r.x2; i++)
      for (let j = lowerBound(ys, r.y1); j < ny && (ys[j] as number) <= r.y2; j++)
        wall[i * ny + j] = !open || (xs[i] !== open.x && ys[j] !== open.y) ? 1 : 2;
  };
  for (const r of walls) mark(r);
  // A path leaves its ends' boxes straight out from their centres: cytoscape draws a call from where
  // the line to its first bend leaves the source, so a turn inside the box would not be drawn.
  mark(a, ca);
  mark(b, cb);
  const start = lowerBound(xs, ca.x) * ny + lowerBound(ys, ca.y);
  const goal = lowerBound(xs, cb.x) * ny + lowerBound(ys, cb.y);
  wall[start] = 0;
  wall[goal] = 0;
  return { xs, ys, wall, start, goal };
};

/**
 * A* over the grid's points: length plus a price per turn off the way a point was reached (heading kept
 * per point, not per state: a quarter of the work, near enough), Manhattan distance to go. Returns each
 * point's predecessor, or null when the goal is walled off.
 */
const search = ({ xs, ys, wall, start, goal }: Grid, turn: number): Int32Array | null => {
  const nx = xs.length;
  const ny = ys.length;
  const gx = xs[Math.floor(goal / ny)] as number;
  const gy = ys[goal % ny] as number;
  const best = new Float64Array(nx * ny).fill(Number.POSITIVE_INFINITY);
  const from = new Int32Array(nx * ny).fill(-1);
  const heading = new Int8Array(nx * ny).fill(-1);
  const heap = new Heap();
  const h = (p: number) => Math.abs((xs[Math.floor(p / ny)] as number) - gx) + Math.abs((ys[p % ny] as number) - gy);
  best[start] = 0;
  heap.push(h(start), start);
  const done = new Uint8Array(nx * ny);
  while (heap.size > 0) {
    const p = heap.pop();
    if (done[p]) continue;
    done[p] = 1;
    if (p === goal) break;
    const g = best[p] as number;
    const d = heading[p] as number;
    const i = Math.floor(p / ny);
    const j = p % ny;
    for (let e = 0; e < 4; e++) {
      if (wall[p] === 2 && d >= 0 && e !== d) continue;
      const ni = i + (DX[e] as number);
      const nj = j + (DY[e] as number);
      if (ni < 0 || nj < 0 || ni >= nx || nj >= ny) continue;
      const q = ni * ny + nj;
      if (wall[q] === 1 || done[q]) continue;
      const len = Math.abs((xs[ni] as number) - (xs[i] as number)) + Math.abs((ys[nj] as number) - (ys[j] as number));
      const c = g + len + (d < 0 || e === d ? 0 : turn);
      if (c < (best[q] as number)) {
        best[q] = c;
        from[q] = p;
        heading[q] = e;
        heap.push(c + h(q), q);
      }
    }
  }
  return done[goal] ? from : null;
};

/** The orthogonal path (grid points, corners only) from a's centre to b's within `win`; null when walled off. */
const gridPath = (a: Rect, b: Rect, o: Obstacles, win: Rect, unit: number): Point[] | null => {
  const grid = buildGrid(a, b, o, win);
  const from = grid && search(grid, TURN * unit);
  if (!grid || !from) return null;
  const ny = grid.ys.length;
  const points: Point[] = [];
  for (let p = grid.goal; p >= 0; p = from[p] as number)
    points.push({ x: grid.xs[Math.floor(p / ny)] as number, y: grid.ys[p % ny] as number });
  points.reverse();
  // Corners only.
  return points.filter((q, k) => {
    const p = points[k - 1];
    const r = points[k + 1];
    return !p || !r || !((p.x === q.x && q.x === r.x) || (p.y === q.y && q.y === r.y));
  });
};

/** Straighten a path: from each point, on to the furthest later one the way to which is clear. */
const straighten = (path: Point[], a: Rect, b: Rect, o: Obstacles, clearance: number): Point[] => {
  const out: Point[] = [path[0] as Point];
  let i = 0;
  while (i < path.length - 1) {
    let j = path.length - 1;
    while (j > i + 1 && blocked(path[i] as Point, path[j] as Point, o, a, b, clearance)) j--;
    out.push(path[j] as Point);
    i = j;
  }
  return out;
};

const grown = (r: Rect, by: number, within: Rect | null): Rect => {
  const g = { x1: r.x1 - by, y1: r.y1 - by, x2: r.x2 + by, y2: r.y2 + by };
  return within
    ? {
        x1: Math.max(g.x1, within.x1),
        y1: Math.max(g.y1, within.y1),
        x2: Math.min(g.x2, within.x2),
        y2: Math.min(g.y2, within.y2),
      }
    : g;
};

/**
 * The path a call from box `a` to box `b` takes: [] when the straight line between them is clear,
 * else the bends (model coordinates) of the shortest clear path through the gaps between what is
 * drawn, looked for near the two ends first, then across the band; null when none is clear (or
 * the search would be too big), and the call is drawn straight, under the services.
 * `unit` is about a service's height: the price of a turn and the reach of the first search.
 */
export const routeOf = (a: Rect, b: Rect, o: Obstacles, unit: number): Point[] | null => {
  const ca = centre(a);
  const cb = centre(b);
  if (!blocked(exitPoint(a, cb), exitPoint(b, ca), o, a, b)) return [];
  // The band's edge, a little outside the outermost boxes: a path may run along it.
  const band = o.bounds && grown(o.bounds, unit / 2, null);
  const both = {
    x1: Math.min(a.x1, b.x1),
    y1: Math.min(a.y1, b.y1),
    x2: Math.max(a.x2, b.x2),
    y2: Math.max(a.y2, b.y2),
  };
  for (const win of [grown(both, 3 * unit, band), band]) {
    if (!win) break;
    const grid = gridPath(a, b, o, win, unit);
    // A bend on an end's border would leave cytoscape no line to draw from (its endpoint is NaN).
    const near = (p: Point, r: Rect) => p.x >= r.x1 - 1 && p.x <= r.x2 + 1 && p.y >= r.y1 - 1 && p.y <= r.y2 + 1;
    if (grid)
      return straighten(grid, a, b, o, unit / 16)
        .slice(1, -1)
        .filter((p) => !near(p, a) && !near(p, b));
  }
  return null;
};

/**
 * A path's bends as cytoscape places segment points (edge-distances: node-position): each at a
 * weight along the line between the ends' centres and a distance off it, along (-dy, dx).
 */
export const segmentsOf = (a: Rect, b: Rect, bends: readonly Point[]): { weights: number[]; distances: number[] } => {
  const ca = centre(a);
  const cb = centre(b);
  const dx = cb.x - ca.x;
  const dy = cb.y - ca.y;
  const len2 = dx * dx + dy * dy || 1;
  const len = Math.sqrt(len2);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    weights: bends.map((p) => round(((p.x - ca.x) * dx + (p.y - ca.y) * dy) / len2)),
    distances: bends.map((p) => round(((p.x - ca.x) * -dy + (p.y - ca.y) * dx) / len)),
  };
};
