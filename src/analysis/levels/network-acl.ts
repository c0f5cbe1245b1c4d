// Network ACLs on the network level: numbered, stateless subnet rules each way, for the request and for its response.

import { ephemeralPorts, type PortRange } from '../../model/settings';
import type { NetworkAclEntry, NetworkAclRule, Protocol, Segment } from '../../model/types';
import {
  ALL,
  type Conn,
  type ConnSet,
  connSet,
  contains,
  EMPTY,
  firstConn,
  intersect,
  isEmpty,
  PROTOCOLS,
  protocolsSet,
  subtract,
  union,
} from '../connset';
import { type IndexCore, type LevelResult, membershipOf, T } from '../core';
import { cidrContainsAny, isAnyCidr, parseCidr } from '../net';
import type { RuleRef } from '../types';
import { isAddressOnly, subnetHolding } from './address-place';
import type { NetworkLevel } from './network';

const PROTOCOL_NUMBERS: Record<string, Protocol | 'all'> = {
  '-1': 'all',
  all: 'all',
  '6': 'TCP',
  tcp: 'TCP',
  '17': 'UDP',
  udp: 'UDP',
  '132': 'SCTP',
  sctp: 'SCTP',
};

/**
 * What one entry covers. "If you specify -1 or a protocol number other than 6 (TCP), 17 (UDP), or 1
 * (ICMP), traffic on all ports is allowed, regardless of any ports" (EC2 API, CreateNetworkAclEntry):
 * SCTP entries cover every SCTP port; ICMP and other protocols carry no port segscope models.
 */
export const entryConns = (e: NetworkAclEntry): ConnSet => {
  if (e.damaged) return ALL;
  const p = PROTOCOL_NUMBERS[e.protocol.toLowerCase()];
  if (p === undefined) return EMPTY;
  if (p === 'all') return ALL;
  if (p === 'SCTP') return protocolsSet(['SCTP']);
  return connSet(p, e.fromPort ?? 0, e.toPort ?? 65535);
};

/** One entry that decided part of the traffic. */
interface Step {
  entry: NetworkAclEntry;
  conns: ConnSet;
}

export interface AclRun {
  allowed: ConnSet;
  steps: Step[];
}

/**
 * Entries lowest number first; "as soon as a rule matches traffic, it's applied regardless of any
 * higher-numbered rule that might contradict it" (AWS VPC User Guide, "Network ACL rules"). What no
 * entry matches meets the final `*` rule, which denies.
 */
export const runAcl = (entries: readonly NetworkAclEntry[], meets: (cidr: string) => boolean): AclRun => {
  let remaining: ConnSet = ALL;
  let allowed: ConnSet = EMPTY;
  const steps: Step[] = [];
  for (const e of entries) {
    if (isEmpty(remaining)) break;
    if (!(e.damaged || meets(e.cidr))) continue;
    const rc = intersect(entryConns(e), remaining);
    if (isEmpty(rc)) continue;
    steps.push({ entry: e, conns: rc });
    if (e.action === 'allow' && !e.damaged) allowed = union(allowed, rc);
    remaining = subtract(remaining, rc);
  }
  return { allowed, steps };
};

/** outer holds every address of inner. */
const covers = (outer: string, inner: string): boolean => {
  const a = parseCidr(outer);
  const b = parseCidr(inner);
  if (!a || !b || a[0].kind() !== b[0].kind() || a[1] > b[1]) return false;
  return b[0].match(a[0], a[1]);
};

interface Side {
  subnet: Segment;
  acl: NetworkAclRule;
  ingress: readonly NetworkAclEntry[];
  egress: readonly NetworkAclEntry[];
}

interface AclIndex {
  bySubnet: Map<string, NetworkAclRule>;
  defaultByVpc: Map<string, NetworkAclRule>;
  sorted: Map<string, { ingress: NetworkAclEntry[]; egress: NetworkAclEntry[] }>;
  cidrs: string[];
}

const buildAclIndex = (acls: readonly NetworkAclRule[]): AclIndex => {
  const bySubnet = new Map<string, NetworkAclRule>();
  const defaultByVpc = new Map<string, NetworkAclRule>();
  const sorted = new Map<string, { ingress: NetworkAclEntry[]; egress: NetworkAclEntry[] }>();
  const cidrs = new Set<string>();
  for (const acl of acls) {
    for (const s of acl.subnets) if (!bySubnet.has(s)) bySubnet.set(s, acl);
    if (acl.isDefault && acl.vpc && !defaultByVpc.has(acl.vpc)) defaultByVpc.set(acl.vpc, acl);
    const byNumber = [...acl.entries].sort((x, y) => x.ruleNumber - y.ruleNumber);
    sorted.set(acl.id, { ingress: byNumber.filter((e) => !e.egress), egress: byNumber.filter((e) => e.egress) });
    for (const e of acl.entries) cidrs.add(e.cidr);
  }
  return { bySubnet, defaultByVpc, sorted, cidrs: [...cidrs] };
};

