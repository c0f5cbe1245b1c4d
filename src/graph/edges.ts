// Call edges of the focused band: service to service where both are drawn, else aggregated between
// the summary cells standing for them (count, and how many of them are broken).
import type { Workspace } from '../model/types';
import type { ElementDef, ViewOptions } from './elements';
import { type EdgeLabel, exitPoint, centre as midOf, placeLabels, type Rect } from './geometry';
import { MIN_LABEL_PX } from './lod';
import { obstaclesOf, routeOf, segmentsOf } from './route';
import { countText, textWidth } from './text';

/** Where a service is drawn in the focused band: its node, or the summary cell standing for it. */
export type Anchors = Map<string, { node: string; segment: string }>;
/** Every service node of the focused band, by service (a service in two segments is drawn twice). */
export type Drawn = Map<string, { node: string; segment: string }[]>;

/** Most aggregate edges drawn (an opened segment's first, then the heaviest). */
export const AGGREGATE_LIMIT = 80;
/** Aggregates kept per folded unit drawn: past a few per unit they make a hairball. */
const PER_UNIT = 1.5;
const MIN_KEPT = 8;

/** How aggregate edges are drawn so they read at the band's fit zoom, their labels clear of names. */
export interface AggregateScale {
  /** The band's fit zoom: widths and label sizes are set so they read there. */
  zoom: number;
  /** Every drawn node's box, by node id. */
  boxes?: Map<string, Rect>;
  /** What a label must not cover: node names, services. */
  obstacles?: Rect[];
  /** Every node drawing each service: a call is drawn between the two nearest (in one segment when they share one). */
  drawn?: Drawn;
}

/** Calls between two drawn units (or a unit and a service), both ways. */
interface Aggregate {
  source: string;
  target: string;
  count: number;
  broken: number;
  /** Some calls go from target to source too. */
  both: boolean;
}

/** "12 calls", "12 calls · 3 broken": the aggregate's label. */
export const aggregateLabel = (count: number, broken: number): string => {
  const n = countText;
  return `${n(count)} call${count === 1 ? '' : 's'}${broken ? ` · ${n(broken)} broken` : ''}`;
};

export const buildCallEdges = (
  ws: Workspace,
  opts: ViewOptions,
  anchors: Anchors,
  scale: AggregateScale = { zoom: 1 },
): ElementDef[] => {
  const edges: ElementDef[] = [];
  const classOf = new Map<number, string>();
  for (const cv of opts.analysis?.calls ?? []) classOf.set(cv.index, cv.class);
  const aggregates = new Map<string, Aggregate>();
  const obstacles = scale.boxes ? obstaclesOf(scale.obstacles ?? []) : null;
  ws.calls.forEach((call, index) => {
    const a = anchors.get(call.from);
    const b = anchors.get(call.to);
    if (!a || !b || a.node === b.node) return;
    const cls = classOf.get(index);
    if (a.node.startsWith('svc:') && b.node.startsWith('svc:')) {
      const [source, target] = nearestPair(call.from, call.to, a.node, b.node, scale);
      const ra = scale.boxes?.get(source);
      const rb = scale.boxes?.get(target);
      // Around the services and titles it would cross, through the gaps between them.
      const bends = obstacles && ra && rb ? routeOf(ra, rb, obstacles, ra.y2 - ra.y1) : null;
      const path = ra && rb && bends?.length ? segmentsOf(ra, rb, bends) : null;
      edges.push({
        group: 'edges',
        data: {
          id: `call:${index}`,
          kind: 'call',
          callIndex: index,
          level: opts.focus,
          source,
          target,
          from: call.from,
          to: call.to,
          ...(path ? { sd: path.distances, sw: path.weights } : {}),
        },
        classes: `call${cls ? ` ${cls}` : ''}${path ? ' routed' : ''}`,
      });
      return;
    }
    // One edge per pair of units, whichever way the calls go.
    const key = a.node < b.node ? `${a.node}|${b.node}` : `${b.node}|${a.node}`;
    let agg = aggregates.get(key);
    if (!agg) {
      agg = { source: a.node, target: b.node, count: 0, broken: 0, both: false };
      aggregates.set(key, agg);
    }
    if (agg.source !== a.node) agg.both = true;
    agg.count++;
    if (cls === 'broken') agg.broken++;
  });
  if (opts.showExcess) edges.push(...excessEdges(opts, anchors));
  edges.push(...aggregateEdges([...aggregates.values()], opts, scale));
  return edges;
};

/**
 * The nodes a call between two services is drawn between: of the nodes drawing each (one per
 * segment holding it), a pair in one segment (the segment the call goes through), else the nearest.
 */
const nearestPair = (from: string, to: string, a: string, b: string, scale: AggregateScale): [string, string] => {
  const as = scale.drawn?.get(from) ?? [];
  const bs = scale.drawn?.get(to) ?? [];
  if (as.length < 2 && bs.length < 2) return [a, b];
  let best: [string, string] = [a, b];
  let bestCost = Number.POSITIVE_INFINITY;
  for (const x of as) {
    const rx = scale.boxes?.get(x.node);
    for (const y of bs) {
      const ry = scale.boxes?.get(y.node);
      if (!rx || !ry || x.node === y.node) continue;
      const cx = midOf(rx);
      const cy = midOf(ry);
      // Sharing a segment comes first; distance breaks ties.
      const cost = (x.segment === y.segment ? 0 : 1e12) + Math.hypot(cx.x - cy.x, cx.y - cy.y);
      if (cost < bestCost) {
        bestCost = cost;
        best = [x.node, y.node];
      }
    }
  }
  return best;
};

