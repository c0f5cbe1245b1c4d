// Network level: same VPC, non-transitive VPC peering and transit gateways (neither between overlapping CIDRs), VLANs.
import { SECONDARY_KIND, type Segment, type TgwAttachmentRule, UDN_KIND, type VpcPeeringRule } from '../../model/types';
import { ALL, EMPTY } from '../connset';
import {
  defaultRef,
  type IndexCore,
  kindOf,
  type LevelEngine,
  type LevelResult,
  membershipOf,
  noDataOpen,
  ruleRef,
  segmentRef,
  T,
} from '../core';
import { cidrsOverlap } from '../net';
import { hasVpcCidrs, isAddressOnly, vpcHolding } from './address-place';

/** A service's network unit: its VPC (walking up from a subnet), else its VLAN, else the top of its chain. */
export interface NetworkUnit {
  id: string;
  seg: Segment | undefined;
  kind: string;
}

const PEERING_OK = new Set(['active']);
const TGW_OK = new Set(['available']);

export const overlappingCidrs = (x: Segment | undefined, y: Segment | undefined): [string, string] | undefined => {
  for (const a of x?.cidrs ?? []) for (const b of y?.cidrs ?? []) if (cidrsOverlap(a, b)) return [a, b];
  return undefined;
};

export interface NetworkLevel extends LevelEngine {
  /** Network units of a service (deduplicated). */
  units(i: number): readonly NetworkUnit[];
  /** Secondary networks (Multus attachments, secondary user-defined networks) both services are attached to. */
  sharedSecondary(a: number, b: number): readonly string[];
  /** The pair's primary pod networks (or VPCs) let traffic through, whatever secondary networks they share. */
  primaryPermits(a: number, b: number): boolean;
}

type PathResult = LevelResult | { verdict: 'none'; deny?: LevelResult };
type PeeringIndex = ReadonlyMap<string, readonly VpcPeeringRule[]>;
type AttachmentIndex = ReadonlyMap<string, readonly TgwAttachmentRule[]>;

