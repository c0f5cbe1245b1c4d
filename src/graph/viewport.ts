// Where the viewport goes on the canvas: the band fitted, nodes framed readably, a reveal, a lesson step's whole view, an opened unit.
import type { CollectionReturnValue, Core, NodeCollection, NodeSingular } from 'cytoscape';
import { type Bounds, FIT_PADDING, MIN_LABEL_PX } from './elements';
import { fitBox, frameOf } from './framing';
import { MAX_FIT_ZOOM, SERVICE_FONT } from './layout';

/** A label is drawn from this size on screen; reveal zooms so it is. */
export const READABLE_PX = MIN_LABEL_PX + 1;
/** A revealed node never takes more than this share of the canvas width. */
const MAX_NODE_SHARE = 0.25;
const ANIMATION_MS = 200;
/** Segments tried around a lesson step's subjects. */
const NEAREST = 24;
/** Room for the zoom buttons (right) and the legend and map buttons (bottom right). */
const MARGIN_RIGHT = 56;
const MARGIN_BOTTOM = 40;

/** What to bring into view: services (preferred) or segments of the focused band. */
export interface RevealTarget {
  serviceIds?: readonly string[];
  segmentIds?: readonly string[];
  /** Frame all of it, segments' titles included (a lesson step), not the services alone. */
  whole?: boolean;
}

/**
 * Where the band is drawn on the canvas: the canvas less the margins the corner controls need.
 * Presentation mode (labels read from more than READABLE_PX) hides those controls: no margins.
 */
export const drawArea = (cy: Core, readablePx = READABLE_PX): { x: number; y: number; w: number; h: number } => {
  const W = cy.width() || 800;
  const H = cy.height() || 600;
  const corners = readablePx <= READABLE_PX;
  return {
    x: FIT_PADDING,
    y: FIT_PADDING,
    w: Math.max(50, W - FIT_PADDING - (corners ? MARGIN_RIGHT : FIT_PADDING)),
    h: Math.max(50, H - FIT_PADDING - (corners ? MARGIN_BOTTOM : FIT_PADDING)),
  };
};

/**
 * Fit the band inside the canvas less its margins (the zoom buttons sit at the right, the legend
 * and map buttons at the bottom right), never above zoom 1.25: a small band keeps a natural size.
 * `readablePx`: labels read from this size on screen; with `floor` (service labels drawn: detail mode)
 * presentation mode never fits below it.
 */
export const fitView = (cy: Core, readablePx: number, bounds?: Bounds, floor = true): void => {
  cy.stop();
  if (cy.elements().empty()) return;
  // Nodes only: a call bent around a service may reach past the band, and must not shrink it.
  const bb = bounds ?? cy.nodes().boundingBox({ includeLabels: false });
  const area = drawArea(cy, readablePx);
  // Presentation mode never zooms out below readable service labels: the step's reveal frames the rest.
  const least = floor && readablePx > READABLE_PX ? readablePx / SERVICE_FONT : 0;
  const zoom = Math.max(least, Math.min(MAX_FIT_ZOOM, area.w / Math.max(1, bb.w), area.h / Math.max(1, bb.h)));
  cy.viewport({
    zoom,
    pan: { x: area.x + area.w / 2 - (bb.x1 + bb.w / 2) * zoom, y: area.y + area.h / 2 - (bb.y1 + bb.h / 2) * zoom },
  });
};

/** The services a target names when drawn, else the segments given (a service inside a folded summary). */
export const targetNodes = (cy: Core, t: RevealTarget): NodeCollection => {
  const services = new Set(t.serviceIds ?? []);
  const segments = new Set(t.segmentIds ?? []);
  const svc = cy.nodes('[kind = "service"]').filter((n) => services.has(n.data('serviceId')));
  if (svc.nonempty()) return svc;
  // A service not drawn (inside a folded summary): the segments given stand for it.
  return cy.nodes('[kind = "segment"]').filter((n) => segments.has(n.data('segmentId')));
};

/** The least zoom at which a target's service labels (else its own) read. */
const readableZoom = (target: NodeCollection, readablePx: number): number => {
  const svc = target.filter('[kind = "service"]');
  const font = (svc.nonempty() ? svc : target).max((n) => Number(n.data('fs') ?? 12)).value;
  return readablePx / Math.max(0.1, font);
};

/**
 * Frame nodes: fit them (and their context when all of it fits readably) at a zoom between "their
 * labels read" and "one node takes a quarter of the canvas width"; `labels`: titles included.
 */
export const frameNodes = (
  cy: Core,
  readablePx: number,
  target: NodeCollection,
  context?: NodeCollection,
  labels = false,
): Promise<void> => {
  const area = drawArea(cy, readablePx);
  const W = area.w + 2 * FIT_PADDING;
  const svc = target.filter('[kind = "service"]');
  const widest = (svc.nonempty() ? svc : target).max((n) => n.width()).value;
  const readable = readableZoom(target, readablePx);
  const fitOf = (eles: NodeCollection) => fitBox(eles.boundingBox({ includeLabels: labels }), area);
  const own = fitOf(target);
  const wide = context?.nonempty() ? fitOf(target.union(context)) : own;
  const { zoom, centre } = frameOf(own, wide, {
    readable,
    cap: (W * MAX_NODE_SHARE) / Math.max(1, widest),
    maxZoom: cy.maxZoom(),
    ...(labels ? { area, ...(svc.nonempty() ? { keep: svc.boundingBox({}) } : {}) } : {}),
  });
  const pan = { x: area.x + area.w / 2 - centre.x * zoom, y: area.y + area.h / 2 - centre.y * zoom };
  return new Promise((resolve) => {
    cy.stop();
    cy.animate({ zoom, pan }, { duration: ANIMATION_MS, complete: () => resolve() });
  });
};

