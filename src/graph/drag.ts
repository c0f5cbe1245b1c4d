// The drag controller: press on a service, move over a segment of the same band, drop; framework-free.
//
// Why our own instead of cytoscape grabbing or the compound drag-and-drop extension: a grabbed child
// resizes its compound parents on every frame, and the extension only targets top-level parents and
// scans every target per move. Here nodes stay put; a DOM ghost follows the pointer and a static
// spatial index (flatbush) over the band's segment boxes answers "which segment is under the
// pointer" in O(log n). Per-frame data never reaches React or the store: only discrete events do
// (started, target changed, dropped, cancelled).
import type { Core, EventObject, NodeSingular } from 'cytoscape';
import Flatbush from 'flatbush';
import type { Level } from '../model/types';

export type DragMode = 'move' | 'add';

export interface DragStart {
  service: string;
  level: Level;
  /** Segment the dragged node sits in. */
  from: string;
}

export interface DragCallbacks {
  onStart(info: DragStart): void;
  /** The segment under the pointer changed (null: none, or the source). */
  onTarget(target: string | null, mode: DragMode): void;
  onDrop(target: string | null, mode: DragMode): void;
  onCancel(): void;
}

/** Pixels the pointer travels before a press becomes a drag (a click stays a click). */
const DRAG_THRESHOLD = 5;

interface Active {
  node: NodeSingular;
  info: DragStart;
  index: Flatbush | null;
  targets: { id: string; area: number }[];
  target: string | null;
  mode: DragMode;
  started: boolean;
  startAt: { x: number; y: number };
  cancelled: boolean;
}

export class DragController {
  private active: Active | null = null;
  private ghost: HTMLDivElement;

  constructor(
    private readonly cy: Core,
    container: HTMLElement,
    private readonly callbacks: DragCallbacks,
  ) {
    this.ghost = document.createElement('div');
    this.ghost.className = 'drag-ghost';
    this.ghost.hidden = true;
    this.ghost.dataset.testid = 'drag-ghost';
    container.appendChild(this.ghost);
    cy.on('tapstart', 'node[kind = "service"]', this.onPress);
    cy.on('tapdrag', this.onMove);
    cy.on('tapend', this.onRelease);
    window.addEventListener('keydown', this.onKey);
  }

  get dragging(): boolean {
    return this.active?.started === true;
  }

  /** The deepest same-band segment containing a model position, except the source segment. */
  private hit(a: Active, p: { x: number; y: number }): string | null {
    if (!a.index) return null;
    let best: { id: string; area: number } | null = null;
    for (const i of a.index.search(p.x, p.y, p.x, p.y)) {
      const t = a.targets[i] as { id: string; area: number };
      if (!best || t.area < best.area) best = t;
    }
    return best && best.id !== a.info.from ? best.id : null;
  }

  private onPress = (e: EventObject) => {
    const node = e.target as NodeSingular;
    const level = node.data('level') as Level;
    // Pressing a service must not pan the view; panning resumes on release.
    this.cy.userPanningEnabled(false);
    const segments = this.cy.nodes('[kind = "segment"]').filter((n) => n.data('level') === level);
    const targets: { id: string; area: number }[] = [];
    let index: Flatbush | null = null;
    if (segments.length > 0) {
      index = new Flatbush(segments.length);
      segments.forEach((n) => {
        const bb = n.boundingBox({ includeLabels: false, includeOverlays: false });
        index?.add(bb.x1, bb.y1, bb.x2, bb.y2);
        targets.push({ id: n.data('segmentId') as string, area: bb.w * bb.h });
      });
      index.finish();
    }
    this.active = {
      node,
      info: { service: node.data('serviceId'), level, from: node.data('segmentId') },
      index,
      targets,
      target: null,
      mode: 'move',
      started: false,
      startAt: { ...e.renderedPosition },
      cancelled: false,
    };
  };

  private onMove = (e: EventObject) => {
    const a = this.active;
    if (!a || a.cancelled) return;
    const rp = e.renderedPosition;
    if (!a.started) {
      if (Math.hypot(rp.x - a.startAt.x, rp.y - a.startAt.y) < DRAG_THRESHOLD) return;
      a.started = true;
      this.ghost.textContent = String(a.node.data('label') ?? a.info.service);
      this.ghost.hidden = false;
      a.node.addClass('dragging');
      this.callbacks.onStart(a.info);
    }
    this.ghost.style.transform = `translate(${rp.x + 8}px, ${rp.y + 8}px)`;
    const mode: DragMode = (e.originalEvent as MouseEvent | undefined)?.shiftKey ? 'add' : 'move';
    const target = this.hit(a, e.position);
    if (target !== a.target || mode !== a.mode) {
      a.target = target;
      a.mode = mode;
      this.callbacks.onTarget(target, mode);
    }
  };

  private onRelease = () => {
    const a = this.active;
    this.cy.userPanningEnabled(true);
    if (!a) return;
    this.active = null;
    this.ghost.hidden = true;
    a.node.removeClass('dragging');
    if (!a.started || a.cancelled) return;
    this.callbacks.onDrop(a.target, a.mode);
  };

  private onKey = (e: KeyboardEvent) => {
    const a = this.active;
    if (e.key !== 'Escape' || !a?.started || a.cancelled) return;
    a.cancelled = true;
    a.target = null;
    this.ghost.hidden = true;
    a.node.removeClass('dragging');
    this.callbacks.onCancel();
  };

  destroy(): void {
    this.cy.off('tapstart', 'node[kind = "service"]', this.onPress);
    this.cy.off('tapdrag', this.onMove);
    this.cy.off('tapend', this.onRelease);
    window.removeEventListener('keydown', this.onKey);
    this.ghost.remove();
  }
}