const pairKey = (x: string, y: string) => (x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`);
const label = (u: NetworkUnit) => `${u.kind === 'vpc' ? 'VPC ' : ''}${u.seg?.name ?? u.id}`;
const liveAttachment = (t: TgwAttachmentRule) => t.state === undefined || TGW_OK.has(t.state.toLowerCase());

const indexPeerings = (core: IndexCore): PeeringIndex => {
  const peerings = new Map<string, VpcPeeringRule[]>();
  for (const r of core.rulesOf('vpc-peering')) {
    const k = pairKey(r.requester, r.accepter);
    const list = peerings.get(k);
    if (list) list.push(r);
    else peerings.set(k, [r]);
  }
  return peerings;
};

const indexAttachments = (core: IndexCore): AttachmentIndex => {
  const attachments = new Map<string, TgwAttachmentRule[]>();
  for (const r of core.rulesOf('tgw-attachment')) {
    const list = attachments.get(r.vpc);
    if (list) list.push(r);
    else attachments.set(r.vpc, [r]);
  }
  return attachments;
};

/** The network unit of one segment: its VPC, VLAN or primary user-defined network, else the top of its chain. */
const unitOf = (core: IndexCore, segId: string): NetworkUnit => {
  // A namespace on a primary user-defined network (OVN-Kubernetes) is on that network, not the cluster's.
  const vpc = core.nearest(segId, ['vpc']) ?? core.nearest(segId, ['vlan']) ?? core.nearest(segId, [UDN_KIND]);
  if (vpc) return { id: vpc.id, seg: vpc, kind: kindOf(vpc) as string };
  const chain = core.ancestors(segId);
  const top = chain[chain.length - 1];
  return { id: top?.id ?? segId, seg: top, kind: kindOf(top) ?? 'network' };
};

/** Pod networks and other non-VPC units: the cluster network joins namespaces, a primary UDN isolates. */
const podNetworkPath = (u: NetworkUnit, v: NetworkUnit): PathResult => {
  if (u.kind === 'namespace-network' && v.kind === 'namespace-network') {
    return {
      verdict: 'allow',
      reason: `Kubernetes namespaces ${u.seg?.name ?? u.id} and ${v.seg?.name ?? v.id} share the cluster network.`,
      rule: segmentRef(v.seg, v.id, `cluster network (namespaces do not isolate)`),
      conns: ALL,
    };
  }
  if (u.kind === UDN_KIND || v.kind === UDN_KIND) {
    // OVN-Kubernetes: a primary user-defined network isolates its pods from every other network.
    return {
      verdict: 'none',
      deny: {
        verdict: 'deny',
        reason: `${label(u)} and ${label(v)} are different primary pod networks: pods on a primary user-defined network reach only pods on the same network (OVN-Kubernetes user-defined networks).`,
        rule: segmentRef(
          u.kind === UDN_KIND ? u.seg : v.seg,
          u.kind === UDN_KIND ? u.id : v.id,
          `primary user-defined network ${label(u.kind === UDN_KIND ? u : v)} isolates its pods`,
        ),
        conns: EMPTY,
        fix: `put both namespaces on one (cluster) user-defined network, or reach ${label(v)} through a Service exposed outside the network`,
      },
    };
  }
  if (u.kind !== v.kind) return { verdict: 'none' };
  return {
    verdict: 'none',
    deny: {
      verdict: 'deny',
      reason: `${label(u)} and ${label(v)} are different networks with no path between them.`,
      rule: defaultRef('network-isolation', `${label(u)} and ${label(v)} are separate networks`),
      conns: EMPTY,
      fix: `route between ${label(u)} and ${label(v)}, or move the service into ${label(v)}`,
    },
  };
};

/** VPC peering: the first active peering between CIDRs that do not overlap allows; the others say why not. */
const peeringPath = (u: NetworkUnit, v: NetworkUnit, list: readonly VpcPeeringRule[]): PathResult => {
  let deny: LevelResult | undefined;
  for (const p of list) {
    const status = p.status?.toLowerCase();
    if (status !== undefined && !PEERING_OK.has(status)) {
      deny ??= {
        verdict: 'deny',
        reason: `The peering between ${label(u)} and ${label(v)} is ${p.status}, not active.`,
        rule: ruleRef(p, `peering ${p.id} (${p.status})`),
        conns: EMPTY,
        fix: `accept or re-create peering ${p.id}`,
      };
      continue;
    }
    const overlap = overlappingCidrs(u.seg, v.seg);
    if (overlap) {
      deny = {
        verdict: 'deny',
        reason: `${label(u)} (${overlap[0]}) and ${label(v)} (${overlap[1]}) have overlapping CIDRs, so their peering cannot route.`,
        rule: ruleRef(p, `peering ${p.id} between overlapping CIDRs ${overlap[0]} and ${overlap[1]}`),
        conns: EMPTY,
        fix: `re-address ${label(u)} or ${label(v)} so their CIDRs do not overlap`,
      };
      continue;
    }
    return {
      verdict: 'allow',
      reason: `${label(u)} and ${label(v)} are peered by ${p.id}.`,
      rule: ruleRef(p, `peering ${p.id} between ${label(u)} and ${label(v)}`),
      conns: ALL,
      allowing: [p.id],
    };
  }
  return { verdict: 'none', deny };
};

/** Transit gateways: both VPCs attached (available) to one gateway, CIDRs not overlapping; `deny` is the peering's. */
const transitPath = (
  u: NetworkUnit,
  v: NetworkUnit,
  attachments: AttachmentIndex,
  deny: LevelResult | undefined,
): PathResult => {
  for (const x of attachments.get(u.id) ?? []) {
    if (!liveAttachment(x)) continue;
    const y = (attachments.get(v.id) ?? []).find((t) => t.transitGateway === x.transitGateway && liveAttachment(t));
    const overlap = y ? overlappingCidrs(u.seg, v.seg) : undefined;
    if (y && overlap) {
      deny = {
        verdict: 'deny',
        reason: `${label(u)} (${overlap[0]}) and ${label(v)} (${overlap[1]}) are both attached to ${x.transitGateway}, but transit gateway ${x.transitGateway} does not route between attachments with overlapping CIDRs.`,
        rule: ruleRef(y, `${label(v)} attached to ${x.transitGateway} with a CIDR overlapping ${label(u)}`),
        conns: EMPTY,
        fix: `re-address ${label(u)} or ${label(v)} so their CIDRs do not overlap`,
      };
      continue;
    }
    if (y) {
      return {
        verdict: 'allow',
        reason: `${label(u)} and ${label(v)} are both attached to transit gateway ${x.transitGateway}.`,
        rule: ruleRef(y, `${label(v)} attached to ${x.transitGateway}`),
        conns: ALL,
        allowing: [x.id, y.id],
      };
    }
  }
  return { verdict: 'none', deny };
};

/** Two VPCs with neither a working peering nor a shared transit gateway. */
const vpcIsolation = (u: NetworkUnit, v: NetworkUnit): LevelResult => {
  const overlap = overlappingCidrs(u.seg, v.seg);
  return {
    verdict: 'deny',
    reason: `${label(u)} and ${label(v)} are different VPCs with no active peering or shared transit gateway (peering is not transitive).`,
    rule: defaultRef('vpc-isolation', `no peering or transit gateway between ${label(u)} and ${label(v)}`),
    conns: EMPTY,
    fix: overlap
      ? `their CIDRs overlap (${overlap[0]}, ${overlap[1]}): re-address one VPC before peering, or move the service into ${label(v)}`
      : `peer ${label(u)} with ${label(v)} (or attach both to one transit gateway)`,
  };
};

/** The path between two different units: pod networks, else peering, else transit gateway, else isolation. */
const unitPath = (u: NetworkUnit, v: NetworkUnit, peerings: PeeringIndex, attachments: AttachmentIndex): PathResult => {
  if (u.kind !== 'vpc' || v.kind !== 'vpc') return podNetworkPath(u, v);
  const peered = peeringPath(u, v, peerings.get(pairKey(u.id, v.id)) ?? []);
  if (peered.verdict === 'allow') return peered;
  const transit = transitPath(u, v, attachments, peered.verdict === 'none' ? peered.deny : undefined);
  if (transit.verdict === 'allow') return transit;
  return { verdict: 'none', deny: (transit.verdict === 'none' ? transit.deny : undefined) ?? vpcIsolation(u, v) };
};

/** The verdict of the primary networks alone (pod network, user-defined networks, VPCs). */
const primaryVerdict = (
  ua: readonly NetworkUnit[],
  ub: readonly NetworkUnit[],
  path: (u: NetworkUnit, v: NetworkUnit) => PathResult,
): LevelResult => {
  if (ua.length === 0 || ub.length === 0) return noDataOpen('network', ub.length === 0);
  const same = ua.find((u) => ub.some((v) => v.id === u.id));
  if (same) {
    return {
      verdict: 'allow',
      reason: `${T.from} and ${T.to} are in the same ${same.kind === 'vpc' ? 'VPC' : 'network'} ${same.seg?.name ?? same.id}.`,
      rule: segmentRef(same.seg, same.id, `both in ${label(same)}`),
      conns: ALL,
      allowing: [same.id],
    };
  }
  let deny: LevelResult | undefined;
  for (const u of ua) {
    for (const v of ub) {
      const r = path(u, v);
      if (r.verdict === 'allow') return r;
      if (r.verdict === 'none' && r.deny) deny ??= r.deny;
    }
  }
  if (deny) return deny;
  return {
    verdict: 'open',
    reason: `${label(ua[0] as NetworkUnit)} and ${label(ub[0] as NetworkUnit)} are networks of different kinds; no relation between them is known.`,
    conns: ALL,
  };
};

/**
 * Reachability between network units. Kubernetes namespace networks without a known cluster parent are
 * taken as one flat cluster network (namespaces do not isolate traffic). Units of different kinds
 * (a VPC and a VLAN) have no relation we can judge, so the level stays open for them.
 */
export const createNetworkLevel = (core: IndexCore): NetworkLevel => {
  const peerings = indexPeerings(core);
  const attachments = indexAttachments(core);
  const vpcOfAddress = vpcHolding(core);
  const units = core.memoFn('network.units', (i): NetworkUnit[] => {
    const out: NetworkUnit[] = [];
    for (const id of membershipOf(core.services[i] as never, 'network')) {
      // Secondary networks (Multus attachments) are segments of their own; pairs are judged on the primary network.
      if (kindOf(core.segments.get(id)) === SECONDARY_KIND) continue;
      const u = unitOf(core, id);
      if (!out.some((o) => o.id === u.id)) out.push(u);
    }
    // An address no file places (an outside range) is in the VPC whose CIDRs hold it: AWS routes it there.
    const vpc = out.length === 0 ? vpcOfAddress(i) : undefined;
    if (vpc) out.push({ id: vpc.id, seg: vpc, kind: 'vpc' });
    return out;
  });
  // Verdicts on address-only peers depend on the address itself (routes, ACL entries, gateways).
  const byAddress = (i: number): boolean => hasVpcCidrs(core) && isAddressOnly(core, i);
  const secondaries = core.memoFn('network.secondaries', (i): string[] =>
    membershipOf(core.services[i] as never, 'network')
      .filter((id) => kindOf(core.segments.get(id)) === SECONDARY_KIND)
      .sort(),
  );
  const NO_SHARED: readonly string[] = [];
  const sharedSecondary = (a: number, b: number): readonly string[] => {
    const sa = secondaries(a);
    if (sa.length === 0) return NO_SHARED;
    const sb = secondaries(b);
    return sb.length === 0 ? NO_SHARED : sa.filter((id) => sb.includes(id));
  };
  const path = (u: NetworkUnit, v: NetworkUnit) => unitPath(u, v, peerings, attachments);
  const primary = (a: number, b: number): LevelResult => primaryVerdict(units(a), units(b), path);

  return {
    level: 'network',
    units,
    sharedSecondary,
    primaryPermits: (a, b) => primary(a, b).verdict !== 'deny',
    signature: (i) => {
      const ids = units(i)
        .map((u) => u.id)
        .sort()
        .join(',');
      const withAddress = byAddress(i) ? `${ids}@${(core.services[i]?.addresses ?? []).join(',')}` : ids;
      const sec = secondaries(i);
      return sec.length > 0 ? `${withAddress}|${sec.join(',')}` : withAddress;
    },
    callerIrrelevant: (b) => units(b).length === 0 && !byAddress(b) && secondaries(b).length === 0,
    permits(a, b) {
      return this.evaluate(a, b).verdict !== 'deny';
    },
    evaluate: (a, b): LevelResult => {
      const r = primary(a, b);
      if (r.verdict !== 'deny') return r;
      // A secondary network is a path of its own: pods attached to it reach each other over it (Multus, OVN-Kubernetes).
      const shared = sharedSecondary(a, b);
      if (shared.length === 0) return r;
      const seg = core.segments.get(shared[0] as string);
      return {
        verdict: 'allow',
        reason: `${T.from} and ${T.to} are both attached to secondary network ${seg?.name ?? shared[0]}, a path besides their primary networks (${r.reason.replace(/\.$/, '')}).`,
        rule: segmentRef(seg, shared[0] as string, `both attached to secondary network ${seg?.name ?? shared[0]}`),
        conns: ALL,
        allowing: [...shared],
      };
    },
  };
};
