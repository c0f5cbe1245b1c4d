import { describe, expect, it } from 'vitest';
import { DIRECT_MAX, drawSmallDirectly, type ElementDrawer } from './directDraw';

/** A renderer that records which way each render drew its elements. */
const recorder = () => {
  const calls: string[] = [];
  const renderer: ElementDrawer = {
    drawLayeredElements(_c, eles, pxRatio) {
      calls.push(`cached ${eles.length} @${pxRatio}`);
    },
    drawElements(_c, eles) {
      calls.push(`direct ${eles.length}`);
    },
  };
  return { renderer, calls };
};

describe('drawSmallDirectly', () => {
  it('draws a band of at most DIRECT_MAX elements directly, a larger one through the renderer’s caches', () => {
    const { renderer, calls } = recorder();
    drawSmallDirectly(renderer);
    for (const n of [0, 20, DIRECT_MAX, DIRECT_MAX + 1, 5000]) renderer.drawLayeredElements({}, { length: n }, 2, {});
    expect(calls).toEqual([
      'direct 0',
      'direct 20',
      `direct ${DIRECT_MAX}`,
      `cached ${DIRECT_MAX + 1} @2`,
      'cached 5000 @2',
    ]);
  });

  it('takes another limit', () => {
    const { renderer, calls } = recorder();
    drawSmallDirectly(renderer, 3);
    for (const n of [3, 4]) renderer.drawLayeredElements({}, { length: n }, 1, {});
    expect(calls).toEqual(['direct 3', 'cached 4 @1']);
  });
});
