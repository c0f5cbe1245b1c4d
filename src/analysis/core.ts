// The workspace index every level engine reads: lookups by id, members per segment, rules by type, memo caches.

import { lowerBound } from '../model/sorted';
import type { Level, Rule, RuleType, Segment, Service, Workspace } from '../model/types';
import { ALL, type Conn, type ConnSet } from './connset';
import { perRulesAndSegments } from './per-rules-segments';
import type { LevelVerdict, RuleRef } from './types';

/** A level's answer for one pair, with the exact allowed set so connlist and reach share one computation. */
export interface LevelResult extends LevelVerdict {
  /** What the level lets through for the pair (ALL when open). */
  conns: ConnSet;
  /** A suggested change when the level denies. */
  fix?: string;
  /** Ids of every rule that allows the asked connection (for single-point-of-failure findings). */
  allowing?: string[];
}

/** One level's semantics over an index. */
export interface LevelEngine {
  readonly level: Level;
  /**
   * A per-service key: services with equal keys get identical verdicts at this level on either end of
   * any pair (used to evaluate equivalence classes instead of all N² pairs).
   */
  signature(i: number): string;
  /** Verdict for services a → b (indices), for one connection or, without it, for "some connection". */
  evaluate(a: number, b: number, c?: Conn): LevelResult;
  /** Same as `evaluate(a, b).verdict !== 'deny'`, without building explanations (the hot path of excess reach). */
  permits(a: number, b: number): boolean;
  /** True when the verdict for any caller → b does not depend on the caller (its results are shared). */
  callerIrrelevant?(b: number): boolean;
}

type RuleOf<T extends RuleType> = Extract<Rule, { type: T }>;

export interface IndexCore {
  readonly ws: Workspace;
  readonly services: readonly Service[];
  readonly byId: ReadonlyMap<string, number>;
  readonly segments: ReadonlyMap<string, Segment>;
  /** Direct members (service indices) of each segment. */
  readonly members: ReadonlyMap<string, readonly number[]>;
  readonly rulesById: ReadonlyMap<string, Rule>;
  rulesOf<T extends RuleType>(type: T): readonly RuleOf<T>[];
  /** The segment and its parents, nearest first (cycles cut). */
  ancestors(segmentId: string): readonly Segment[];
  /** Nearest segment (self or ancestor) whose attributes.kind is one of `kinds`. */
  nearest(segmentId: string, kinds: readonly string[]): Segment | undefined;
  /**
   * A per-service memo as a function of the service index: `memoFn(key, compute)` returns the same
   * function for the same key. An index derived from another one (a what-if edit) starts from the
   * other's memos, minus the services that changed.
   */
  memoFn<T>(key: string, compute: (i: number) => T): (i: number) => T;
  /**
   * A value that depends only on the rules and the segments (rule indexes, compiled policies): built
   * once and shared by every index over the same rules and segments arrays (what-if copies).
   */
  shared<T>(key: string, compute: () => T): T;
}

/**
 * Placeholders in level texts for facts about the two services that their signatures do not carry
 * (names, an address, a label selector). Texts with placeholders depend only on the signatures, so
 * one result serves every pair of the same classes; `fillText` puts the pair's own facts in.
 */
export const T = {
  from: '\uE000F',
  to: '\uE000T',
  fromAddress: '\uE000a',
  toAddress: '\uE000b',
  fromPods: '\uE000p',
  toPods: '\uE000q',
  fromRoles: '\uE000r',
} as const;

export const hasTokens = (text: string): boolean => text.includes('\uE000');

export const kindOf = (s: Segment | undefined): string | undefined =>
  typeof s?.attributes?.kind === 'string' ? (s.attributes.kind as string) : undefined;

export const membershipOf = (s: Service, level: Level): readonly string[] => s.memberships[level] ?? [];

/**
 * A pair one end of which has no data at this level: the level does not restrict it. The callee is
 * named first: when it lacks data the answer is the same for every caller (shared between them).
 */
export const noDataOpen = (what: string, calleeLacks: boolean): LevelResult => ({
  verdict: 'open',
  reason: `${calleeLacks ? T.to : T.from} has no ${what} data, so this level does not restrict the pair.`,
  conns: ALL,
});

