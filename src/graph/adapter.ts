// The cytoscape adapter: the focused band's elements applied as a diff inside cy.batch; framing and reveal.
import cytoscape, { type Core, type NodeCollection, type NodeSingular } from 'cytoscape';
// @ts-expect-error no type declarations ship with cytoscape-svg
import cytoscapeSvg from 'cytoscape-svg';
import type { Workspace } from '../model/types';
import {
  type Bounds,
  type BuiltBand,
  bandSteps,
  boundsOf,
  buildBand,
  type ElementDef,
  FIT_PADDING,
  foldChange,
  type LayoutMemo,
  MIN_LABEL_PX,
  type ViewOptions,
} from './elements';
import { ElementFeeder } from './feeder';
import { fitBox, frameOf } from './framing';
import { MAX_FIT_ZOOM, SERVICE_FONT } from './layout';
import type { PlanMarks } from './plan-marks';
import { capScreenSizes, watchScreenCaps } from './screenCaps';
import { GRAPH_THEMES, type GraphTheme, graphStyle, PRESENT_LABEL_PX } from './style';
import { drain, TaskRunner } from './tasks';

cytoscape.use(cytoscapeSvg);

export interface GraphEvents {
  onSelectService(serviceId: string | undefined): void;
  onSelectSegment(segmentId: string): void;
  onSelectCall(callIndex: number): void;
  /** A foldable unit (a summary segment, a folded or opened context or bucket) was clicked: open or fold it. */
  onToggleUnit(key: string): void;
  onHoverSegment(segmentId: string | undefined, at: { x: number; y: number }): void;
}

/** What to bring into view: services (preferred) or segments of the focused band. */
export interface RevealTarget {
  serviceIds?: readonly string[];
  segmentIds?: readonly string[];
  /** Frame all of it, segments' titles included (a lesson step), not the services alone. */
  whole?: boolean;
}

/** A label is drawn from this size on screen; reveal zooms so it is. */
const READABLE_PX = MIN_LABEL_PX + 1;
/** A revealed node never takes more than this share of the canvas width. */
const MAX_NODE_SHARE = 0.25;
const ANIMATION_MS = 200;
/** Elements a redraw in tasks compares and updates per task (each a few µs; styling comes in the frame). */
const SYNC_SLICE = 500;
/** Segments tried around a lesson step's subjects. */
const NEAREST = 24;
/** An aggregate's label is not drawn past this size on screen (it is sized to read at fit). */
const MAX_EDGE_LABEL_PX = 3 * MIN_LABEL_PX;
/** Room for the zoom buttons (right) and the legend and map buttons (bottom right). */
const MARGIN_RIGHT = 56;
const MARGIN_BOTTOM = 40;

const sameData = (a: Record<string, unknown>, b: Record<string, unknown>): boolean => {
  for (const k of Object.keys(b)) if (a[k] !== b[k]) return false;
  return true;
};

type StyledEle = { pstyle(name: string): { pfValue: number }; cy(): Core };
type LabelRule = (ele: StyledEle, scale?: number) => boolean;

/** Classes a previewed plan puts on the graph (see showPlanFeedback). */
export const PLAN_CLASSES = ['plan-break', 'plan-restore', 'reach-opens', 'reach-closes', 'plan-changed'] as const;

export class GraphView {
  readonly cy: Core;
  private readonly feeder: ElementFeeder;
  /** A redraw in short tasks (renderInTasks) in progress. */
  private readonly runner = new TaskRunner();
  private memo: LayoutMemo | null = null;
  private built: BuiltBand | null = null;
  private memoKey = '';
  /** Reveals resolved so far (the test hook waits on it). */
  revealed = 0;
  /** Labels read from this size on screen: reveal and fit zoom so they do (24 px in presentation mode). */
  private readablePx = READABLE_PX;

