// Finding vpc-abuse: many tiny VPCs, overlapping CIDRs where peering is needed, subnets running out of addresses.
import type { AnalysisIndex } from '../context';
import { kindOf } from '../core';
import { overlappingCidrs } from '../levels/network';
import { tallyOf } from '../tally';
import type { Finding } from '../types';
import { type FindingRule, segmentName } from './context';

/** "Many tiny VPCs": at least this many VPCs… */
export const TINY_VPC_COUNT = 5;
/** …each holding at most this many services (and at least one). */
export const TINY_VPC_SERVICES = 2;
/** A subnet is nearly full when this share of its usable addresses is in use. */
export const SUBNET_FULL_SHARE = 0.9;

/** A service's VPCs (its network units of kind vpc). */
const vpcsOf = (ix: AnalysisIndex, i: number): string[] =>
  ix.memoFn('vpc-abuse.vpcs', (j) =>
    ix.levels.network
      .units(j)
      .filter((u) => u.kind === 'vpc')
      .map((u) => u.id),
  )(i);

/** Services per VPC (a what-if patches the moved service's). */
export const servicesPerVpc = tallyOf('services', (ix, i) => vpcsOf(ix, i).map((v) => [v, 1] as const));

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** VPC pairs a call crosses, counted by calls (a what-if patches the calls of the moved service). */
export const crossVpcCalls = tallyOf('calls', (ix, k) => {
  const c = ix.ws.calls[k];
  const a = c && ix.byId.get(c.from);
  const b = c && ix.byId.get(c.to);
  if (a === undefined || b === undefined) return [];
  const va = vpcsOf(ix, a);
  if (va.length === 0) return [];
  const vb = vpcsOf(ix, b);
  const out: [string, number][] = [];
  for (const u of va) for (const v of vb) if (u !== v) out.push([pairKey(u, v), 1]);
  return out;
});

export const vpcAbuse: FindingRule = (ctx) => {
  const { ix } = ctx;
  const out: Finding[] = [];
  const tiny = [...servicesPerVpc.of(ix).sum]
    .filter(([, n]) => n >= 1 && n <= TINY_VPC_SERVICES)
    .map(([id]) => id)
    .sort();
  if (tiny.length >= TINY_VPC_COUNT) {
    out.push({
      id: 'vpc-abuse',
      key: 'vpc-abuse:tiny-vpcs',
      severity: 'warn',
      level: 'network',
      services: [],
      segments: tiny,
      message: `${tiny.length} VPCs hold only ${TINY_VPC_SERVICES} services or fewer each: VPCs are being used as fine-grained segments, which costs peerings and VPC quota.`,
      fix: 'merge the tiny VPCs and segment inside them with security groups or policies',
    });
  }
  // Overlaps matter where the two VPCs need each other: a peering exists or a call crosses.
  const needed = new Set<string>(crossVpcCalls.of(ix).n.keys());
  for (const p of ix.rulesOf('vpc-peering')) needed.add(pairKey(p.requester, p.accepter));
  // Overlaps depend on the segments alone: once per pair, for every index over the same segments.
  const overlaps = ix.shared('vpc-abuse.overlaps', () => new Map<string, ReturnType<typeof overlappingCidrs>>());
  for (const key of [...needed].sort()) {
    const [a, b] = key.split('|') as [string, string];
    const sa = ix.segments.get(a);
    const sb = ix.segments.get(b);
    if (kindOf(sa) !== 'vpc' || kindOf(sb) !== 'vpc') continue;
    if (!overlaps.has(key)) overlaps.set(key, overlappingCidrs(sa, sb));
    const overlap = overlaps.get(key);
    if (!overlap) continue;
    out.push({
      id: 'vpc-abuse',
      key: `vpc-abuse:overlap:${key}`,
      severity: 'warn',
      level: 'network',
      services: [],
      segments: [a, b],
      message: `${segmentName(ctx, a)} (${overlap[0]}) and ${segmentName(ctx, b)} (${overlap[1]}) overlap, so they cannot be peered although they need each other.`,
      fix: `re-address ${segmentName(ctx, b)} to a range that does not overlap ${overlap[0]}`,
    });
  }
  for (const u of ctx.quotas) {
    if (u.quota !== 'aws.reserved-addresses-per-subnet' || u.limit <= 0) continue;
    if (u.used / u.limit < SUBNET_FULL_SHARE) continue;
    out.push({
      id: 'vpc-abuse',
      key: `vpc-abuse:subnet-full:${u.subject.id}`,
      severity: u.used >= u.limit ? 'error' : 'warn',
      level: 'network',
      services: [],
      segments: [u.subject.id],
      message: `Subnet ${segmentName(ctx, u.subject.id)} has ${Math.max(0, u.limit - u.used)} of ${u.limit} usable addresses left.`,
      fix: 'add a subnet or a secondary CIDR block before scaling further',
      figures: { used: u.used, limit: u.limit, quota: u.quota },
    });
  }
  return out;
};
