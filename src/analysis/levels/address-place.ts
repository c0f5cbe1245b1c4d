// Where an address with no network membership lies: the loaded VPC and subnet whose CIDRs hold it.
import type { Segment } from '../../model/types';
import { type IndexCore, kindOf, membershipOf } from '../core';
import { cidrContainsAny } from '../net';

/**
 * An outside peer known only by its address (an address range of `connlist`, an external service with
 * an address): kind `external`, no network membership, at least one address. Its place is found from
 * the CIDRs of the loaded VPCs and subnets, which is where AWS routes such an address (the "local" route
 * of the VPC that holds it). A workload with no network membership has no network data: it stays open.
 */
export const isAddressOnly = (core: IndexCore, i: number): boolean => {
  const s = core.services[i];
  return (
    s !== undefined &&
    s.kind === 'external' &&
    (s.addresses?.length ?? 0) > 0 &&
    membershipOf(s, 'network').length === 0
  );
};

const segmentsOfKind = (core: IndexCore, kind: string): Segment[] =>
  core.shared(`address-place.${kind}`, () =>
    [...core.segments.values()].filter((s) => kindOf(s) === kind && (s.cidrs?.length ?? 0) > 0),
  );

/** True when some loaded VPC has CIDRs, so an address can be placed inside or outside of it. */
export const hasVpcCidrs = (core: IndexCore): boolean => segmentsOfKind(core, 'vpc').length > 0;

const holding = (core: IndexCore, kind: string, i: number): Segment | undefined => {
  if (!isAddressOnly(core, i)) return undefined;
  const addresses = core.services[i]?.addresses ?? [];
  return segmentsOfKind(core, kind).find((s) => (s.cidrs ?? []).some((c) => cidrContainsAny(c, addresses)));
};

/** The loaded VPC whose CIDRs hold an address-only peer's address, if any. */
export const vpcHolding = (core: IndexCore): ((i: number) => Segment | undefined) =>
  core.memoFn('address-place.vpc', (i) => holding(core, 'vpc', i));

/** The loaded subnet whose CIDRs hold an address-only peer's address, if any. */
export const subnetHolding = (core: IndexCore): ((i: number) => Segment | undefined) =>
  core.memoFn('address-place.subnet', (i) => holding(core, 'subnet', i));
