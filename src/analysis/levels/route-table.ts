// Route tables on the network level: a peering or transit gateway path needs a route to the peer, both ways.
import type { RouteEntry, RouteTableRule, Segment } from '../../model/types';
import { EMPTY } from '../connset';
import { type IndexCore, type LevelResult, membershipOf, ruleRef, T } from '../core';
import { cidrContainsAny, parseCidr } from '../net';
import type { NetworkLevel } from './network';

/** outer holds every address of inner. */
const covers = (outer: string, inner: string): boolean => {
  const a = parseCidr(outer);
  const b = parseCidr(inner);
  if (!a || !b || a[0].kind() !== b[0].kind() || a[1] > b[1]) return false;
  return b[0].match(a[0], a[1]);
};
const prefixLength = (cidr: string): number => parseCidr(cidr)?.[1] ?? -1;

interface TableIndex {
  bySubnet: Map<string, RouteTableRule>;
  mainByVpc: Map<string, RouteTableRule>;
}

const buildTableIndex = (tables: readonly RouteTableRule[]): TableIndex => {
  const bySubnet = new Map<string, RouteTableRule>();
  const mainByVpc = new Map<string, RouteTableRule>();
  for (const t of tables) {
    for (const s of t.subnets) if (!bySubnet.has(s)) bySubnet.set(s, t);
    if (t.main && t.vpc && !mainByVpc.has(t.vpc)) mainByVpc.set(t.vpc, t);
  }
  return { bySubnet, mainByVpc };
};

/** A service's subnet and the route table that governs it (its association, else its VPC's main table). */
export interface TablePlace {
  subnet: Segment;
  table: RouteTableRule;
}

/** Where each service routes from: undefined when its subnet's table is not loaded. */
export const tablePlaceOf = (core: IndexCore): ((i: number) => TablePlace | undefined) => {
  const ix = core.shared('route-table.index', () => buildTableIndex(core.rulesOf('route-table')));
  return core.memoFn('route-table.place', (i): TablePlace | undefined => {
    for (const id of membershipOf(core.services[i] as never, 'network')) {
      const subnet = core.nearest(id, ['subnet']);
      if (!subnet) continue;
      const vpc = core.nearest(subnet.id, ['vpc'])?.id;
      const table = ix.bySubnet.get(subnet.id) ?? (vpc ? ix.mainByVpc.get(vpc) : undefined);
      if (table) return { subnet, table };
    }
    return undefined;
  });
};

/**
 * The route a packet to `dest` takes: "we use the most specific route in your route table that matches
 * the traffic" (AWS VPC User Guide, "Route priority"). `dest` is the peer's addresses, else its subnet's
 * or VPC's CIDRs (a route must hold all of them to be sure to carry the packet).
 */
export const routeFor = (
  table: RouteTableRule,
  dest: { addresses: string[]; cidrs: string[] },
): RouteEntry | undefined => longestMatch(table.routes, dest);

/** The most specific route holding `dest` (its addresses, else all of its CIDRs), of any route table's routes. */
export const longestMatch = <R extends { destination: string }>(
  routes: readonly R[],
  dest: { addresses: string[]; cidrs: string[] },
): R | undefined => {
  let best: R | undefined;
  for (const r of routes) {
    const hit =
      dest.addresses.length > 0
        ? cidrContainsAny(r.destination, dest.addresses)
        : dest.cidrs.length > 0 && dest.cidrs.every((c) => covers(r.destination, c));
    if (hit && (!best || prefixLength(r.destination) > prefixLength(best.destination))) best = r;
  }
  return best;
};

const targetOf = (id: string): string => id.replace(/^aws:/, '');

/**
 * Wraps the network level with the subnets' route tables. Inside a VPC the `local` route always carries
 * traffic. Between VPCs the path the network level found (a peering or a transit gateway) is used only
 * when the caller's subnet routes the callee's address to it and the callee's subnet routes the response
 * back: "a peering or TGW attachment with no route is no path". A subnet whose table is not loaded does
 * not restrict.
 */
