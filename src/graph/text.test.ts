import { describe, expect, it } from 'vitest';
import { countText } from './text';

describe('countText', () => {
  it('writes a count as toLocaleString("en-US") does', () => {
    for (const n of [0, 1, 7, 999, 1000, 5000, 14_723, 1_234_567, -3, 2.5])
      expect(countText(n)).toBe(n.toLocaleString('en-US'));
    expect(countText(5000)).toBe('5,000');
  });
});
