// A band's element definitions applied to cytoscape as a diff (remove what is gone, add what is new, update the rest in place), in slices.
import type { Core } from 'cytoscape';
import type { ElementDef } from './elements';
import type { ElementFeeder } from './feeder';

/** Elements a redraw in tasks compares and updates per task (each a few µs; styling comes in the frame). */
const SYNC_SLICE = 500;

/** Equal values, arrays (a routed call's bends) by their items. */
const same = (x: unknown, y: unknown): boolean =>
  x === y || (Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => v === y[i]));

const sameData = (a: Record<string, unknown>, b: Record<string, unknown>): boolean => {
  for (const k of Object.keys(b)) if (!same(a[k], b[k])) return false;
  return true;
};

/**
 * Apply element definitions as a diff: remove what is gone, add what is new (through the feeder),
 * update the rest in place, SYNC_SLICE elements per step.
 */
export function* syncSteps(cy: Core, feeder: ElementFeeder, defs: ElementDef[]): Generator<void, void> {
  const want = new Map(defs.map((d) => [d.data.id, d]));
  feeder.retain(want);
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
          if (!feeder.isQueued(d.data.id)) add.push(d);
          continue;
        }
        // An edge's ends cannot be set as data (cytoscape keeps them): a call now drawn between other
        // nodes is drawn anew, after them (they may be new too).
        if (el.isEdge() && (el.data('source') !== d.data.source || el.data('target') !== d.data.target)) {
          el.remove();
          add.push(d);
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
  feeder.add(add);
}
