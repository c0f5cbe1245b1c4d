// Where to put the viewport to show some boxes: the zoom and centre that fit them, bounded by "labels
// read" from below and "one node takes a share of the canvas" from above (pure: no cytoscape).

export interface Box {
  x1: number;
  y1: number;
  w: number;
  h: number;
}

export interface Frame {
  zoom: number;
  centre: { x: number; y: number };
  /** What is framed, when it came from a box. */
  bb?: Box;
}

/** The zoom that fits a box in an area, and its centre. */
export const fitBox = (bb: Box, area: { w: number; h: number }): Frame => ({
  zoom: Math.min(area.w / Math.max(1, bb.w), area.h / Math.max(1, bb.h)),
  centre: { x: bb.x1 + bb.w / 2, y: bb.y1 + bb.h / 2 },
  bb,
});

export interface FrameLimits {
  /** The least zoom at which the target's labels read. */
  readable: number;
  /** The most zoom wanted (one node at most a share of the canvas); never below `readable`. */
  cap: number;
  maxZoom: number;
  /** Where it is drawn: when what is framed is taller than this at the zoom, its top is shown (its title). */
  area?: { w: number; h: number };
  /** What must be on screen whole when the frame is wider than the area (the selected services). */
  keep?: Box;
}

/** Move a centre coordinate the least so [lo, hi] lies inside a window of `span` around it. */
const clampInto = (c: number, lo: number, hi: number, span: number): number => {
  if (hi - lo > span) return (lo + hi) / 2;
  return Math.min(Math.max(c, hi - span / 2), lo + span / 2);
};

/**
 * Frame a target, with its context when the two fit together at a readable zoom: the zoom fits what
 * is framed, within [readable, cap]. When even the target alone does not fit readably, it is framed
 * readable at its own centre (what does not fit is reached by panning, never drawn unreadable).
 */
export const frameOf = (own: Frame, wide: Frame, limits: FrameLimits): Frame => {
  const cap = Math.max(limits.readable, limits.cap);
  const pick = wide.zoom >= limits.readable ? wide : own;
  const zoom = Math.min(limits.maxZoom, cap, Math.max(pick.zoom, Math.min(limits.readable, cap)));
  const { bb } = pick;
  const { area, keep } = limits;
  if (!area || !bb) return { zoom, centre: pick.centre };
  let { x, y } = pick.centre;
  if (bb.h * zoom > area.h) y = bb.y1 + area.h / 2 / zoom;
  if (keep) {
    x = clampInto(x, keep.x1, keep.x1 + keep.w, area.w / zoom);
    y = clampInto(y, keep.y1, keep.y1 + keep.h, area.h / zoom);
  }
  return { zoom, centre: { x, y } };
};
