import { describe, expect, it } from 'vitest';
import { fitBox, frameOf } from './framing';

const area = { w: 800, h: 500 };

describe('framing a lesson step (DESIGN.md: reveal frames at a readable zoom)', () => {
  it('fits the target with its context when both read together', () => {
    const own = fitBox({ x1: 0, y1: 0, w: 100, h: 50 }, area);
    const wide = fitBox({ x1: -100, y1: 0, w: 300, h: 100 }, area);
    const f = frameOf(own, wide, { readable: 2, cap: 10, maxZoom: 8, area });
    expect(f.zoom).toBeCloseTo(800 / 300);
    expect(f.centre).toEqual({ x: 50, y: 50 });
  });

  it('keeps the target alone, readable, when its context would not read', () => {
    const own = fitBox({ x1: 0, y1: 0, w: 300, h: 100 }, area);
    const wide = fitBox({ x1: -1000, y1: 0, w: 2000, h: 100 }, area);
    const f = frameOf(own, wide, { readable: 2, cap: 10, maxZoom: 8, area });
    expect(f.zoom).toBeCloseTo(800 / 300);
    expect(f.centre).toEqual({ x: 150, y: 50 });
  });

  it('too big to read whole: zoom readable, its top (the title) shown, the selected service on screen', () => {
    const own = fitBox({ x1: 0, y1: 0, w: 1000, h: 600 }, area);
    const keep = { x1: 10, y1: 50, w: 40, h: 20 };
    const f = frameOf(own, own, { readable: 1, cap: 4, maxZoom: 8, area, keep });
    expect(f.zoom).toBe(1);
    // The top of the box at the top of the area; the window [x - 400, x + 400] holds the service.
    expect(f.centre.y).toBe(250);
    expect(f.centre.x - 400).toBeLessThanOrEqual(10);
    expect(f.centre.x + 400).toBeGreaterThanOrEqual(50);
  });
});
