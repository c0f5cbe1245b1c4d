// The cytoscape adapter: model + analysis → drawn elements, applied as a diff inside cy.batch.
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
// @ts-expect-error no type declarations ship with cytoscape-svg
import cytoscapeSvg from 'cytoscape-svg';
import type { Workspace } from '../model/types';
import { buildElements, type ElementDef, type ViewOptions } from './elements';
import { type GraphTheme, graphStyle } from './style';

cytoscape.use(cytoscapeSvg);

export interface GraphEvents {
  onSelectService(serviceId: string | undefined): void;
  onSelectSegment(segmentId: string): void;
  onSelectCall(callIndex: number): void;
  /** A summary segment node (collapsed band) was clicked. */
  onToggleSegment(segmentId: string): void;
  onHoverSegment(segmentId: string | undefined, at: { x: number; y: number }): void;
}

const sameData = (a: Record<string, unknown>, b: Record<string, unknown>): boolean => {
  for (const k of Object.keys(b)) if (a[k] !== b[k]) return false;
  return true;
};

export class GraphView {
  readonly cy: Core;
  constructor(container: HTMLElement, events: GraphEvents, theme: GraphTheme = 'light') {
    this.cy = cytoscape({
      container,
      style: graphStyle(theme),
      layout: { name: 'preset' },
      minZoom: 0.01,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: true,
      selectionType: 'single',
      // Large-graph options that measure better (see README, performance).
      hideEdgesOnViewport: false,
      textureOnViewport: false,
      motionBlur: false,
      pixelRatio: 'auto',
    });
    this.cy.on('tap', (e) => {
      const t = e.target;
      if (t === this.cy) {
        events.onSelectService(undefined);
        return;
      }
      const kind = t.data('kind');
      if (kind === 'service') events.onSelectService(t.data('serviceId'));
      else if (kind === 'segment') {
        if (t.hasClass('summary') || t.hasClass('expanded-summary')) events.onToggleSegment(t.data('segmentId'));
        events.onSelectSegment(t.data('segmentId'));
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

  /**
   * Draw a workspace. `fresh` (a new import) replaces everything and fits the view; otherwise the
   * change is applied as a diff and the viewport stays where the user left it.
   */
  render(ws: Workspace, opts: ViewOptions, fresh: boolean): void {
    const defs = buildElements(ws, opts);
    if (fresh) {
      this.cy.batch(() => {
        this.cy.elements().remove();
        this.cy.add(defs as ElementDefinition[]);
      });
      this.fit();
    } else this.sync(defs);
  }

  /** Apply element definitions as a diff: remove what is gone, add what is new, update the rest in place. */
  private sync(defs: ElementDef[]): void {
    const cy = this.cy;
    const want = new Map(defs.map((d) => [d.data.id, d]));
    cy.batch(() => {
      cy.edges().forEach((e) => {
        if (!want.has(e.id())) e.remove();
      });
      // Children first so removing a parent never drags a kept child away.
      const goneNodes = cy.nodes().filter((n) => !want.has(n.id()));
      goneNodes.children().move({ parent: null });
      goneNodes.remove();
      const add: ElementDefinition[] = [];
      for (const d of defs) {
        const el = cy.getElementById(d.data.id);
        if (el.empty()) {
          add.push(d as ElementDefinition);
          continue;
        }
        if (d.group === 'nodes') {
          const parent = (d.data.parent as string | undefined) ?? null;
          if ((el.data('parent') ?? null) !== parent) (el as NodeSingular).move({ parent });
        }
        if (!sameData(el.data(), d.data)) el.data(d.data);
        if ((d.classes ?? '') !== el.classes().join(' ')) el.classes(d.classes ?? '');
        if (d.position && el.isNode() && el.isChildless()) {
          const p = el.position();
          if (p.x !== d.position.x || p.y !== d.position.y) el.position(d.position);
        }
      }
      cy.add(add);
    });
  }

  /** Mark a service's nodes in every band plus its calls; clears the previous highlight. */
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
    if (matches.nonempty()) this.cy.animate({ fit: { eles: matches, padding: 80 }, duration: 250 });
    return matches.length;
  }

  /** Bring a finding's subjects into view (preferring the focused band) and mark them. */
  focusSubjects(serviceIds: readonly string[], segmentIds: readonly string[], level: string): number {
    const services = new Set(serviceIds);
    const segments = new Set(segmentIds);
    const all = this.cy
      .nodes()
      .filter(
        (n) => services.has(n.data('serviceId')) || (n.data('kind') === 'segment' && segments.has(n.data('segmentId'))),
      );
    const inBand = all.filter((n) => n.data('level') === level);
    const target = inBand.nonempty() ? inBand : all;
    this.cy.batch(() => {
      this.cy.elements('.match').removeClass('match');
      target.addClass('match');
    });
    if (target.nonempty()) this.cy.animate({ fit: { eles: target, padding: 120 }, duration: 250 });
    return target.length;
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

  setTheme(theme: GraphTheme): void {
    this.cy.style(graphStyle(theme));
  }

  fit(): void {
    this.cy.fit(undefined, 24);
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
    this.cy.destroy();
  }
}
