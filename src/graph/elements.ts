// Model → cytoscape element definitions for the six-band view (pure: no cytoscape, no DOM).
import type { Analysis } from '../analysis/types';
import { LEVEL_TITLES, LEVELS, type Level, type Segment, type Workspace } from '../model/types';
import { type LayoutBox, layoutBands } from './layout';

export interface ElementDef {
  group: 'nodes' | 'edges';
  data: Record<string, unknown> & { id: string };
  position?: { x: number; y: number };
  classes?: string;
}

export const bandId = (level: Level): string => `band:${level}`;
export const segmentNodeId = (segmentId: string): string => `seg:${segmentId}`;
/** A coarser-level ancestor drawn as a container inside another level's band. */
export const contextNodeId = (level: Level, segmentId: string): string => `ctx:${level}:${segmentId}`;
export const serviceNodeId = (level: Level, serviceId: string, segmentId: string): string =>
  `svc:${level}:${serviceId}:${segmentId}`;

export interface ViewOptions {
  focus: Level;
  analysis?: Analysis;
  /** Service ids shown as hubs (class `hub`). */
  hubs?: ReadonlySet<string>;
}

/** Segment nesting and members per band, computed once per workspace. */
interface BandIndex {
  byId: Map<string, Segment>;
  /** segment id → member service ids, in workspace order. */
  members: Map<string, string[]>;
  /** Per level: segments of that level. */
  levelSegments: Map<Level, Segment[]>;
}

const indexWorkspace = (ws: Workspace): BandIndex => {
  const byId = new Map(ws.segments.map((s) => [s.id, s]));
  const members = new Map<string, string[]>();
  for (const svc of ws.services) {
    for (const ids of Object.values(svc.memberships)) {
      for (const id of ids ?? []) {
        const list = members.get(id);
        if (list) list.push(svc.id);
        else members.set(id, [svc.id]);
      }
    }
  }
  const levelSegments = new Map<Level, Segment[]>(LEVELS.map((l) => [l, []]));
  for (const s of ws.segments) levelSegments.get(s.level)?.push(s);
  return { byId, members, levelSegments };
};

/** Element id of the container a segment's node sits in within `level`'s band. */
const containerOf = (level: Level, seg: Segment, idx: BandIndex): string => {
  const parent = seg.parent === undefined ? undefined : idx.byId.get(seg.parent);
  if (!parent) return bandId(level);
  return parent.level === level ? segmentNodeId(parent.id) : contextNodeId(level, parent.id);
};