  constructor(container: HTMLElement, events: GraphEvents, theme: GraphTheme = 'light') {
    this.cy = cytoscape({
      container,
      style: graphStyle(theme),
      layout: { name: 'preset' },
      minZoom: 0.005,
      maxZoom: 8,
      boxSelectionEnabled: false,
      autoungrabify: true,
      selectionType: 'single',
      hideEdgesOnViewport: false,
      textureOnViewport: false,
      motionBlur: false,
      pixelRatio: 'auto',
    });
    // Cytoscape decides whether a label is drawn from the zoom rounded up to a power of two (its
    // texture level), so a 13 px font at zoom 0.6 (7.8 px) would still be drawn. Decide from the real
    // zoom instead: a label is drawn only when font-size × zoom ≥ min-zoomed-font-size (DESIGN.md).
    const renderer = (this.cy as unknown as { renderer(): { eleTextBiggerThanMin: LabelRule } }).renderer();
    // An aggregate edge's label is sized to read at fit; zoomed far in it would cover the band.
    renderer.eleTextBiggerThanMin = (ele) => {
      const px = ele.pstyle('font-size').pfValue * ele.cy().zoom();
      if (px < ele.pstyle('min-zoomed-font-size').pfValue) return false;
      return px <= MAX_EDGE_LABEL_PX || !(ele as unknown as { hasClass(c: string): boolean }).hasClass('aggregate');
    };
    this.feeder = new ElementFeeder(this.cy);
    this.setTheme(theme);
    watchScreenCaps(this.cy, () => this.maxTitlePx());
    this.cy.on('tap', (e) => {
      const t = e.target;
      if (t === this.cy) {
        events.onSelectService(undefined);
        return;
      }
      const kind = t.data('kind');
      if (kind === 'service') events.onSelectService(t.data('serviceId'));
      else if (kind === 'segment' || kind === 'context') {
        if (['summary', 'expanded-summary', 'folded', 'unfolded'].some((c) => t.hasClass(c)))
          events.onToggleUnit(t.data('unit'));
        if (kind === 'segment') events.onSelectSegment(t.data('segmentId'));
      } else if (kind === 'call') events.onSelectCall(t.data('callIndex'));
    });
    this.cy.on('mouseover', 'node[kind = "segment"]', (e) => {
      const p = e.renderedPosition ?? (e.target as NodeSingular).renderedPosition();
      events.onHoverSegment(e.target.data('segmentId'), p);
    });
    this.cy.on('mouseout', 'node[kind = "segment"]', (e) => {
      events.onHoverSegment(undefined, e.renderedPosition ?? { x: 0, y: 0 });
    });
  }

  /** The layout mode of the drawn band. */
  get mode(): LayoutMemo['mode'] | undefined {
    return this.memo?.mode;
  }

  /**
   * Draw the focused band. `fresh` (a new import, another band, another scope) replaces everything,
   * lays the band out anew for the canvas and fits it; otherwise the change is applied as a diff on
   * the kept layout and the viewport stays where the user left it.
   */
  render(ws: Workspace, opts: ViewOptions, fresh: boolean): void {
    // This draw has the newest data: a redraw in progress would put older data back.
    this.runner.cancel();
    const key = `${opts.focus}|${JSON.stringify(opts.scope ?? null)}`;
    if (fresh || key !== this.memoKey) {
      // The canvas may have changed size since cytoscape last measured it (panels, strips).
      this.cy.resize();
      this.memo = null;
      this.memoKey = key;
      fresh = true;
    }
    const built = buildBand(ws, this.bandOptions(opts));
    this.memo = built.memo;
    this.built = built;
    if (fresh) {
      this.feeder.clear();
      this.cy.batch(() => this.cy.elements().remove());
      this.feeder.add(built.elements);
      // From the boxes laid out, not cytoscape's bounding box: that one would style every element
      // now, in this task, on top of the draw (seconds at 5,000 services); the frames style them.
      this.fit(boundsOf(built.elements));
      // Elements fed in later frames are capped once they are all in.
      void this.feeder.settled().then(() => {
        if (!this.cy.destroyed()) capScreenSizes(this.cy, this.maxTitlePx());
      });
    } else drain(this.syncSteps(built.elements));
    capScreenSizes(this.cy, this.maxTitlePx());
  }

  /** An open title is never drawn larger than this on screen (twice a readable label, or 33 px). */
  private maxTitlePx(): number {
    return Math.max(3 * MIN_LABEL_PX, 2 * this.readablePx);
  }

  /**
   * Redraw the band drawn now with new data (the verdicts landing) as a diff, in short tasks: the
   * band's build steps, then the diff in slices; `done` runs after the last one. At 5,000 services
   * this was one task of several hundred ms. A newer draw (this or `render`) abandons it.
   */
  renderInTasks(ws: Workspace, opts: ViewOptions, done: () => void): void {
    const key = `${opts.focus}|${JSON.stringify(opts.scope ?? null)}`;
    if (key !== this.memoKey || !this.memo) {
      this.render(ws, opts, true);
      done();
      return;
    }
    this.runner.start(this.redrawSteps(ws, opts, done));
  }

  private *redrawSteps(ws: Workspace, opts: ViewOptions, done: () => void): Generator<void, void> {
    const built = yield* bandSteps(ws, this.bandOptions(opts));
    this.memo = built.memo;
    this.built = built;
    yield;
    yield* this.syncSteps(built.elements);
    capScreenSizes(this.cy, this.maxTitlePx());
    done();
  }

