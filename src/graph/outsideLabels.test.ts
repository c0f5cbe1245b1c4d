import { describe, expect, it } from 'vitest';
import { outsideLabel } from './outsideLabels';

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
    expect(outsideLabel('vpc-x', 3, box, 1, band, [box, right])?.side).toBe('left');
    const walls = [right, { x1: 0, y1: 490, x2: 390, y2: 600 }, { x1: 0, y1: 0, x2: 1000, y2: 495 }];
    expect(outsideLabel('vpc-x', 3, box, 1, band, [box, ...walls])).toBeNull();
  });
});
