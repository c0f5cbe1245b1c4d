// Group level: AWS security groups, stateful and allow-only, egress on the caller AND ingress on the callee.
import type { Protocol, Segment, SgPeer, SgPermissionRule } from '../../model/types';
import {
  ALL,
  type Conn,
  type ConnSet,
  conn,
  connSet,
  contains,
  EMPTY,
  firstConn,
  intersect,
  isAll,
  isEmpty,
  union,
} from '../connset';
import { type IndexCore, type LevelEngine, type LevelResult, membershipOf, ruleRef, segmentRef, T } from '../core';
import { cidrMeets } from '../net';
import { memoIn } from '../per-rules-segments';
import type { RuleRef } from '../types';

const PROTOCOL_NAMES: Record<string, Protocol> = {
  tcp: 'TCP',
  '6': 'TCP',
  udp: 'UDP',
  '17': 'UDP',
  sctp: 'SCTP',
  '132': 'SCTP',
};

/** What a permission lets through: `-1` is everything; ICMP and other protocols carry no TCP/UDP/SCTP ports. */
export const sgRuleConns = (r: SgPermissionRule): ConnSet => {
  const p = r.protocol.toLowerCase();
  if (p === '-1' || p === 'all') return ALL;
  const proto = PROTOCOL_NAMES[p];
  if (!proto) return EMPTY;
  if (r.fromPort === undefined || r.toPort === undefined || r.fromPort < 0 || r.toPort < 0) return connSet(proto);
  return connSet(proto, Math.max(1, r.fromPort), r.toPort);
};

export const sgPortsText = (r: SgPermissionRule): string => {
  const p = r.protocol.toLowerCase();
  if (p === '-1' || p === 'all') return 'all traffic';
  const full =
    r.fromPort === undefined || r.toPort === undefined || r.fromPort < 0 || (r.fromPort <= 1 && r.toPort >= 65535);
  if (full) return `${p} all ports`;
  return r.fromPort === r.toPort ? `${p} ${r.fromPort}` : `${p} ${r.fromPort}-${r.toPort}`;
};

export interface GroupLevel extends LevelEngine {
  /** Group segment ids of a service. */
  groups(i: number): readonly string[];
  /** The group segment id a peer reference names (accepts `sg-…` or the segment id). */
  resolveGroup(ref: string): string;
  rulesOf(group: string, direction: 'ingress' | 'egress'): readonly SgPermissionRule[];
  groupName(id: string): string;
}

/** Rule indexes of the group level: they depend only on the rules and segments, so what-if copies share them. */
const groupStatic = (core: IndexCore) => {
  const byGroupId = new Map<string, string>();
  for (const seg of core.segments.values()) {
    if (seg.level !== 'group') continue;
    const gid = seg.attributes?.groupId;
    if (typeof gid === 'string' && !byGroupId.has(gid)) byGroupId.set(gid, seg.id);
  }
  const resolveGroup = (ref: string): string => (core.segments.has(ref) ? ref : (byGroupId.get(ref) ?? ref));
  const ingress = new Map<string, SgPermissionRule[]>();
  const egress = new Map<string, SgPermissionRule[]>();
  const cidrList = new Set<string>();
  for (const r of core.rulesOf('sg-permission')) {
    const map = r.direction === 'ingress' ? ingress : egress;
    const g = resolveGroup(r.group);
    const list = map.get(g);
    if (list) list.push(r);
    else map.set(g, [r]);
    if (r.peer.kind === 'cidr') cidrList.add(r.peer.cidr);
  }
  const prefixLists = new Map<string, string[]>();
  // A list's entries may come from several rules (the list from one export, its entries from another):
  // a reference matches all of them, whatever the order the files were loaded in.
  for (const p of core.rulesOf('prefix-list')) {
    const had = prefixLists.get(p.prefixListId) ?? [];
    prefixLists.set(p.prefixListId, [...had, ...p.cidrs.filter((c) => !had.includes(c))]);
    for (const c of p.cidrs) cidrList.add(c);
  }
  const cidrs = [...cidrList].sort();
  const groupName = (id: string): string => core.segments.get(id)?.name ?? id;
  const peerText = (peer: SgPeer): string =>
    peer.kind === 'group'
      ? groupName(resolveGroup(peer.group))
      : peer.kind === 'cidr'
        ? peer.cidr
        : `prefix list ${peer.prefixListId}`;
  const summary = memoIn(
    new Map<SgPermissionRule, string>(),
    (r) =>
      `${groupName(resolveGroup(r.group))} ${r.direction} ${sgPortsText(r)} ${r.direction === 'ingress' ? 'from' : 'to'} ${peerText(r.peer)}`,
  );

  // Per group and direction, rules by the group they name (looked up by the peer's groups) and the
  // address-based rest (tested against the peer's addresses), so a pair costs O(its groups), not O(rules).
  interface SideIndex {
    byGroup: Map<string, SgPermissionRule[]>;
    other: SgPermissionRule[];
  }
  const position = new Map<SgPermissionRule, number>();
  const ruleConns = new Map<SgPermissionRule, ConnSet>();
  const sideIndex = { ingress: new Map<string, SideIndex>(), egress: new Map<string, SideIndex>() };
  for (const [dir, map] of [
    ['ingress', ingress],
    ['egress', egress],
  ] as const) {
    for (const [g, rules] of map) {
      const idx: SideIndex = { byGroup: new Map(), other: [] };
      for (const r of rules) {
        position.set(r, position.size);
        ruleConns.set(r, sgRuleConns(r));
        if (r.peer.kind === 'group') {
          const pg = resolveGroup(r.peer.group);
          const list = idx.byGroup.get(pg);
          if (list) list.push(r);
          else idx.byGroup.set(pg, [r]);
        } else idx.other.push(r);
      }
      sideIndex[dir].set(g, idx);
    }
  }
  const byPosition = (x: SgPermissionRule, y: SgPermissionRule) => (position.get(x) ?? 0) - (position.get(y) ?? 0);

  return { resolveGroup, ingress, egress, prefixLists, cidrs, groupName, summary, ruleConns, sideIndex, byPosition };
};

