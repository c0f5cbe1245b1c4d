// Internet paths on the network level: an address outside every loaded VPC meets an instance only through a gateway.
import type { RouteEntry } from '../../model/types';
import { ALL, EMPTY } from '../connset';
import { defaultRef, type IndexCore, type LevelResult, ruleRef, segmentRef, T } from '../core';
import { exposureOf } from '../exposure';
import type { RuleRef } from '../types';
import { hasVpcCidrs, isAddressOnly } from './address-place';
import type { NetworkLevel, NetworkUnit } from './network';
import { routeFor, tablePlaceOf } from './route-table';

/** How a subnet's table sends traffic for one outside address (undefined: its table is not loaded). */
type Way = { kind: 'igw' | 'nat' | 'other' | 'none' | 'blackhole'; route?: RouteEntry };

/** An egress-only internet gateway carries IPv6 out and nothing in, as a NAT gateway does for IPv4. */
const OUT_ONLY = ['nat-', 'eigw-'];

const wayOf = (route: RouteEntry | undefined): Way => {
  if (!route) return { kind: 'none' };
  if (route.state === 'blackhole') return { kind: 'blackhole', route };
  if (route.target.startsWith('igw-')) return { kind: 'igw', route };
  if (OUT_ONLY.some((p) => route.target.startsWith(p))) return { kind: 'nat', route };
  return { kind: 'other', route };
};

const USER_GUIDE =
  '"To enable access to or from the internet for instances in a subnet … ensure that instances in your subnet have a public IPv4 address" (AWS VPC User Guide, "Enable internet access for a subnet")';

/** What the two directions read: the index, exposure, the VPC of a side, the way out for an address. */
interface Ctx {
  core: IndexCore;
  exposure: ReturnType<typeof exposureOf>;
  vpcOf: (i: number) => NetworkUnit | undefined;
  way: (w: number, x: number) => Way | undefined;
  wayRef: (w: number, r: Way, peer: string) => RuleRef;
}

const isV6 = (address: string | undefined): boolean => address?.includes(':') === true;

/**
 * Whether w has an address the internet can reach for x's family: a public IPv4 (or Elastic IP) for an
 * IPv4 peer, any IPv6 address for an IPv6 one ("IPv6 addresses are globally unique, and therefore public
 * by default", AWS VPC User Guide, "IP addressing").
 */
const publicFor = (k: Ctx, w: number, x: number): { ok: boolean; what: string } => {
  const s = k.core.services[w];
  return isV6(k.core.services[x]?.addresses?.[0])
    ? { ok: (s?.addresses ?? []).some(isV6), what: 'IPv6 address' }
    : { ok: s?.exposed === true, what: 'public address' };
};

/** The VPC of w is known to have no internet gateway attached (a file listed the gateways, none for it). */
const noGateway = (k: Ctx, w: number): boolean => {
  const g = k.vpcOf(w)?.seg?.attributes?.internetGateways;
  return Array.isArray(g) && g.length === 0;
};

const deny = (reason: string, rule: RuleRef, fix: string): LevelResult => ({
  verdict: 'deny',
  reason,
  rule,
  conns: EMPTY,
  fix,
});
const open = (reason: string): LevelResult => ({ verdict: 'open', reason, conns: ALL });

/** w → x, x outside every loaded VPC. */
const toInternet = (k: Ctx, w: number, x: number): LevelResult => {
  const { vpcOf, way, wayRef } = k;
  const r = way(w, x);
  const vpc = vpcOf(w);
  const pub = publicFor(k, w, x);
  const viaIgw = pub.ok && (r ? r.kind === 'igw' : !noGateway(k, w));
  if (!pub.ok && pub.what === 'IPv6 address') {
    return deny(
      `${T.from} has no IPv6 address, so it sends nothing to ${T.to} (an IPv6 address outside every loaded VPC).`,
      segmentRef(vpc?.seg, vpc?.id ?? '', `${T.from} has no IPv6 address`),
      `assign an IPv6 address to ${T.from}`,
    );
  }
  if (r?.kind === 'other') {
    return open(
      `${T.from}'s subnet routes traffic to ${T.to} to ${r.route?.target}, a path segscope does not follow, so this level does not restrict it.`,
    );
  }
  if (r?.kind === 'nat') {
    return {
      verdict: 'allow',
      reason: `${T.from} reaches ${T.to} (outside every loaded VPC) through ${r.route?.target.startsWith('eigw-') ? 'egress-only internet' : 'NAT'} gateway ${r.route?.target}, which lets nothing in.`,
      rule: wayRef(w, r, T.to),
      conns: ALL,
    };
  }
  if (r && r.kind !== 'igw') {
    return deny(
      `${T.from}'s subnet has ${r.kind === 'blackhole' ? `a blackhole route (${r.route?.target})` : 'no route'} for ${T.to}, which is outside every loaded VPC: no route, no path.`,
      wayRef(w, r, T.to),
      `add a route to ${T.toAddress} via an internet or NAT gateway`,
    );
  }
  if (viaIgw) {
    return {
      verdict: 'allow',
      reason: `${T.from} has a${pub.what === 'IPv6 address' ? 'n' : ''} ${pub.what} and its subnet reaches the internet gateway of VPC ${vpc?.seg?.name ?? vpc?.id}, so it reaches ${T.to} (outside every loaded VPC).`,
      rule: r
        ? wayRef(w, r, T.to)
        : segmentRef(vpc?.seg, vpc?.id ?? '', `internet gateway of ${vpc?.seg?.name ?? vpc?.id}`),
      conns: ALL,
    };
  }
  if (r?.kind === 'igw') {
    return deny(
      `${T.from} has no ${pub.what}, so the internet gateway its subnet routes ${T.to} to cannot carry its traffic: ${USER_GUIDE}.`,
      wayRef(w, r, T.to),
      `associate an Elastic IP with ${T.from}, or route internet-bound traffic through a NAT gateway`,
    );
  }
  return open(
    `${T.from} has no ${pub.what}; with no route table loaded, whether a NAT gateway carries its traffic to ${T.to} (outside every loaded VPC) is not known, so this level does not restrict it.`,
  );
};

