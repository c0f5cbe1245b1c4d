// The cytoscape stylesheet: one module, classes and data() mappers only (no function-valued styles).
//
// Colour is never the only signal: hubs carry ★ and a double border, quota use a ▲/△ badge, exposed
// services ⚑, broken calls are dashed. Hues (themes.ts) follow the Okabe–Ito colour-vision-safe palette, darkened
// or lightened per theme so labels reach 4.5:1 and call edges 4.5:1 on what they are drawn over
// (style.test.ts computes every pair).
import type { StylesheetJson } from 'cytoscape';
import { MIN_LABEL_PX } from './elements';
import { FOLDED_LINE_HEIGHT } from './lod';
import { GRAPH_THEMES, type GraphColours, type GraphTheme, PRESENT_LABEL_PX } from './themes';

/** A data() mapper where the type declarations only admit numbers (cytoscape accepts mappers there). */
const dataNumber = (field: string): number => `data(${field})` as unknown as number;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/**
 * Draw order (z-index-compare: manual): contexts, aggregated edges (labelled ones over the others),
 * segments, call edges, services on top. Aggregates pass under the (opaque) cells they do not join.
 */
const Z = { context: 0, aggregate: 1, labelled: 2, segment: 3, edge: 4, service: 5, top: 10 } as const;
/** Cells are opaque: an aggregate passing under a cell it does not join never crosses its name. */
const CELL_OPACITY = 1;

/** What every node shares (font, size from data, manual z-order), and the context boxes a band draws behind its cells. */
const nodes = (t: GraphColours, minPx: number): StylesheetJson => [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 'data(fs)',
      color: t.text,
      // Text smaller than this on screen is not drawn (see adapter: the rule uses the real zoom).
      'min-zoomed-font-size': minPx,
      width: 'data(w)',
      height: 'data(h)',
      shape: 'round-rectangle',
      'z-index-compare': 'manual',
      'text-halign': 'center',
    },
  },
  {
    selector: 'node.context',
    style: {
      'background-color': t.context,
      'border-width': 1.5,
      'border-style': 'dashed',
      'border-color': t.contextBorder,
      'text-valign': 'top',
      'text-margin-y': dataNumber('ly'),
      color: t.muted,
      'text-wrap': 'ellipsis',
      'text-max-width': 'data(w)',
      'z-index': Z.context,
      events: 'no',
    },
  },
];

/** Segment cells: the level's hue, the worst finding, folded and open summaries, hubs and quota outlines. */
const segments = (t: GraphColours): StylesheetJson => [
  {
    selector: 'node.segment',
    style: {
      'background-opacity': CELL_OPACITY,
      'border-width': 1.5,
      'border-color': t.segmentBorder,
      'text-valign': 'top',
      'text-margin-y': dataNumber('ly'),
      'font-weight': 'bold',
      'text-wrap': 'ellipsis',
      'text-max-width': 'data(w)',
      'z-index': Z.segment,
    },
  },
  ...Object.entries(t.levels).map(([level, colour]) => ({
    selector: `node.segment.level-${level}`,
    style: { 'background-color': colour },
  })),
  // An open title's drawn size: its model size, capped on screen when zoomed far in (screenCaps.ts).
  { selector: 'node[tfs]', style: { 'font-size': 'data(tfs)' } },
  { selector: 'node.segment.worst-warn', style: { 'background-color': t.worstWarn } },
  { selector: 'node.segment.worst-error', style: { 'background-color': t.worstError } },
  {
    selector: 'node.segment.summary',
    style: {
      'text-valign': 'center',
      'text-margin-y': 0,
      'text-wrap': 'wrap',
      'line-height': FOLDED_LINE_HEIGHT,
      'border-width': 2,
    },
  },
  { selector: 'node.segment.expanded-summary', style: { 'border-style': 'dashed', 'border-width': 2 } },
  {
    selector: 'node.segment.container',
    style: { 'text-valign': 'top', 'text-margin-y': dataNumber('ly'), 'text-wrap': 'ellipsis' },
  },
  {
    selector: 'node.segment.holds-hub',
    style: { 'border-color': t.hub, 'border-width': 5, 'border-style': 'double' },
  },
  {
    selector: 'node.segment.quota-warn',
    style: { 'outline-width': 3, 'outline-color': t.quotaWarn, 'outline-offset': 2 },
  },
  {
    selector: 'node.segment.quota-error',
    style: { 'outline-width': 5, 'outline-color': t.quotaError, 'outline-offset': 2 },
  },
];

