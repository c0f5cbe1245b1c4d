// Internet exposure: a public address reaches the internet only through an internet gateway route (AWS).
import type { SourceLocation } from '../model/types';
import { type IndexCore, membershipOf } from './core';
import { tablePlaceOf } from './levels/route-table';
import type { Unexposed } from './types';

/** Whether a service is reachable from the internet, and why not when it has a public address. */
export interface Exposure {
  exposed: boolean;
  /** Why a service with a public address is not exposed: the route table or VPC that keeps it off the internet. */
  reason?: string;
  source?: SourceLocation;
}

const NOT_EXPOSED: Exposure = { exposed: false };
const EXPOSED: Exposure = { exposed: true };

const isInternetGateway = (target: string): boolean => target.startsWith('igw-');

/**
 * A service imported as exposed (a public IPv4 or Elastic IP, a published port) is exposed unless the
 * loaded AWS data says its subnet cannot reach the internet. "To enable access to or from the internet
 * for instances in a subnet … attach an internet gateway to your VPC, add a route to your subnet's route
 * table that directs internet-bound traffic to the internet gateway, ensure that instances in your
 * subnet have a public IPv4 address" (AWS VPC User Guide, "Enable internet access for a subnet"); "if
 * a subnet is associated with a route table that does not have a route to an internet gateway, it's
 * known as a private subnet". So: the subnet's table (its association, else the VPC's main table) needs
 * a route to an `igw-…` that is not a blackhole (a NAT gateway route carries only outbound traffic);
 * without a loaded table, a VPC known to have no internet gateway attached keeps it off. A table with a
 * route that could not be read, or no AWS data, leaves the service as imported.
 */
export const exposureOf = (core: IndexCore): ((i: number) => Exposure) => {
  const place = tablePlaceOf(core);
  return core.memoFn('exposure', (i): Exposure => {
    const s = core.services[i];
    if (s?.exposed !== true) return NOT_EXPOSED;
    const p = place(i);
    if (p) {
      const { table, subnet } = p;
      if (table.routes.some((r) => r.damaged)) return EXPOSED;
      if (table.routes.some((r) => isInternetGateway(r.target) && r.state !== 'blackhole')) return EXPOSED;
      const name = table.name ?? table.routeTableId;
      const internet = table.routes.find((r) => r.destination === '0.0.0.0/0' || r.destination === '::/0');
      const reason = internet
        ? `${name} (${subnet.name}) sends internet-bound traffic (${internet.destination}) to ${internet.target}${internet.state === 'blackhole' ? ', a blackhole' : ''}, not to an internet gateway: ${subnet.name} is a private subnet, so its public address is not reachable from the internet.`
        : `${name} (${subnet.name}) has no route to an internet gateway: ${subnet.name} is a private subnet, so its public address is not reachable from the internet.`;
      const source = internet?.source ?? table.source;
      return source ? { exposed: false, reason, source } : { exposed: false, reason };
    }
    const overlay = membershipOf(s, 'overlay').map((id) => core.segments.get(id));
    const internal = overlay[0]?.attributes?.internal === true ? overlay[0] : undefined;
    if (internal && overlay.every((seg) => seg?.attributes?.internal === true)) {
      // Docker: an internal network has no route off the host, so a port published on it is not reachable.
      const names = overlay.map((seg) => seg?.name).join(', ');
      const reason = `${s.name} is only on internal network${overlay.length > 1 ? 's' : ''} ${names}, which Docker gives no route off the host, so its published ports are not reachable from the internet.`;
      const source = internal.source?.[0];
      return source ? { exposed: false, reason, source } : { exposed: false, reason };
    }
    for (const id of membershipOf(s, 'network')) {
      const vpc = core.nearest(id, ['vpc']);
      const gateways = vpc?.attributes?.internetGateways;
      if (!vpc || !Array.isArray(gateways) || gateways.length > 0) continue;
      const reason = `VPC ${vpc.name} has no internet gateway attached, so a public address in it is not reachable from the internet.`;
      const source = vpc.source?.[0];
      return source ? { exposed: false, reason, source } : { exposed: false, reason };
    }
    return EXPOSED;
  });
};

/** Services imported with a public address that the loaded routes keep off the internet, with why. */
export const unexposedServices = (core: IndexCore): Unexposed[] => {
  const of = exposureOf(core);
  const out: Unexposed[] = [];
  core.services.forEach((s, i) => {
    const e = of(i);
    if (s.exposed !== true || e.exposed) return;
    out.push(
      e.source
        ? { service: s.id, reason: e.reason ?? '', source: e.source }
        : { service: s.id, reason: e.reason ?? '' },
    );
  });
  return out;
};
