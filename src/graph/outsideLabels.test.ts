import { describe, expect, it } from 'vitest';
import type { ElementDef } from './elements';
import { nameSmallUnits, outsideLabel } from './outsideLabels';

const band = { x1: 0, y1: 0, x2: 1000, y2: 600 };

describe('a unit too small to name inside is named beside it (issue 14: every unit named at ≥ 11 px)', () => {
  it('on its right when that side is free, at 12 px on screen', () => {
    const box = { x1: 0, y1: 500, x2: 60, y2: 540 };
    const l = outsideLabel('in vpc-legacy', 20, box, 1, band, [box, { x1: 0, y1: 0, x2: 1000, y2: 480 }]);
    expect(l?.side).toBe('right');
    expect(l?.text).toBe('in vpc-legacy · 20 services');
    expect(l?.fs).toBe(12);
    expect(l?.rect.x1).toBeGreaterThan(box.x2);
  });

  it('on another side when a box is on its right; nowhere when every side is taken', () => {
    const box = { x1: 400, y1: 500, x2: 460, y2: 540 };
    const right = { x1: 470, y1: 490, x2: 1000, y2: 600 };
    // Below, ending at the box's right edge (centred it would reach the box on the right).
    const below = outsideLabel('vpc-x', 3, box, 1, band, [box, right]);
    expect(below?.side).toBe('below');
    expect(below?.rect.x2).toBeCloseTo(box.x2, 5);
    expect(below?.shift).toBeLessThan(0);
    expect(outsideLabel('vpc-x', 3, box, 1, { ...band, y2: 550 }, [box, right])?.side).toBe('left');
    const walls = [right, { x1: 0, y1: 490, x2: 390, y2: 600 }, { x1: 0, y1: 0, x2: 1000, y2: 495 }];
    expect(outsideLabel('vpc-x', 3, box, 1, band, [box, ...walls])).toBeNull();
  });
});

describe('a small unit in a crowded corner (the 5,000-service estate at 1280×720 while it analyses)', () => {
  // A last row ending in a small box, a box above it and one at its right, tighter than its label is wide.
  const small = { x1: 700, y1: 505, x2: 750, y2: 530 };
  const left = { x1: 0, y1: 505, x2: 695, y2: 600 };
  const above = { x1: 590, y1: 360, x2: 690, y2: 500 };
  const right = { x1: 760, y1: 480, x2: 1000, y2: 531 };
  const node = (id: string, fs: number): ElementDef => ({
    group: 'nodes',
    data: { id, name: 'in vpc-legacy', members: 20, fs, label: 'in vpc-legacy\n20 services' },
    classes: 'context folded',
  });

  it('is named below it, starting at its left edge, at 12 px', () => {
    const l = outsideLabel('in vpc-legacy', 20, small, 1, band, [small, left, above, right]);
    expect(l?.side).toBe('below');
    expect(l?.shift).toBeGreaterThan(0);
    expect(l?.rect.x1).toBeCloseTo(small.x1, 5);
    expect(l?.fs).toBe(12);
  });

  it('with no free place, it is drawn unlabelled rather than at 5 px; one that reads keeps its label', () => {
    const walls = [
      left,
      { x1: 0, y1: 0, x2: 1000, y2: 502 },
      { x1: 0, y1: 533, x2: 1000, y2: 600 },
      { x1: 755, y1: 500, x2: 1000, y2: 535 },
    ];
    const boxes = new Map([['tiny', small], ...walls.map((w, i): [string, typeof w] => [`wall${i}`, w])]);
    const nodes = [node('tiny', 5), node('wall0', 20)];
    nameSmallUnits(nodes, boxes, [], 1, { w: 1000, h: 600 });
    expect(nodes.map((n) => n.data.label)).toEqual(['', 'in vpc-legacy\n20 services']);
  });
});
