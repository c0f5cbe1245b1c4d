// Finding vpc-abuse: many tiny VPCs, overlapping CIDRs where peering is needed, subnets running out of addresses.
import { kindOf } from '../core';
import { overlappingCidrs } from '../levels/network';
import type { Finding } from '../types';
import { type FindingRule, segmentName } from './context';

/** "Many tiny VPCs": at least this many VPCs… */
export const TINY_VPC_COUNT = 5;
/** …each holding at most this many services (and at least one). */
export const TINY_VPC_SERVICES = 2;
/** A subnet is nearly full when this share of its usable addresses is in use. */
export const SUBNET_FULL_SHARE = 0.9;

export const vpcAbuse: FindingRule = (ctx) => {
  const { ix } = ctx;
  const out: Finding[] = [];
  const network = ix.levels.network;
  const perVpc = new Map<string, number>();
  ix.services.forEach((_s, i) => {
    for (const u of network.units(i)) if (u.kind === 'vpc') perVpc.set(u.id, (perVpc.get(u.id) ?? 0) + 1);
  });
  const tiny = [...perVpc]
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
  const needed = new Set<string>();
  const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  for (const p of ix.rulesOf('vpc-peering')) needed.add(pairKey(p.requester, p.accepter));
  // Cross-VPC calls: one pass with VPC ids per service, deduplicated by VPC pair.
  const vpcsOf = ix.memoFn('vpc-abuse.vpcs', (i) =>
    network
      .units(i)
      .filter((u) => u.kind === 'vpc')
      .map((u) => u.id),
  );
  const seenPair = new Map<string, Set<string>>();
  for (const c of ix.ws.calls) {
    const a = ix.byId.get(c.from);
    const b = ix.byId.get(c.to);
    if (a === undefined || b === undefined) continue;
    const va = vpcsOf(a);
    if (va.length === 0) continue;
    const vb = vpcsOf(b);
    for (const u of va) {
      for (const v of vb) {
        if (u === v) continue;
        let set = seenPair.get(u);
        if (!set) {
          set = new Set();
          seenPair.set(u, set);
        }
        if (set.has(v)) continue;
        set.add(v);
        needed.add(pairKey(u, v));
      }
    }
  }
  for (const key of [...needed].sort()) {
    const [a, b] = key.split('|') as [string, string];
    const sa = ix.segments.get(a);
    const sb = ix.segments.get(b);
    if (kindOf(sa) !== 'vpc' || kindOf(sb) !== 'vpc') continue;
    const overlap = overlappingCidrs(sa, sb);
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
