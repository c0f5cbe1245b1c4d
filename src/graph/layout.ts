// The band packer: deterministic boxes for the focused band, fitted to the canvas' shape, O(n) per try.
//
// Why our own packer: dagre/cola do not finish at 1k+ nodes and elk needs a worker and fails near
// 19k nodes (DESIGN.md). A band is a tree of boxes (contexts ⊃ segments ⊃ cells of services), so
// recursive shelf packing gives compact positions in linear time. One "shape" number (the aspect
// each container aims for) is searched so the whole band best fills the canvas; the chosen shape
// is then kept for the band, so an edit re-packs with the same shape and moves little.
//
// Every box is drawn as a plain (non-compound) node of the size the packer gives it: cytoscape does
// not size anything, so a segment expanded in place keeps its box and its neighbours keep theirs.

import { drain } from './tasks';
import { textWidth } from './text';

export const SERVICE_W = 112;
export const SERVICE_H = 32;
/** Service label size in model units (drawn ≥ 11 px from zoom 0.85 on). */
export const SERVICE_FONT = 13;
export const GAP = 8;
/** Between rows of full-size services: room for a call between a service and the one under it to show as a line, not only its arrow. */
export const ROW_GAP = 16;
export const PAD = 8;
/** Header band of a segment box drawn with its services (label at SEGMENT_FONT). */
export const SEGMENT_FONT = 14;
export const SEGMENT_HEADER = 24;
/** Services of an expanded summary cell are drawn at this scale (semantic zoom: readable when revealed). */
export const SUMMARY_SCALE = 0.5;
export const SUMMARY_MIN = { w: 190, h: 70 };
/** A small band is never fitted above this zoom: it keeps a natural size. */
export const MAX_FIT_ZOOM = 1.25;
/** Margin of a fit, in screen pixels. */
export const FIT_PADDING = 16;
/** Members counted when sizing a summary cell: beyond this a segment draws its services smaller. */
const SUMMARY_SIZE_CAP = 400;
const BOX_GAP = 16;

export interface Size {
  w: number;
  h: number;
}

/** A box to place: a cell of fixed size, a grid of `grid` services at full size, or a container. */
export interface LayoutBox {
  id: string;
  /** A fixed-size cell (a summary segment). */
  size?: Size;
  /** A segment drawn with its n services at full size. */
  grid?: number;
  /** Narrowest width: room for the segment's title (a grid), or a folded unit's label (a container). */
  minW?: number;
  /** Lowest height of a container: room for a folded unit's label. */
  minH?: number;
  /** Containers: child boxes, shelf-packed under the container's header. */
  children?: LayoutBox[];
  /** A container's title (drawn bold at its font): the container is never narrower. */
  title?: string;
  /** Space between a container's children (default BOX_GAP): room for the edges between them. */
  gap?: number;
  /** A container drawn as nothing (the band itself): no header, no padding. */
  bare?: boolean;
}

/** A placed box: centre, size, and for containers the label size picked from the width. */
export interface Placed {
  x: number;
  y: number;
  w: number;
  h: number;
  font: number;
}

/**
 * Label size of a container: `wanted` (what reads at the band's fit zoom), no wider than the
 * container allows for a short name.
 */
export const containerFont = (w: number, wanted: number): number =>
  Math.round(Math.max(SEGMENT_FONT, Math.min(wanted, w / 8)));
export const containerHeader = (font: number): number => Math.round(font * 1.3 + 6);

/** Label size of a summary cell, from its size. */
export const cellFont = (s: Size): number => Math.round(Math.min(64, Math.max(20, s.h * 0.26, s.w / 12)));

/** Columns of a grid of n items of (w, h) whose outline is closest to the aspect `shape`. */
export const gridColumns = (n: number, itemW: number, itemH: number, shape: number): number => {
  if (n <= 1) return 1;
  const cols = Math.round(Math.sqrt((n * shape * (itemH + GAP)) / (itemW + GAP)));
  return Math.max(1, Math.min(n, cols));
};

/** Size of a segment box drawing n services at full size (header on top). */
export const gridSize = (n: number, shape: number): Size => {
  const cols = gridColumns(Math.max(1, n), SERVICE_W, SERVICE_H, shape);
  const rows = Math.ceil(Math.max(1, n) / cols);
  return {
    w: 2 * PAD + cols * SERVICE_W + (cols - 1) * GAP,
    h: SEGMENT_HEADER + PAD + rows * SERVICE_H + (rows - 1) * ROW_GAP,
  };
};

