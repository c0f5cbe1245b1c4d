// What the declared calls need: per caller → callee pair the exact connection set, and identity classes of services.
import { ALL, type ConnSet, conn, EMPTY, formatConnSet, type PortRange, PROTOCOLS, union } from '../analysis/connset';
import type { Protocol, Service, Workspace } from '../model/types';

/**
 * The connections one call needs: its port, or without a port the callee's declared ports (a call
 * without a port asks for "some connection", and the callee's ports are the ones it serves), or
 * every port when the callee declares none.
 */
export const callConns = (call: { port?: number; protocol?: Protocol }, callee: Service | undefined): ConnSet => {
  if (call.port !== undefined) return conn(call.protocol ?? 'TCP', call.port);
  const ports = callee?.ports ?? [];
  if (ports.length === 0) return ALL;
  let set = EMPTY;
  for (const p of ports) set = union(set, conn(p.protocol ?? 'TCP', p.port));
  return set;
};

/** Declared needs: caller index → callee index → connections (self-calls and unknown ends left out). */
export type Needs = Map<number, Map<number, ConnSet>>;

export interface NeedsIndex {
  out: Needs;
  /** callee → caller → connections. */
  in: Needs;
}

export const declaredNeeds = (ws: Workspace, byId: ReadonlyMap<string, number>): NeedsIndex => {
  const out: Needs = new Map();
  const inn: Needs = new Map();
  const put = (m: Needs, a: number, b: number, s: ConnSet) => {
    let row = m.get(a);
    if (!row) {
      row = new Map();
      m.set(a, row);
    }
    row.set(b, union(row.get(b) ?? EMPTY, s));
  };
  for (const c of ws.calls) {
    const a = byId.get(c.from);
    const b = byId.get(c.to);
    if (a === undefined || b === undefined || a === b) continue;
    const s = callConns(c, ws.services[b]);
    put(out, a, b, s);
    put(inn, b, a, s);
  }
  return { out, in: inn };
};

const setKey = (s: ConnSet): string => {
  const f = formatConnSet(s);
  return f === 'all' ? 'all' : f.join(',');
};

/** A set of services that every least-privilege rule treats alike: same scope, same callees and callers on the same ports. */
export interface Identity {
  id: number;
  members: number[];
}

/**
 * Services with the same scope and the same (callee, connections) and (caller, connections) lists can
 * share one segment without any rule between segments allowing a pair that is not declared: for
 * members x, x' of X and y of Y, x → y is declared exactly when x' → y is. So rules between these
 * classes are exact, and no finer split is needed.
 */
export const identities = (
  n: number,
  needs: NeedsIndex,
  include: (i: number) => boolean,
  scope: (i: number) => string,
  ids: (i: number) => string,
): { classes: Identity[]; classOf: Int32Array } => {
  const classOf = new Int32Array(n).fill(-1);
  const byKey = new Map<string, Identity>();
  const classes: Identity[] = [];
  const list = (row: Map<number, ConnSet> | undefined) =>
    [...(row ?? new Map<number, ConnSet>())]
      .map(([j, s]) => `${ids(j)}=${setKey(s)}`)
      .sort()
      .join(';');
  for (let i = 0; i < n; i++) {
    if (!include(i)) continue;
    const key = `${scope(i)}|${list(needs.out.get(i))}|${list(needs.in.get(i))}`;
    let c = byKey.get(key);
    if (!c) {
      c = { id: classes.length, members: [] };
      byKey.set(key, c);
      classes.push(c);
    }
    c.members.push(i);
    classOf[i] = c.id;
  }
  return { classes, classOf };
};

/** A connection set as (protocol, port range) pieces; `protocol: 'all'` when it is every connection. */
export type Piece = { protocol: 'all' } | { protocol: Protocol; range?: PortRange };

export const pieces = (s: ConnSet): Piece[] => {
  if (formatConnSet(s) === 'all') return [{ protocol: 'all' }];
  const out: Piece[] = [];
  for (const p of PROTOCOLS) {
    const ranges = s[p];
    if (ranges.length === 1 && ranges[0]?.[0] === 1 && ranges[0]?.[1] === 65535) out.push({ protocol: p });
    else for (const r of ranges) out.push({ protocol: p, range: r });
  }
  return out;
};

/** A short DNS-label-like name made from service names, unique among `taken`. */
export const uniqueName = (base: string, taken: Set<string>): string => {
  const stem =
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'x';
  let name = stem;
  for (let k = 2; taken.has(name); k++) name = `${stem}-${k}`;
  taken.add(name);
  return name;
};