type GroupStatic = ReturnType<typeof groupStatic>;
type Direction = 'ingress' | 'egress';

/** What one engine instance holds: the shared rule indexes and the per-service memos of this workspace. */
interface GroupState extends GroupStatic {
  core: IndexCore;
  svc(i: number): IndexCore['services'][number];
  groups(i: number): readonly string[];
  /** Groups of a service that no loaded file describes (a stub made from a reference, or no segment). */
  unknown(i: number): readonly string[];
  refOf(r: SgPermissionRule): RuleRef;
}

/** Matching rules of one side (in file order), their union, and (for one connection) those that carry it. */
interface Side {
  set: ConnSet;
  matching: SgPermissionRule[];
}

const peerMatches = (st: GroupState, peer: SgPeer, i: number): boolean => {
  switch (peer.kind) {
    case 'group':
      return st.groups(i).includes(st.resolveGroup(peer.group));
    case 'cidr':
      return cidrMeets(peer.cidr, st.svc(i).addresses ?? []);
    case 'prefix-list':
      return (st.prefixLists.get(peer.prefixListId) ?? []).some((c) => cidrMeets(c, st.svc(i).addresses ?? []));
  }
};

const consider = (
  st: GroupState,
  r: SgPermissionRule,
  c: Conn | undefined,
  set: ConnSet,
  matching: SgPermissionRule[],
): ConnSet => {
  const rc = st.ruleConns.get(r) ?? EMPTY;
  if (isEmpty(rc) || (c && !contains(rc, c))) return set;
  matching.push(r);
  return c ? set : union(set, rc);
};

const sideOf = (st: GroupState, gs: readonly string[], dir: Direction, peer: number, c?: Conn): Side => {
  let set: ConnSet = EMPTY;
  const matching: SgPermissionRule[] = [];
  const peerGroups = st.groups(peer);
  for (const g of gs) {
    const idx = st.sideIndex[dir].get(g);
    if (!idx) continue;
    for (const pg of peerGroups) {
      const list = idx.byGroup.get(pg);
      if (list) for (const r of list) set = consider(st, r, c, set, matching);
    }
    for (const r of idx.other) if (peerMatches(st, r.peer, peer)) set = consider(st, r, c, set, matching);
  }
  if (c && matching.length > 0) set = conn(c.protocol, c.port);
  if (matching.length > 1) matching.sort(st.byPosition);
  return { set, matching };
};

