// The generator's calls (power-law callees), the hubs they make, every service's memberships and the network level.
import type { Call, Service } from '../model/types';
import {
  accountIdOf,
  accountSeg,
  DOMAIN_WORDS,
  type Estate,
  REGION,
  type Team,
  type Tier,
  teamAt,
  type Vpc,
} from './estate';
import { below, hex8, pickPopular, shuffle } from './random';

export interface Traffic {
  calls: Call[];
  /** Caller and callee index of each call. */
  ends: (readonly [number, number])[];
  /** The most-called services, most first. */
  hubs: number[];
  /** Hub index → the security group of its own. */
  hubSg: Map<number, string>;
}

export const labelSet = (t: Team, tier: Tier): string => `policy:k8s:ns:${t.ns}:sel:tier=${tier}`;
export const domainNet = (d: number): string => `overlay:weave:${DOMAIN_WORDS[d % DOMAIN_WORDS.length]}-${d}`;

/** Calls: 60 % to the estate's popular services, 40 % inside the caller's domain; legacy calls the first VPC. */
const drawCalls = (e: Estate, callsWanted: number): { calls: Call[]; rankOf: Map<number, number> } => {
  const { n, rand, services } = e;
  const team = (i: number) => teamAt(e, i);
  const regularIdx = services.map((_, i) => i).filter((i) => !team(i).legacy);
  const byRank = [...shuffle(rand, regularIdx), ...services.map((_, i) => i).filter((i) => team(i).legacy)];
  const rankOf = new Map(byRank.map((i, r) => [i, r]));
  const inDomain: number[][] = Array.from({ length: e.shape.domains }, () => []);
  for (const i of byRank) inDomain[team(i).domain]?.push(i);
  const firstVpc = byRank.filter((i) => team(i).vpc === 0 && !team(i).legacy);
  const calls: Call[] = [];
  const seen = new Set<number>();
  const maxCalls = Math.min(callsWanted, n * (n - 1));
  for (let guard = 0; calls.length < maxCalls && guard < maxCalls * 30; guard++) {
    const a = below(rand, n);
    const ta = team(a);
    let b: number;
    if (ta.legacy)
      b = rand() < 0.9 && firstVpc.length > 0 ? pickPopular(rand, firstVpc, 3) : pickPopular(rand, byRank, 5);
    else if (rand() < 0.6) b = pickPopular(rand, byRank, 5);
    else b = pickPopular(rand, inDomain[ta.domain] as number[], 3);
    if (a === b || seen.has(a * n + b)) continue;
    seen.add(a * n + b);
    calls.push({
      from: (services[a] as Service).id,
      to: (services[b] as Service).id,
      port: (services[b] as Service).ports?.[0]?.port as number,
      protocol: 'TCP',
      origin: 'observed',
    });
  }
  return { calls, rankOf };
};

/** The calls, and the hubs they make (most callers first; ties by popularity rank). */
export const buildTraffic = (e: Estate, callsWanted: number): Traffic => {
  const { n, services } = e;
  const { calls, rankOf } = drawCalls(e, callsWanted);
  const indexOf = new Map(services.map((s, i) => [s.id, i]));
  const ends = calls.map((c) => [indexOf.get(c.from) as number, indexOf.get(c.to) as number] as const);
  const inDegree = new Array<number>(n).fill(0);
  for (const [, b] of ends) inDegree[b] = (inDegree[b] as number) + 1;
  const hubs = services
    .map((_, i) => i)
    .sort((x, y) => (inDegree[y] as number) - (inDegree[x] as number) || (rankOf.get(x) ?? 0) - (rankOf.get(y) ?? 0))
    .slice(0, e.shape.hubs);
  const hubSg = new Map(hubs.map((i, k) => [i, `group:sg-0${hex8(1000000 + k)}`]));
  return { calls, ends, hubs, hubSg };
};

/** Every service joins its team's segments; hubs also their own group; cross-domain callers the mesh. */
export const assignMemberships = (e: Estate, traffic: Traffic): void => {
  const team = (i: number) => teamAt(e, i);
  const crossDomain = new Set<number>();
  for (const [a, b] of traffic.ends) {
    if (team(a).domain !== team(b).domain) {
      crossDomain.add(a);
      crossDomain.add(b);
    }
  }
  e.services.forEach((s, i) => {
    const t = team(i);
    const v = e.vpcs[t.vpc] as Vpc;
    const hub = traffic.hubSg.get(i);
    s.memberships = {
      account: [accountSeg(v.account)],
      role: [t.role],
      network: [`network:${t.subnetId}`],
      group: hub ? [t.sg, hub] : [t.sg],
      policy: [t.flat ? `policy:k8s:ns:${t.ns}` : labelSet(t, e.tierOf[i] as Tier)],
      overlay: crossDomain.has(i) ? [domainNet(t.domain), 'overlay:weave:mesh'] : [domainNet(t.domain)],
    };
  });
};

/** Network level: VPCs, subnets, the transit gateway and the island's one peering. */
export const addNetworkLevel = (e: Estate): void => {
  const { vpcs, segments, rules } = e;
  for (const v of vpcs) {
    segments.push({
      id: v.id,
      level: 'network',
      name: v.name,
      parent: accountSeg(v.account),
      cidrs: [v.cidr],
      attributes: { kind: 'vpc', vpcId: v.vpcId, region: REGION, accountId: accountIdOf(v.account) },
    });
    if (v.island) {
      rules.push({
        id: `aws:pcx-0${hex8(7)}`,
        type: 'vpc-peering',
        level: 'network',
        requester: v.id,
        accepter: (vpcs[0] as Vpc).id,
        status: 'active',
      });
    } else {
      rules.push({
        id: `aws:tgw-attach-0${hex8(200000 + vpcs.indexOf(v))}`,
        type: 'tgw-attachment',
        level: 'network',
        transitGateway: 'tgw-0a11ce5',
        vpc: v.id,
        state: 'available',
      });
    }
  }
  for (const t of e.teams) {
    const v = vpcs[t.vpc] as Vpc;
    segments.push({
      id: `network:${t.subnetId}`,
      level: 'network',
      name: `${t.name}-subnet`,
      parent: v.id,
      cidrs: [t.subnetCidr],
      attributes: {
        kind: 'subnet',
        subnetId: t.subnetId,
        vpc: v.id,
        region: REGION,
        accountId: accountIdOf(v.account),
        availableIpAddressCount: t.subnetSize - 5 - t.members.length,
      },
    });
  }
};

/** Whether the network carries a call from service a to b (only the island is cut off, except to the first VPC). */
export const netReach = (e: Estate, a: number, b: number): boolean => {
  const va = e.vpcs[teamAt(e, a).vpc] as Vpc;
  const vb = e.vpcs[teamAt(e, b).vpc] as Vpc;
  if (va === vb || (!va.island && !vb.island)) return true;
  return va === e.vpcs[0] || vb === e.vpcs[0];
};
