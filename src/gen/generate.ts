// The topology generator: a seeded, realistic estate of N services in about M segments across all six levels.
//
// What "realistic" means here: services belong to teams; a team is a Kubernetes namespace (with
// label sets per tier), an IAM role, a subnet of a VPC and a security group; teams form business
// domains (one Weave network each, plus a mesh for cross-domain traffic); VPCs sit in accounts under
// OUs and meet through one transit gateway, except a legacy island VPC peered to one VPC only.
// Callees follow a power law, so a few hubs are called by most services. The allowing rules are
// derived from the calls (security-group ingress, NetworkPolicy peers, identity grants for hubs),
// with the shapes people write: group references inside a VPC, subnet CIDRs across VPCs, VPC-wide
// CIDRs once a group nears its rule limit. Then a few allowing entries are left out so a few calls
// break, and a few groups carry old partner CIDRs that push them near or over the inbound-rule quota.
// The generator knows exactly which calls it broke and which groups it pushed: `facts` says so, and
// the tests hold the analysis to it.
import { DEFAULT_QUOTAS, quotaState } from '../model/quotas';
import type {
  Call,
  K8sNetworkPolicyRule,
  PolicyPeer,
  RoleGrantRule,
  Rule,
  Segment,
  Service,
  ServicePort,
  SgPermissionRule,
  Workspace,
} from '../model/types';
import { below, hex8, pickPopular, type Rand, rng, shuffle } from './random';

export interface TopologyOptions {
  services: number;
  /** Total segments wanted across the six levels (default services / 4, at least 24). */
  segments?: number;
  /** Calls wanted (default 3 × services). */
  calls?: number;
  seed?: number;
  /** Share of the calls to leave broken (default 0.01). */
  breakRate?: number;
}

/** What the generator built on purpose, so tests and the bench can check the analysis against it. */
export interface TopologyFacts {
  teams: number;
  domains: number;
  accounts: number;
  vpcs: number;
  /** The most-called services, which got their own security group. */
  hubs: string[];
  /** Indices into `workspace.calls` that no rule allows (or no network path carries). */
  brokenCalls: number[];
  /** Group segment ids at ≥ 80 % and ≤ 100 % of the inbound-rules quota. */
  groupsNearQuota: string[];
  /** Group segment ids above the inbound-rules quota. */
  groupsOverQuota: string[];
}

export interface Topology {
  workspace: Workspace;
  facts: TopologyFacts;
}

const INBOUND_QUOTA = 'aws.inbound-rules-per-group';
const REGION = 'eu-west-1';
const TIERS = ['web', 'api', 'data'] as const;
type Tier = (typeof TIERS)[number];
const DATA_PORTS: ServicePort[] = [
  { port: 5432, name: 'postgres', protocol: 'TCP' },
  { port: 6379, name: 'redis', protocol: 'TCP' },
  { port: 9092, name: 'kafka', protocol: 'TCP' },
  { port: 27017, name: 'mongo', protocol: 'TCP' },
];
const WEB_PORT: ServicePort = { port: 8080, name: 'http', protocol: 'TCP' };
const API_PORT: ServicePort = { port: 9090, name: 'grpc', protocol: 'TCP' };
const DOMAIN_WORDS = ['retail', 'payments', 'logistics', 'identity', 'media', 'analytics', 'platform', 'partner'];
const TEAM_WORDS = [
  'cart',
  'checkout',
  'catalog',
  'pricing',
  'search',
  'ledger',
  'billing',
  'fraud',
  'shipping',
  'stock',
  'users',
  'auth',
  'profile',
  'notify',
  'video',
  'reports',
  'events',
  'config',
  'gateway',
  'reviews',
];
const NOUNS: Record<Tier, string[]> = {
  web: ['web', 'portal', 'ui', 'edge', 'bff'],
  api: ['api', 'svc', 'worker', 'engine', 'sync', 'resolver'],
  data: ['db', 'cache', 'queue', 'store'],
};
/** Old partner and VPN ranges that match no service: what pads real groups towards their limits. */
const CRUFT_CIDRS = Array.from({ length: 24 }, (_, k) => `198.18.${k * 8}.0/24`);
const CRUFT_PORTS = [443, 22, 8443, 3389];