/** The permission to add: the asked connection, else a port the other side already allows, else a placeholder. */
const connText = (c: Conn | undefined, other: ConnSet | undefined): string => {
  const x = c ?? (other && !isAll(other) ? firstConn(other) : undefined);
  return x ? `${x.protocol.toLowerCase()} ${x.port}` : 'tcp <port>';
};

const peerForFix = (st: GroupState, i: number, token: string): string => {
  const g = st.groups(i)[0];
  return g ? st.groupName(g) : token;
};

/** What a side lets through: all when it has no group or an undescribed one, else its matching rules. */
const reachOf = (gs: readonly string[], unknownGs: readonly string[], s: Side | undefined, c?: Conn): ConnSet =>
  gs.length === 0 || unknownGs.length > 0 ? (c ? conn(c.protocol, c.port) : ALL) : (s?.set ?? EMPTY);

const unknownText = (st: GroupState, gs: readonly string[], who: string, dir: string) =>
  `${gs.map(st.groupName).join(', ')} ${gs.length > 1 ? 'are' : 'is'} not described in the loaded files, so ${gs.length > 1 ? 'their' : 'its'} rules are unknown: this level does not restrict ${who}'s ${dir}`;

/** The explanation of a pair's verdict from both sides' matching rules (`c`: the connection asked, if any). */
type Explain = (
  st: GroupState,
  a: number,
  b: number,
  conns: ConnSet,
  c: Conn | undefined,
  out?: Side,
  inn?: Side,
) => LevelResult;

const allowed: Explain = (st, a, b, conns, c, out, inn) => {
  const ga = st.groups(a);
  const gb = st.groups(b);
  // Report the rule that carries the asked connection (or a common connection the described rules allow).
  const known = intersect(conns, intersect(out?.set ?? ALL, inn?.set ?? ALL));
  const probe = c ?? firstConn(isEmpty(known) ? conns : known);
  const eg = c ? out : ga.length === 0 ? undefined : sideOf(st, ga, 'egress', b, probe);
  const ig = c ? inn : gb.length === 0 ? undefined : sideOf(st, gb, 'ingress', a, probe);
  const egUnknown = st.unknown(a).length > 0 && !eg?.matching[0];
  const igUnknown = st.unknown(b).length > 0 && !ig?.matching[0];
  const decisive = ig?.matching[0] ?? eg?.matching[0];
  const parts: string[] = [];
  if (eg?.matching[0]) parts.push(`${st.summary(eg.matching[0])} lets ${T.from} out`);
  else if (!egUnknown) parts.push(`${T.from} has no security group, so its egress is not restricted here`);
  if (ig?.matching[0]) parts.push(`${st.summary(ig.matching[0])} lets it into ${T.to}`);
  else if (!igUnknown) parts.push(`${T.to} has no security group, so its ingress is not restricted here`);
  if (egUnknown || igUnknown) {
    const why = [
      ...(egUnknown ? [unknownText(st, st.unknown(a), T.from, 'egress')] : []),
      ...(igUnknown ? [unknownText(st, st.unknown(b), T.to, 'ingress')] : []),
    ];
    return {
      verdict: 'open',
      reason: `${why.join('; ')}${parts.length > 0 ? ` (${parts.join('; ')})` : ''}.`,
      conns,
    };
  }
  const result: LevelResult = {
    verdict: 'allow',
    reason: `${parts.join('; ')}.`,
    conns,
    allowing: (ig ?? eg)?.matching.map((r) => r.id) ?? [],
  };
  if (decisive) result.rule = st.refOf(decisive);
  return result;
};

const denied: Explain = (st, a, b, conns, c, out, inn) => {
  const { core, groupName } = st;
  const ga = st.groups(a);
  const gb = st.groups(b);
  const what = c ? `${c.protocol.toLowerCase()} ${c.port}` : 'any traffic';
  const egressBlocks =
    out !== undefined && st.unknown(a).length === 0 && (c ? out.matching.length === 0 : isEmpty(out.set));
  if (egressBlocks) {
    const g = ga[0] as string;
    return {
      verdict: 'deny',
      reason: `No egress rule on ${ga.map(groupName).join(', ')} allows ${what} from ${T.from} to ${T.to}.`,
      rule: segmentRef(
        core.segments.get(g) as Segment | undefined,
        g,
        `no egress rule on ${groupName(g)} to ${T.to} (${what})`,
      ),
      conns,
      fix: `add egress ${connText(c, inn?.set)} to ${peerForFix(st, b, T.toAddress)} on ${groupName(g)}`,
    };
  }
  const g = gb[0] as string;
  const overlapOnly = inn !== undefined && !isEmpty(inn.set) && !c;
  return {
    verdict: 'deny',
    reason: overlapOnly
      ? `${T.from}'s egress and ${T.to}'s ingress rules allow no common port.`
      : `No ingress rule on ${gb.map(groupName).join(', ')} allows ${what} from ${T.from} into ${T.to}.`,
    rule: segmentRef(core.segments.get(g), g, `no ingress rule on ${groupName(g)} from ${T.from} (${what})`),
    conns,
    fix: `add ingress ${connText(c, out?.set)} from ${peerForFix(st, a, T.fromAddress)} to ${groupName(g)}`,
  };
};