export const segmentRef = (seg: Segment | undefined, id: string, summary: string): RuleRef => {
  const ref: RuleRef = { id: seg?.id ?? id, type: 'membership', summary };
  const src = seg?.source?.[0];
  if (src) ref.source = src;
  return ref;
};

export const ruleRef = (rule: Rule, summary: string): RuleRef => {
  const ref: RuleRef = { id: rule.id, type: rule.type, summary };
  if (rule.source) ref.source = rule.source;
  return ref;
};

export const defaultRef = (id: string, summary: string): RuleRef => ({ id: `default:${id}`, type: 'default', summary });

interface MemoArray {
  values: unknown[];
  has: Uint8Array;
}

/**
 * The memos of a family of indexes: one array per key, shared by an index built from scratch (the
 * root) and every index derived from it, valid for the services unchanged since the root; the
 * changed ones keep their values per index (`own`). A what-if move copied every memo array per
 * derived index (≈ 40 arrays of 5,000 values: 1.4 MB a move at 5,000 services); now it copies nothing.
 */
interface Memos {
  /** Per key: the values of the services unchanged since the root (shared along the family). */
  root: Map<string, MemoArray>;
  /** 1 where the service differs from the root (null at the root: none does). */
  changed: Uint8Array | null;
  /** Per key: the values of the changed services, this index's own. */
  own: Map<string, Map<number, unknown>>;
}

/** Reuse of another index's memos: valid when rules and segments are the same arrays and services keep their order. */
export interface CoreBase {
  core: IndexCore;
  /** Indices of the services that differ from the base. */
  changed: readonly number[];
}

const memosOf = new WeakMap<IndexCore, Memos>();
const sharedFor = perRulesAndSegments<Map<string, unknown>>(() => new Map());

/** Members per segment, patched from the base for the changed services (copy-on-write lists). */
const patchMembers = (
  base: ReadonlyMap<string, readonly number[]>,
  before: readonly Service[],
  after: readonly Service[],
  changed: readonly number[],
): Map<string, number[]> => {
  const members = new Map(base as Map<string, number[]>);
  const touched = new Set<string>();
  for (const i of changed) {
    for (const svc of [before[i], after[i]])
      for (const ids of Object.values(svc?.memberships ?? {})) for (const id of ids ?? []) touched.add(id);
  }
  // Lists are sorted without repeats: each changed service is taken out or put in at its place
  // (a coarse segment holds thousands of services; no filter and sort of the whole list per move).
  for (const id of touched) {
    const list = (members.get(id) ?? []).slice();
    for (const i of changed) {
      const at = lowerBound(list, i);
      const present = list[at] === i;
      const member = Object.values(after[i]?.memberships ?? {}).some((ids) => ids?.includes(id));
      if (present && !member) list.splice(at, 1);
      else if (!present && member) list.splice(at, 0, i);
    }
    if (list.length > 0) members.set(id, list);
    else members.delete(id);
  }
  return members;
};

/** A derived index's memos: its base's root arrays, the changed services flagged, the base's own values of the others. */
const memosFor = (n: number, base: Memos | undefined, changed: readonly number[]): Memos => {
  if (!base) return { root: new Map(), changed: null, own: new Map() };
  const flags = base.changed ? base.changed.slice() : new Uint8Array(n);
  for (const i of changed) flags[i] = 1;
  const own = new Map<string, Map<number, unknown>>();
  for (const [key, values] of base.own) {
    const kept = new Map(values);
    for (const i of changed) kept.delete(i);
    own.set(key, kept);
  }
  return { root: base.root, changed: flags, own };
};

/** One key's memo function: the shared array for services unchanged since the root, the own map for the others. */
const memoOf = <T>(memos: Memos, key: string, n: number, compute: (i: number) => T): ((i: number) => T) => {
  let m = memos.root.get(key);
  if (!m) {
    m = { values: new Array(n), has: new Uint8Array(n) };
    memos.root.set(key, m);
  }
  const { values, has } = m;
  const shared = (i: number): T => {
    if (has[i] === 1) return values[i] as T;
    const v = compute(i);
    values[i] = v;
    has[i] = 1;
    return v;
  };
  const flags = memos.changed;
  if (!flags) return shared;
  let own = memos.own.get(key);
  if (!own) {
    own = new Map();
    memos.own.set(key, own);
  }
  const mine = own;
  return (i: number): T => {
    if (flags[i] !== 1) return shared(i);
    if (mine.has(i)) return mine.get(i) as T;
    const v = compute(i);
    mine.set(i, v);
    return v;
  };
};