  private bandOptions(opts: ViewOptions): ViewOptions {
    const area = this.drawArea();
    return { ...opts, viewport: { w: area.w + 2 * FIT_PADDING, h: area.h + 2 * FIT_PADDING }, memo: this.memo };
  }

  /** Resolves once the band is drawn whole: no redraw in progress, every element in cytoscape. */
  async settled(): Promise<void> {
    await this.runner.settled();
    await this.feeder.settled();
  }

  /**
   * Apply element definitions as a diff: remove what is gone, add what is new, update the rest in
   * place, SYNC_SLICE elements per step.
   */
  private *syncSteps(defs: ElementDef[]): Generator<void, void> {
    const cy = this.cy;
    const want = new Map(defs.map((d) => [d.data.id, d]));
    this.feeder.retain(want);
    cy.batch(() => {
      cy.elements()
        .filter((e) => !want.has(e.id()))
        .remove();
    });
    const add: ElementDef[] = [];
    for (let from = 0; from < defs.length; from += SYNC_SLICE) {
      if (from > 0) yield;
      cy.batch(() => {
        for (const d of defs.slice(from, from + SYNC_SLICE)) {
          const el = cy.getElementById(d.data.id);
          if (el.empty()) {
            if (!this.feeder.isQueued(d.data.id)) add.push(d);
            continue;
          }
          if (!sameData(el.data(), d.data)) el.data(d.data);
          if ((d.classes ?? '') !== el.classes().join(' ')) el.classes(d.classes ?? '');
          if (d.position && el.isNode()) {
            const p = el.position();
            if (p.x !== d.position.x || p.y !== d.position.y) el.position(d.position);
          }
        }
      });
    }
    this.feeder.add(add);
  }

  /** Whether a unit (segment id, context segment id, bucket id) is drawn open in the band. */
  isOpen(key: string): boolean {
    return this.cy.nodes().some((n) => n.data('unit') === key) && !this.built?.folded.has(key);
  }

  /** The opened units after a unit is opened (`open`) or folded; without `open`, the other of what it is. */
  foldChange(expanded: ReadonlySet<string>, key: string, open = !this.isOpen(key)): Set<string> {
    return this.built ? foldChange(this.built.tree, expanded, key, open) : new Set(expanded);
  }

  /**
   * After a unit was opened by a click: when what it now shows cannot be read at this zoom (its
   * sub-units' names, its services' labels), frame it so they can, as far as it fits the canvas.
   */
  frameOpened(key: string): void {
    const cy = this.cy;
    const node = cy.nodes().filter((n) => n.data('unit') === key);
    if (node.empty() || !this.isOpen(key)) return;
    const bb = node.boundingBox({ includeLabels: false });
    const inside = cy.nodes().filter((n) => {
      const p = n.position();
      return n.id() !== node.id() && p.x > bb.x1 && p.x < bb.x2 && p.y > bb.y1 && p.y < bb.y2;
    });
    const font = inside.max((n) => Number(n.data('fs') ?? 0)).value;
    if (inside.empty() || font * cy.zoom() >= READABLE_PX) return;
    const area = this.drawArea();
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
  }

  /** Mark a service's nodes and its calls; clears the previous highlight. */
  highlightService(serviceId: string | undefined): void {
    this.cy.batch(() => {
      this.cy.elements('.highlight').removeClass('highlight');
      if (!serviceId) return;
      const nodes = this.cy.nodes('[kind = "service"]').filter((n) => n.data('serviceId') === serviceId);
      nodes.addClass('highlight');
      nodes.connectedEdges().addClass('highlight');
    });
  }

  /** Highlight search matches (services by name/label, segments by name) and bring them into view. */
  search(text: string): number {
    const q = text.trim().toLowerCase();
    let matches = this.cy.collection();
    this.cy.batch(() => {
      this.cy.elements('.match').removeClass('match');
      if (!q) return;
      matches = this.cy.nodes().filter((n) => {
        const kind = n.data('kind');
        if (kind !== 'service' && kind !== 'segment') return false;
        const label = String(n.data('label') ?? '').toLowerCase();
        return (
          label.includes(q) ||
          String(n.data('serviceId') ?? n.data('segmentId') ?? '')
            .toLowerCase()
            .includes(q)
        );
      });
      matches.addClass('match');
    });
    if (matches.nonempty()) void this.frame(matches as NodeCollection);
    return matches.length;
  }

  /** Mark a finding's subjects drawn in the band and frame them readably. */
  focusSubjects(serviceIds: readonly string[], segmentIds: readonly string[]): number {
    const target = this.targetNodes({ serviceIds, segmentIds });
    this.cy.batch(() => {
      this.cy.elements('.match').removeClass('match');
      target.addClass('match');
    });
    if (target.nonempty()) void this.frame(target);
    return target.length;
  }

