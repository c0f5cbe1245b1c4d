// Transit gateway route tables on the network level: a transit gateway path needs a route to the peer's attachment, both ways.
import type { TgwAttachmentRule, TgwRouteEntry, TgwRouteTableRule } from '../../model/types';
import { EMPTY } from '../connset';
import { type IndexCore, type LevelResult, membershipOf, ruleRef, T } from '../core';
import type { NetworkLevel } from './network';
import { longestMatch } from './route-table';

/** A table's routes (search-transit-gateway-routes) under the name describe-transit-gateway-route-tables gives it. */
interface TgwTable {
  name: string;
  routes: readonly TgwRouteEntry[];
  rule: TgwRouteTableRule;
}

const buildTables = (rules: readonly TgwRouteTableRule[]): Map<string, TgwTable> => {
  const names = new Map<string, string>();
  for (const r of rules) if (r.name && !names.has(r.routeTableId)) names.set(r.routeTableId, r.name);
  const out = new Map<string, TgwTable>();
  for (const r of rules) {
    if (!r.routes || out.has(r.routeTableId)) continue;
    out.set(r.routeTableId, { name: names.get(r.routeTableId) ?? r.routeTableId, routes: r.routes, rule: r });
  }
  return out;
};

const attachmentId = (r: TgwAttachmentRule): string => r.id.replace(/^aws:/, '');

/** A static blackhole route names no attachment and drops on purpose; one naming an attachment lost it. */
const blackholeWhy = (route: TgwRouteEntry): string =>
  route.attachments.length
    ? `its attachment ${route.attachments.join(', ')} is gone`
    : 'a static blackhole route, which drops what it matches';

/**
 * Wraps the network level with transit gateway route tables. "When traffic is routed from a VPC attachment
 * to the transit gateway, the transit gateway routes it using the route table associated with the
 * attachment", the most specific route first (Amazon VPC Transit Gateways, "How transit gateways work").
 * A transit gateway path between two VPCs is taken only when the caller's attachment's table routes the
 * callee's address to the callee's attachment and the callee's table routes the response back; a
 * blackhole route carries nothing: a TGW attachment with no route is no path. An attachment whose
 * table's routes are not loaded does not restrict.
 */
export const withTgwRouteTables = (core: IndexCore, inner: NetworkLevel): NetworkLevel => {
  const tables = core.shared('tgw-route-table.index', () => buildTables(core.rulesOf('tgw-route-table')));
  if (tables.size === 0) return inner;
  const destOf = core.memoFn('tgw-route-table.dest', (i) => {
    const addresses = core.services[i]?.addresses ?? [];
    let cidrs: string[] = [];
    for (const id of membershipOf(core.services[i] as never, 'network')) {
      const seg = core.nearest(id, ['subnet']) ?? core.nearest(id, ['vpc']);
      if (seg?.cidrs?.length) {
        cidrs = seg.cidrs;
        break;
      }
    }
    return { addresses, cidrs };
  });
  const signature = core.memoFn('tgw-route-table.signature', (i): string => {
    const d = destOf(i);
    return `${inner.signature(i)}|tgw:${d.addresses.join(',')}|${d.cidrs.join(',')}`;
  });
  const vpcName = (r: TgwAttachmentRule) => core.segments.get(r.vpc)?.name ?? r.vpc;

  /** The leg from `from`'s attachment to `to`'s: undefined when its table carries it (or is not loaded). */
  const leg = (
    from: TgwAttachmentRule,
    to: TgwAttachmentRule,
    peer: number,
    back: boolean,
  ): LevelResult | undefined => {
    const table = from.routeTable ? tables.get(from.routeTable) : undefined;
    if (!table) return undefined;
    const who = back ? T.from : T.to;
    const way = back ? 'the response back to' : 'traffic to';
    const where = `transit gateway route table ${table.name} (${vpcName(from)}'s attachment ${attachmentId(from)})`;
    const damaged = table.routes.find((r) => r.damaged);
    const route = damaged ? undefined : longestMatch(table.routes, destOf(peer));
    const toId = attachmentId(to);
    if (route && route.state !== 'blackhole' && route.attachments.includes(toId)) return undefined;
    const reason = damaged
      ? `${where} has a route that could not be read, so which way it sends traffic is unknown; segscope takes no path through it.`
      : !route
        ? `${where} has no route for ${way} ${who}, so the path through ${from.transitGateway} is not used: no route, no path.`
        : route.state === 'blackhole'
          ? `${where} routes ${way} ${who} (${route.destination}) to a blackhole (${blackholeWhy(route)}).`
          : `${where} routes ${way} ${who} (${route.destination}) to ${route.attachments.join(', ')}, not to ${toId} (${vpcName(to)}).`;
    const hit = damaged ?? route;
    const ref = ruleRef(
      table.rule,
      hit
        ? `${table.name}: ${hit.destination} → ${hit.attachments.join(', ') || 'blackhole'}`
        : `${table.name}: no route to ${who}`,
    );
    if (hit?.source) ref.source = hit.source;
    const peerAddress = back ? T.fromAddress : T.toAddress;
    return {
      verdict: 'deny',
      reason,
      rule: ref,
      conns: EMPTY,
      fix: `add a route to ${peerAddress} via ${toId} in ${table.name} (or propagate ${vpcName(to)}'s attachment into it)`,
    };
  };

  const evaluate = (a: number, b: number, c?: Parameters<NetworkLevel['evaluate']>[2]): LevelResult => {
    const base = inner.evaluate(a, b, c);
    if (base.verdict !== 'allow') return base;
    // The network level names the caller's attachment first, then the callee's.
    const [x, y] = (base.allowing ?? []).flatMap((id) => {
      const r = core.rulesById.get(id);
      return r?.type === 'tgw-attachment' ? [r] : [];
    });
    if (!x || !y) return base;
    return leg(x, y, b, false) ?? leg(y, x, a, true) ?? base;
  };

  return { ...inner, signature, evaluate, permits: (a, b) => evaluate(a, b).verdict !== 'deny' };
};
