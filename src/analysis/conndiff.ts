// Semantic difference of two connectivity lists: added, removed and changed pairs, address ranges compared on common pieces.
import type { Connection, Ports } from './connlist';
import { portsText } from './connlist-output';
import { type AddressRange, parseRangeName, rangeName } from './connlist-ranges';

/** Whether both peers of an entry exist on both sides: `new` = one only after, `removed` = one only before. */
export type PeersMark = 'both' | 'new' | 'removed';

export interface DiffEntry {
  from: string;
  to: string;
  ports: Ports;
  peers: PeersMark;
}

export interface ChangedEntry {
  from: string;
  to: string;
  before: Ports;
  after: Ports;
  /** A changed pair has both peers on both sides by definition. */
  peers: 'both';
}

/** The stable JSON shape of `segscope diff --json`. */
export interface ConnlistDiff {
  added: DiffEntry[];
  removed: DiffEntry[];
  changed: ChangedEntry[];
  /** Pairs allowed the same on both sides. */
  unchanged: number;
}

/** One side of a diff: a connlist, with its peers when known (else the peers its connections name). */
export interface ConnlistSide {
  connections: readonly Connection[];
  workloads?: readonly string[];
  ranges?: { sources: readonly string[]; destinations: readonly string[] };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const family = (r: AddressRange): 'v4' | 'v6' => (r.v6 ? 'v6' : 'v4');

/** A peer: a workload name, or a range piece. */
interface End {
  name: string;
  range?: AddressRange;
}

interface Item {
  category: 'added' | 'removed' | 'changed' | 'unchanged';
  from: End;
  to: End;
  before?: Ports;
  after?: Ports;
  peers: PeersMark;
}

const same = (a: Ports, b: Ports): boolean => portsText(a) === portsText(b);

const sideNames = (s: ConnlistSide): string[] => [
  ...s.connections.flatMap((c) => [c.from, c.to]),
  ...(s.workloads ?? []),
  ...(s.ranges?.sources ?? []),
  ...(s.ranges?.destinations ?? []),
];

/** Both sides' ranges cut at every boundary either side has: a name's pieces (a workload is its own piece). */
const rangePieces = (before: ConnlistSide, after: ConnlistSide) => {
  const parsed = new Map<string, AddressRange | undefined>();
  const rangeOf = (name: string): AddressRange | undefined => {
    if (!parsed.has(name)) parsed.set(name, parseRangeName(name));
    return parsed.get(name);
  };
  // Cuts of each family: every range starts a piece and ends one.
  const cuts = { v4: new Set<bigint>(), v6: new Set<bigint>() };
  for (const name of [...sideNames(before), ...sideNames(after)]) {
    const r = rangeOf(name);
    if (!r) continue;
    cuts[family(r)].add(r.lo);
    cuts[family(r)].add(r.hi + 1n);
  }
  const sorted = {
    v4: [...cuts.v4].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
    v6: [...cuts.v6].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
  };
  const pieces = new Map<string, End[]>();
  const piecesOf = (name: string): End[] => {
    const hit = pieces.get(name);
    if (hit) return hit;
    const r = rangeOf(name);
    let out: End[];
    if (!r) out = [{ name }];
    else {
      const inner = sorted[family(r)].filter((c) => c > r.lo && c <= r.hi);
      const starts = [r.lo, ...inner];
      out = starts.map((lo, i) => {
        const piece = { v6: r.v6, lo, hi: i + 1 < starts.length ? (starts[i + 1] as bigint) - 1n : r.hi };
        return { name: rangeName(piece), range: piece };
      });
    }
    pieces.set(name, out);
    return out;
  };
  return { rangeOf, piecesOf };
};

interface Expanded {
  from: End;
  to: End;
  ports: Ports;
}

/** A side's connections piece by piece, keyed `from\0to`. */
const expand = (s: ConnlistSide, piecesOf: (name: string) => End[]): Map<string, Expanded> => {
  const out = new Map<string, Expanded>();
  for (const c of s.connections) {
    for (const from of piecesOf(c.from)) {
      for (const to of piecesOf(c.to)) out.set(`${from.name}\u0000${to.name}`, { from, to, ports: c.ports });
    }
  }
  return out;
};

/** Whether a peer exists on a side: a workload it names, or a piece of an address family it has. */
const existence = (s: ConnlistSide, rangeOf: (name: string) => AddressRange | undefined) => {
  const workloads = new Set<string>();
  const families = new Set<'v4' | 'v6'>();
  for (const name of sideNames(s)) {
    const r = rangeOf(name);
    if (r) families.add(family(r));
    else workloads.add(name);
  }
  // A side's ranges always cover its whole family, so any piece of a family it has exists there.
  return (e: End): boolean => (e.range ? families.has(family(e.range)) : workloads.has(e.name));
};

/** Every piece pair of either side, categorised. */
const compareSides = (
  a: Map<string, Expanded>,
  b: Map<string, Expanded>,
  inBefore: (e: End) => boolean,
  inAfter: (e: End) => boolean,
): Item[] => {
  const items: Item[] = [];
  for (const [key, x] of a) {
    const y = b.get(key);
    if (!y) {
      const peers: PeersMark = inAfter(x.from) && inAfter(x.to) ? 'both' : 'removed';
      items.push({ category: 'removed', from: x.from, to: x.to, before: x.ports, peers });
    } else {
      const category = same(x.ports, y.ports) ? 'unchanged' : 'changed';
      items.push({ category, from: x.from, to: x.to, before: x.ports, after: y.ports, peers: 'both' });
    }
  }
  for (const [key, y] of b) {
    if (a.has(key)) continue;
    const peers: PeersMark = inBefore(y.from) && inBefore(y.to) ? 'both' : 'new';
    items.push({ category: 'added', from: y.from, to: y.to, after: y.ports, peers });
  }
  return items;
};

/** The JSON shape, each category sorted by from, then to. */
const toDiff = (items: readonly Item[]): ConnlistDiff => {
  const order = (x: { from: string; to: string }, y: { from: string; to: string }) =>
    byText(x.from, y.from) || byText(x.to, y.to);
  const diff: ConnlistDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const it of items) {
    const from = it.from.name;
    const to = it.to.name;
    if (it.category === 'unchanged') diff.unchanged++;
    else if (it.category === 'changed') {
      diff.changed.push({ from, to, before: it.before as Ports, after: it.after as Ports, peers: 'both' });
    } else if (it.category === 'added') diff.added.push({ from, to, ports: it.after as Ports, peers: it.peers });
    else diff.removed.push({ from, to, ports: it.before as Ports, peers: it.peers });
  }
  diff.added.sort(order);
  diff.removed.sort(order);
  diff.changed.sort(order);
  return diff;
};

