// A folded unit too small for its name to read inside it (a 20-service VPC beside 300-service ones)
// is named beside it, at a readable size, where no other box is: every summary unit shows its name
// at ≥ 11 px at fit (DESIGN.md "Readable at every size"). Growing the unit instead would shrink the rest.
import type { ElementDef } from './elements';
import { overlaps, type Rect } from './geometry';
import { MIN_LABEL_PX, plural } from './lod';
import { textWidth } from './text';

/** Sides tried, in order: where a reader looks next after the box. */
const SIDES = ['right', 'below', 'left', 'above'] as const;
export type Side = (typeof SIDES)[number];
/**
 * Above or below, the label is tried centred on the box, then starting at its left edge, then ending at
 * its right edge: a small box in a band's corner has no room centred but has some to one side.
 */
const ALIGNS = ['centre', 'start', 'end'] as const;
type Align = (typeof ALIGNS)[number];

export interface OutsideLabel {
  side: Side;
  /** The label's rectangle (model units). */
  rect: Rect;
  text: string;
  /** Font size in model units. */
  fs: number;
  /** Gap between the box and the label (model units). */
  gap: number;
  /** Above or below: how far the label's centre is right of the box's (model units). */
  shift: number;
}

const shiftOf = (box: Rect, align: Align, w: number): number =>
  align === 'centre' ? 0 : (align === 'start' ? 1 : -1) * (w - (box.x2 - box.x1)) * 0.5;

const placeAt = (box: Rect, side: Side, w: number, h: number, gap: number, shift = 0): Rect => {
  const cx = (box.x1 + box.x2) / 2 + shift;
  const cy = (box.y1 + box.y2) / 2;
  if (side === 'right') return { x1: box.x2 + gap, x2: box.x2 + gap + w, y1: cy - h / 2, y2: cy + h / 2 };
  if (side === 'left') return { x1: box.x1 - gap - w, x2: box.x1 - gap, y1: cy - h / 2, y2: cy + h / 2 };
  if (side === 'below') return { x1: cx - w / 2, x2: cx + w / 2, y1: box.y2 + gap, y2: box.y2 + gap + h };
  return { x1: cx - w / 2, x2: cx + w / 2, y1: box.y1 - gap - h, y2: box.y1 - gap };
};

/**
 * Where to name a unit outside its box: the first side whose label stays inside the band and clear
 * of every other box; null when none is free.
 */
export const outsideLabel = (
  name: string,
  services: number,
  box: Rect,
  zoom: number,
  band: Rect,
  others: readonly Rect[],
): OutsideLabel | null => {
  const fs = (MIN_LABEL_PX + 1) / Math.max(1e-4, zoom);
  const text = `${name} · ${plural(services, 'service')}`;
  const w = textWidth(text, fs, true);
  const h = fs * 1.3;
  const gap = 4 / Math.max(1e-4, zoom);
  for (const side of SIDES)
    for (const align of side === 'below' || side === 'above' ? ALIGNS : (['centre'] as const)) {
      const shift = shiftOf(box, align, w);
      const rect = placeAt(box, side, w, h, gap, shift);
      const inside = rect.x1 >= band.x1 && rect.x2 <= band.x2 && rect.y1 >= band.y1 && rect.y2 <= band.y2;
      if (inside && !others.some((o) => o !== box && overlaps(rect, o))) return { side, rect, text, fs, gap, shift };
    }
  return null;
};

/**
 * Name outside their boxes the folded units whose own label does not read at the band's fit zoom;
 * each label placed becomes an obstacle for the next and for edge labels. One with no free place
 * anywhere is drawn without a label (never as text under 11 px): the band's strip counts it.
 */
export const nameSmallUnits = (
  nodes: ElementDef[],
  boxes: Map<string, Rect>,
  obstacles: Rect[],
  zoom: number,
  view?: { w: number; h: number },
) => {
  const all = [...boxes.values()];
  if (all.length === 0) return;
  const x1 = Math.min(...all.map((r) => r.x1));
  const y1 = Math.min(...all.map((r) => r.y1));
  const x2 = Math.max(...all.map((r) => r.x2));
  const y2 = Math.max(...all.map((r) => r.y2));
  // The band is fitted centred: where it is narrower than the canvas, the margin beside it is on screen too.
  const half = { w: Math.max(x2 - x1, (view?.w ?? 0) / zoom) / 2, h: Math.max(y2 - y1, (view?.h ?? 0) / zoom) / 2 };
  const c = { x: (x1 + x2) / 2, y: (y1 + y2) / 2 };
  const band = { x1: c.x - half.w, x2: c.x + half.w, y1: c.y - half.h, y2: c.y + half.h };
  const taken = [...all];
  for (const n of nodes) {
    const folded = /\b(summary|folded)\b/.test(n.classes ?? '');
    if (!folded || Number(n.data.fs) * zoom >= MIN_LABEL_PX) continue;
    const box = boxes.get(n.data.id);
    if (!box) continue;
    const name = String(n.data.name ?? '');
    const placed = outsideLabel(name, Number(n.data.members ?? 0), box, zoom, band, taken);
    if (!placed) {
      n.data.label = '';
      continue;
    }
    n.data.label = placed.text;
    n.data.fs = placed.fs;
    n.data.lw = placed.rect.x2 - placed.rect.x1 + placed.gap;
    n.data.lmx = placed.side === 'right' ? placed.gap : placed.side === 'left' ? -placed.gap : placed.shift;
    n.data.lmy = placed.side === 'below' ? placed.gap : placed.side === 'above' ? -placed.gap : 0;
    n.classes = `${n.classes ?? ''} label-${placed.side}`;
    taken.push(placed.rect);
    obstacles.push(placed.rect);
  }
};