  private targetNodes(t: RevealTarget): NodeCollection {
    const services = new Set(t.serviceIds ?? []);
    const segments = new Set(t.segmentIds ?? []);
    const svc = this.cy.nodes('[kind = "service"]').filter((n) => services.has(n.data('serviceId')));
    if (svc.nonempty()) return svc;
    // A service not drawn (inside a folded summary): the segments given stand for it.
    return this.cy.nodes('[kind = "segment"]').filter((n) => segments.has(n.data('segmentId')));
  }

  /** Bring services or segments into view with their call neighbours, at a zoom where their labels read. */
  reveal(t: RevealTarget): Promise<void> {
    if (t.whole) return this.revealWhole(t);
    const target = this.targetNodes(t);
    if (target.empty()) return Promise.resolve();
    const neighbours = target.filter('[kind = "service"]').neighborhood('node[kind = "service"]');
    return this.frame(target, neighbours);
  }

  /**
   * A lesson step's view: every service and segment it names, the segments' titles included, and as
   * many of the segments holding the services' call neighbours (nearest first) as still fit readably.
   */
  private revealWhole(t: RevealTarget): Promise<void> {
    const services = new Set(t.serviceIds ?? []);
    const segments = new Set(t.segmentIds ?? []);
    const svc = this.cy.nodes('[kind = "service"]').filter((n) => services.has(n.data('serviceId')));
    const segmentNodes = (ids: Set<string>) =>
      this.cy.nodes('[kind = "segment"]').filter((n) => ids.has(n.data('segmentId')));
    const target = svc.union(segmentNodes(segments));
    if (target.empty()) return Promise.resolve();
    // Call neighbours' segments first, then the nearest others: no segment is left cut at the edge when it fits.
    const called = new Set(svc.neighborhood('node[kind = "service"]').map((n) => n.data('segmentId')));
    const readable = this.readableZoom(target);
    const at = target.boundingBox({});
    const dist = (n: NodeSingular) =>
      (called.has(n.data('segmentId')) ? 0 : 1e9) +
      Math.hypot(n.position('x') - (at.x1 + at.w / 2), n.position('y') - (at.y1 + at.h / 2));
    const others = this.cy.nodes('[kind = "segment"]').difference(target).toArray() as NodeSingular[];
    let context = this.cy.collection();
    for (const n of others.sort((a, b) => dist(a) - dist(b)).slice(0, NEAREST)) {
      const more = context.union(n);
      if (fitBox(target.union(more).boundingBox({ includeLabels: true }), this.drawArea()).zoom >= readable)
        context = more;
    }
    return this.frame(target, context as NodeCollection, true);
  }

  /** The least zoom at which a target's service labels (else its own) read. */
  private readableZoom(target: NodeCollection): number {
    const svc = target.filter('[kind = "service"]');
    const font = (svc.nonempty() ? svc : target).max((n) => Number(n.data('fs') ?? 12)).value;
    return this.readablePx / Math.max(0.1, font);
  }

  /**
   * Frame nodes: fit them (and their context when all of it fits readably) at a zoom between "their
   * labels read" and "one node takes a quarter of the canvas width"; `labels`: titles included.
   */
  private frame(target: NodeCollection, context?: NodeCollection, labels = false): Promise<void> {
    const cy = this.cy;
    const area = this.drawArea();
    const W = area.w + 2 * FIT_PADDING;
    const svc = target.filter('[kind = "service"]');
    const widest = (svc.nonempty() ? svc : target).max((n) => n.width()).value;
    const readable = this.readableZoom(target);
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
  }

  /** Frame after a reveal request, counting it done when the animation ends. */
  revealAndCount(t: RevealTarget, seq: number): void {
    void this.reveal(t).then(() => {
      this.revealed = Math.max(this.revealed, seq);
    });
  }

  /** While dragging: mark the target segment acceptable or problematic and the calls that would break. */
  showDragFeedback(
    drag: {
      service: string;
      level: string;
      target: string | null;
      delta: { brokenCalls: { index: number }[]; restoredCalls: { index: number }[] } | null;
    } | null,
  ): void {
    const cy = this.cy;
    cy.batch(() => {
      cy.elements('.drop-target, .drop-ok, .drop-bad, .would-break, .would-restore, .drag-source').removeClass(
        'drop-target drop-ok drop-bad would-break would-restore drag-source',
      );
      if (!drag) return;
      cy.nodes('[kind = "service"]')
        .filter((n) => n.data('serviceId') === drag.service && n.data('level') === drag.level)
        .addClass('drag-source');
      if (!drag.target) return;
      const target = cy.getElementById(`seg:${drag.target}`);
      target.addClass('drop-target');
      if (!drag.delta) return;
      target.addClass(drag.delta.brokenCalls.length > 0 ? 'drop-bad' : 'drop-ok');
      for (const c of drag.delta.brokenCalls) cy.getElementById(`call:${c.index}`).addClass('would-break');
      for (const c of drag.delta.restoredCalls) cy.getElementById(`call:${c.index}`).addClass('would-restore');
    });
  }