/** Bring services or segments into view with their call neighbours, at a zoom where their labels read. */
export const revealNodes = (cy: Core, readablePx: number, t: RevealTarget): Promise<void> => {
  if (t.whole) return revealWhole(cy, readablePx, t);
  const target = targetNodes(cy, t);
  if (target.empty()) return Promise.resolve();
  const neighbours = target.filter('[kind = "service"]').neighborhood('node[kind = "service"]');
  return frameNodes(cy, readablePx, target, neighbours);
};

/**
 * A lesson step's view: its services, then the segments it names in their order (the step's own,
 * then those holding its services), titles included, as many as fit together readably; then as many
 * of the segments holding the services' call neighbours (nearest first) as still fit. A segment
 * holding other segments (a namespace, a VPC) is context, not a subject: whole, it rarely reads.
 */
const revealWhole = (cy: Core, readablePx: number, t: RevealTarget): Promise<void> => {
  const ids = new Set(t.serviceIds ?? []);
  const svc = cy.nodes('[kind = "service"]').filter((n) => ids.has(n.data('serviceId')));
  const byId = new Map(cy.nodes('[kind = "segment"]').map((n) => [n.data('segmentId') as string, n]));
  const given = [...new Set(t.segmentIds ?? [])].flatMap((id) => byId.get(id) ?? []);
  const leaves = given.filter((n) => !n.hasClass('container'));
  const asked = leaves.length > 0 || svc.nonempty() ? leaves : given;
  const first = asked[0];
  if (svc.empty() && !first) return Promise.resolve();
  const readable = readableZoom(svc.nonempty() ? svc : cy.collection().union(first as NodeSingular), readablePx);
  const area = drawArea(cy, readablePx);
  const fits = (eles: NodeCollection) => fitBox(eles.boundingBox({ includeLabels: true }), area).zoom >= readable;
  // A service drawn in several segments whose nodes do not fit together: the one in the first segment named.
  const inAsked = asked
    .map((g) => svc.filter((n) => n.data('segmentId') === g.data('segmentId')))
    .find((c) => c.nonempty());
  const services = svc.length < 2 || fits(svc) ? svc : (inAsked ?? cy.collection().union(svc[0] as NodeSingular));
  let target: NodeCollection = services.nonempty() ? services : cy.collection().union(first as NodeSingular);
  for (const n of asked) {
    const more = target.union(n);
    if (more.length > target.length && fits(more)) target = more;
  }
  // Call neighbours' segments first, then the nearest others: no segment is left cut at the edge when it fits.
  const called = new Set(services.neighborhood('node[kind = "service"]').map((n) => n.data('segmentId')));
  const at = target.boundingBox({});
  const dist = (n: NodeSingular) =>
    (called.has(n.data('segmentId')) ? 0 : 1e9) +
    Math.hypot(n.position('x') - (at.x1 + at.w / 2), n.position('y') - (at.y1 + at.h / 2));
  const others = cy.nodes('[kind = "segment"]').difference(target).toArray() as NodeSingular[];
  let context = cy.collection();
  for (const n of others.sort((a, b) => dist(a) - dist(b)).slice(0, NEAREST)) {
    const more = context.union(n);
    if (fits(target.union(more))) context = more;
  }
  return frameNodes(cy, readablePx, target, context as NodeCollection, true);
};

/**
 * After a unit was opened by a click: when what it now shows cannot be read at this zoom (its
 * sub-units' names, its services' labels), frame it so they can, as far as it fits the canvas.
 */
export const frameOpenedUnit = (cy: Core, node: CollectionReturnValue): void => {
  const bb = node.boundingBox({ includeLabels: false });
  const inside = cy.nodes().filter((n) => {
    const p = n.position();
    return n.id() !== node.id() && p.x > bb.x1 && p.x < bb.x2 && p.y > bb.y1 && p.y < bb.y2;
  });
  const font = inside.max((n) => Number(n.data('fs') ?? 0)).value;
  if (inside.empty() || font * cy.zoom() >= READABLE_PX) return;
  const area = drawArea(cy);
  const fits = Math.min(area.w / Math.max(1, bb.w), area.h / Math.max(1, bb.h));
  const zoom = Math.min(cy.maxZoom(), Math.max(fits, READABLE_PX / Math.max(0.1, font)));
  // Centred on the unit; when it is larger than the canvas at that zoom, from its top left corner.
  const centre =
    zoom > fits
      ? { x: bb.x1 + area.w / 2 / zoom, y: bb.y1 + area.h / 2 / zoom }
      : { x: bb.x1 + bb.w / 2, y: bb.y1 + bb.h / 2 };
  cy.stop();
  cy.animate(
    { zoom, pan: { x: area.x + area.w / 2 - centre.x * zoom, y: area.y + area.h / 2 - centre.y * zoom } },
    { duration: ANIMATION_MS },
  );
};
