// Model (+ analysis) → cytoscape element definitions for the six-band view (pure: no cytoscape, no DOM).
import type { Analysis, QuotaUse } from '../analysis/types';
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

/** Most segment-to-segment aggregate edges drawn per band (the heaviest, broken first). */
export const AGGREGATE_LIMIT = 150;

/** Above this many service nodes, bands other than the focused one collapse to segment summaries. */
export const VISIBLE_SERVICE_LIMIT = 1500;

export interface ViewOptions {
  focus: Level;
  analysis?: Analysis | null;
  /** Segments the user expanded inside collapsed bands. */
  expanded?: ReadonlySet<string>;
  /** Force a band open or collapsed; otherwise the visible-element threshold decides. */
  bandMode?: Partial<Record<Level, 'expanded' | 'collapsed'>>;
  /** Draw reachable-but-never-called pairs in the focused band. */
  showExcess?: boolean;
  /** Show only services of one account (segment id) or one namespace. */
  scope?: Scope | null;
}

export type Scope = { kind: 'account'; segment: string } | { kind: 'namespace'; namespace: string };

/** Segments holding a visible service, and their ancestors: the rest is hidden while a scope is set. */
const scopedSegments = (idx: BandIndex, visible: (id: string) => boolean): Set<string> => {
  const keep = new Set<string>();
  for (const [segId, members] of idx.members) {
    if (!members.some(visible)) continue;
    for (
      let s = idx.byId.get(segId);
      s && !keep.has(s.id);
      s = s.parent === undefined ? undefined : idx.byId.get(s.parent)
    )
      keep.add(s.id);
  }
  return keep;
};

interface BandIndex {
  byId: Map<string, Segment>;
  /** segment id → member service ids, in workspace order. */
  members: Map<string, string[]>;
  levelSegments: Map<Level, Segment[]>;
  /** segment id → child segments of the same level. */
  children: Map<string, Segment[]>;
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
  const children = new Map<string, Segment[]>();
  for (const s of ws.segments) {
    levelSegments.get(s.level)?.push(s);
    const p = s.parent === undefined ? undefined : byId.get(s.parent);
    if (p && p.level === s.level) children.set(p.id, [...(children.get(p.id) ?? []), s]);
  }
  return { byId, members, levelSegments, children };
};

/** Which bands are drawn as segment summaries: the threshold rule, unless the user chose. */
export const collapsedBands = (ws: Workspace, opts: ViewOptions): Set<Level> => {
  const perBand = new Map<Level, number>(LEVELS.map((l) => [l, 0]));
  for (const s of ws.services) {
    for (const [level, ids] of Object.entries(s.memberships) as [Level, string[]][]) {
      perBand.set(level, (perBand.get(level) ?? 0) + ids.length);
    }
  }
  const total = [...perBand.values()].reduce((a, b) => a + b, 0);
  const out = new Set<Level>();
  for (const level of LEVELS) {
    const mode = opts.bandMode?.[level];
    if (mode === 'collapsed') out.add(level);
    else if (mode === 'expanded') continue;
    else if (level === opts.focus ? (perBand.get(level) ?? 0) > VISIBLE_SERVICE_LIMIT : total > VISIBLE_SERVICE_LIMIT)
      out.add(level);
  }
  return out;
};

/** The worst quota use per segment, for classes and the badge; all uses per segment for the tooltip. */
export const quotaBySegment = (analysis: Analysis | null | undefined): Map<string, QuotaUse[]> => {
  const out = new Map<string, QuotaUse[]>();
  for (const q of analysis?.quotas ?? []) {
    if (q.subject.kind !== 'segment') continue;
    out.set(q.subject.id, [...(out.get(q.subject.id) ?? []), q]);
  }
  return out;
};

const worst = (uses: QuotaUse[] | undefined): QuotaUse | undefined =>
  uses?.reduce<QuotaUse | undefined>((w, q) => (!w || q.used / q.limit > w.used / w.limit ? q : w), undefined);