/** The engine's per-workspace state: the shared indexes plus memos of each service's groups. */
const groupState = (core: IndexCore): GroupState => {
  const stat = core.shared('group.static', () => groupStatic(core));
  const refs = core.shared('group.refs', () => new Map<SgPermissionRule, RuleRef>());
  const refOf = (r: SgPermissionRule): RuleRef => {
    let ref = refs.get(r);
    if (!ref) {
      ref = ruleRef(r, stat.summary(r));
      refs.set(r, ref);
    }
    return ref;
  };
  const svc = (i: number) => core.services[i] as (typeof core.services)[number];
  const groups = core.memoFn('group.groups', (i) => [...new Set(membershipOf(svc(i), 'group').map(stat.resolveGroup))]);
  // Their rules are unknown, so the side they are on does not restrict its direction (no data).
  const unknown = core.memoFn('group.unknown', (i): string[] =>
    groups(i).filter((g) => {
      const seg = core.segments.get(g);
      return seg === undefined || seg.attributes?.stub === true;
    }),
  );
  return { ...stat, core, svc, groups, unknown, refOf };
};

/**
 * Sharing a group grants nothing by itself: only a rule whose peer is that group (a self-reference)
 * does. The data is authoritative: a group listed without egress rules allows no egress (exports and
 * Terraform list the default allow-all egress explicitly when it exists). A side with no group data
 * does not restrict its own direction.
 */
export const createGroupLevel = (core: IndexCore): GroupLevel => {
  const st = groupState(core);
  const { groups, unknown, resolveGroup, ingress, egress, groupName, cidrs } = st;
  const signature = core.memoFn('group.signature', (i): string => {
    const addrs = st.svc(i).addresses ?? [];
    const hits: number[] = [];
    cidrs.forEach((c, k) => {
      if (cidrMeets(c, addrs)) hits.push(k);
    });
    return `${[...groups(i)].sort().join(',')}|${hits.join(',')}`;
  });

  return {
    level: 'group',
    groups,
    resolveGroup,
    rulesOf: (g, dir) => (dir === 'ingress' ? ingress : egress).get(g) ?? [],
    groupName,
    signature,
    permits: (a, b) => {
      const ga = groups(a);
      const gb = groups(b);
      if (ga.length === 0 && gb.length === 0) return true;
      const out = reachOf(ga, unknown(a), ga.length === 0 ? undefined : sideOf(st, ga, 'egress', b));
      if (isEmpty(out)) return false;
      if (gb.length === 0 || unknown(b).length > 0) return true;
      return !isEmpty(intersect(out, sideOf(st, gb, 'ingress', a).set));
    },
    evaluate: (a, b, c): LevelResult => {
      const ga = groups(a);
      const gb = groups(b);
      if (ga.length === 0 && gb.length === 0) {
        return { verdict: 'open', reason: 'Neither service is in a security group.', conns: ALL };
      }
      // With a connection asked, only the rules carrying it matter (and the set is that connection).
      const out = ga.length === 0 ? undefined : sideOf(st, ga, 'egress', b, c);
      const inn = gb.length === 0 ? undefined : sideOf(st, gb, 'ingress', a, c);
      const outSet = reachOf(ga, unknown(a), out, c);
      const inSet = reachOf(gb, unknown(b), inn, c);
      const conns = intersect(outSet, inSet);
      return isEmpty(conns) ? denied(st, a, b, conns, c, out, inn) : allowed(st, a, b, conns, c, out, inn);
    },
  };
};
