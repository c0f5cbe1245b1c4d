// Adds a band's elements to cytoscape one slice per animation frame, so that styling and drawing a large band is spread over frames.
//
// Cytoscape styles an element (selectors, label size, edge geometry) the first time it is drawn or
// measured: at 5,000 services the first frame of a fresh band took seconds in one task. Fed a slice
// per frame, the boxes come first (containers, then segments, then services, then calls: the order
// the band is built in), each frame stays short and the page keeps answering input meanwhile.
import type { Core, ElementDefinition } from 'cytoscape';
import type { ElementDef } from './elements';

/** Elements added per frame. */
export const SLICE = 100;

type Schedule = (run: () => void) => number;

export class ElementFeeder {
  private nodes: ElementDef[] = [];
  private edges: ElementDef[] = [];
  private queued = new Set<string>();
  private frame = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly cy: Core,
    private readonly schedule: Schedule = (run) => requestAnimationFrame(run),
    private readonly cancel: (frame: number) => void = (frame) => cancelAnimationFrame(frame),
  ) {}

  /** Elements waiting for a frame. */
  get pending(): number {
    return this.nodes.length + this.edges.length;
  }

  /** Whether an element is waiting for a frame (not yet in cytoscape). */
  isQueued(id: string): boolean {
    return this.queued.has(id);
  }

  /** Forget what waits (the band is replaced); whoever waits for it is answered. */
  clear(): void {
    if (this.frame) this.cancel(this.frame);
    this.frame = 0;
    this.nodes = [];
    this.edges = [];
    this.queued.clear();
    this.settle();
  }

  /**
   * Add elements: at once when nothing waits and they fit one slice (an edit, an expand), else behind
   * what waits. The first slice of a long list is added now, so the caller can frame it at once.
   */
  add(defs: readonly ElementDef[]): void {
    if (this.pending === 0 && defs.length <= SLICE) {
      if (defs.length > 0) this.cy.add(defs as ElementDefinition[]);
      return;
    }
    for (const d of defs) {
      (d.group === 'nodes' ? this.nodes : this.edges).push(d);
      this.queued.add(d.data.id);
    }
    if (!this.frame) this.feed();
  }

  /** Keep only the waiting elements a new build still has, in their new version (a diff arrived meanwhile). */
  retain(want: ReadonlyMap<string, ElementDef>): void {
    if (this.pending === 0) return;
    const keep = (list: ElementDef[]) =>
      list.flatMap((d) => {
        const next = want.get(d.data.id);
        if (!next) this.queued.delete(d.data.id);
        return next ? [next] : [];
      });
    this.nodes = keep(this.nodes);
    this.edges = keep(this.edges);
    if (this.pending === 0) this.clear();
  }

  /** Resolves once nothing waits. */
  settled(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private feed(): void {
    this.frame = 0;
    // Nodes before edges: an edge needs both its ends in cytoscape.
    const slice = this.nodes.splice(0, SLICE);
    if (slice.length < SLICE) slice.push(...this.edges.splice(0, SLICE - slice.length));
    for (const d of slice) this.queued.delete(d.data.id);
    this.cy.batch(() => this.cy.add(slice as ElementDefinition[]));
    if (this.pending > 0) this.frame = this.schedule(() => this.feed());
    else this.settle();
  }

  private settle(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