/** Units holding segments (a VPC, an account, a bucket), folded to one cell or open, and names drawn beside small ones. */
const units = (t: GraphColours): StylesheetJson => [
  // A folded unit holding segments (a VPC, an account, a bucket): one cell, its name and counts centred.
  {
    selector: 'node.folded',
    style: {
      'text-valign': 'center',
      'text-margin-y': 0,
      'text-wrap': 'wrap',
      'line-height': FOLDED_LINE_HEIGHT,
      'font-weight': 'bold',
      color: t.text,
      'text-max-width': 'data(w)',
      'background-opacity': CELL_OPACITY,
      'z-index': Z.segment,
      events: 'yes',
    },
  },
  { selector: 'node.context.folded', style: { 'background-color': t.context, 'border-color': t.contextBorder } },
  { selector: 'node.context.folded.worst-warn', style: { 'background-color': t.worstWarn } },
  { selector: 'node.context.folded.worst-error', style: { 'background-color': t.worstError } },
  // A unit too small to name inside is named beside it (outsideLabels.ts).
  ...(['right', 'left', 'below', 'above'] as const).map((side) => ({
    selector: `node.label-${side}`,
    style: {
      'text-halign': side === 'right' ? ('right' as const) : side === 'left' ? ('left' as const) : ('center' as const),
      'text-valign': side === 'below' ? ('bottom' as const) : side === 'above' ? ('top' as const) : ('center' as const),
      'text-margin-x': dataNumber('lmx'),
      'text-margin-y': dataNumber('lmy'),
      'text-wrap': 'none' as const,
      'text-max-width': 'data(lw)',
    },
  })),
  { selector: 'node.context.unfolded', style: { events: 'yes' } },
  { selector: 'node.context.bucket', style: { 'border-style': 'dotted' } },
];

/** Services: fill and shape by kind, exposed, critical and hub marks. */
const services = (t: GraphColours): StylesheetJson => [
  {
    selector: 'node.service',
    style: {
      'background-color': t.service,
      'border-width': 1.5,
      'border-color': t.serviceBorder,
      'text-valign': 'center',
      'text-max-width': 'data(tw)',
      'text-wrap': 'ellipsis',
      'z-index': Z.service,
    },
  },
  { selector: 'node.kind-datastore', style: { shape: 'barrel', 'background-color': t.datastore } },
  { selector: 'node.kind-gateway', style: { shape: 'cut-rectangle', 'background-color': t.gateway } },
  { selector: 'node.kind-external', style: { 'border-style': 'dashed' } },
  { selector: 'node.service.exposed', style: { 'border-color': t.exposed, 'border-width': 2.5 } },
  {
    selector: 'node.service.critical',
    style: { 'outline-width': 2, 'outline-color': t.critical, 'outline-offset': 2 },
  },
  {
    selector: 'node.service.hub',
    style: { 'font-weight': 'bold', 'border-width': 5, 'border-color': t.hub, 'border-style': 'double' },
  },
];

/** What the user is doing to nodes: selection, highlight, drag and drop, a previewed plan, search matches, the keyboard cursor. */
const nodeFeedback = (t: GraphColours): StylesheetJson => [
  { selector: 'node:selected', style: { 'overlay-color': t.select, 'overlay-opacity': 0.2, 'overlay-padding': 4 } },
  {
    selector: 'node.highlight',
    style: { 'underlay-color': t.select, 'underlay-opacity': 0.35, 'underlay-padding': 6, 'z-index': Z.top },
  },
  { selector: 'node.drop-target', style: { 'border-width': 5, 'border-style': 'dashed', 'border-color': t.select } },
  { selector: 'node.drop-ok', style: { 'border-color': t.allowed, 'border-style': 'solid' } },
  { selector: 'node.drop-bad', style: { 'border-color': t.broken, 'border-style': 'solid' } },
  { selector: 'node.drag-source', style: { opacity: 0.45 } },
  // A previewed plan: reach it opens (excess colour, dashed outline) or closes (allowed colour, solid);
  // what it changes gets a dotted selection-colour border. Shapes differ, so colour is not the only signal.
  {
    selector: 'node.reach-opens',
    style: { 'outline-width': 4, 'outline-color': t.excess, 'outline-style': 'dashed', 'outline-offset': 2 },
  },
  {
    selector: 'node.reach-closes',
    style: { 'outline-width': 4, 'outline-color': t.allowed, 'outline-style': 'solid', 'outline-offset': 2 },
  },
  {
    selector: 'node.plan-changed',
    style: { 'border-width': 4, 'border-style': 'dotted', 'border-color': t.select },
  },
  { selector: 'node.match', style: { 'underlay-color': t.match, 'underlay-opacity': 0.5, 'underlay-padding': 8 } },
  // The keyboard cursor (src/graph/keyboard.ts): a solid ring outside the node, over a critical's dotted one.
  {
    selector: 'node.cursor',
    style: {
      'outline-width': 3,
      'outline-color': t.select,
      'outline-offset': 3,
      'outline-style': 'solid',
      'outline-opacity': 1,
      'z-index': Z.top,
    },
  },
];