export const withRouteTables = (core: IndexCore, inner: NetworkLevel): NetworkLevel => {
  const tables = core.rulesOf('route-table');
  if (tables.length === 0) return inner;
  const tgwOf = core.shared(
    'route-table.tgw',
    () => new Map(core.rulesOf('tgw-attachment').map((r) => [r.id, r.transitGateway])),
  );
  const place = tablePlaceOf(core);
  const destOf = (i: number) => {
    const p = place(i);
    const vpc = p ? core.nearest(p.subnet.id, ['vpc']) : undefined;
    return { addresses: core.services[i]?.addresses ?? [], cidrs: p?.subnet.cidrs ?? vpc?.cidrs ?? [] };
  };
  const signature = core.memoFn('route-table.signature', (i): string => {
    const p = place(i);
    return p
      ? `${inner.signature(i)}|${p.subnet.id}|${(core.services[i]?.addresses ?? []).join(',')}`
      : inner.signature(i);
  });

  const check = (from: number, to: number, targets: readonly string[], back: boolean): LevelResult | undefined => {
    const p = place(from);
    if (!p) return undefined;
    const name0 = p.table.name ?? p.table.routeTableId;
    const damaged = p.table.routes.find((r) => r.damaged);
    if (damaged) {
      // A route that could not be read may be the most specific one: the table's paths are not trusted.
      const ref = ruleRef(p.table, `${name0}: a route that could not be read`);
      if (damaged.source) ref.source = damaged.source;
      return {
        verdict: 'deny',
        reason: `${name0} (${p.subnet.name}) has a route that could not be read, so which way it sends traffic is unknown; segscope takes no path through it.`,
        rule: ref,
        conns: EMPTY,
        fix: `fix the unreadable route of ${name0}`,
      };
    }
    const route = routeFor(p.table, destOf(to));
    const peer = back ? T.from : T.to;
    const peerAddress = back ? T.fromAddress : T.toAddress;
    const name = name0;
    const way = back ? 'the response back to' : 'traffic to';
    const fix = `add a route to ${peerAddress} via ${targets[0]} in ${name}`;
    if (route && route.state !== 'blackhole' && targets.includes(route.target)) return undefined;
    const reason = !route
      ? `${name} (${p.subnet.name}) has no route for ${way} ${peer}, so the ${targets[0]} path is not used: no route, no path.`
      : route.state === 'blackhole'
        ? `${name} (${p.subnet.name}) routes ${way} ${peer} to ${route.target}, which is a blackhole (its target is gone).`
        : `${name} (${p.subnet.name}) routes ${way} ${peer} (${route.destination}) to ${route.target}, not through ${targets.join(' or ')}.`;
    const ref = ruleRef(
      p.table,
      route ? `${name}: ${route.destination} → ${route.target}` : `${name}: no route to ${peer}`,
    );
    if (route?.source) ref.source = route.source;
    return { verdict: 'deny', reason, rule: ref, conns: EMPTY, fix };
  };

  const evaluate = (a: number, b: number, c?: Parameters<NetworkLevel['evaluate']>[2]): LevelResult => {
    const base = inner.evaluate(a, b, c);
    if (base.verdict !== 'allow') return base;
    // Which path the network level used: a peering (its id is the route target) or a transit gateway.
    const via = (base.allowing ?? []).flatMap((id) => {
      const rule = core.rulesById.get(id);
      if (rule?.type === 'vpc-peering') return [targetOf(rule.id)];
      if (rule?.type === 'tgw-attachment') return [tgwOf.get(rule.id) ?? rule.transitGateway];
      return [];
    });
    if (via.length === 0) return base; // same VPC: the local route
    const targets = [...new Set(via)];
    return check(a, b, targets, false) ?? check(b, a, targets, true) ?? base;
  };

  return { ...inner, signature, evaluate, permits: (a, b) => evaluate(a, b).verdict !== 'deny' };
};