interface CoreParts {
  byId: Map<string, number>;
  segments: Map<string, Segment>;
  members: Map<string, number[]>;
  rulesById: Map<string, Rule>;
  byType: Map<RuleType, Rule[]>;
  ancestors: (id: string) => Segment[];
}
const partsOf = new WeakMap<IndexCore, CoreParts>();

export const buildCore = (ws: Workspace, base?: CoreBase): IndexCore => {
  const services = ws.services;
  const sameShape =
    base !== undefined &&
    base.core.ws.rules === ws.rules &&
    base.core.ws.segments === ws.segments &&
    base.core.services.length === services.length &&
    base.changed.every((i) => base.core.services[i]?.id === services[i]?.id);
  const baseParts = sameShape ? partsOf.get(base.core) : undefined;
  const parts = baseParts
    ? {
        ...baseParts,
        members: patchMembers(baseParts.members, base?.core.services ?? [], services, base?.changed ?? []),
      }
    : buildParts(ws);
  const { byId, segments, members, rulesById, byType, ancestors } = parts;
  const sharedValues = sharedFor(ws);
  const memoFns = new Map<string, (i: number) => unknown>();
  const memos = memosFor(services.length, sameShape ? memosOf.get(base.core) : undefined, base?.changed ?? []);
  const core: IndexCore = {
    ws,
    services,
    byId,
    segments,
    members,
    rulesById,
    rulesOf: <T extends RuleType>(type: T) => (byType.get(type) ?? []) as RuleOf<T>[],
    ancestors,
    nearest: (id, kinds) => ancestors(id).find((s) => kinds.includes(kindOf(s) ?? '')),
    shared: <T>(key: string, compute: () => T): T => {
      if (sharedValues.has(key)) return sharedValues.get(key) as T;
      const v = compute();
      sharedValues.set(key, v);
      return v;
    },
    memoFn: <T>(key: string, compute: (i: number) => T) => {
      const hit = memoFns.get(key);
      if (hit) return hit as (i: number) => T;
      const fn = memoOf(memos, key, services.length, compute);
      memoFns.set(key, fn);
      return fn;
    },
  };
  memosOf.set(core, memos);
  partsOf.set(core, parts);
  return core;
};

const buildParts = (ws: Workspace): CoreParts => {
  const services = ws.services;
  const byId = new Map<string, number>();
  services.forEach((s, i) => {
    if (!byId.has(s.id)) byId.set(s.id, i);
  });
  const segments = new Map<string, Segment>();
  for (const s of ws.segments) if (!segments.has(s.id)) segments.set(s.id, s);
  const members = new Map<string, number[]>();
  services.forEach((s, i) => {
    for (const ids of Object.values(s.memberships)) {
      for (const id of ids ?? []) {
        const list = members.get(id);
        if (list) {
          if (list[list.length - 1] !== i) list.push(i);
        } else members.set(id, [i]);
      }
    }
  });
  const rulesById = new Map<string, Rule>();
  const byType = new Map<RuleType, Rule[]>();
  for (const r of ws.rules) {
    if (!rulesById.has(r.id)) rulesById.set(r.id, r);
    const list = byType.get(r.type);
    if (list) list.push(r);
    else byType.set(r.type, [r]);
  }
  const ancestorCache = new Map<string, Segment[]>();
  const ancestors = (id: string): Segment[] => {
    const hit = ancestorCache.get(id);
    if (hit) return hit;
    const out: Segment[] = [];
    const seen = new Set<string>();
    let cur = segments.get(id);
    while (cur && !seen.has(cur.id)) {
      seen.add(cur.id);
      out.push(cur);
      cur = cur.parent === undefined ? undefined : segments.get(cur.parent);
    }
    ancestorCache.set(id, out);
    return out;
  };
  return { byId, segments, members, rulesById, byType, ancestors };
};