interface Shape {
  teams: number;
  /** Teams whose namespace has no NetworkPolicy (flat), so no label sets. */
  flatTeams: number;
  accounts: number;
  ous: number;
  /** VPCs on the transit gateway (two per account). */
  vpcs: number;
  /** The last team lives in an island VPC, peered to the first VPC only. */
  legacy: boolean;
  domains: number;
  hubs: number;
}

const shapeFor = (services: number, teams: number): Shape => {
  const accounts = Math.min(120, Math.max(2, Math.round(teams / 20)));
  return {
    teams,
    flatTeams: Math.round(teams * 0.1),
    accounts,
    ous: Math.max(1, Math.ceil(accounts / 6)),
    vpcs: accounts * 2,
    legacy: teams >= 4,
    domains: Math.max(2, Math.round(teams / 10)),
    hubs: Math.min(services, Math.max(2, Math.round(services / 500))),
  };
};

/** Exactly how many segments a shape yields (every team has all three tiers, see `assignTiers`). */
export const segmentCount = (s: Shape): number =>
  1 +
  s.ous +
  s.accounts +
  s.vpcs +
  (s.legacy ? 1 : 0) +
  s.domains +
  1 +
  s.hubs +
  s.teams * 4 +
  (s.teams - s.flatTeams) * 3;

/** The team count whose segment count is nearest the target; every team keeps at least three services. */
const chooseShape = (services: number, target: number): Shape => {
  const most = Math.max(2, Math.floor(services / 3));
  const least = Math.min(most, Math.max(2, Math.ceil(services / 16000)));
  let best = shapeFor(services, least);
  for (let t = least + 1; t <= most; t++) {
    const s = shapeFor(services, t);
    if (Math.abs(segmentCount(s) - target) < Math.abs(segmentCount(best) - target)) best = s;
    if (segmentCount(s) > target + 20) break;
  }
  return best;
};

const ipv4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const ipv4Int = (a: number, b: number, c = 0, d = 0): number => ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;

interface Vpc {
  id: string;
  vpcId: string;
  name: string;
  account: number;
  base: number;
  cidr: string;
  island: boolean;
}

interface Team {
  name: string;
  domain: number;
  vpc: number;
  legacy: boolean;
  flat: boolean;
  members: number[];
  subnetId: string;
  subnetCidr: string;
  subnetBase: number;
  subnetSize: number;
  groupId: string;
  sg: string;
  role: string;
  ns: string;
}

/** One allowing entry (a rule, or one peer of a policy) and the calls it carries. */
interface Entry {
  key: string;
  level: 'group' | 'policy' | 'role';
  calls: number[];
  breakable: boolean;
  dropped: boolean;
}

const accountIdOf = (a: number): string => String(210987654321 + a * 7919);

