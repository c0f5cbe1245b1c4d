import { describe, expect, it } from 'vitest';
import { type LayoutBox, layoutBand, type Placed, placeInBox, SERVICE_H, SERVICE_W, summarySize } from './layout';

/** A band of `n` contexts holding `k` cells of various sizes each (deterministic). */
const band = (n: number, k: number): LayoutBox => ({
  id: 'band',
  bare: true,
  children: Array.from({ length: n }, (_, i) => ({
    id: `ctx:${i}`,
    children: Array.from({ length: k }, (_, j) => ({
      id: `seg:${i}:${j}`,
      size: summarySize(((i * 7 + j * 13) % 40) + 1),
    })),
  })),
});

const box = (p: Placed) => ({ x1: p.x - p.w / 2, y1: p.y - p.h / 2, x2: p.x + p.w / 2, y2: p.y + p.h / 2 });

describe('the band packer', () => {
  it('packs to the canvas shape: a wide canvas gets a wide band, a tall one a tall band', () => {
    const root = band(6, 9);
    const wide = layoutBand(root, { w: 1600, h: 600 }).size;
    const tall = layoutBand(root, { w: 600, h: 1600 }).size;
    expect(wide.w / wide.h).toBeGreaterThan(1.6);
    expect(tall.w / tall.h).toBeLessThan(0.8);
    // Within a factor 1.6 of the canvas aspect.
    expect(Math.abs(Math.log(wide.w / wide.h / (1600 / 600)))).toBeLessThan(Math.log(1.6));
    expect(Math.abs(Math.log(tall.w / tall.h / (600 / 1600)))).toBeLessThan(Math.log(1.6));
  });

  it('nests every box inside its container and never overlaps siblings', () => {
    const { placed } = layoutBand(band(4, 12), { w: 1000, h: 700 });
    for (let i = 0; i < 4; i++) {
      const ctx = box(placed.get(`ctx:${i}`) as Placed);
      const cells = Array.from({ length: 12 }, (_, j) => box(placed.get(`seg:${i}:${j}`) as Placed));
      for (const c of cells) expect(c.x1 >= ctx.x1 && c.y1 >= ctx.y1 && c.x2 <= ctx.x2 && c.y2 <= ctx.y2).toBe(true);
      for (let a = 0; a < cells.length; a++)
        for (let b = a + 1; b < cells.length; b++) {
          const p = cells[a] as ReturnType<typeof box>;
          const q = cells[b] as ReturnType<typeof box>;
          expect(p.x2 <= q.x1 || q.x2 <= p.x1 || p.y2 <= q.y1 || q.y2 <= p.y1).toBe(true);
        }
    }
  });

  it('with the kept shape, the same boxes land in the same places (a redraw moves nothing)', () => {
    const root = band(5, 8);
    const first = layoutBand(root, { w: 900, h: 600 });
    // Another canvas size, but the kept shape: identical.
    const again = layoutBand(root, { w: 500, h: 900 }, first.shape);
    expect(again.placed).toEqual(first.placed);
  });

  it('container titles grow so they read at the fitted zoom', () => {
    const { placed, size } = layoutBand(band(8, 40), { w: 680, h: 470 });
    const zoom = Math.min(680 / size.w, 470 / size.h);
    expect(zoom).toBeLessThan(0.5);
    expect((placed.get('ctx:0') as Placed).font * zoom).toBeGreaterThanOrEqual(11);
  });

  it('places n services inside a box, as large as fits, never outside it', () => {
    for (const n of [1, 2, 7, 30, 400]) {
      const cell = { w: 300, h: 140 };
      const { scale, positions } = placeInBox(n, cell, 30);
      expect(positions).toHaveLength(n);
      expect(scale).toBeLessThanOrEqual(1);
      for (const p of positions) {
        expect(p.x - (SERVICE_W * scale) / 2).toBeGreaterThanOrEqual(0);
        expect(p.x + (SERVICE_W * scale) / 2).toBeLessThanOrEqual(cell.w + 0.01);
        expect(p.y - (SERVICE_H * scale) / 2).toBeGreaterThanOrEqual(30 - 0.01);
        expect(p.y + (SERVICE_H * scale) / 2).toBeLessThanOrEqual(cell.h + 0.01);
      }
    }
  });
});
