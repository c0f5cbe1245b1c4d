// The generator's estate: how many teams, accounts and VPCs a size gets, and the services in them (no rules yet).
import type { Rule, Segment, Service, ServicePort } from '../model/types';
import { below, hex8, type Rand, shuffle } from './random';

export const REGION = 'eu-west-1';
export const TIERS = ['web', 'api', 'data'] as const;
export type Tier = (typeof TIERS)[number];
const DATA_PORTS: ServicePort[] = [
  { port: 5432, name: 'postgres', protocol: 'TCP' },
  { port: 6379, name: 'redis', protocol: 'TCP' },
  { port: 9092, name: 'kafka', protocol: 'TCP' },
  { port: 27017, name: 'mongo', protocol: 'TCP' },
];
const WEB_PORT: ServicePort = { port: 8080, name: 'http', protocol: 'TCP' };
const API_PORT: ServicePort = { port: 9090, name: 'grpc', protocol: 'TCP' };
export const DOMAIN_WORDS = [
  'retail',
  'payments',
  'logistics',
  'identity',
  'media',
  'analytics',
  'platform',
  'partner',
];
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

export interface Shape {
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

/** Exactly how many segments a shape yields (every team has all three tiers, see `buildServices`). */
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
export const chooseShape = (services: number, target: number): Shape => {
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

export const ipv4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const ipv4Int = (a: number, b: number, c = 0, d = 0): number => ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;

export interface Vpc {
  id: string;
  vpcId: string;
  name: string;
  account: number;
  base: number;
  cidr: string;
  island: boolean;
}

export interface Team {
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

/** Everything built so far: the segments and rules lists grow level by level. */
export interface Estate {
  n: number;
  rand: Rand;
  shape: Shape;
  segments: Segment[];
  rules: Rule[];
  vpcs: Vpc[];
  teams: Team[];
  services: Service[];
  /** Team and tier of each service, by index into `services`. */
  teamOf: number[];
  tierOf: Tier[];
}

export const accountIdOf = (a: number): string => String(210987654321 + a * 7919);
export const accountSeg = (a: number): string => `account:${accountIdOf(a)}`;
export const teamAt = (e: Estate, i: number): Team => e.teams[e.teamOf[i] as number] as Team;

/** Account level: organization → OUs → accounts. */
export const addAccounts = (e: Estate): void => {
  const { shape, segments } = e;
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
  for (let a = 0; a < shape.accounts; a++) {
    segments.push({
      id: accountSeg(a),
      level: 'account',
      name: `acct-${a === 0 ? 'shared' : `prod-${a}`}`,
      parent: `account:ou-${a % shape.ous}`,
      attributes: { kind: 'account', accountId: accountIdOf(a) },
    });
  }
};

/** VPCs: two per account on the transit gateway, plus the legacy island. */
export const planVpcs = (shape: Shape): Vpc[] => {
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
  return vpcs;
};

/** Team sizes: at least three members each, the rest by random weight; the legacy team is small. */
const teamSizes = (rand: Rand, n: number, shape: Shape): number[] => {
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
  return sizes;
};

/** Teams with their members, VPC, group, role and namespace; then their subnets. */
export const planTeams = (rand: Rand, n: number, shape: Shape, vpcs: Vpc[]): Team[] => {
  const sizes = teamSizes(rand, n, shape);
  const regular = shape.teams - (shape.legacy ? 1 : 0);
  const flat = new Set(
    shuffle(
      rand,
      Array.from({ length: regular }, (_, k) => k),
    ).slice(0, shape.flatTeams),
  );
  const teams: Team[] = [];
  let start = 0;
  for (let t = 0; t < shape.teams; t++) {
    const legacy = shape.legacy && t === shape.teams - 1;
    const vpc = legacy ? vpcs.length - 1 : t % shape.vpcs;
    const word = TEAM_WORDS[t % TEAM_WORDS.length] as string;
    const round = Math.floor(t / TEAM_WORDS.length);
    const name = legacy ? 'legacy' : `${word}${round > 0 ? `-${round + 1}` : ''}`;
    const size = sizes[t] as number;
    const members = Array.from({ length: size }, (_, k) => start + k);
    start += size;
    const groupId = `sg-0${hex8(t)}`;
    const v = vpcs[vpc] as Vpc;
    teams.push({
      name,
      domain: legacy ? 0 : t % shape.domains,
      vpc,
      legacy,
      flat: flat.has(t),
      members,
      subnetId: `subnet-0${hex8(t)}`,
      subnetCidr: '',
      subnetBase: 0,
      subnetSize: 0,
      groupId,
      sg: `group:${groupId}`,
      role: `role:aws:arn:aws:iam::${accountIdOf(v.account)}:role/${name}`,
      ns: name,
    });
  }
  placeSubnets(teams, vpcs);
  return teams;
};

/** Subnets: equal power-of-two slices of each VPC's /16, large enough for the busiest VPC. */
const placeSubnets = (teams: Team[], vpcs: Vpc[]): void => {
  const teamsPerVpc = new Map<number, number>();
  for (const t of teams) teamsPerVpc.set(t.vpc, (teamsPerVpc.get(t.vpc) ?? 0) + 1);
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
};

/** One team member: tier, port, name and flags drawn from the seed (memberships come later). */
const makeService = (e: Estate, team: Team, i: number, k: number): { service: Service; tier: Tier } => {
  const { rand, n } = e;
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
  return { service: s, tier };
};

/** Every team's services, in team order. */
export const addServices = (e: Estate): void => {
  for (const [t, team] of e.teams.entries()) {
    team.members.forEach((i, k) => {
      const { service, tier } = makeService(e, team, i, k);
      e.services.push(service);
      e.teamOf[i] = t;
      e.tierOf[i] = tier;
    });
  }
};