export const generateTopology = (o: TopologyOptions): Topology => {
  const n = Math.max(6, Math.floor(o.services));
  const callsWanted = Math.max(0, Math.floor(o.calls ?? 3 * n));
  const target = Math.max(1, Math.floor(o.segments ?? Math.max(24, Math.round(n / 4))));
  const breakRate = Math.min(1, Math.max(0, o.breakRate ?? 0.01));
  const rand = rng(o.seed ?? 1);
  const limit = DEFAULT_QUOTAS.find((q) => q.id === INBOUND_QUOTA)?.value ?? 60;
  const shape = chooseShape(n, target);
  const segments: Segment[] = [];
  const rules: Rule[] = [];

  // --- account level: organization → OUs → accounts
  segments.push({ id: 'account:org', level: 'account', name: 'organization', attributes: { kind: 'organization' } });
  for (let k = 0; k < shape.ous; k++) {
    segments.push({
      id: `account:ou-${k}`,
      level: 'account',
      name: `ou-${DOMAIN_WORDS[k % DOMAIN_WORDS.length]}${k >= DOMAIN_WORDS.length ? `-${k}` : ''}`,
      parent: 'account:org',
      attributes: { kind: 'ou' },
    });
  }
  const accountSeg = (a: number) => `account:${accountIdOf(a)}`;
  for (let a = 0; a < shape.accounts; a++) {
    segments.push({
      id: accountSeg(a),
      level: 'account',
      name: `acct-${a === 0 ? 'shared' : `prod-${a}`}`,
      parent: `account:ou-${a % shape.ous}`,
      attributes: { kind: 'account', accountId: accountIdOf(a) },
    });
  }

  // --- VPCs: two per account on the transit gateway, plus the legacy island
  const vpcs: Vpc[] = [];
  for (let k = 0; k < shape.vpcs; k++) {
    const vpcId = `vpc-0${hex8(k)}`;
    vpcs.push({
      id: `network:${vpcId}`,
      vpcId,
      name: `vpc-${k % 2 === 0 ? 'main' : 'edge'}-${Math.floor(k / 2)}`,
      account: Math.floor(k / 2),
      base: ipv4Int(10, k),
      cidr: `10.${k}.0.0/16`,
      island: false,
    });
  }
  if (shape.legacy) {
    const vpcId = `vpc-0${hex8(100000)}`;
    vpcs.push({
      id: `network:${vpcId}`,
      vpcId,
      name: 'vpc-legacy',
      account: 0,
      base: ipv4Int(172, 16),
      cidr: '172.16.0.0/16',
      island: true,
    });
  }

  // --- teams and their sizes: at least three members each; the legacy team is small
  const teams: Team[] = [];
  const legacySize = shape.legacy ? Math.max(3, Math.round(n * 0.004)) : 0;
  const regular = shape.teams - (shape.legacy ? 1 : 0);
  const weights = Array.from({ length: regular }, () => 0.4 + rand() * 1.2);
  const spare = n - legacySize - 3 * regular;
  const wsum = weights.reduce((x, y) => x + y, 0);
  const sizes = weights.map((w) => 3 + Math.floor((spare * w) / wsum));
  for (let k = 0, left = n - legacySize - sizes.reduce((x, y) => x + y, 0); left > 0; k++, left--) {
    sizes[k % regular] = (sizes[k % regular] as number) + 1;
  }
  if (shape.legacy) sizes.push(legacySize);
  const flat = new Set(
    shuffle(
      rand,
      Array.from({ length: regular }, (_, k) => k),
    ).slice(0, shape.flatTeams),
  );
  const teamsPerVpc = new Map<number, number>();
  let start = 0;
  for (let t = 0; t < shape.teams; t++) {
    const legacy = shape.legacy && t === shape.teams - 1;
    const vpc = legacy ? vpcs.length - 1 : t % shape.vpcs;
    teamsPerVpc.set(vpc, (teamsPerVpc.get(vpc) ?? 0) + 1);
    const word = TEAM_WORDS[t % TEAM_WORDS.length] as string;
    const round = Math.floor(t / TEAM_WORDS.length);
    const domain = legacy ? 0 : t % shape.domains;
    const name = legacy ? 'legacy' : `${word}${round > 0 ? `-${round + 1}` : ''}`;
    const size = sizes[t] as number;
    const members = Array.from({ length: size }, (_, k) => start + k);
    start += size;
    const subnetId = `subnet-0${hex8(t)}`;
    const groupId = `sg-0${hex8(t)}`;
    const v = vpcs[vpc] as Vpc;
    teams.push({
      name,
      domain,
      vpc,
      legacy,
      flat: flat.has(t),
      members,
      subnetId,
      subnetCidr: '',
      subnetBase: 0,
      subnetSize: 0,
      groupId,
      sg: `group:${groupId}`,
      role: `role:aws:arn:aws:iam::${accountIdOf(v.account)}:role/${name}`,
      ns: name,
    });
  }
  // Subnets: equal power-of-two slices of each VPC's /16, large enough for the biggest team.
  const maxPerVpc = Math.max(1, ...teamsPerVpc.values());
  const bits = Math.ceil(Math.log2(maxPerVpc));
  const subnetSize = 2 ** (16 - bits);
  const slotOf = new Map<number, number>();
  for (const team of teams) {
    const slot = slotOf.get(team.vpc) ?? 0;
    slotOf.set(team.vpc, slot + 1);
    const v = vpcs[team.vpc] as Vpc;
    team.subnetBase = v.base + slot * subnetSize;
    team.subnetSize = subnetSize;
    team.subnetCidr = `${ipv4(team.subnetBase)}/${16 + bits}`;
  }

  // --- services
  const services: Service[] = [];
  const teamOf: number[] = [];
  const tierOf: Tier[] = [];
  for (const [t, team] of teams.entries()) {
    team.members.forEach((i, k) => {
      // The first three members cover the tiers, so every team has one label set per tier.
      const u = rand();
      const tier: Tier = k < 3 ? (TIERS[k] as Tier) : u < 0.25 ? 'web' : u < 0.75 ? 'api' : 'data';
      const port = tier === 'web' ? WEB_PORT : tier === 'api' ? API_PORT : (DATA_PORTS[below(rand, 4)] as ServicePort);
      const noun = NOUNS[tier][below(rand, NOUNS[tier].length)] as string;
      const name = `${team.name}-${noun}-${i}`;
      const gateway = tier === 'web' && rand() < 0.15;
      const s: Service = {
        id: `k8s:${team.ns}/${name}`,
        name,
        kind: tier === 'data' ? 'datastore' : gateway ? 'gateway' : 'service',
        namespace: team.ns,
        labels: { app: name, tier, team: team.name, domain: DOMAIN_WORDS[team.domain % DOMAIN_WORDS.length] as string },
        ports: [{ ...port }],
        addresses: [ipv4(team.subnetBase + 4 + k)],
        replicas: 1 + below(rand, 3),
        placement: { host: `node-${below(rand, Math.max(1, Math.round(n / 30)))}`, mode: 'container' },
        memberships: {},
      };
      if (gateway || (tier === 'web' && rand() < 0.1)) s.exposed = true;
      if (tier === 'data' && rand() < 0.1) s.critical = true;
      services.push(s);
      teamOf[i] = t;
      tierOf[i] = tier;
    });
  }
  const team = (i: number) => teams[teamOf[i] as number] as Team;

  // --- calls: 60 % to the estate's popular services, 40 % inside the caller's domain
  const regularIdx = services.map((_, i) => i).filter((i) => !team(i).legacy);
  const byRank = [...shuffle(rand, regularIdx), ...services.map((_, i) => i).filter((i) => team(i).legacy)];
  const rankOf = new Map(byRank.map((i, r) => [i, r]));
  const inDomain: number[][] = Array.from({ length: shape.domains }, () => []);
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
  const indexOf = new Map(services.map((s, i) => [s.id, i]));
  const ends = calls.map((c) => [indexOf.get(c.from) as number, indexOf.get(c.to) as number] as const);
  const inDegree = new Array<number>(n).fill(0);
  for (const [, b] of ends) inDegree[b] = (inDegree[b] as number) + 1;
  const hubs = services
    .map((_, i) => i)
    .sort((x, y) => (inDegree[y] as number) - (inDegree[x] as number) || (rankOf.get(x) ?? 0) - (rankOf.get(y) ?? 0))
    .slice(0, shape.hubs);
  const hubSg = new Map(hubs.map((i, k) => [i, `group:sg-0${hex8(1000000 + k)}`]));

  // --- memberships
  const crossDomain = new Set<number>();
  for (const [a, b] of ends) {
    if (team(a).domain !== team(b).domain) {
      crossDomain.add(a);
      crossDomain.add(b);
    }
  }
  const domainNet = (d: number) => `overlay:weave:${DOMAIN_WORDS[d % DOMAIN_WORDS.length]}-${d}`;
  const labelSet = (t: Team, tier: Tier) => `policy:k8s:ns:${t.ns}:sel:tier=${tier}`;
  services.forEach((s, i) => {
    const t = team(i);
    const v = vpcs[t.vpc] as Vpc;
    const hub = hubSg.get(i);
    s.memberships = {
      account: [accountSeg(v.account)],
      role: [t.role],
      network: [`network:${t.subnetId}`],
      group: hub ? [t.sg, hub] : [t.sg],
      policy: [t.flat ? `policy:k8s:ns:${t.ns}` : labelSet(t, tierOf[i] as Tier)],
      overlay: crossDomain.has(i) ? [domainNet(t.domain), 'overlay:weave:mesh'] : [domainNet(t.domain)],
    };
  });

  // --- network level: VPCs, subnets, the transit gateway and the island's one peering
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
  for (const t of teams) {
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
  const netReach = (a: number, b: number): boolean => {
    const va = vpcs[team(a).vpc] as Vpc;
    const vb = vpcs[team(b).vpc] as Vpc;
    if (va === vb || (!va.island && !vb.island)) return true;
    return va === vpcs[0] || vb === vpcs[0];
  };

  // --- allowing entries: what each call needs at the group, policy and role levels
  const entries = new Map<string, Entry>();
  const entry = (key: string, level: Entry['level'], call: number): void => {
    const e = entries.get(key);
    if (e) e.calls.push(call);
    else entries.set(key, { key, level, calls: [call], breakable: true, dropped: false });
  };
  /** Group the ingress rule for a call sits on, and the peer it names. */
  const sgPlace = (a: number, b: number): { group: string; peer: string } => {
    const ta = team(a);
    const tb = team(b);
    const hub = hubSg.get(b);
    const group = hub && ta !== tb ? hub : tb.sg;
    const peer = ta === tb || ta.vpc === tb.vpc ? `g:${ta.sg}` : `c:${ta.subnetCidr}`;
    return { group, peer };
  };
  ends.forEach(([a, b], c) => {
    const port = calls[c]?.port as number;
    const { group, peer } = sgPlace(a, b);
    entry(`${group}|${peer}|${port}`, 'group', c);
    const tb = team(b);
    if (!tb.flat)
      entry(`${labelSet(tb, tierOf[b] as Tier)}|${team(a) === tb ? 'self' : `ns:${team(a).ns}`}`, 'policy', c);
    if (hubSg.has(b)) entry(`${(services[b] as Service).id}|${team(a).role}`, 'role', c);
  });

  // A team group close to its limit gets VPC-wide CIDR rules instead of one rule per caller team.
  const teamGroups = new Set(teams.map((t) => t.sg));
  const perGroup = new Map<string, Entry[]>();
  for (const e of entries.values()) {
    if (e.level !== 'group') continue;
    const g = e.key.slice(0, e.key.indexOf('|'));
    const list = perGroup.get(g);
    if (list) list.push(e);
    else perGroup.set(g, [e]);
  }
  const vpcCidrOf = new Map<string, string>(teams.map((t) => [`c:${t.subnetCidr}`, (vpcs[t.vpc] as Vpc).cidr]));
  const aggregateAt = Math.floor(limit * 0.75);
  const widened: Entry[] = [];
  for (const [g, list] of perGroup) {
    if (!teamGroups.has(g) || list.length <= aggregateAt) continue;
    const groupTeam = teams.find((t) => t.sg === g) as Team;
    const ownCidr = (vpcs[groupTeam.vpc] as Vpc).cidr;
    const widen = (e: Entry, all: boolean): void => {
      const [, peer, port] = e.key.split('|') as [string, string, string];
      const cidr = peer.startsWith('c:') ? vpcCidrOf.get(peer) : all && peer !== `g:${g}` ? ownCidr : undefined;
      if (!cidr) return;
      entries.delete(e.key);
      const key = `${g}|c:${cidr}|${port}`;
      const into = entries.get(key);
      if (into) into.calls.push(...e.calls);
      else {
        const made: Entry = { key, level: 'group', calls: [...e.calls], breakable: false, dropped: false };
        entries.set(key, made);
        widened.push(made);
      }
    };
    for (const e of list) widen(e, false);
    const left = new Set([...list.filter((e) => entries.has(e.key)), ...widened]);
    widened.length = 0;
    if (left.size > aggregateAt) for (const e of left) if (e.breakable) widen(e, true);
  }

  // Which entries carry each call, per level: a call breaks when every entry carrying it is left out.
  // (A hub's caller may also match a rule its team group has for a teammate on the same port.)
  const peerKeys = (a: number): string[] => {
    const ta = team(a);
    const own = hubSg.get(a);
    return [`g:${ta.sg}`, ...(own ? [`g:${own}`] : []), `c:${ta.subnetCidr}`, `c:${(vpcs[ta.vpc] as Vpc).cidr}`];
  };
  const carriers = ends.map(([a, b], c) => {
    const port = calls[c]?.port as number;
    const tb = team(b);
    const groups = services[b]?.memberships.group ?? [];
    const group = groups.flatMap((g) => peerKeys(a).map((p) => `${g}|${p}|${port}`)).filter((k) => entries.has(k));
    const policy = tb.flat
      ? []
      : [`${labelSet(tb, tierOf[b] as Tier)}|${team(a) === tb ? 'self' : `ns:${team(a).ns}`}`];
    const role = hubSg.has(b) ? [`${(services[b] as Service).id}|${team(a).role}`] : [];
    return { group, policy, role };
  });
  const cut = (keys: string[]) => keys.length > 0 && keys.every((k) => entries.get(k)?.dropped !== false);
  const isBroken = (c: number): boolean => {
    const [a, b] = ends[c] as readonly [number, number];
    const k = carriers[c] as { group: string[]; policy: string[]; role: string[] };
    return !netReach(a, b) || k.group.length === 0 || cut(k.group) || cut(k.policy) || cut(k.role);
  };

  // --- leave a few entries out: the network island breaks some calls, then small entries per level
  const broken = new Set<number>();
  calls.forEach((_, c) => {
    if (isBroken(c)) broken.add(c);
  });
  const budget = Math.round(breakRate * calls.length);
  const rest = Math.max(breakRate > 0 ? 3 : 0, budget - broken.size);
  const shares = { group: 0.5, policy: 0.35, role: 0.15 } as const;
  for (const level of ['group', 'policy', 'role'] as const) {
    const want = Math.max(breakRate > 0 ? 1 : 0, Math.round(rest * shares[level]));
    const cap = Math.max(1, Math.ceil(want / 4));
    const candidates = shuffle(
      rand,
      [...entries.values()].filter((e) => e.level === level && e.breakable).sort((x, y) => (x.key < y.key ? -1 : 1)),
    );
    let got = 0;
    for (const e of candidates) {
      if (got >= want) break;
      e.dropped = true;
      const fresh = e.calls.filter((c) => !broken.has(c) && isBroken(c));
      if (fresh.length === 0 || fresh.length > cap) {
        e.dropped = false;
        continue;
      }
      for (const c of fresh) broken.add(c);
      got += fresh.length;
    }
  }
  // Dropping one entry can also cut a call it carried only incidentally: settle the final set.
  calls.forEach((_, c) => {
    if (isBroken(c)) broken.add(c);
  });

  // --- group level: team groups, hub groups, the rules that remain
  const ingress = new Map<string, SgPermissionRule[]>();
  const groupSeg = (id: string, name: string, vpc: Vpc): Segment => ({
    id,
    level: 'group',
    name,
    parent: vpc.id,
    attributes: {
      kind: 'security-group',
      groupId: id.slice('group:'.length),
      vpc: vpc.id,
      ownerId: accountIdOf(vpc.account),
      name,
      region: REGION,
    },
  });
  const groupSegs: Segment[] = teams.map((t) => groupSeg(t.sg, `${t.name}-sg`, vpcs[t.vpc] as Vpc));
  for (const [i, g] of hubSg)
    groupSegs.push(groupSeg(g, `${(services[i] as Service).name}-sg`, vpcs[team(i).vpc] as Vpc));
  const sgRule = (group: string, peer: string, port: number, description?: string): SgPermissionRule => {
    const list = ingress.get(group) ?? [];
    ingress.set(group, list);
    const r: SgPermissionRule = {
      id: `sg:${group.slice('group:'.length)}:ingress:${list.length}:0`,
      type: 'sg-permission',
      level: 'group',
      group,
      direction: 'ingress',
      protocol: 'tcp',
      fromPort: port,
      toPort: port,
      peer: peer.startsWith('g:') ? { kind: 'group', group: peer.slice(2) } : { kind: 'cidr', cidr: peer.slice(2) },
    };
    if (description) r.description = description;
    list.push(r);
    return r;
  };
  for (const e of [...entries.values()].sort((x, y) => (x.key < y.key ? -1 : 1))) {
    if (e.level !== 'group' || e.dropped) continue;
    const [g, peer, port] = e.key.split('|') as [string, string, string];
    sgRule(g, peer, Number(port));
  }
  // Old partner ranges: a few team groups near the limit, and the fullest hub group over it if none is.
  const used = (g: string) => ingress.get(g)?.length ?? 0;
  const pad = (g: string, to: number) => {
    let k = below(rand, CRUFT_CIDRS.length * CRUFT_PORTS.length);
    while (used(g) < to) {
      const cidr = CRUFT_CIDRS[k % CRUFT_CIDRS.length] as string;
      const port = CRUFT_PORTS[Math.floor(k / CRUFT_CIDRS.length) % CRUFT_PORTS.length] as number;
      sgRule(g, `c:${cidr}`, port, `partner range ${k % CRUFT_CIDRS.length} (legacy)`);
      k++;
    }
  };
  const nearAt = Math.ceil(limit * 0.8);
  const byUse = [...teamGroups].sort((x, y) => used(y) - used(x) || (x < y ? -1 : 1));
  const nearCount = Math.max(1, Math.round(teamGroups.size * 0.03));
  for (const g of byUse.filter((x) => used(x) < nearAt).slice(0, nearCount)) {
    pad(g, nearAt + below(rand, limit - nearAt + 1));
  }
  const allGroups = groupSegs.map((s) => s.id);
  if (!allGroups.some((g) => used(g) > limit)) {
    const hubGroups = [...hubSg.values()];
    const fullest = (hubGroups.length > 0 ? hubGroups : allGroups).sort((x, y) => used(y) - used(x))[0] as string;
    pad(fullest, limit + 1 + below(rand, Math.ceil(limit * 0.1)));
  }
  segments.push(...groupSegs);
  for (const g of allGroups) {
    rules.push({
      id: `sg:${g.slice('group:'.length)}:egress:0:0`,
      type: 'sg-permission',
      level: 'group',
      group: g,
      direction: 'egress',
      protocol: '-1',
      peer: { kind: 'cidr', cidr: '0.0.0.0/0' },
    });
    rules.push(...(ingress.get(g) ?? []));
  }

  // --- role level: one IAM role per team; hubs accept only the teams granted
  for (const t of teams) {
    const v = vpcs[t.vpc] as Vpc;
    segments.push({
      id: t.role,
      level: 'role',
      name: `${t.name}-role`,
      parent: accountSeg(v.account),
      attributes: { kind: 'iam-role', arn: t.role.slice('role:aws:'.length) },
    });
  }
  for (const e of [...entries.values()].sort((x, y) => (x.key < y.key ? -1 : 1))) {
    if (e.level !== 'role' || e.dropped) continue;
    const [target, principal] = e.key.split('|') as [string, string];
    const g: RoleGrantRule = {
      id: `iam:${principal.slice(principal.lastIndexOf('/') + 1)}/grant/${target}`,
      type: 'role-grant',
      level: 'role',
      principal,
      target,
      effect: 'Allow',
    };
    rules.push(g);
  }

  // --- policy level: namespaces, label sets per tier, default deny plus one ingress policy per tier
  const peersOf = new Map<string, string[]>();
  for (const e of entries.values()) {
    if (e.level !== 'policy' || e.dropped) continue;
    const at = e.key.lastIndexOf('|');
    const set = e.key.slice(0, at);
    peersOf.set(set, [...(peersOf.get(set) ?? []), e.key.slice(at + 1)]);
  }
  for (const t of teams) {
    const ns = `policy:k8s:ns:${t.ns}`;
    segments.push({
      id: ns,
      level: 'policy',
      name: t.ns,
      labels: {
        'kubernetes.io/metadata.name': t.ns,
        team: t.name,
        domain: DOMAIN_WORDS[t.domain % DOMAIN_WORDS.length] as string,
      },
      attributes: { kind: 'namespace', namespace: t.ns },
    });
    if (t.flat) continue;
    rules.push({
      id: `k8s:${t.ns}/netpol/default-deny-ingress`,
      type: 'k8s-network-policy',
      level: 'policy',
      name: 'default-deny-ingress',
      namespace: t.ns,
      podSelector: {},
      policyTypes: ['Ingress'],
    });
    for (const tier of TIERS) {
      const id = labelSet(t, tier);
      const name = `${tier}-ingress`;
      segments.push({
        id,
        level: 'policy',
        name: `tier=${tier}`,
        parent: ns,
        attributes: { kind: 'label-set', namespace: t.ns, selector: { matchLabels: { tier } }, policies: [name] },
      });
      const ports = [
        ...new Set(t.members.filter((i) => tierOf[i] === tier).map((i) => services[i]?.ports?.[0]?.port as number)),
      ].sort((x, y) => x - y);
      const peers: PolicyPeer[] = (peersOf.get(id) ?? [])
        .sort()
        .map((p) =>
          p === 'self'
            ? { podSelector: {} }
            : { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.slice(3) } } },
        );
      const np: K8sNetworkPolicyRule = {
        id: `k8s:${t.ns}/netpol/${name}`,
        type: 'k8s-network-policy',
        level: 'policy',
        name,
        namespace: t.ns,
        podSelector: { matchLabels: { tier } },
        policyTypes: ['Ingress'],
        // An empty peer list would mean "from anywhere"; a policy with no caller left allows nothing.
        ingress: peers.length > 0 ? [{ peers, ports: ports.map((port) => ({ protocol: 'TCP', port })) }] : [],
      };
      rules.push(np);
    }
  }

  // --- overlay level: one Weave network per domain and the mesh the cross-domain callers join
  for (let d = 0; d < shape.domains; d++) {
    segments.push({
      id: domainNet(d),
      level: 'overlay',
      name: `weave-${DOMAIN_WORDS[d % DOMAIN_WORDS.length]}-${d}`,
      attributes: { kind: 'weave' },
    });
  }
  segments.push({ id: 'overlay:weave:mesh', level: 'overlay', name: 'weave-mesh', attributes: { kind: 'weave' } });

  // What a reader of the facts needs: the calls left broken and the groups at the limit.
  const brokenCalls = [...broken].sort((x, y) => x - y);
  const groupsNearQuota = allGroups.filter((g) => quotaState(used(g), limit) === 'warn').sort();
  const groupsOverQuota = allGroups.filter((g) => quotaState(used(g), limit) === 'error').sort();
  const workspace: Workspace = {
    segscope: 1,
    name: `generated ${n} services, ${segments.length} segments, seed ${o.seed ?? 1}`,
    services,
    segments,
    calls,
    rules,
  };
  return {
    workspace,
    facts: {
      teams: teams.length,
      domains: shape.domains,
      accounts: shape.accounts,
      vpcs: vpcs.length,
      hubs: hubs.map((i) => (services[i] as Service).id),
      brokenCalls,
      groupsNearQuota,
      groupsOverQuota,
    },
  };
};

/** Re-exported for callers that want the same stream (the bench picks random moves with it). */
export { type Rand, rng };
