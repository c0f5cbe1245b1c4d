// The cytoscape stylesheet: one module, classes and data() mappers only (no function-valued styles).
import type { StylesheetJson } from 'cytoscape';
import { PADDING, SERVICE_H, SERVICE_W } from './layout';

/** Per-level tints for segments: distinct hues, light enough for dark text (WCAG AA on a projector). */
export const LEVEL_COLOURS: Record<string, string> = {
  account: '#e3ecfb',
  role: '#f3e5f5',
  network: '#e0f2f1',
  group: '#fff3e0',
  policy: '#e8f5e9',
  overlay: '#fce4ec',
};

const levelRules = Object.entries(LEVEL_COLOURS).map(([level, colour]) => ({
  selector: `node.segment.level-${level}`,
  style: { 'background-color': colour },
}));

export const graphStyle = (): StylesheetJson => [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      'font-size': 12,
      color: '#1b1f24',
      'min-zoomed-font-size': 6,
    },
  },
  {
    selector: 'node.band',
    style: {
      shape: 'rectangle',
      'background-color': '#f6f8fa',
      'background-opacity': 1,
      'border-width': 1,
      'border-color': '#8c959f',
      padding: `${PADDING}px`,
      'text-valign': 'top',
      'text-halign': 'center',
      'text-margin-y': -4,
      'font-size': 24,
      'font-weight': 'bold',
      color: '#24292f',
      'compound-sizing-wrt-labels': 'exclude',
      'min-width': 'data(minWidth)',
      'min-width-bias-left': '0%',
      'min-width-bias-right': '100%',
      events: 'no',
    },
  },
  {
    selector: 'node.band.focused',
    style: { 'background-color': '#eef4ff', 'border-width': 3, 'border-color': '#0969da' },
  },
  { selector: 'node.band-empty', style: { color: '#57606a', 'font-style': 'italic' } },
  {
    selector: 'node.empty',
    style: {
      shape: 'round-rectangle',
      width: 130,
      height: 44,
      'background-opacity': 0,
      'border-width': 1,
      'border-style': 'dashed',
      'border-color': '#8c959f',
      'text-valign': 'center',
      'text-halign': 'center',
      color: '#57606a',
      events: 'no',
    },
  },
  {
    selector: 'node.segment, node.context',
    style: {
      shape: 'round-rectangle',
      padding: `${PADDING}px`,
      'border-width': 1.5,
      'border-color': '#6e7781',
      'text-valign': 'top',
      'text-halign': 'center',
      'text-margin-y': -1,
      'font-size': 14,
      'font-weight': 'bold',
      'compound-sizing-wrt-labels': 'exclude',
    },
  },
  ...levelRules,
  {
    selector: 'node.context',
    style: {
      'background-opacity': 0.25,
      'background-color': '#d0d7de',
      'border-style': 'dashed',
      color: '#424a53',
      'font-weight': 'normal',
    },
  },
  {
    selector: 'node.segment:childless',
    style: { width: 130, height: 44, 'text-valign': 'center', 'text-margin-y': 0 },
  },
  {
    selector: 'node.service',
    style: {
      shape: 'round-rectangle',
      width: SERVICE_W,
      height: SERVICE_H,
      'background-color': '#ffffff',
      'border-width': 1.5,
      'border-color': '#57606a',
      'text-valign': 'center',
      'text-halign': 'center',
      'text-max-width': `${SERVICE_W - 8}px`,
      'text-wrap': 'ellipsis',
    },
  },
  { selector: 'node.kind-datastore', style: { shape: 'barrel', 'background-color': '#ddf4ff' } },
  { selector: 'node.kind-gateway', style: { shape: 'cut-rectangle', 'background-color': '#fff8c5' } },
  { selector: 'node.kind-external', style: { 'border-style': 'dashed', 'background-color': '#f6f8fa' } },
  { selector: 'node.exposed', style: { 'border-color': '#bc4c00', 'border-width': 3 } },
  { selector: 'node.critical', style: { 'outline-width': 2, 'outline-color': '#8250df', 'outline-offset': 2 } },
  {
    selector: 'node.hub',
    style: {
      'font-weight': 'bold',
      'border-width': 4,
      'border-color': '#cf222e',
      'border-style': 'double',
      width: SERVICE_W + 14,
      height: SERVICE_H + 8,
    },
  },
  { selector: 'node.quota-warn', style: { 'border-color': '#9a6700', 'border-width': 4 } },
  { selector: 'node.quota-error', style: { 'border-color': '#cf222e', 'border-width': 5 } },
  { selector: 'node:selected', style: { 'overlay-color': '#0969da', 'overlay-opacity': 0.18, 'overlay-padding': 4 } },
  {
    selector: 'node.highlight',
    style: { 'underlay-color': '#0969da', 'underlay-opacity': 0.25, 'underlay-padding': 6 },
  },
  {
    selector: 'edge',
    style: {
      'curve-style': 'bezier',
      width: 1.5,
      'line-color': '#8c959f',
      'target-arrow-shape': 'triangle',
      'target-arrow-color': '#8c959f',
      'arrow-scale': 0.9,
      opacity: 0.85,
    },
  },
  { selector: 'edge.allowed', style: { 'line-color': '#1a7f37', 'target-arrow-color': '#1a7f37' } },
  {
    selector: 'edge.broken',
    style: { 'line-color': '#cf222e', 'target-arrow-color': '#cf222e', width: 3, 'line-style': 'dashed' },
  },
  {
    selector: 'edge.excess',
    style: { 'line-color': '#bf8700', 'target-arrow-color': '#bf8700', 'line-style': 'dotted' },
  },
  {
    selector: 'edge.aggregate',
    style: {
      label: 'data(label)',
      'font-size': 11,
      color: '#24292f',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.9,
      'text-background-padding': '2px',
      width: 'mapData(count, 1, 50, 1.5, 8)',
      'line-color': '#afb8c1',
      'target-arrow-color': '#afb8c1',
      opacity: 0.7,
    },
  },
  { selector: 'edge.aggregate.has-broken', style: { 'line-color': '#ff8182', 'target-arrow-color': '#ff8182' } },
];
