// Large answers cross from the worker in parts: long arrays travel as slices in messages of their own.
//
// The page pays for copying a message in when it handles it, in one task: a 5,000-service workspace
// is ~100 ms of it, 10,000 twice that. Sent as slices, each part is a short task, and clicks, keys
// and frames get their turn in between.

/**
 * Weight of a slice: an item counts 1 plus the length of each list it holds (a finding naming 500
 * services weighs 501), a rough measure of its size. About 2,000 is a few hundred kB, a few
 * milliseconds of copying.
 */
export const PART_WEIGHT = 2000;

/** A slice of an array of the answer: `path` names the array (e.g. ["workspace", "services"]). */
export interface Part {
  path: string[];
  items: unknown[];
}

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** An item's weight: 1, plus the length of every list among its own values. */
const weightOf = (item: unknown): number => {
  let w = 1;
  if (typeof item === 'object' && item !== null) {
    for (const k in item) {
      const v = (item as Obj)[k];
      if (Array.isArray(v)) w += v.length;
    }
  }
  return w;
};

/** Slices of `list` of about PART_WEIGHT each; none when the whole list weighs less. */
const slicesOf = (list: unknown[]): unknown[][] => {
  const out: unknown[][] = [];
  let from = 0;
  let weight = 0;
  for (let i = 0; i < list.length; i++) {
    weight += weightOf(list[i]);
    if (weight >= PART_WEIGHT) {
      out.push(list.slice(from, i + 1));
      from = i + 1;
      weight = 0;
    }
  }
  if (out.length === 0) return [];
  if (from < list.length) out.push(list.slice(from));
  return out;
};

/**
 * The answer with every array heavier than PART_WEIGHT (at the top level and one level down)
 * emptied, and the slices that fill them again, in order.
 */
export const splitParts = (result: unknown): { head: unknown; parts: Part[] } => {
  const parts: Part[] = [];
  const cut = (o: Obj, path: string[], depth: number): Obj => {
    let copy: Obj | undefined;
    for (const [k, v] of Object.entries(o)) {
      let next: unknown = v;
      const slices = Array.isArray(v) ? slicesOf(v) : [];
      if (slices.length > 0) {
        for (const items of slices) parts.push({ path: [...path, k], items });
        next = [];
      } else if (depth < 1 && isObject(v)) next = cut(v, [...path, k], depth + 1);
      if (next !== v) {
        copy ??= { ...o };
        copy[k] = next;
      }
    }
    return copy ?? o;
  };
  const head = isObject(result) ? cut(result, [], 0) : result;
  return { head, parts };
};

/** Put the slices back into the head's emptied arrays (in the order they were cut). */
export const joinParts = (head: unknown, parts: readonly Part[]): unknown => {
  for (const { path, items } of parts) {
    let at: unknown = head;
    for (const k of path.slice(0, -1)) at = (at as Obj)[k];
    const list = (at as Obj)[path.at(-1) as string] as unknown[];
    for (const item of items) list.push(item);
  }
  return head;
};
