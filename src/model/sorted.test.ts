import { describe, expect, it } from 'vitest';
import { lowerBound, partitionPoint } from './sorted';

describe('lowerBound', () => {
  it('gives where a value is or goes in an ascending list', () => {
    const list = [2, 4, 4, 7];
    expect([1, 2, 3, 4, 5, 7, 8].map((x) => lowerBound(list, x))).toEqual([0, 0, 1, 1, 3, 3, 4]);
    expect(lowerBound([], 3)).toBe(0);
    expect(lowerBound(new Float64Array([0.5, 1.5]), 1)).toBe(1);
  });
});

describe('partitionPoint', () => {
  it('gives the first index where the predicate starts to hold (n when it never does)', () => {
    const names = ['api', 'cart', 'db', 'web'];
    expect(
      ['a', 'api', 'b', 'db', 'x'].map((x) => partitionPoint(names.length, (i) => (names[i] as string) >= x)),
    ).toEqual([0, 0, 1, 2, 4]);
    expect(partitionPoint(0, () => true)).toBe(0);
    expect(partitionPoint(5, () => false)).toBe(5);
  });
});