/** The last rule of each direction, `*` in the console and 32767 in exports. */
const DEFAULT_RULE = 32767;
const ruleText = (e: NetworkAclEntry): string => (e.ruleNumber >= DEFAULT_RULE ? '*' : String(e.ruleNumber));
const dirText = (egress: boolean) => (egress ? 'outbound' : 'inbound');
const aclName = (acl: NetworkAclRule) => acl.name ?? acl.aclId;
const portsText = (p: Protocol, lo: number, hi: number) => `${p.toLowerCase()} ${lo === hi ? lo : `${lo}-${hi}`}`;

/** Which part of the asked connection a direction blocks, and the entry (or the final `*`) that did. */
const blocker = (run: AclRun, c: Conn): NetworkAclEntry | undefined =>
  run.steps.find((s) => contains(s.conns, c))?.entry;

const entryRef = (acl: NetworkAclRule, egress: boolean, e: NetworkAclEntry | undefined, summary: string): RuleRef => {
  const ref: RuleRef = {
    id: acl.id,
    type: 'network-acl',
    summary: `${aclName(acl)} ${dirText(egress)} rule ${e ? ruleText(e) : '*'}: ${summary}`,
  };
  const source = e?.source ?? acl.source;
  if (source) ref.source = source;
  return ref;
};

/** One direction at one subnet: the run, and who the peer is in the texts. */
interface Leg {
  side: Side;
  egress: boolean;
  run: AclRun;
  /** The peer as the texts name it (name and address placeholders). */
  peer: string;
  peerAddress: string;
}

const denyOf = (leg: Leg, c: Conn, eph: PortRange, response: boolean, request?: string): LevelResult => {
  const e = blocker(leg.run, c);
  const what = response ? portsText(c.protocol, eph.from, eph.to) : portsText(c.protocol, c.port, c.port);
  const toward = leg.egress ? `to ${leg.peer}` : `from ${leg.peer}`;
  const by =
    e && e.ruleNumber < DEFAULT_RULE
      ? `rule ${ruleText(e)} denies`
      : 'no numbered rule allows, so the final * rule denies';
  const name = aclName(leg.side.acl);
  const reason = response
    ? `The request is allowed (${request}), but the response is blocked: on ${name} (${leg.side.subnet.name}) ${by} ${dirText(leg.egress)} ${what} ${toward}, the ports a response returns to (network ACLs are stateless).`
    : `On ${name} (${leg.side.subnet.name}) ${by} ${dirText(leg.egress)} ${what} ${toward}.`;
  return {
    verdict: 'deny',
    reason,
    rule: entryRef(leg.side.acl, leg.egress, e, `${e?.action ?? 'deny'} ${what} ${toward}`),
    conns: EMPTY,
    fix: `add an ${dirText(leg.egress)} allow rule for ${what} ${leg.egress ? 'to' : 'from'} ${leg.peerAddress} on ${name}${e && e.ruleNumber < DEFAULT_RULE ? ` numbered below ${ruleText(e)}` : ''}`,
  };
};

/**
 * The ports a response comes back to are the client's ephemeral ports, which its operating system picks
 * (AWS VPC User Guide, "Ephemeral ports"): a response is let through when every port of the workspace's
 * range (`settings.ephemeralPorts`, default 1024–65535) is.
 */
const coversEphemeral = (s: ConnSet, p: Protocol, eph: PortRange): boolean =>
  isEmpty(subtract(connSet(p, eph.from, eph.to), s));

/** A service's ACL side: the ACL of its subnet (or its VPC's default), else of the subnet whose CIDR holds its address. */
const aclSides = (core: IndexCore, ix: AclIndex) => {
  const subnetOfAddress = subnetHolding(core);
  const sideOf = (subnet: Segment): Side | undefined => {
    const vpc = core.nearest(subnet.id, ['vpc'])?.id;
    const acl = ix.bySubnet.get(subnet.id) ?? (vpc ? ix.defaultByVpc.get(vpc) : undefined);
    const sorted = acl ? ix.sorted.get(acl.id) : undefined;
    return acl && sorted ? { subnet, acl, ...sorted } : undefined;
  };
  return core.memoFn('network-acl.side', (i): Side | undefined => {
    for (const id of membershipOf(core.services[i] as never, 'network')) {
      const subnet = core.nearest(id, ['subnet']);
      const s = subnet ? sideOf(subnet) : undefined;
      if (s) return s;
    }
    // An address no file places (an outside range) is behind the ACL of the subnet whose CIDR holds it.
    const subnet = subnetOfAddress(i);
    return subnet ? sideOf(subnet) : undefined;
  });
};

/** Whether an entry's CIDR meets service i: by its addresses, else by covering its whole subnet. */
const meetsOf = (core: IndexCore, side: (i: number) => Side | undefined) => (i: number) => {
  const addresses = core.services[i]?.addresses ?? [];
  const subnetCidrs = side(i)?.subnet.cidrs ?? [];
  return (cidr: string): boolean =>
    addresses.length > 0
      ? cidrContainsAny(cidr, addresses)
      : isAnyCidr(cidr) || (subnetCidrs.length > 0 && subnetCidrs.every((s) => covers(cidr, s)));
};

