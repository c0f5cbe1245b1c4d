// Connection sets: exact sets of (protocol × destination port) with union, intersection and difference.
import type { Protocol } from '../model/types';

export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Inclusive port interval. */
export type PortRange = readonly [number, number];

/**
 * Per protocol, sorted disjoint non-adjacent intervals. Immutable: operations return new sets,
 * so a set can be shared between verdicts and caches.
 */
export interface ConnSet {
  readonly TCP: readonly PortRange[];
  readonly UDP: readonly PortRange[];
  readonly SCTP: readonly PortRange[];
}

/** One connection a call makes. */
export interface Conn {
  protocol: Protocol;
  port: number;
}

const FULL: readonly PortRange[] = [[MIN_PORT, MAX_PORT]];

export const EMPTY: ConnSet = { TCP: [], UDP: [], SCTP: [] };
export const ALL: ConnSet = { TCP: FULL, UDP: FULL, SCTP: FULL };

const clamp = (lo: number, hi: number): PortRange | undefined => {
  const a = Math.max(MIN_PORT, Math.floor(lo));
  const b = Math.min(MAX_PORT, Math.floor(hi));
  return a <= b ? [a, b] : undefined;
};

/** Sort and merge overlapping or adjacent ranges. */
const normalize = (ranges: readonly PortRange[]): PortRange[] => {
  if (ranges.length <= 1) return [...ranges];
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
};

/** Ports `lo..hi` (default: every port) of one protocol. */
export const connSet = (protocol: Protocol, lo?: number, hi?: number): ConnSet => {
  const r = lo === undefined ? FULL[0] : clamp(lo, hi ?? lo);
  return r ? { ...EMPTY, [protocol]: [r] } : EMPTY;
};

/** Every port of the given protocols. */
export const protocolsSet = (protocols: readonly Protocol[]): ConnSet => {
  let s = EMPTY;
  for (const p of protocols) s = { ...s, [p]: FULL };
  return s;
};

// Single connections are built per call and per rule: share one immutable set per (protocol, port).
const single = new Map<number, ConnSet>();
const PROTOCOL_CODE: Record<Protocol, number> = { TCP: 0, UDP: 1, SCTP: 2 };

export const conn = (protocol: Protocol, port: number): ConnSet => {
  const key = PROTOCOL_CODE[protocol] * 65536 + port;
  let s = single.get(key);
  if (!s) {
    s = connSet(protocol, port, port);
    single.set(key, s);
  }
  return s;
};

const mapProtocols = (f: (p: Protocol) => readonly PortRange[]): ConnSet => ({
  TCP: f('TCP'),
  UDP: f('UDP'),
  SCTP: f('SCTP'),
});

export const union = (a: ConnSet, b: ConnSet): ConnSet => {
  if (a === b || isEmpty(b)) return a;
  if (isEmpty(a)) return b;
  return mapProtocols((p) => (b[p].length === 0 ? a[p] : a[p].length === 0 ? b[p] : normalize([...a[p], ...b[p]])));
};

const intersectRanges = (x: readonly PortRange[], y: readonly PortRange[]): PortRange[] => {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const a = x[i] as PortRange;
    const b = y[j] as PortRange;
    const lo = Math.max(a[0], b[0]);
    const hi = Math.min(a[1], b[1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[1] < b[1]) i++;
    else j++;
  }
  return out;
};

export const intersect = (a: ConnSet, b: ConnSet): ConnSet => {
  if (a === b || b === ALL) return a;
  if (a === ALL) return b;
  return mapProtocols((p) => intersectRanges(a[p], b[p]));
};

const subtractRanges = (x: readonly PortRange[], y: readonly PortRange[]): PortRange[] => {
  if (y.length === 0) return [...x];
  const out: PortRange[] = [];
  for (const [lo0, hi] of x) {
    let lo = lo0;
    for (const [blo, bhi] of y) {
      if (bhi < lo || blo > hi) continue;
      if (blo > lo) out.push([lo, blo - 1]);
      lo = bhi + 1;
      if (lo > hi) break;
    }
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
};

/** a minus b. */
export const subtract = (a: ConnSet, b: ConnSet): ConnSet => {
  if (isEmpty(b) || isEmpty(a)) return a;
  if (b === ALL) return EMPTY;
  return mapProtocols((p) => subtractRanges(a[p], b[p]));
};

export const isEmpty = (s: ConnSet): boolean => s.TCP.length === 0 && s.UDP.length === 0 && s.SCTP.length === 0;

const isFull = (r: readonly PortRange[]): boolean => r.length === 1 && r[0]?.[0] === MIN_PORT && r[0]?.[1] === MAX_PORT;

export const isAll = (s: ConnSet): boolean => s === ALL || (isFull(s.TCP) && isFull(s.UDP) && isFull(s.SCTP));

export const contains = (s: ConnSet, c: Conn): boolean =>
  s[c.protocol].some(([lo, hi]) => c.port >= lo && c.port <= hi);

export const equals = (a: ConnSet, b: ConnSet): boolean =>
  PROTOCOLS.every(
    (p) => a[p].length === b[p].length && a[p].every((r, i) => r[0] === b[p][i]?.[0] && r[1] === b[p][i]?.[1]),
  );

/** `["TCP 8080", "TCP 10053-10054", "UDP 53"]`; the set of everything is `["all"]`, the empty set `[]`. */
export const toStrings = (s: ConnSet): string[] => {
  if (isAll(s)) return ['all'];
  const out: string[] = [];
  for (const p of PROTOCOLS) for (const [lo, hi] of s[p]) out.push(lo === hi ? `${p} ${lo}` : `${p} ${lo}-${hi}`);
  return out;
};

/** The connlist JSON form: `"all"` or the list of strings. */
export const formatConnSet = (s: ConnSet): 'all' | string[] => (isAll(s) ? 'all' : toStrings(s));

/** Number of (protocol, port) connections in the set. */
export const size = (s: ConnSet): number =>
  PROTOCOLS.reduce((n, p) => n + s[p].reduce((m, [lo, hi]) => m + hi - lo + 1, 0), 0);

/** The first connection of a set (lowest port, TCP first), handy for examples in messages. */
export const firstConn = (s: ConnSet): Conn | undefined => {
  for (const p of PROTOCOLS) {
    const r = s[p][0];
    if (r) return { protocol: p, port: r[0] };
  }
  return undefined;
};
