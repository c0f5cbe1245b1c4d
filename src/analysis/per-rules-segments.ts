// A value kept per pair of rules and segments arrays: what-if copies of a workspace share both arrays, so they share the value.
import type { Rule, Segment } from '../model/types';

/**
 * A lookup that makes the value once per (rules, segments) pair of arrays and forgets it with them
 * (both held weakly): verdict caches stay valid across edited copies that keep the rules and segments.
 */
export const perRulesAndSegments = <T>(
  make: () => T,
): ((ws: { rules: readonly Rule[]; segments: readonly Segment[] }) => T) => {
  const byRules = new WeakMap<readonly Rule[], WeakMap<readonly Segment[], T>>();
  return (ws) => {
    let bySegments = byRules.get(ws.rules);
    if (!bySegments) {
      bySegments = new WeakMap();
      byRules.set(ws.rules, bySegments);
    }
    let value = bySegments.get(ws.segments);
    if (value === undefined) {
      value = make();
      bySegments.set(ws.segments, value);
    }
    return value;
  };
};