/** The four ACL crossings of a request from a to b and its response; `same` when both are in one subnet. */
const pairLegs = (
  sa: Side | undefined,
  sb: Side | undefined,
  meets: (i: number) => (cidr: string) => boolean,
  a: number,
  b: number,
) => {
  const leg = (s: Side | undefined, egress: boolean, peer: number): Leg | undefined => {
    if (!s) return undefined;
    const toPeer = peer === b;
    return {
      side: s,
      egress,
      run: runAcl(egress ? s.egress : s.ingress, meets(peer)),
      peer: toPeer ? T.to : T.from,
      peerAddress: toPeer ? T.toAddress : T.fromAddress,
    };
  };
  return {
    same: sa !== undefined && sb !== undefined && sa.subnet.id === sb.subnet.id,
    any: sa !== undefined || sb !== undefined,
    reqOut: leg(sa, true, b),
    reqIn: leg(sb, false, a),
    respOut: leg(sb, true, a),
    respIn: leg(sa, false, b),
  };
};
type Legs = ReturnType<typeof pairLegs>;

/** The network verdict narrowed by the ACLs: the request both ways out and in, the response to the ephemeral ports. */
const throughAcls = (base: LevelResult, l: Legs, eph: PortRange, c?: Conn): LevelResult => {
  const request = intersect(l.reqOut?.run.allowed ?? ALL, l.reqIn?.run.allowed ?? ALL);
  const response = intersect(l.respOut?.run.allowed ?? ALL, l.respIn?.run.allowed ?? ALL);
  const answered = protocolsSet(PROTOCOLS.filter((p) => coversEphemeral(response, p, eph)));
  const conns = intersect(intersect(base.conns, request), answered);
  const probe = c ?? firstConn(conns) ?? firstConn(intersect(base.conns, request)) ?? firstConn(base.conns);
  if (c ? contains(conns, c) : !isEmpty(conns)) {
    const names = [l.reqOut, l.reqIn].flatMap((x) => (x ? [aclName(x.side.acl)] : []));
    return {
      ...base,
      reason: `${base.reason} Network ACL ${[...new Set(names)].join(' and ')} let${names.length > 1 ? '' : 's'} the request through and its response back.`,
      conns: c ? base.conns : conns,
    };
  }
  if (!probe) return { ...base, verdict: 'deny', conns: EMPTY };
  for (const leg of [l.reqOut, l.reqIn])
    if (leg && !contains(leg.run.allowed, probe)) return denyOf(leg, probe, eph, false);
  const ephemeral: Conn = { protocol: probe.protocol, port: eph.from };
  const requestText = `${portsText(probe.protocol, probe.port, probe.port)} passes the network ACLs on the way in`;
  for (const leg of [l.respOut, l.respIn]) {
    if (!leg || coversEphemeral(leg.run.allowed, probe.protocol, eph)) continue;
    const blocked = firstConn(subtract(connSet(probe.protocol, eph.from, eph.to), leg.run.allowed));
    return denyOf(leg, blocked ?? ephemeral, eph, true, requestText);
  }
  return { ...base, verdict: 'deny', conns: EMPTY };
};

/**
 * Wraps the network level with the subnets' network ACLs. A connection from a to b in different subnets
 * needs the request out of a's subnet and into b's, and the response (to a's ephemeral ports) out of
 * b's and into a's. Traffic within one subnet crosses no network ACL. A subnet with no known ACL (its
 * own, or its VPC's default) does not restrict.
 */
export const withNetworkAcls = (core: IndexCore, inner: NetworkLevel): NetworkLevel => {
  const acls = core.rulesOf('network-acl');
  if (acls.length === 0) return inner;
  const eph = ephemeralPorts(core.ws);
  const ix = core.shared('network-acl.index', () => buildAclIndex(acls));
  const side = aclSides(core, ix);
  const meets = meetsOf(core, side);
  const signature = core.memoFn('network-acl.signature', (i): string => {
    const s = side(i);
    // A peer with no ACL of its own still meets the other side's entries by its address.
    if (!s && !isAddressOnly(core, i)) return inner.signature(i);
    const m = meets(i);
    const hits: number[] = [];
    ix.cidrs.forEach((c, k) => {
      if (m(c)) hits.push(k);
    });
    // The range is in the key: results are cached by signature across copies of the same rules (classes, reach).
    return `${inner.signature(i)}|${s?.subnet.id ?? '-'}|${hits.join(',')}|${eph.from}-${eph.to}`;
  });

  const evaluate = (a: number, b: number, c?: Conn): LevelResult => {
    const base = inner.evaluate(a, b, c);
    // ACLs filter what enters and leaves a subnet, also to and from addresses no file places.
    if (base.verdict === 'deny') return base;
    if (base.verdict === 'open' && !isAddressOnly(core, a) && !isAddressOnly(core, b)) return base;
    const l = pairLegs(side(a), side(b), meets, a, b);
    if (!l.any || l.same) return base;
    return throughAcls(base, l, eph, c);
  };

  return {
    ...inner,
    signature,
    evaluate,
    permits: (a, b) => evaluate(a, b).verdict !== 'deny',
  };
};
