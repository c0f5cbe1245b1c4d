// The band packer: deterministic positions for the six-band view, O(n), no iterative layout.
//
// Why our own packer: dagre/cola do not finish at 1k+ nodes and elk needs a worker and fails near
// 19k nodes (DESIGN.md). Bands are a fixed top-to-bottom order and segments are boxes of boxes, so
// recursive shelf packing gives compact, stable positions in linear time; a re-layout after a move
// only changes the boxes on the path from the moved service to its band.

export const SERVICE_W = 116;
export const SERVICE_H = 34;
const CELL_GAP = 10;
/**
 * Matches the stylesheet's compound padding. A compound's label sits just above its border, so it
 * lands in the parent's padding (first row) or in the gap between rows: both are ≥ a label's height.
 */
export const PADDING = 20;
const BOX_GAP = 28;
export const BAND_GAP = 70;
const EMPTY_W = 130;
const EMPTY_H = 44;

/** A box to place: compound (children) or leaf (fixed size). Ids are element ids. */
export interface LayoutBox {
  id: string;
  /** Leaf service nodes directly inside this box. */
  leaves: string[];
  children: LayoutBox[];
}

export interface Packed {
  w: number;
  h: number;
  /** Leaf element id → centre position relative to the box's top-left corner. */
  positions: Map<string, { x: number; y: number }>;
}

/** Shelf-pack boxes into rows no wider than maxW (the widest box may exceed it). */
const shelf = (
  sizes: { w: number; h: number }[],
  maxW: number,
): { x: number; y: number }[] & { w?: number; h?: number } => {
  const out: { x: number; y: number }[] & { w?: number; h?: number } = [];
  let x = 0;
  let y = 0;
  let rowH = 0;
  let w = 0;
  for (const s of sizes) {
    if (x > 0 && x + s.w > maxW) {
      y += rowH + BOX_GAP;
      x = 0;
      rowH = 0;
    }
    out.push({ x, y });
    x += s.w + BOX_GAP;
    rowH = Math.max(rowH, s.h);
    w = Math.max(w, x - BOX_GAP);
  }
  out.w = w;
  out.h = sizes.length ? y + rowH : 0;
  return out;
};

/** Pack a box: a grid of its leaves on top, its child boxes shelf-packed below. */
export const packBox = (box: LayoutBox): Packed => {
  const positions = new Map<string, { x: number; y: number }>();
  const n = box.leaves.length;
  if (n === 0 && box.children.length === 0) {
    positions.set(box.id, { x: EMPTY_W / 2, y: EMPTY_H / 2 });
    return { w: EMPTY_W, h: EMPTY_H, positions };
  }
  const cols = n === 0 ? 0 : Math.max(1, Math.min(n, Math.ceil(Math.sqrt(n * 2.2))));
  const rows = cols === 0 ? 0 : Math.ceil(n / cols);
  const gridW = cols * SERVICE_W + Math.max(0, cols - 1) * CELL_GAP;
  const gridH = rows * SERVICE_H + Math.max(0, rows - 1) * CELL_GAP;
  const top = PADDING;
  box.leaves.forEach((id, i) => {
    const c = i % cols;
    const r = Math.floor(i / cols);
    positions.set(id, {
      x: PADDING + c * (SERVICE_W + CELL_GAP) + SERVICE_W / 2,
      y: top + r * (SERVICE_H + CELL_GAP) + SERVICE_H / 2,
    });
  });
  const packedChildren = box.children.map(packBox);
  const area = packedChildren.reduce((a, p) => a + (p.w + BOX_GAP) * (p.h + BOX_GAP), 0);
  const maxW = Math.max(gridW, Math.sqrt(area) * 1.6, ...packedChildren.map((p) => p.w));
  const spots = shelf(packedChildren, maxW);
  const childTop = top + (rows ? gridH + BOX_GAP : 0);
  packedChildren.forEach((p, i) => {
    const at = spots[i] as { x: number; y: number };
    for (const [id, pos] of p.positions) {
      positions.set(id, { x: PADDING + at.x + pos.x, y: childTop + at.y + pos.y });
    }
  });
  const innerW = Math.max(gridW, spots.w ?? 0);
  const innerH = packedChildren.length ? childTop - top + (spots.h ?? 0) : gridH;
  return { w: innerW + 2 * PADDING, h: innerH + 2 * PADDING, positions };
};

/**
 * Stack bands top to bottom. Each band's root boxes are shelf-packed to a common width so bands
 * read as horizontal strips. Returns absolute centre positions of every leaf element.
 */
export const layoutBands = (
  bands: LayoutBox[],
): { positions: Map<string, { x: number; y: number }>; bandWidth: number } => {
  const all = new Map<string, { x: number; y: number }>();
  const packedBands = bands.map((b) => b.children.map(packBox));
  const totalArea = packedBands.flat().reduce((a, p) => a + (p.w + BOX_GAP) * (p.h + BOX_GAP), 0);
  const widest = Math.max(0, ...packedBands.flat().map((p) => p.w));
  // Aim for a whole picture about as wide as it is tall (a canvas between side panels), which makes
  // each of the six bands a wide strip; never narrower than the widest segment.
  const gaps = bands.length * (BAND_GAP + 2 * PADDING);
  const aspect = 1.2;
  const bandW = Math.max(
    900,
    widest,
    (aspect * gaps + Math.sqrt(aspect * aspect * gaps * gaps + 4 * aspect * totalArea)) / 2,
  );
  let y = 0;
  bands.forEach((_band, bi) => {
    const packed = packedBands[bi] as Packed[];
    const spots = shelf(packed, bandW);
    const top = y + PADDING;
    packed.forEach((p, i) => {
      const at = spots[i] as { x: number; y: number };
      for (const [id, pos] of p.positions) all.set(id, { x: PADDING + at.x + pos.x, y: top + at.y + pos.y });
    });
    y = top + (spots.h ?? 0) + PADDING + BAND_GAP;
  });
  return { positions: all, bandWidth: bandW };
};