  /**
   * While a plan (a fix, a tightened level, a proposal's step) is previewed: the calls it would break
   * or restore, the services whose reach it opens or closes, and the services and segments it changes,
   * marked as a drag's what-if marks them (own classes, so a drag in between leaves them be).
   */
  showPlanFeedback(marks: PlanMarks | null): void {
    const cy = this.cy;
    cy.batch(() => {
      cy.elements(`.${PLAN_CLASSES.join(', .')}`).removeClass(PLAN_CLASSES.join(' '));
      if (!marks) return;
      for (const i of marks.breaks) cy.getElementById(`call:${i}`).addClass('plan-break');
      for (const i of marks.restores) cy.getElementById(`call:${i}`).addClass('plan-restore');
      const opens = new Set(marks.opens);
      const closes = new Set(marks.closes);
      const services = new Set(marks.services);
      const segments = new Set(marks.segments);
      cy.nodes().forEach((n) => {
        const sid = n.data('serviceId') as string | undefined;
        const gid = n.data('segmentId') as string | undefined;
        if (sid !== undefined && n.data('kind') === 'service') {
          if (opens.has(sid)) n.addClass('reach-opens');
          else if (closes.has(sid)) n.addClass('reach-closes');
          if (services.has(sid)) n.addClass('plan-changed');
        } else if (gid !== undefined && segments.has(gid)) n.addClass('plan-changed');
      });
    });
  }

  setTheme(theme: GraphTheme): void {
    this.readablePx = theme === 'present' ? PRESENT_LABEL_PX : READABLE_PX;
    this.cy.style(graphStyle(theme));
    // The canvas is the focused band's background.
    this.cy.container()?.style.setProperty('background-color', GRAPH_THEMES[theme].canvas);
  }

  /**
   * Fit the band inside the canvas less its margins (the zoom buttons sit at the right, the legend
   * and map buttons at the bottom right), never above zoom 1.25: a small band keeps a natural size.
   */
  fit(bounds?: Bounds): void {
    const cy = this.cy;
    cy.stop();
    if (cy.elements().empty()) return;
    // Nodes only: a call bent around a service may reach past the band, and must not shrink it.
    const bb = bounds ?? cy.nodes().boundingBox({ includeLabels: false });
    const area = this.drawArea();
    // Presentation mode never zooms out below readable service labels: the step's reveal frames the rest.
    const floor = this.readablePx > READABLE_PX ? this.readablePx / SERVICE_FONT : 0;
    const zoom = Math.max(floor, Math.min(MAX_FIT_ZOOM, area.w / Math.max(1, bb.w), area.h / Math.max(1, bb.h)));
    cy.viewport({
      zoom,
      pan: { x: area.x + area.w / 2 - (bb.x1 + bb.w / 2) * zoom, y: area.y + area.h / 2 - (bb.y1 + bb.h / 2) * zoom },
    });
  }

  /** Where the band is drawn on the canvas: the canvas less the margins the corner controls need. */
  private drawArea(): { x: number; y: number; w: number; h: number } {
    const W = this.cy.width() || 800;
    const H = this.cy.height() || 600;
    return {
      x: FIT_PADDING,
      y: FIT_PADDING,
      w: Math.max(50, W - FIT_PADDING - MARGIN_RIGHT),
      h: Math.max(50, H - FIT_PADDING - MARGIN_BOTTOM),
    };
  }

  zoomBy(factor: number): void {
    const c = this.cy;
    c.zoom({ level: c.zoom() * factor, renderedPosition: { x: c.width() / 2, y: c.height() / 2 } });
  }

  /** The current view as PNG (data URL) or SVG (text). */
  exportImage(format: 'png' | 'svg', background: string): string {
    if (format === 'png') return this.cy.png({ full: false, scale: 2, bg: background });
    return (this.cy as unknown as { svg(o: object): string }).svg({ full: false, scale: 1, bg: background });
  }

  destroy(): void {
    this.runner.cancel();
    this.feeder.clear();
    this.cy.destroy();
  }
}
