// Large answers cross from the worker in parts: long arrays travel as slices in messages of their own.
//
// The page pays for copying a message in when it handles it, in one task: a 5,000-service workspace
// is ~100 ms of it, 10,000 twice that. Sent as slices, each part is a short task, and clicks, keys
// and frames get their turn in between.

/** Items per slice: a few milliseconds of copying each on this kind of data. */
export const PART_ITEMS = 1500;

/** A slice of an array of the answer: `path` names the array (e.g. ["workspace", "services"]). */
export interface Part {
  path: string[];
  items: unknown[];
}

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The answer with every array longer than PART_ITEMS (at the top level and one level down) emptied,
 * and the slices that fill them again, in order.
 */
export const splitParts = (result: unknown): { head: unknown; parts: Part[] } => {
  const parts: Part[] = [];
  const cut = (o: Obj, path: string[], depth: number): Obj => {
    let copy: Obj | undefined;
    for (const [k, v] of Object.entries(o)) {
      let next: unknown = v;
      if (Array.isArray(v) && v.length > PART_ITEMS) {
        for (let i = 0; i < v.length; i += PART_ITEMS)
          parts.push({ path: [...path, k], items: v.slice(i, i + PART_ITEMS) });
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
