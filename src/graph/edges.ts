// Call edges of the focused band: service to service where both are drawn, else aggregated between
// the summary cells standing for them (count, and how many of them are broken).
import type { Workspace } from '../model/types';
import type { ElementDef, ViewOptions } from './elements';

/** Where a service is drawn in the focused band: its node, or the summary cell standing for it. */
export type Anchors = Map<string, { node: string; segment: string }>;

/** Most aggregate edges drawn (an expanded segment's first, then those with broken calls, then the heaviest). */
export const AGGREGATE_LIMIT = 80;

interface Aggregate {
  source: string;
  target: string;
  count: number;
  broken: number;
}

/** "12 calls", "3 of 12 broken": the aggregate's label. */
export const aggregateLabel = (count: number, broken: number): string =>
  broken ? `${broken} of ${count} broken` : `${count} call${count === 1 ? '' : 's'}`;

export const buildCallEdges = (ws: Workspace, opts: ViewOptions, anchors: Anchors): ElementDef[] => {
  const edges: ElementDef[] = [];
  const classOf = new Map<number, string>();
  for (const cv of opts.analysis?.calls ?? []) classOf.set(cv.index, cv.class);
  const aggregates = new Map<string, Aggregate>();
  ws.calls.forEach((call, index) => {
    const a = anchors.get(call.from);
    const b = anchors.get(call.to);
    if (!a || !b || a.node === b.node) return;
    const cls = classOf.get(index);
    if (a.node.startsWith('svc:') && b.node.startsWith('svc:')) {
      edges.push({
        group: 'edges',
        data: {
          id: `call:${index}`,
          kind: 'call',
          callIndex: index,
          level: opts.focus,
          source: a.node,
          target: b.node,
          from: call.from,
          to: call.to,
        },
        classes: `call${cls ? ` ${cls}` : ''}`,
      });
      return;
    }
    const key = `${a.node}|${b.node}`;
    let agg = aggregates.get(key);
    if (!agg) {
      agg = { source: a.node, target: b.node, count: 0, broken: 0 };
      aggregates.set(key, agg);
    }
    agg.count++;
    if (cls === 'broken') agg.broken++;
  });
  if (opts.showExcess) edges.push(...excessEdges(opts, anchors));
  // Beyond a few hundred, aggregates hide the picture and cost most of the frame time.
  let kept = [...aggregates];
  if (kept.length > AGGREGATE_LIMIT) {
    // Those of an expanded segment's services first: they are what was asked to be seen.
    const open = (a: Aggregate) => (a.source.startsWith('svc:') || a.target.startsWith('svc:') ? 1 : 0);
    kept.sort((x, y) => open(y[1]) - open(x[1]) || y[1].broken - x[1].broken || y[1].count - x[1].count);
    kept = kept.slice(0, AGGREGATE_LIMIT);
  }
  for (const [key, agg] of kept) {
    edges.push({
      group: 'edges',
      data: {
        id: `agg:${key}`,
        kind: 'aggregate',
        level: opts.focus,
        source: agg.source,
        target: agg.target,
        count: agg.count,
        broken: agg.broken,
        label: aggregateLabel(agg.count, agg.broken),
      },
      classes: `aggregate${agg.broken ? ' has-broken' : ''}`,
    });
  }
  return edges;
};

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
