// Combining two descriptions of one segment: a described segment wins over a stub (a reference only).
import type { Segment } from '../model/types';

export const isStub = (s: Segment): boolean => s.attributes?.stub === true;

/** Fold `b` into `a` (a wins): fields `a` lacks are taken from `b`; attributes merge key-wise. */
const fillSegment = (a: Segment, b: Segment): Segment => {
  const out: Segment = { ...a };
  if (out.parent === undefined && b.parent !== undefined) out.parent = b.parent;
  if ((out.cidrs === undefined || out.cidrs.length === 0) && b.cidrs && b.cidrs.length > 0) out.cidrs = b.cidrs;
  if (out.labels === undefined && b.labels !== undefined) out.labels = b.labels;
  const attributes: Record<string, unknown> = { ...(b.attributes ?? {}), ...(a.attributes ?? {}) };
  if (isStub(a) && isStub(b)) attributes.stub = true;
  else delete attributes.stub;
  out.attributes = attributes;
  if (out.source === undefined && b.source !== undefined) out.source = b.source;
  return out;
};

/**
 * Combine two descriptions of one segment id (same level): a described segment wins over a stub
 * (`attributes.stub: true`), otherwise the first wins; either way the winner takes the fields it
 * lacks from the other. Used inside a file by readers and across files by the merge.
 */
export const mergeSegmentFacts = (first: Segment, second: Segment): Segment =>
  isStub(first) && !isStub(second) ? fillSegment(second, first) : fillSegment(first, second);