/**
 * The title size an opened summary cell's room is reserved for (summarySize): a bigger cell's name
 * is drawn larger only while folded, so opened, its services keep the room they were sized for.
 */
export const OPEN_CELL_FONT = cellFont(SUMMARY_MIN);

/** Size of a summary cell for a segment of n members: room for them at SUMMARY_SCALE under an OPEN_CELL_FONT title. */
export const summarySize = (n: number): Size => {
  const m = Math.min(n, SUMMARY_SIZE_CAP);
  if (m === 0) return { ...SUMMARY_MIN };
  const s = SUMMARY_SCALE;
  const cols = gridColumns(m, SERVICE_W, SERVICE_H, 2.4);
  const rows = Math.ceil(m / cols);
  const font = OPEN_CELL_FONT;
  const w = Math.ceil(2 * PAD + (cols * (SERVICE_W + GAP) - GAP) * s);
  const h = Math.ceil(font * 1.6 + PAD + (rows * (SERVICE_H + GAP) - GAP) * s);
  return { w: Math.max(SUMMARY_MIN.w, w), h: Math.max(SUMMARY_MIN.h, h) };
};

/**
 * Where n services go inside a box (top-left at 0,0) under a header: the grid and scale that draw
 * them largest without leaving the box. Positions are service centres. `rowGap`: ROW_GAP for a
 * segment drawn with its services (gridSize), GAP in an opened summary cell (summarySize).
 */
export const placeInBox = (
  n: number,
  box: Size,
  header: number,
  rowGap = GAP,
): { scale: number; positions: { x: number; y: number }[] } => {
  const bodyW = Math.max(1, box.w - 2 * PAD);
  const bodyH = Math.max(1, box.h - header - PAD);
  let best = { scale: 0, cols: 1 };
  // The best column count lies near the one matching the body's aspect; try a few around it.
  const guess = gridColumns(n, SERVICE_W, SERVICE_H, bodyW / bodyH);
  for (let cols = Math.max(1, guess - 3); cols <= Math.min(n, guess + 3); cols++) {
    const rows = Math.ceil(n / cols);
    const scale = Math.min(1, bodyW / (cols * (SERVICE_W + GAP) - GAP), bodyH / (rows * (SERVICE_H + rowGap) - rowGap));
    if (scale > best.scale) best = { scale, cols };
  }
  const { scale, cols } = best;
  const positions: { x: number; y: number }[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % cols;
    const r = Math.floor(i / cols);
    positions.push({
      x: PAD + (c * (SERVICE_W + GAP) + SERVICE_W / 2) * scale,
      y: header + (r * (SERVICE_H + rowGap) + SERVICE_H / 2) * scale,
    });
  }
  return { scale, positions };
};

interface Packed {
  w: number;
  h: number;
  font: number;
  /** Descendant box id → top-left relative to this box, and its packed size. */
  inner: Map<string, { x: number; y: number; p: Packed }>;
}

/** How a band is packed: the aspect containers aim at, the root's row width, the containers' label size. */
interface Shape {
  inner: number;
  rootW?: number;
  font: number;
}

const packBox = (box: LayoutBox, shape: Shape): Packed => {
  if (box.size) return { ...box.size, font: cellFont(box.size), inner: new Map() };
  if (box.grid !== undefined) {
    const size = gridSize(box.grid, shape.inner);
    return { w: Math.max(size.w, box.minW ?? 0), h: size.h, font: SEGMENT_FONT, inner: new Map() };
  }
  const kids = (box.children ?? []).map((c) => ({ id: c.id, p: packBox(c, shape) }));
  return packChildren(box, kids, shape, box.bare ? shape.rootW : undefined);
};

