// Sizes bounded on screen whatever the zoom. Aggregate widths and open titles are set in model units
// for the band's fit zoom; zoomed far in (a reveal, a lesson step) they would grow with it: a 4 px
// line hundreds of pixels wide, a title five times its services' labels that no canvas holds. Here
// an aggregate keeps its width in pixels (`epx`) and a title (`tfs`, drawn size) at most `maxTitlePx`.
import type { Core } from 'cytoscape';

/** Changes smaller than this share are not applied: they would restyle without a visible difference. */
const SLACK = 0.02;
const differs = (a: number, b: number) => Math.abs(a - b) > SLACK * Math.max(Math.abs(a), Math.abs(b));

/** Set aggregate widths and title sizes for the current zoom; returns how many elements changed. */
export const capScreenSizes = (cy: Core, maxTitlePx: number): number => {
  const zoom = Math.max(1e-4, cy.zoom());
  let changed = 0;
  cy.batch(() => {
    cy.edges('.aggregate').forEach((e) => {
      const w = Number(e.data('epx')) / zoom;
      if (Number.isFinite(w) && differs(Number(e.data('ew')), w)) {
        e.data('ew', w);
        changed++;
      }
    });
    cy.nodes('[tfs]').forEach((n) => {
      const fs = Math.min(Number(n.data('fs')), maxTitlePx / zoom);
      if (differs(Number(n.data('tfs')), fs)) {
        n.data('tfs', fs);
        changed++;
      }
    });
  });
  return changed;
};

/** Keep sizes capped while the viewport zooms: once per frame at most, after the zoom settles in it. */
export const watchScreenCaps = (cy: Core, maxTitlePx: () => number): (() => void) => {
  let queued = 0;
  const onZoom = () => {
    if (queued) return;
    queued = requestAnimationFrame(() => {
      queued = 0;
      if (!cy.destroyed()) capScreenSizes(cy, maxTitlePx());
    });
  };
  cy.on('zoom', onZoom);
  return () => {
    cy.off('zoom', onZoom);
    if (queued) cancelAnimationFrame(queued);
  };
};