/** Call edges: straight or routed around what they would cross, coloured by verdict. */
const calls = (t: GraphColours, minPx: number): StylesheetJson => [
  {
    selector: 'edge',
    style: {
      'curve-style': 'bezier',
      width: 2,
      'line-color': t.edge,
      'target-arrow-shape': 'triangle',
      'target-arrow-color': t.edge,
      'arrow-scale': 1,
      'z-index-compare': 'manual',
      'z-index': Z.edge,
      'font-family': FONT,
      'min-zoomed-font-size': minPx,
    },
  },
  // A call is one straight line (a bundle of curves between close services leaves their boxes
  // and crosses their neighbours: calls between the same two services are drawn as one line)...
  { selector: 'edge.call', style: { 'curve-style': 'straight' } },
  // ...or bent around what it would cross (route.ts).
  {
    selector: 'edge.routed',
    style: {
      'curve-style': 'segments',
      'segment-distances': 'data(sd)' as unknown as number[],
      'segment-weights': 'data(sw)' as unknown as number[],
      'edge-distances': 'node-position',
    },
  },
  { selector: 'edge.allowed', style: { 'line-color': t.allowed, 'target-arrow-color': t.allowed } },
  {
    selector: 'edge.broken',
    style: { 'line-color': t.broken, 'target-arrow-color': t.broken, width: 3, 'line-style': 'dashed' },
  },
  {
    selector: 'edge.excess',
    style: { 'line-color': t.excess, 'target-arrow-color': t.excess, 'line-style': 'dotted', width: 2 },
  },
];

/** Calls a drag or a plan would break or restore, and a highlighted call. */
const callFeedback = (t: GraphColours): StylesheetJson => [
  {
    selector: 'edge.would-break, edge.plan-break',
    style: {
      'line-color': t.broken,
      'target-arrow-color': t.broken,
      width: 5,
      'line-style': 'dashed',
      'z-index': Z.top,
    },
  },
  {
    selector: 'edge.would-restore, edge.plan-restore',
    style: {
      'line-color': t.allowed,
      'target-arrow-color': t.allowed,
      width: 5,
      'line-style': 'solid',
      'z-index': Z.top,
    },
  },
  // Thicker, but still under the services: a highlighted call that could not be routed never looks like it runs through one.
  { selector: 'edge.highlight', style: { width: 4, 'z-index': Z.edge } },
];

/** A service's attachments to secondary networks. */
const attachments = (t: GraphColours): StylesheetJson => [
  // A service's attachment to a secondary network: membership, not a call (no arrow, thin, dotted).
  {
    selector: 'edge.attachment',
    style: {
      'line-color': t.muted,
      'line-style': 'dotted',
      width: 1.5,
      'target-arrow-shape': 'none',
      'curve-style': 'straight',
      'z-index': Z.edge,
    },
  },
];

/** Aggregated edges between units: counts as labels, calls both ways, the broken share of the line. */
const aggregates = (t: GraphColours): StylesheetJson => [
  {
    selector: 'edge.aggregate',
    style: {
      label: 'data(label)',
      color: t.text,
      'text-background-color': t.labelBg,
      'text-background-opacity': 1,
      'text-background-padding': '2px',
      'font-size': 'data(fs)',
      'text-margin-x': dataNumber('lx'),
      'text-margin-y': dataNumber('ly'),
      'curve-style': 'straight',
      width: 'data(ew)',
      'arrow-scale': 0.7,
      'z-index': Z.aggregate,
    },
  },
  // An aggregate with a label passes over those without: no line crosses its label.
  { selector: 'edge.aggregate.labelled', style: { 'z-index': Z.labelled } },
  // Calls both ways between two units: one edge with an arrow at each end.
  { selector: 'edge.aggregate.both', style: { 'source-arrow-shape': 'triangle', 'source-arrow-color': t.edge } },
  // Some broken: the label says how many, in the broken colour, and that share of the line (from
  // its source) is drawn in the broken colour; most broken: the line dashed too.
  { selector: 'edge.aggregate.has-broken', style: { color: t.broken } },
  ...Array.from({ length: 10 }, (_, i) => ({
    selector: `edge.aggregate.broken-${i + 1}`,
    style: {
      'line-fill': 'linear-gradient' as const,
      'line-gradient-stop-colors': [t.broken, t.broken, t.edge, t.edge],
      'line-gradient-stop-positions': [0, (i + 1) * 10, (i + 1) * 10, 100],
      'target-arrow-color': i === 9 ? t.broken : t.edge,
    },
  })),
  {
    selector: 'edge.aggregate.mostly-broken',
    style: {
      'line-color': t.broken,
      'target-arrow-color': t.broken,
      'source-arrow-color': t.broken,
      'line-style': 'dashed',
    },
  },
];

export const graphStyle = (theme: GraphTheme = 'light'): StylesheetJson => {
  const t = GRAPH_THEMES[theme];
  const minPx = theme === 'present' ? PRESENT_LABEL_PX : MIN_LABEL_PX;
  return [
    ...nodes(t, minPx),
    ...segments(t),
    ...units(t),
    ...services(t),
    ...nodeFeedback(t),
    ...calls(t, minPx),
    ...callFeedback(t),
    ...attachments(t),
    ...aggregates(t),
  ];
};