const badge = (q: QuotaUse | undefined): string => {
  if (!q || q.state === 'ok') return '';
  const unit = q.label.toLowerCase().includes('rule') ? ' rules' : '';
  return ` ${q.state === 'error' ? '▲' : '△'} ${q.used}/${q.limit}${unit}`;
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
  const hubs = new Map((opts.analysis?.hubs ?? []).map((h) => [h.service, h]));
  const quotas = quotaBySegment(opts.analysis);
  const collapsed = collapsedBands(ws, opts);
  const scope = opts.scope ?? null;
  const visible = (id: string): boolean => {
    if (!scope) return true;
    const svc = serviceById.get(id);
    return scope.kind === 'namespace'
      ? svc?.namespace === scope.namespace
      : (svc?.memberships.account?.includes(scope.segment) ?? false);
  };
  const shownSegments = scope ? scopedSegments(idx, visible) : null;
  const expanded = opts.expanded ?? new Set<string>();
  /** Where each service is drawn per band: its node, or the summary node standing for it. */
  const anchor = new Map<string, { node: string; segment: string }>();

  for (const level of LEVELS) {
    const band = bandId(level);
    const segs = (idx.levelSegments.get(level) ?? []).filter((s) => !shownSegments || shownSegments.has(s.id));
    const isCollapsed = collapsed.has(level);
    nodes.push({
      group: 'nodes',
      data: {
        id: band,
        kind: 'band',
        level,
        collapsed: isCollapsed,
        label: `${LEVEL_TITLES[level]}${segs.length ? '' : ' — no data for this level'}${isCollapsed ? ' (collapsed: click a segment to expand)' : ''}`,
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
    const containerOf = (seg: Segment): string => {
      const parent = seg.parent === undefined ? undefined : idx.byId.get(seg.parent);
      if (!parent) return band;
      return parent.level === level ? segmentNodeId(parent.id) : ensureContext(parent);
    };
    for (const seg of segs) {
      const id = segmentNodeId(seg.id);
      const container = containerOf(seg);
      const members = (idx.members.get(seg.id) ?? []).filter(visible);
      const uses = quotas.get(seg.id);
      const top = worst(uses);
      // A collapsed band shows a segment as one summary node unless the user expanded it.
      const summary = isCollapsed && !expanded.has(seg.id) && !idx.children.has(seg.id);
      const classes = ['segment', `level-${level}`];
      if (summary) classes.push('summary');
      else if (isCollapsed && expanded.has(seg.id)) classes.push('expanded-summary');
      if (top?.state === 'warn') classes.push('quota-warn');
      if (top?.state === 'error') classes.push('quota-error');
      nodes.push({
        group: 'nodes',
        data: {
          id,
          kind: 'segment',
          segmentId: seg.id,
          level,
          parent: container,
          members: members.length,
          label: `${seg.name}${summary ? ` · ${members.length}` : ''}${badge(top)}`,
        },
        classes: classes.join(' '),
      });
      box(container).children.push(box(id));
      for (const svcId of members) {
        const key = `${level}\u0000${svcId}`;
        if (summary) {
          if (!anchor.has(key)) anchor.set(key, { node: id, segment: seg.id });
          continue;
        }
        const svc = serviceById.get(svcId);
        if (!svc) continue;
        const nodeId = serviceNodeId(level, svcId, seg.id);
        const classList = ['service', `kind-${svc.kind}`];
        if (svc.exposed) classList.push('exposed');
        if (svc.critical) classList.push('critical');
        const hub = hubs.get(svcId);
        if (hub) classList.push('hub');
        nodes.push({
          group: 'nodes',
          data: {
            id: nodeId,
            kind: 'service',
            serviceId: svcId,
            segmentId: seg.id,
            level,
            parent: id,
            label: hub ? `★ ${svc.name}` : svc.name,
            callers: hub?.callers ?? 0,
          },
          classes: classList.join(' '),
        });
        box(id).leaves.push(nodeId);
        if (!anchor.has(key)) anchor.set(key, { node: nodeId, segment: seg.id });
      }
    }
  }

  const { positions, bandWidth } = layoutBands(LEVELS.map((l) => box(bandId(l))));
  for (const n of nodes) {
    const p = positions.get(n.data.id);
    if (p) n.position = p;
    else if (n.data.kind === 'band') n.data.minWidth = bandWidth;
  }
  return [...nodes, ...buildCallEdges(ws, opts, anchor)];
};

type Anchors = Map<string, { node: string; segment: string }>;

interface Aggregate {
  source: string;
  target: string;
  level: Level;
  count: number;
  broken: number;
}

/** Calls in the focused band between service nodes; other bands get segment-to-segment aggregates. */
const buildCallEdges = (ws: Workspace, opts: ViewOptions, anchor: Anchors): ElementDef[] => {
  const edges: ElementDef[] = [];
  const classOf = new Map<number, string>();
  for (const cv of opts.analysis?.calls ?? []) classOf.set(cv.index, cv.class);
  const aggregates = new Map<string, Aggregate>();
  const aggregate = (level: Level, a: { segment: string }, b: { segment: string }, broken: boolean) => {
    if (a.segment === b.segment) return;
    const key = `${level}|${a.segment}|${b.segment}`;
    const agg = aggregates.get(key) ?? {
      source: segmentNodeId(a.segment),
      target: segmentNodeId(b.segment),
      level,
      count: 0,
      broken: 0,
    };
    agg.count++;
    if (broken) agg.broken++;
    aggregates.set(key, agg);
  };
  ws.calls.forEach((call, index) => {
    const cls = classOf.get(index);
    for (const level of LEVELS) {
      const a = anchor.get(`${level}\u0000${call.from}`);
      const b = anchor.get(`${level}\u0000${call.to}`);
      if (!a || !b) continue;
      const bothServices = !a.node.startsWith('seg:') && !b.node.startsWith('seg:');
      if (level === opts.focus && bothServices) {
        if (a.node === b.node) continue;
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
      } else aggregate(level, a, b, cls === 'broken');
    }
  });
  if (opts.showExcess) {
    (opts.analysis?.excess ?? []).forEach((pair, i) => {
      const a = anchor.get(`${opts.focus}\u0000${pair.from}`);
      const b = anchor.get(`${opts.focus}\u0000${pair.to}`);
      if (!a || !b || a.node === b.node) return;
      edges.push({
        group: 'edges',
        data: {
          id: `excess:${i}`,
          kind: 'excess',
          level: opts.focus,
          source: a.node,
          target: b.node,
          from: pair.from,
          to: pair.to,
        },
        classes: 'excess',
      });
    });
  }
  // Per band, only the heaviest segment-to-segment aggregates are drawn (broken ones first): beyond a
  // few hundred, edges hide the picture and cost most of the frame time at scale.
  const perBand = new Map<Level, [string, Aggregate][]>();
  for (const entry of aggregates) {
    const list = perBand.get(entry[1].level);
    if (list) list.push(entry);
    else perBand.set(entry[1].level, [entry]);
  }
  const kept: [string, Aggregate][] = [];
  for (const list of perBand.values()) {
    if (list.length > AGGREGATE_LIMIT) list.sort((a, b) => b[1].broken - a[1].broken || b[1].count - a[1].count);
    kept.push(...list.slice(0, AGGREGATE_LIMIT));
  }
  for (const [key, agg] of kept) {
    edges.push({
      group: 'edges',
      data: {
        id: `agg:${key}`,
        kind: 'aggregate',
        level: agg.level,
        source: agg.source,
        target: agg.target,
        count: agg.count,
        broken: agg.broken,
        label: agg.broken ? `${agg.count} (${agg.broken} broken)` : String(agg.count),
      },
      classes: `aggregate${agg.broken ? ' has-broken' : ''}`,
    });
  }
  return edges;
};
