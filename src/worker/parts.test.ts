import { describe, expect, it } from 'vitest';
import { generateTopology } from '../gen/generate';
import { joinParts, PART_WEIGHT, splitParts } from './parts';

describe('answers in parts', () => {
  it('cuts long arrays (top level and one down) into slices and puts them back in order', () => {
    // 600 services stay whole; their 2,400 calls are cut.
    const { workspace } = generateTopology({ services: 600, calls: 2400, seed: 4 });
    const result = { workspace, report: { files: [], diagnostics: [], failed: false }, list: [1, 2, 3] };
    const { head, parts } = splitParts(structuredClone(result));
    const h = head as typeof result;
    expect(h.workspace.services).toHaveLength(600);
    expect(h.workspace.calls).toEqual([]);
    expect(h.list).toEqual([1, 2, 3]);
    // A call weighs 1 (no lists): slices of PART_WEIGHT calls, the last one shorter.
    expect(parts.filter((p) => p.path.join('.') === 'workspace.calls').map((p) => p.items.length)).toEqual([
      PART_WEIGHT,
      workspace.calls.length - PART_WEIGHT,
    ]);
    // What crosses the thread boundary is a copy of each message.
    const back = joinParts(
      structuredClone(head),
      parts.map((p) => structuredClone(p)),
    );
    expect(back).toEqual(result);
  });

  it('cuts by weight: items holding long lists go in fewer per slice', () => {
    const findings = Array.from({ length: 40 }, (_, i) => ({
      key: `f${i}`,
      services: Array.from({ length: 199 }, String),
    }));
    const { parts } = splitParts({ findings });
    // Each finding weighs 200: ten to a slice.
    expect(parts.map((p) => p.items.length)).toEqual([10, 10, 10, 10]);
    expect(joinParts({ findings: [] }, parts)).toEqual({ findings });
  });

  it('leaves small answers and non-objects whole', () => {
    expect(splitParts({ a: [1, 2] })).toEqual({ head: { a: [1, 2] }, parts: [] });
    expect(splitParts(null)).toEqual({ head: null, parts: [] });
    const big = Array.from({ length: PART_WEIGHT * 2 + 1 }, (_, i) => i);
    const { head, parts } = splitParts(big);
    expect(head).toBe(big);
    expect(parts).toEqual([]);
  });

  it('does not touch the original answer', () => {
    const calls = Array.from({ length: PART_WEIGHT + 1 }, (_, i) => ({ i }));
    const result = { calls };
    splitParts(result);
    expect(result.calls).toBe(calls);
    expect(calls).toHaveLength(PART_WEIGHT + 1);
  });
});
