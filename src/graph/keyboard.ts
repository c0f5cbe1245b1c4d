// Keyboard walk of the drawn band: arrows move a cursor between services, Enter selects, Escape clears.
//
// The band is a cytoscape canvas, so nothing in it can take focus by itself: its container takes
// focus instead, and a cursor (a class on one node) stands for the focused item. Arrows go to the
// nearest drawn service (or summary cell, at scale) in that direction, as a person's eye would.
import type { Core, NodeSingular } from 'cytoscape';

export type Direction = 'left' | 'right' | 'up' | 'down';

export interface Place {
  id: string;
  x: number;
  y: number;
}

const ARROWS: Record<string, Direction> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

/**
 * The place to go from `from` in a direction: among the places ahead of it (within 45° first, else
 * anywhere on that side), the nearest, where straying sideways counts double (so → on a row goes
 * along the row before jumping to the next). Undefined when nothing lies that way.
 */
export const nextInDirection = (from: Place, places: readonly Place[], dir: Direction): string | undefined => {
  /** The best place ahead, within 45° of the direction when `cone`, else anywhere in that half. */
  const pick = (cone: boolean) => {
    let best: string | undefined;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const p of places) {
      if (p.id === from.id) continue;
      const dx = p.x - from.x;
      const dy = p.y - from.y;
      const ahead = dir === 'right' ? dx : dir === 'left' ? -dx : dir === 'down' ? dy : -dy;
      const aside = Math.abs(dir === 'left' || dir === 'right' ? dy : dx);
      if (ahead <= 0 || (cone && aside > ahead)) continue;
      const score = ahead + 2 * aside;
      if (score < bestScore || (score === bestScore && best !== undefined && p.id < best)) {
        best = p.id;
        bestScore = score;
      }
    }
    return best;
  };
  return pick(true) ?? pick(false);
};

/** The first place in reading order (top row first, then left to right): where a walk starts. */
export const firstPlace = (places: readonly Place[]): string | undefined => {
  const rowOf = (p: Place) => Math.round(p.y / 20);
  return [...places].sort((a, b) => rowOf(a) - rowOf(b) || a.x - b.x || (a.id < b.id ? -1 : 1))[0]?.id;
};

export interface CursorEvents {
  onSelectService(serviceId: string): void;
  /** Open or fold a unit of the band drawn as summaries (a segment, a VPC/account cell, a bucket). */
  onToggleUnit(key: string): void;
  onSelectSegment(segmentId: string): void;
  onClear(): void;
  /** The cursor moved to a node (undefined: it left the band): say where it is. */
  onCursor(node: NodeSingular | undefined): void;
  /** The service selected now, where a walk starts when there is no cursor yet. */
  selectedService(): string | undefined;
}

/** What the cursor walks: services drawn, and the folded units standing for services not drawn. */
const WALKABLE = 'node[kind = "service"], node.summary, node.folded';

/** Keys on the focused canvas container; the cursor is the node with class `cursor`. */
export class CanvasKeys {
  private cursor: string | undefined;
  private readonly onKey = (e: KeyboardEvent) => this.key(e);

  constructor(
    private readonly cy: Core,
    private readonly container: HTMLElement,
    private readonly events: CursorEvents,
  ) {
    container.addEventListener('keydown', this.onKey);
  }

  /** The node under the cursor, if it is still drawn. */
  current(): NodeSingular | undefined {
    const n = this.cursor ? this.cy.getElementById(this.cursor) : undefined;
    return n?.nonempty() ? (n as NodeSingular) : undefined;
  }

  /** After a redraw: keep the cursor's class on its node, or drop the cursor when the node is gone. */
  refresh(): void {
    const n = this.current();
    if (!n) this.cursor = undefined;
    else if (!n.hasClass('cursor')) n.addClass('cursor');
  }

  private key(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const dir = ARROWS[e.key];
    if (dir) {
      e.preventDefault();
      this.move(dir);
    } else if (e.key === 'Enter' || e.key === ' ') {
      const n = this.current();
      if (!n) return;
      e.preventDefault();
      if (n.data('kind') === 'service') this.events.onSelectService(n.data('serviceId'));
      else {
        this.events.onToggleUnit(n.data('unit'));
        if (n.data('kind') === 'segment') this.events.onSelectSegment(n.data('segmentId'));
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.events.onClear();
    }
  }

  private move(dir: Direction): void {
    const places: Place[] = this.cy.nodes(WALKABLE).map((n) => ({ id: n.id(), ...n.position() }));
    const at = this.current() ?? this.selectedNode();
    const next = at ? nextInDirection({ id: at.id(), ...at.position() }, places, dir) : firstPlace(places);
    // Nothing further that way: stay (a first arrow with no cursor lands on the selected service).
    this.place(next ?? (this.current() ? undefined : at?.id()));
  }

  private selectedNode(): NodeSingular | undefined {
    const id = this.events.selectedService();
    if (!id) return undefined;
    const n = this.cy.nodes('[kind = "service"]').filter((x) => x.data('serviceId') === id);
    return n.nonempty() ? (n.first() as NodeSingular) : undefined;
  }

  private place(id: string | undefined): void {
    if (!id) return;
    this.cy.nodes('.cursor').removeClass('cursor');
    this.cursor = id;
    const n = this.cy.getElementById(id) as NodeSingular;
    n.addClass('cursor');
    this.keepInView(n);
    this.events.onCursor(n);
  }

  /** Pan (never zoom) so the cursor's node is inside the canvas, with a margin. */
  private keepInView(n: NodeSingular): void {
    const cy = this.cy;
    const p = n.renderedPosition();
    const margin = 40;
    const dx = p.x < margin ? margin - p.x : p.x > cy.width() - margin ? cy.width() - margin - p.x : 0;
    const dy = p.y < margin ? margin - p.y : p.y > cy.height() - margin ? cy.height() - margin - p.y : 0;
    if (dx !== 0 || dy !== 0) cy.panBy({ x: dx, y: dy });
  }

  destroy(): void {
    this.container.removeEventListener('keydown', this.onKey);
  }
}