const packChildren = (box: LayoutBox, kids: { id: string; p: Packed }[], shape: Shape, rowW?: number): Packed => {
  const sizes = kids.map((k) => k.p);
  const gap = box.gap ?? BOX_GAP;
  const spots = rowW !== undefined ? shelf(sizes, rowW, gap) : shelfToShape(sizes, shape.inner, gap);
  const pad = box.bare ? 0 : PAD;
  const font = containerFont(spots.w + 2 * pad, shape.font);
  // As wide as its title, so a title is never cut.
  const titleW = box.title ? textWidth(box.title, font, true) + 2 * pad + 4 : 0;
  const w = box.bare ? spots.w : Math.max(SUMMARY_MIN.w, spots.w + 2 * pad, titleW, box.minW ?? 0);
  const top = box.bare ? 0 : containerHeader(font);
  const inner = new Map<string, { x: number; y: number; p: Packed }>();
  kids.forEach((k, i) => {
    const at = spots.at[i] as { x: number; y: number };
    inner.set(k.id, { x: pad + at.x, y: top + at.y, p: k.p });
  });
  return { w, h: box.bare ? spots.h : Math.max(SUMMARY_MIN.h, top + spots.h + pad, box.minH ?? 0), font, inner };
};

/** Shelf-pack sizes at the row width (of a dozen tried) whose outline is closest to the aspect `shape`. */
const shelfToShape = (sizes: Size[], shape: number, gap: number): ReturnType<typeof shelf> => {
  const widest = sizes.reduce((m, s) => Math.max(m, s.w), 1);
  const total = sizes.reduce((a, s) => a + s.w + gap, 0);
  let best: { spots: ReturnType<typeof shelf>; miss: number } | null = null;
  const steps = Math.min(8, sizes.length);
  for (let i = 0; i <= steps; i++) {
    const spots = shelf(sizes, widest * Math.max(1, total / widest) ** (i / Math.max(1, steps)), gap);
    const miss = Math.abs(Math.log(Math.max(1, spots.w) / Math.max(1, spots.h) / shape));
    if (!best || miss < best.miss) best = { spots, miss };
  }
  return (best as { spots: ReturnType<typeof shelf> }).spots;
};

/** Shelf-pack sizes into rows no wider than maxW (a wider box gets a row of its own). */
const shelf = (sizes: Size[], maxW: number, gap: number): { at: { x: number; y: number }[]; w: number; h: number } => {
  const at: { x: number; y: number }[] = [];
  let x = 0;
  let y = 0;
  let rowH = 0;
  let w = 0;
  for (const s of sizes) {
    if (x > 0 && x + s.w > maxW) {
      y += rowH + gap;
      x = 0;
      rowH = 0;
    }
    at.push({ x, y });
    x += s.w + gap;
    rowH = Math.max(rowH, s.h);
    w = Math.max(w, x - gap);
  }
  return { at, w, h: sizes.length ? y + rowH : 0 };
};

const flatten = (p: Packed, x: number, y: number, id: string, out: Map<string, Placed>): void => {
  out.set(id, { x: x + p.w / 2, y: y + p.h / 2, w: p.w, h: p.h, font: p.font });
  for (const [cid, c] of p.inner) flatten(c.p, x + c.x, y + c.y, cid, out);
};

/** Inner shapes tried when none is given: geometric steps from tall to wide containers. */
const SHAPES_FINE = Array.from({ length: 13 }, (_, i) => 2 ** ((i - 6) / 2));
const SHAPES_COARSE = SHAPES_FINE.filter((_, i) => i % 2 === 0);
/** Above this many boxes the search takes the coarse steps (it runs on the main thread). */
const FINE_SEARCH_LIMIT = 300;
const ROOT_STEPS = 8;
/** Container titles read at the band's fit zoom from this size on screen (px; the 11 px floor and a margin). */
const TITLE_PX = 11.5;

/** How well a packing fills the canvas: the zoom it fits at (capped), then how close its aspect is. */
interface Fit {
  score: number;
  miss: number;
}
const fitOf = (p: Packed, aspect: number, cap: number): Fit => ({
  // zoom = viewport height × min(aspect / w, 1 / h); past the cap every packing reads alike.
  score: Math.min(cap, aspect / Math.max(1, p.w), 1 / Math.max(1, p.h)),
  miss: Math.abs(Math.log(Math.max(1, p.w) / Math.max(1, p.h) / aspect)),
});
const better = (a: Fit, b: Fit | null): boolean =>
  !b || a.score > b.score * 1.001 || (a.score >= b.score * 0.999 && a.miss < b.miss);