/** Build the nodes, edges and positions of all six bands. */
export const buildElements = (ws: Workspace, opts: ViewOptions): ElementDef[] => {
  const idx = indexWorkspace(ws);
  const nodes: ElementDef[] = [];
  const boxes = new Map<string, LayoutBox>();
  const box = (id: string): LayoutBox => {
    let b = boxes.get(id);
    if (!b) {
      b = { id, leaves: [], children: [] };
      boxes.set(id, b);
    }
    return b;
  };
  const serviceById = new Map(ws.services.map((s) => [s.id, s]));
  /** First node of each service per band: call edges attach there. */
  const firstNode = new Map<string, { node: string; segment: string }>();
  const hubs = opts.hubs ?? new Set<string>();

  for (const level of LEVELS) {
    const band = bandId(level);
    const segs = idx.levelSegments.get(level) ?? [];
    nodes.push({
      group: 'nodes',
      data: {
        id: band,
        kind: 'band',
        level,
        label: `${LEVEL_TITLES[level]}${segs.length ? '' : ' — no data for this level'}`,
      },
      classes: `band${level === opts.focus ? ' focused' : ''}${segs.length ? '' : ' band-empty'}`,
    });
    const bandBox = box(band);
    if (segs.length === 0) {
      const id = `empty:${level}`;
      nodes.push({
        group: 'nodes',
        data: { id, kind: 'empty', level, parent: band, label: 'no data' },
        classes: 'empty',
      });
      bandBox.children.push(box(id));
      continue;
    }
    // Context containers for coarser ancestors, created on demand, outermost first.
    const ensureContext = (seg: Segment): string => {
      const id = contextNodeId(level, seg.id);
      if (!boxes.has(id)) {
        const parent = seg.parent === undefined ? undefined : idx.byId.get(seg.parent);
        const container = parent ? ensureContext(parent) : band;
        nodes.push({
          group: 'nodes',
          data: {
            id,
            kind: 'context',
            segmentId: seg.id,
            level,
            ofLevel: seg.level,
            parent: container,
            label: seg.name,
          },
          classes: `context level-${seg.level}`,
        });
        box(container).children.push(box(id));
      }
      return id;
    };
    for (const seg of segs) {
      const parent = seg.parent === undefined ? undefined : idx.byId.get(seg.parent);
      if (parent && parent.level !== level) ensureContext(parent);
    }
    for (const seg of segs) {
      const id = segmentNodeId(seg.id);
      const container = containerOf(level, seg, idx);
      const members = idx.members.get(seg.id) ?? [];
      nodes.push({
        group: 'nodes',
        data: {
          id,
          kind: 'segment',
          segmentId: seg.id,
          level,
          parent: container,
          label: seg.name,
          members: members.length,
        },
        classes: `segment level-${level}`,
      });
      box(container).children.push(box(id));
      for (const svcId of members) {
        const svc = serviceById.get(svcId);
        if (!svc) continue;
        const nodeId = serviceNodeId(level, svcId, seg.id);
        const classes = ['service', `kind-${svc.kind}`];
        if (svc.exposed) classes.push('exposed');
        if (svc.critical) classes.push('critical');
        if (hubs.has(svcId)) classes.push('hub');
        nodes.push({
          group: 'nodes',
          data: {
            id: nodeId,
            kind: 'service',
            serviceId: svcId,
            segmentId: seg.id,
            level,
            parent: id,
            label: svc.name,
          },
          classes: classes.join(' '),
        });
        box(id).leaves.push(nodeId);
        const key = `${level}\u0000${svcId}`;
        if (!firstNode.has(key)) firstNode.set(key, { node: nodeId, segment: seg.id });
      }
    }
  }

  const { positions, bandWidth } = layoutBands(LEVELS.map((l) => box(bandId(l))));
  for (const n of nodes) {
    const p = positions.get(n.data.id);
    if (p) n.position = p;
    else if (n.data.kind === 'band') n.data.minWidth = bandWidth;
  }

  const edges = buildCallEdges(ws, opts, firstNode);
  return [...nodes, ...edges];
};

/** Calls in the focused band between service nodes; other bands get segment-to-segment aggregates. */
const buildCallEdges = (
  ws: Workspace,
  opts: ViewOptions,
  firstNode: Map<string, { node: string; segment: string }>,
): ElementDef[] => {
  const edges: ElementDef[] = [];
  const classOf = new Map<number, string>();
  for (const cv of opts.analysis?.calls ?? []) classOf.set(cv.index, cv.class);
  const aggregates = new Map<string, { source: string; target: string; level: Level; count: number; broken: number }>();
  ws.calls.forEach((call, index) => {
    for (const level of LEVELS) {
      const a = firstNode.get(`${level}\u0000${call.from}`);
      const b = firstNode.get(`${level}\u0000${call.to}`);
      if (!a || !b) continue;
      if (level === opts.focus) {
        if (a.node === b.node) continue;
        const cls = classOf.get(index);
        edges.push({
          group: 'edges',
          data: {
            id: `call:${index}`,
            kind: 'call',
            callIndex: index,
            level,
            source: a.node,
            target: b.node,
            from: call.from,
            to: call.to,
          },
          classes: `call${cls ? ` ${cls}` : ''}`,
        });
        continue;
      }
      // Aggregate between the segments holding the two nodes (skip calls inside one segment).
      const segA = a.segment;
      const segB = b.segment;
      if (segA === segB) continue;
      const key = `${level}|${segA}|${segB}`;
      const agg = aggregates.get(key) ?? {
        source: segmentNodeId(segA),
        target: segmentNodeId(segB),
        level,
        count: 0,
        broken: 0,
      };
      agg.count++;
      if (classOf.get(index) === 'broken') agg.broken++;
      aggregates.set(key, agg);
    }
  });
  for (const [key, agg] of aggregates) {
    edges.push({
      group: 'edges',
      data: {
        id: `agg:${key}`,
        kind: 'aggregate',
        level: agg.level,
        source: agg.source,
        target: agg.target,
        count: agg.count,
        label: String(agg.count),
      },
      classes: `aggregate${agg.broken ? ' has-broken' : ''}`,
    });
  }
  return edges;
};
