// Where the graph canvas sits inside the centre column (between the band strips), so corner buttons sit on the canvas, not on the strips.
import { type RefObject, useEffect, useState } from 'react';

export interface CanvasInsets {
  top: number;
  bottom: number;
}

/** Distances from the centre column's top and bottom edges to the graph canvas' edges, kept current. */
export const useCanvasInsets = (center: RefObject<HTMLElement | null>): CanvasInsets => {
  const [insets, setInsets] = useState<CanvasInsets>({ top: 0, bottom: 0 });
  useEffect(() => {
    const host = center.current;
    if (!host) return;
    const measure = () => {
      const canvas = host.querySelector<HTMLElement>('[data-testid="graph-canvas"]');
      if (!canvas) return;
      const c = canvas.getBoundingClientRect();
      const h = host.getBoundingClientRect();
      const next = { top: Math.round(c.top - h.top), bottom: Math.round(h.bottom - c.bottom) };
      setInsets((prev) => (prev.top === next.top && prev.bottom === next.bottom ? prev : next));
    };
    // The strips above and below the canvas change height with the focused band: watch every box in the column.
    const sizes = new ResizeObserver(measure);
    const watch = () => {
      sizes.disconnect();
      sizes.observe(host);
      for (const el of host.querySelectorAll<HTMLElement>('[data-testid="band-view"] > *')) sizes.observe(el);
      measure();
    };
    // Strips come and go with the data: re-watch when the column's or the band view's children change.
    const children = new MutationObserver(watch);
    children.observe(host, { childList: true });
    const view = host.querySelector('[data-testid="band-view"]');
    if (view) children.observe(view, { childList: true });
    watch();
    return () => {
      sizes.disconnect();
      children.disconnect();
    };
  }, [center]);
  return insets;
};