/**
 * The difference from `before` to `after`. Address ranges of the two sides need not be the same
 * pieces (a policy edit moves the cuts), so both are cut at every boundary either side has, compared
 * piece by piece, and adjacent pieces with the same outcome are joined again: each entry names the
 * largest range the statement holds for. Sorted by from, then to, per category.
 */
export const diffConnlists = (before: ConnlistSide, after: ConnlistSide): ConnlistDiff => {
  const { rangeOf, piecesOf } = rangePieces(before, after);
  const inBefore = existence(before, rangeOf);
  const inAfter = existence(after, rangeOf);
  const items = compareSides(expand(before, piecesOf), expand(after, piecesOf), inBefore, inAfter);
  return toDiff(mergePieces(items));
};

/** Joins adjacent range pieces whose entries say the same thing about the same other peer. */
const mergePieces = (items: Item[]): Item[] => {
  const out: Item[] = [];
  const groups = new Map<string, Item[]>();
  for (const it of items) {
    const fromRange = it.from.range !== undefined;
    const toRange = it.to.range !== undefined;
    // Only one end a range: the other end and the outcome identify a group of pieces to join.
    if (fromRange === toRange) {
      out.push(it);
      continue;
    }
    const r = (fromRange ? it.from.range : it.to.range) as AddressRange;
    const key = [
      it.category,
      fromRange ? 'from' : 'to',
      fromRange ? it.to.name : it.from.name,
      family(r),
      it.before === undefined ? '-' : portsText(it.before),
      it.after === undefined ? '-' : portsText(it.after),
      it.peers,
    ].join('\u0000');
    const list = groups.get(key);
    if (list) list.push(it);
    else groups.set(key, [it]);
  }
  for (const list of groups.values()) {
    const rangeEnd = (it: Item) => (it.from.range ?? it.to.range) as AddressRange;
    list.sort((x, y) => (rangeEnd(x).lo < rangeEnd(y).lo ? -1 : 1));
    let cur: Item | undefined;
    let curRange: AddressRange | undefined;
    const flush = () => {
      if (!cur || !curRange) return;
      const end: End = { name: rangeName(curRange), range: curRange };
      out.push(cur.from.range ? { ...cur, from: end } : { ...cur, to: end });
    };
    for (const it of list) {
      const r = rangeEnd(it);
      if (cur && curRange && curRange.hi + 1n === r.lo) curRange = { ...curRange, hi: r.hi };
      else {
        flush();
        cur = it;
        curRange = r;
      }
    }
    flush();
  }
  return out;
};

const peersNote = (p: PeersMark): string => (p === 'new' ? ' (new peer)' : p === 'removed' ? ' (removed peer)' : '');

/**
 * One line per difference, added then removed then changed, and a count line:
 * `added: a => b : TCP 80`, `removed: a => b : all (removed peer)`, `changed: a => b : TCP 80 -> TCP 80,UDP 53`.
 */
export const formatDiff = (d: ConnlistDiff): string => {
  const out = [
    ...d.added.map((e) => `added: ${e.from} => ${e.to} : ${portsText(e.ports)}${peersNote(e.peers)}`),
    ...d.removed.map((e) => `removed: ${e.from} => ${e.to} : ${portsText(e.ports)}${peersNote(e.peers)}`),
    ...d.changed.map((e) => `changed: ${e.from} => ${e.to} : ${portsText(e.before)} -> ${portsText(e.after)}`),
  ];
  const n = d.added.length + d.removed.length + d.changed.length;
  out.push(
    n === 0
      ? `no difference (${d.unchanged} unchanged)`
      : `${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.unchanged} unchanged`,
  );
  return out.join('\n');
};