/** Pack the root's children at the inner shape, trying root row widths; the best fit for the aspect wins. */
const packRoot = (root: LayoutBox, aspect: number, cap: number, inner: number, font: number, rootW?: number) => {
  const shape: Shape = { inner, font };
  const kids = (root.children ?? []).map((c) => ({ id: c.id, p: packBox(c, shape) }));
  const widest = kids.reduce((m, k) => Math.max(m, k.p.w), 1);
  const total = kids.reduce((a, k) => a + k.p.w + (root.gap ?? BOX_GAP), 0);
  const widths =
    rootW !== undefined
      ? [rootW]
      : Array.from({ length: ROOT_STEPS + 1 }, (_, i) => widest * Math.max(1, total / widest) ** (i / ROOT_STEPS));
  let best: { p: Packed; rootW: number; fit: Fit } | null = null;
  for (const w of widths) {
    const p = packChildren(root, kids, { ...shape, rootW: w }, w);
    const fit = fitOf(p, aspect, cap);
    if (better(fit, best?.fit ?? null)) best = { p, rootW: w, fit };
  }
  return best as { p: Packed; rootW: number; fit: Fit };
};

const countBoxes = (box: LayoutBox): number => 1 + (box.children ?? []).reduce((a, c) => a + countBoxes(c), 0);

/** The packing decisions of a band, kept so a redraw packs the same way. */
export interface BandShape {
  inner: number;
  /** The root's row width; absent: searched again (the containers keep their inner shape). */
  rootW?: number;
  font: number;
}

/**
 * Place a band's boxes (the root is the band: bare). Without a kept shape, the inner shape and row
 * width whose band fills a canvas of `aspect` (width / height) at the largest zoom are picked, then
 * container labels are sized to read at that zoom on the viewport.
 */
export const layoutBand = (
  root: LayoutBox,
  viewport: Size,
  kept?: BandShape,
): { placed: Map<string, Placed>; shape: BandShape; size: Size } => drain(layoutBandSteps(root, viewport, kept));

/**
 * layoutBand one packing per step (a `yield` after each packing of the whole band tried): at 5,000
 * services a search packs the band a few dozen times, hundreds of ms in all, so the view runs it in
 * tasks of its own (tasks.ts).
 */
export function* layoutBandSteps(
  root: LayoutBox,
  viewport: Size,
  kept?: BandShape,
): Generator<void, { placed: Map<string, Placed>; shape: BandShape; size: Size }> {
  const aspect = viewport.w / Math.max(1, viewport.h);
  const cap = MAX_FIT_ZOOM / Math.max(1, viewport.h);
  let chosen: { p: Packed; rootW: number; inner: number; font: number };
  if (kept) {
    // A kept shape without a row width: the containers keep their shape, the root's rows are searched.
    chosen = { ...packRoot(root, aspect, cap, kept.inner, kept.font, kept.rootW), inner: kept.inner, font: kept.font };
  } else {
    // Container titles must read when the band is fitted: bigger titles make the band bigger and
    // the fit smaller, so the search runs again with the titles the last fit needs (a few passes).
    const zoomOf = (p: Packed) =>
      Math.min(
        MAX_FIT_ZOOM,
        (viewport.w - 2 * FIT_PADDING) / Math.max(1, p.w),
        (viewport.h - 2 * FIT_PADDING) / Math.max(1, p.h),
      );
    let font = SEGMENT_FONT;
    const shapes = countBoxes(root) > FINE_SEARCH_LIMIT ? SHAPES_COARSE : SHAPES_FINE;
    let best: { p: Packed; rootW: number; fit: Fit; inner: number; font: number } | null = null;
    for (let pass = 0; pass < 3; pass++) {
      best = null;
      for (const inner of shapes.map((s) => s * aspect)) {
        const r = packRoot(root, aspect, cap, inner, font);
        if (better(r.fit, best?.fit ?? null)) best = { ...r, inner, font };
        yield;
      }
      const z = zoomOf((best as { p: Packed }).p);
      if (font * z >= TITLE_PX) break;
      font = Math.min(400, Math.max(font, (TITLE_PX + 1) / z));
    }
    // The font the kept packing was made with (a raised one may be for a pass that never ran).
    chosen = best as { p: Packed; rootW: number; inner: number; font: number };
  }
  const placed = new Map<string, Placed>();
  flatten(chosen.p, 0, 0, root.id, placed);
  return {
    placed,
    shape: { inner: chosen.inner, rootW: chosen.rootW, font: chosen.font },
    size: { w: chosen.p.w, h: chosen.p.h },
  };
}
