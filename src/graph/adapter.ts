// The cytoscape adapter: the one owner of the instance; draws the focused band (fresh, or as a diff in tasks: sync.ts), frames it (viewport.ts), marks what-ifs (feedback.ts).
import cytoscape, { type Core, type NodeCollection, type NodeSingular } from 'cytoscape';
// @ts-expect-error no type declarations ship with cytoscape-svg
import cytoscapeSvg from 'cytoscape-svg';
import type { Workspace } from '../model/types';
import { drawSmallDirectly, type ElementDrawer } from './directDraw';
import {
  type Bounds,
  type BuiltBand,
  bandSteps,
  boundsOf,
  FIT_PADDING,
  foldChange,
  type LayoutMemo,
  MIN_LABEL_PX,
  type ViewOptions,
} from './elements';
import { type LayeredRenderer, leaveEmptyLayers } from './emptyLayers';
import { type DragMarks, showDragFeedback, showPlanFeedback } from './feedback';
import { ElementFeeder } from './feeder';
import { type LabelRenderer, measureLabelsOnce } from './labelMeasure';
import { highlightService, markSearch, markSubjects } from './marks';
import type { PlanMarks } from './plan-marks';
import { DrawProgress } from './progress';
import { capScreenSizes, watchScreenCaps } from './screenCaps';
import { graphStyle } from './style';
import { syncSteps } from './sync';
import { nextTask, TASK_BUDGET_MS, TaskRunner } from './tasks';
import { GRAPH_THEMES, type GraphTheme, PRESENT_LABEL_PX } from './themes';
import {
  drawArea,
  fitView,
  frameNodes,
  frameOpenedUnit,
  READABLE_PX,
  type RevealTarget,
  revealNodes,
} from './viewport';

cytoscape.use(cytoscapeSvg);

export interface GraphEvents {
  onSelectService(serviceId: string | undefined): void;
  onSelectSegment(segmentId: string): void;
  onSelectCall(callIndex: number): void;
  /** A foldable unit (a summary segment, a folded or opened context or bucket) was clicked: open or fold it. */
  onToggleUnit(key: string): void;
  onHoverSegment(segmentId: string | undefined, at: { x: number; y: number }): void;
}

/** A resize re-plans the band after the canvas has kept its size this long (a panel animating, a window dragged). */
const REPLAN_MS = 150;
/** An aggregate's label is not drawn past this size on screen (it is sized to read at fit). */
const MAX_EDGE_LABEL_PX = 3 * MIN_LABEL_PX;

type StyledEle = { pstyle(name: string): { pfValue: number }; cy(): Core };
type LabelRule = (ele: StyledEle, scale?: number) => boolean;