/**
 * The heaviest aggregates (those of an opened segment's services first): width by calls on a log
 * scale, the broken share in the label, sized to read at the band's fit zoom.
 */
const aggregateEdges = (all: Aggregate[], opts: ViewOptions, scale: AggregateScale): ElementDef[] => {
  const ends = new Set(all.flatMap((a) => [a.source, a.target]).filter((id) => !id.startsWith('svc:')));
  const limit = Math.min(AGGREGATE_LIMIT, Math.max(MIN_KEPT, Math.round(ends.size * PER_UNIT)));
  const open = (a: Aggregate) => (a.source.startsWith('svc:') || a.target.startsWith('svc:') ? 1 : 0);
  const kept = [...all].sort((x, y) => open(y) - open(x) || y.count - x.count || y.broken - x.broken).slice(0, limit);
  const heaviest = Math.max(1, ...kept.map((a) => a.count));
  const px = 1 / Math.max(0.01, scale.zoom);
  const fs = (MIN_LABEL_PX + 1) * px;
  // Labels go where they cover no name and no other label, heaviest first; the rest show none.
  const spots = placeLabels(
    kept.map((agg): EdgeLabel => {
      const a = scale.boxes?.get(agg.source);
      const b = scale.boxes?.get(agg.target);
      const from = a && b ? exitPoint(a, midOf(b)) : { x: 0, y: 0 };
      const to = a && b ? exitPoint(b, midOf(a)) : { x: 0, y: 0 };
      return { from, to, w: textWidth(aggregateLabel(agg.count, agg.broken), fs) + 6 * px, h: fs * 1.3 + 4 * px };
    }),
    scale.obstacles ?? [],
  );
  return kept.map((agg, i) => {
    const spot = scale.boxes ? spots[i] : { x: 0, y: 0 };
    const a = scale.boxes?.get(agg.source);
    const b = scale.boxes?.get(agg.target);
    const mid = a && b ? midpoint(exitPoint(a, midOf(b)), exitPoint(b, midOf(a))) : { x: 0, y: 0 };
    return {
      group: 'edges' as const,
      data: {
        id: `agg:${agg.source}|${agg.target}`,
        kind: 'aggregate',
        level: opts.focus,
        source: agg.source,
        target: agg.target,
        count: agg.count,
        broken: agg.broken,
        label: spot ? aggregateLabel(agg.count, agg.broken) : '',
        // The label's offset from the edge's middle (where cytoscape puts it).
        lx: spot && scale.boxes ? spot.x - mid.x : 0,
        ly: spot && scale.boxes ? spot.y - mid.y : 0,
        // Its width on screen, whatever the zoom (screenCaps.ts), and in model units at fit.
        epx: aggregateWidth(agg.count, heaviest),
        ew: aggregateWidth(agg.count, heaviest) * px,
        fs,
      },
      classes: [
        'aggregate',
        agg.both ? 'both' : '',
        spot ? 'labelled' : '',
        agg.broken ? `has-broken broken-${brokenTenths(agg.broken, agg.count)}` : '',
        agg.broken * 2 >= agg.count ? 'mostly-broken' : '',
      ]
        .filter(Boolean)
        .join(' '),
    };
  });
};

/** Aggregate widths on screen: thin enough that neighbours stay apart where cells sit close. */
export const AGGREGATE_PX = { min: 1.5, max: 4.5 } as const;

/** 1.5 to 4.5 px, by calls on a log scale against the heaviest aggregate drawn. */
export const aggregateWidth = (count: number, heaviest: number): number =>
  AGGREGATE_PX.min + ((AGGREGATE_PX.max - AGGREGATE_PX.min) * Math.log1p(count)) / Math.log1p(Math.max(1, heaviest));

/** The broken share in tenths, at least one: the length of the line drawn in the broken colour. */
export const brokenTenths = (broken: number, count: number): number =>
  Math.min(10, Math.max(1, Math.round((10 * broken) / Math.max(1, count))));

const midpoint = (p: { x: number; y: number }, q: { x: number; y: number }) => ({
  x: (p.x + q.x) / 2,
  y: (p.y + q.y) / 2,
});

/** Reachable-but-never-called pairs: per service pair, or per segment pair when the analysis aggregated them. */
const excessEdges = (opts: ViewOptions, anchors: Anchors): ElementDef[] => {
  const out: ElementDef[] = [];
  const bySegment = opts.analysis?.excessMode === 'segment';
  if (bySegment && opts.analysis?.excessLevel !== opts.focus) return out;
  (opts.analysis?.excess ?? []).forEach((pair, i) => {
    const source = bySegment ? `seg:${pair.from}` : anchors.get(pair.from)?.node;
    const target = bySegment ? `seg:${pair.to}` : anchors.get(pair.to)?.node;
    if (!source || !target || source === target) return;
    out.push({
      group: 'edges',
      data: { id: `excess:${i}`, kind: 'excess', level: opts.focus, source, target, from: pair.from, to: pair.to },
      classes: 'excess',
    });
  });
  return out;
};
