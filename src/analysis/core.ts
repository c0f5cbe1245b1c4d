// The workspace index every level engine reads: lookups by id, members per segment, rules by type, memo caches.
import type { Level, Rule, RuleType, Segment, Service, Workspace } from '../model/types';
import type { Conn, ConnSet } from './connset';
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
  /** Per-service memo valid while the service object, the rules and the segments are the same objects. */
  memo<T>(i: number, key: string, compute: () => T): T;
}

export const kindOf = (s: Segment | undefined): string | undefined =>
  typeof s?.attributes?.kind === 'string' ? (s.attributes.kind as string) : undefined;

export const membershipOf = (s: Service, level: Level): readonly string[] => s.memberships[level] ?? [];

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

// Memo store shared across index builds of edited copies of one workspace (a move keeps rules and
// segments as the same arrays and replaces one service object), so a what-if rebuild is cheap.
const memoStore = new WeakMap<readonly Rule[], WeakMap<readonly Segment[], WeakMap<Service, Map<string, unknown>>>>();

const memoFor = (ws: Workspace): WeakMap<Service, Map<string, unknown>> => {
  let bySegments = memoStore.get(ws.rules);
  if (!bySegments) {
    bySegments = new WeakMap();
    memoStore.set(ws.rules, bySegments);
  }
  let byService = bySegments.get(ws.segments);
  if (!byService) {
    byService = new WeakMap();
    bySegments.set(ws.segments, byService);
  }
  return byService;
};

export const buildCore = (ws: Workspace): IndexCore => {
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
  const memos = memoFor(ws);
  return {
    ws,
    services,
    byId,
    segments,
    members,
    rulesById,
    rulesOf: <T extends RuleType>(type: T) => (byType.get(type) ?? []) as RuleOf<T>[],
    ancestors,
    nearest: (id, kinds) => ancestors(id).find((s) => kinds.includes(kindOf(s) ?? '')),
    memo: <T>(i: number, key: string, compute: () => T): T => {
      const svc = services[i] as Service;
      let m = memos.get(svc);
      if (!m) {
        m = new Map();
        memos.set(svc, m);
      }
      if (m.has(key)) return m.get(key) as T;
      const v = compute();
      m.set(key, v);
      return v;
    },
  };
};