export class GraphView {
  readonly cy: Core;
  private readonly feeder: ElementFeeder;
  /** A drawing built in short tasks (a fresh band, the verdicts landing) in progress. */
  private readonly runner = new TaskRunner(nextTask, TASK_BUDGET_MS);
  private readonly progress: DrawProgress;
  private readonly labels: { clear(): void };
  private memo: LayoutMemo | null = null;
  private built: BuiltBand | null = null;
  private memoKey = '';
  /** What was drawn last: a theme change redraws it. */
  private last: { ws: Workspace; opts: ViewOptions } | null = null;
  /** The canvas size the band was planned for, and the viewport its fit set (null once moved from it). */
  private planned: { w: number; h: number; zoom: number; x: number; y: number } | null = null;
  private replanTimer = 0;
  /** Answered when a re-plan asked by a resize has run (or was dropped). */
  private replanDone: (() => void) | null = null;
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
    const renderer = (
      this.cy as unknown as {
        renderer(): ElementDrawer & LayeredRenderer & LabelRenderer & { eleTextBiggerThanMin: LabelRule };
      }
    ).renderer();
    // An aggregate edge's label is sized to read at fit; zoomed far in it would cover the band.
    renderer.eleTextBiggerThanMin = (ele) => {
      const px = ele.pstyle('font-size').pfValue * ele.cy().zoom();
      if (px < ele.pstyle('min-zoomed-font-size').pfValue) return false;
      return px <= MAX_EDGE_LABEL_PX || !(ele as unknown as { hasClass(c: string): boolean }).hasClass('aggregate');
    };
    // A first frame of a small band (a load, an expand, a drop) costs less drawn directly (directDraw.ts).
    drawSmallDirectly(renderer);
    // A frame copies every canvas it touched for the compositor: the blank drag and selection layers are left alone.
    leaveEmptyLayers(renderer);
    // Labels measured once per font and text, not in every frame (labelMeasure.ts); a font loaded later measures anew.
    this.labels = measureLabelsOnce(renderer);
    document.fonts?.addEventListener('loadingdone', this.labels.clear);
    this.feeder = new ElementFeeder(this.cy);
    this.progress = new DrawProgress(container);
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
   * Draw the focused band, in short tasks (tasks.ts): at 5,000 services the search for a layout that
   * reads took seconds in one task, and a diff's build hundreds of ms. `fresh` (a new import, another
   * band, another scope) replaces everything, lays the band out anew for the canvas and fits it, the
   * previous drawing staying until the new one replaces it; otherwise the change is applied as a diff
   * on the kept layout and the viewport stays where the user left it. `done` runs once the drawing is
   * in place; a newer draw abandons one in progress (its `done` never runs, its elements never land).
   */
  render(ws: Workspace, opts: ViewOptions, fresh: boolean, done?: () => void): void {
    // This draw has the newest data: a drawing in progress would put older data back.
    this.runner.cancel();
    this.progress.stop();
    this.last = { ws, opts };
    const key = `${opts.focus}|${JSON.stringify(opts.scope ?? null)}`;
    // No memo: a fresh drawing was abandoned before its layout was kept; this one is fresh too.
    if (fresh || key !== this.memoKey || !this.memo) {
      // The canvas may have changed size since cytoscape last measured it (panels, strips).
      this.cy.resize();
      this.memo = null;
      this.memoKey = key;
      this.progress.start(`Laying out ${ws.services.length.toLocaleString('en-US')} services…`);
      this.runner.start(this.freshSteps(ws, this.bandOptions(opts), done));
      return;
    }
    this.runner.start(this.diffSteps(this.bandOptions(opts), ws, done));
  }

  /** A diff: the band built again on the kept layout, then applied to the elements drawn (sync.ts). */
  private *diffSteps(opts: ViewOptions, ws: Workspace, done?: () => void): Generator<void, void> {
    const built = yield* bandSteps(ws, opts);
    this.memo = built.memo;
    this.built = built;
    yield;
    yield* syncSteps(this.cy, this.feeder, built.elements);
    capScreenSizes(this.cy, this.maxTitlePx());
    done?.();
  }

  /** A fresh drawing: the band built step by step, then put in place of the old one and fitted. */
  private *freshSteps(ws: Workspace, opts: ViewOptions, done?: () => void): Generator<void, void> {
    const built = yield* bandSteps(ws, opts);
    this.progress.stop();
    this.memo = built.memo;
    this.built = built;
    this.feeder.clear();
    this.cy.batch(() => this.cy.elements().remove());
    this.feeder.add(built.elements);
    // From the boxes laid out, not cytoscape's bounding box: that one would style every element
    // now, in this task, on top of the draw (seconds at 5,000 services); the frames style them.
    this.fit(boundsOf(built.elements));
    const pan = this.cy.pan();
    this.planned = { w: this.cy.width(), h: this.cy.height(), zoom: this.cy.zoom(), x: pan.x, y: pan.y };
    // Elements fed in later frames are capped once they are all in.
    void this.feeder.settled().then(() => {
      if (!this.cy.destroyed()) capScreenSizes(this.cy, this.maxTitlePx());
    });
    capScreenSizes(this.cy, this.maxTitlePx());
    done?.();
  }

  /**
   * The canvas changed size (a banner or panel came or went). While the band is still at the fit its
   * plan made, it is planned and fitted anew for the new size: the names the plan made readable, and
   * those it put beside small units, were measured at the old fit zoom and may no longer read.
   * `replan` draws the band fresh (the owner's draw, which puts its marks back).
   */
  resized(replan: () => void): void {
    this.cy.resize();
    const p = this.planned;
    if (!p || !this.last || (p.w === this.cy.width() && p.h === this.cy.height())) return;
    const pan = this.cy.pan();
    if (this.cy.zoom() !== p.zoom || pan.x !== p.x || pan.y !== p.y) {
      this.planned = null;
      return;
    }
    window.clearTimeout(this.replanTimer);
    this.replanTimer = window.setTimeout(() => {
      this.replanTimer = 0;
      if (this.planned === p && !this.cy.destroyed()) replan();
      this.replanDone?.();
      this.replanDone = null;
    }, REPLAN_MS);
  }

  /** An open title is never drawn larger than this on screen (twice a readable label, or 33 px). */
  private maxTitlePx(): number {
    return Math.max(3 * MIN_LABEL_PX, 2 * this.readablePx);
  }

  /** Redraw the band drawn now with new data (the verdicts landing): a diff in short tasks, `done` after the last. */
  renderInTasks(ws: Workspace, opts: ViewOptions, done: () => void): void {
    this.render(ws, opts, false, done);
  }

  private bandOptions(opts: ViewOptions): ViewOptions {
    const area = drawArea(this.cy, this.readablePx);
    return {
      ...opts,
      viewport: { w: area.w + 2 * FIT_PADDING, h: area.h + 2 * FIT_PADDING },
      memo: this.memo,
      ...(this.readablePx > READABLE_PX ? { labelPx: this.readablePx } : {}),
    };
  }

  /** Resolves once the band is drawn whole: no re-plan waiting, no redraw in progress, every element in cytoscape. */
  async settled(): Promise<void> {
    if (this.replanTimer)
      await new Promise<void>((resolve) => {
        const before = this.replanDone;
        this.replanDone = () => {
          before?.();
          resolve();
        };
      });
    await this.whole();
  }

  /** Resolves once no drawing is being built and every element is in cytoscape (a newer drawing is waited for too). */
  private async whole(): Promise<void> {
    for (;;) {
      if (this.runner.busy) await this.runner.settled();
      else if (this.feeder.pending > 0) await this.feeder.settled();
      else return;
    }
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
    // The redraw that opens it is built in tasks: frame it once it is drawn.
    void this.whole().then(() => {
      if (this.cy.destroyed()) return;
      const node = this.cy.nodes().filter((n) => n.data('unit') === key);
      if (node.empty() || !this.isOpen(key)) return;
      this.planned = null;
      frameOpenedUnit(this.cy, node);
    });
  }

  /** Mark a service's nodes and its calls; clears the previous highlight. */
  highlightService(serviceId: string | undefined): void {
    highlightService(this.cy, serviceId);
  }

  /** Highlight search matches (services by name/label, segments by name) and bring them into view. */
  search(text: string): number {
    return this.frameMatches(markSearch(this.cy, text));
  }

  /** Mark a finding's subjects drawn in the band and frame them readably. */
  focusSubjects(serviceIds: readonly string[], segmentIds: readonly string[]): number {
    return this.frameMatches(markSubjects(this.cy, serviceIds, segmentIds));
  }

  private frameMatches(matches: NodeCollection): number {
    if (matches.nonempty()) {
      this.planned = null;
      void frameNodes(this.cy, this.readablePx, matches);
    }
    return matches.length;
  }

  /** Bring services or segments into view with their call neighbours, at a zoom where their labels read. */
  reveal(t: RevealTarget): Promise<void> {
    return revealNodes(this.cy, this.readablePx, t);
  }

  /** Frame after a reveal request, counting it done when the animation ends. */
  revealAndCount(t: RevealTarget, seq: number): void {
    // The view leaves its fit on purpose: a resize no longer re-plans it.
    this.planned = null;
    // After a fresh draw the band is built in tasks and fed in frames: frame what it holds once all of it is in.
    void this.whole()
      .then(() => {
        // A fresh drawing finished meanwhile set its own fit as planned: the reveal leaves it.
        this.planned = null;
        return this.reveal(t);
      })
      .then(() => {
        this.revealed = Math.max(this.revealed, seq);
      });
  }

  /** While dragging: mark the target segment acceptable or problematic and the calls that would break. */
  showDragFeedback(drag: DragMarks | null): void {
    showDragFeedback(this.cy, drag);
  }

  /** While a plan is previewed: what it breaks, restores, opens, closes and changes (see feedback.ts). */
  showPlanFeedback(marks: PlanMarks | null): void {
    showPlanFeedback(this.cy, marks);
  }

  setTheme(theme: GraphTheme): void {
    const readable = theme === 'present' ? PRESENT_LABEL_PX : READABLE_PX;
    const replan = readable !== this.readablePx;
    this.readablePx = readable;
    this.cy.style(graphStyle(theme));
    // The canvas is the focused band's background.
    this.cy.container()?.style.setProperty('background-color', GRAPH_THEMES[theme].canvas);
    // Into or out of presentation mode: the band is laid out anew, its names read at the new size.
    if (replan && this.last) this.render(this.last.ws, this.last.opts, true);
  }

  /** Fit the band inside the canvas less the corner controls' margins (viewport.ts). */
  fit(bounds?: Bounds): void {
    // Presentation mode's floor is for service labels (detail mode); a summary's names are sized for the fit.
    fitView(this.cy, this.readablePx, bounds, this.memo?.mode !== 'summary');
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
    window.clearTimeout(this.replanTimer);
    this.runner.cancel();
    this.progress.destroy();
    this.feeder.clear();
    document.fonts?.removeEventListener('loadingdone', this.labels.clear);
    this.cy.destroy();
  }
}