/** x → w, x outside every loaded VPC. */
const fromInternet = (k: Ctx, x: number, w: number): LevelResult => {
  const { exposure, vpcOf, way, wayRef } = k;
  const r = way(w, x);
  const vpc = vpcOf(w);
  const pub = publicFor(k, w, x);
  if (r?.kind === 'other') {
    return open(
      `${T.to}'s subnet routes traffic to ${T.from} to ${r.route?.target}, a path segscope does not follow, so this level does not restrict it.`,
    );
  }
  if (!pub.ok) {
    return deny(
      `${T.to} has no ${pub.what}, so nothing outside every loaded VPC (${T.from}) can reach it: ${USER_GUIDE}.`,
      segmentRef(vpc?.seg, vpc?.id ?? '', `${T.to} has no ${pub.what}`),
      `associate an Elastic IP with ${T.to}, or put it behind a load balancer in a public subnet`,
    );
  }
  // The exposure rule (a route or an attached gateway) is the IPv4 one; IPv6 needs the same gateway.
  const e = pub.what === 'IPv6 address' ? { exposed: r !== undefined || !noGateway(k, w) } : exposure(w);
  if (!e.exposed) {
    const ref = defaultRef('internet', `${T.to} is not reachable from the internet`);
    if ('source' in e && e.source) ref.source = e.source;
    return deny(
      ('reason' in e ? e.reason : undefined) ??
        `VPC ${vpc?.seg?.name ?? vpc?.id} has no internet gateway attached, so nothing outside every loaded VPC reaches ${T.to}.`,
      ref,
      'route the subnet to an internet gateway',
    );
  }
  if (r && r.kind !== 'igw') {
    return deny(
      `${T.to}'s subnet sends the response to ${T.from} ${r.kind === 'none' ? 'nowhere (no route)' : `to ${r.route?.target}`}, not to the internet gateway, so the connection cannot complete.`,
      wayRef(w, r, T.from),
      `route ${T.fromAddress} to the internet gateway`,
    );
  }
  return {
    verdict: 'allow',
    reason: `${T.to} has a${pub.what === 'IPv6 address' ? 'n' : ''} ${pub.what} and its subnet reaches the internet gateway of VPC ${vpc?.seg?.name ?? vpc?.id}, so ${T.from} (outside every loaded VPC) reaches it.`,
    rule: r
      ? wayRef(w, r, T.from)
      : segmentRef(vpc?.seg, vpc?.id ?? '', `internet gateway of ${vpc?.seg?.name ?? vpc?.id}`),
    conns: ALL,
  };
};

/**
 * Wraps the network level for pairs of an instance in a VPC and an address outside every loaded VPC
 * (the internet, for `connlist`'s outside ranges). From the internet in: the instance needs a public
 * address and its subnet a route to an internet gateway (the exposure rule), and the route for the
 * response to that address must be the internet gateway. Out to the internet: through the internet
 * gateway with a public address, or through a NAT gateway ("instances in private subnets can connect
 * to the internet through a NAT gateway", AWS VPC User Guide, "NAT gateways"), which lets nothing in.
 * A route to another target (a transit gateway, a VPN) leaves the pair to that path, unjudged; without
 * a loaded route table an instance with no public address may still go out through a NAT gateway, so
 * only the way in is denied.
 */
export const withInternetPaths = (core: IndexCore, inner: NetworkLevel): NetworkLevel => {
  if (!hasVpcCidrs(core)) return inner;
  const exposure = exposureOf(core);
  const place = tablePlaceOf(core);
  const outside = (i: number) => isAddressOnly(core, i) && inner.units(i).length === 0;
  const vpcOf = (i: number) => inner.units(i).find((u) => u.kind === 'vpc');
  const way = (w: number, x: number): Way | undefined => {
    const p = place(w);
    return p ? wayOf(routeFor(p.table, { addresses: core.services[x]?.addresses ?? [], cidrs: [] })) : undefined;
  };
  const wayRef = (w: number, r: Way, peer: string): RuleRef => {
    const table = place(w)?.table;
    if (!table) return defaultRef('internet', `no route table loaded for ${peer}`);
    const name = table.name ?? table.routeTableId;
    const ref = ruleRef(
      table,
      r.route ? `${name}: ${r.route.destination} → ${r.route.target}` : `${name}: no route to ${peer}`,
    );
    if (r.route?.source) ref.source = r.route.source;
    return ref;
  };
  const k: Ctx = { core, exposure, vpcOf, way, wayRef };
  // Verdicts depend on the public address and the exposure of the instance side.
  const signature = core.memoFn('internet.signature', (i): string => {
    const e = exposure(i);
    return `${inner.signature(i)}|${core.services[i]?.exposed === true ? 1 : 0}${e.exposed ? 1 : 0}`;
  });
  const evaluate = (a: number, b: number, c?: Parameters<NetworkLevel['evaluate']>[2]): LevelResult => {
    const base = inner.evaluate(a, b, c);
    if (base.verdict !== 'open') return base;
    if (outside(b) && vpcOf(a)) return toInternet(k, a, b);
    if (outside(a) && vpcOf(b)) return fromInternet(k, a, b);
    return base;
  };
  return {
    ...inner,
    signature,
    evaluate,
    permits: (a, b) => evaluate(a, b).verdict !== 'deny',
  };
};
