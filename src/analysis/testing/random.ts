// Small random workspaces touching every level's features, for property tests of the engine and the delta.

import { rng } from '../../gen/random';
import type { Call, Level, Rule, Segment, Service, SgPeer, SgPermissionRule, Workspace } from '../../model/types';

/** The seeded draws a workspace is made of. */
interface Draw {
  rand: () => number;
  pick<T>(xs: readonly T[]): T;
  some<T>(xs: readonly T[], p?: number): T[];
}

const draws = (seed: number): Draw => {
  const rand = rng(seed);
  return {
    rand,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T,
    some: <T>(xs: readonly T[], p = 0.4): T[] => xs.filter(() => rand() < p),
  };
};

/** The next source position: segments and rules take consecutive lines of one pretend file. */
type NextSource = () => { file: string; line: number; column: number };

/** Accounts, roles, VPCs and subnets (one pair overlapping), security groups, namespaces, label sets, networks. */
const fixedSegments = (next: NextSource): Segment[] => {
  const seg = (id: string, level: Level, kind: string, extra: Partial<Segment> = {}): Segment => ({
    id,
    level,
    name: id.replace(/^[^:]*:/, ''),
    attributes: { kind, ...(extra.attributes ?? {}) },
    source: [next()],
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'attributes')),
  });
  return [
    seg('account:org', 'account', 'organization'),
    seg('account:a1', 'account', 'account', { parent: 'account:org' }),
    seg('account:a2', 'account', 'account', { parent: 'account:org' }),
    seg('role:r1', 'role', 'iam-role', { parent: 'account:a1' }),
    seg('role:r2', 'role', 'iam-role', { parent: 'account:a1' }),
    seg('role:r3', 'role', 'iam-role', { parent: 'account:a2' }),
    seg('network:vpc-1', 'network', 'vpc', { cidrs: ['10.1.0.0/16'], attributes: { region: 'r', accountId: 'a1' } }),
    seg('network:vpc-2', 'network', 'vpc', { cidrs: ['10.2.0.0/16'], attributes: { region: 'r', accountId: 'a1' } }),
    seg('network:vpc-3', 'network', 'vpc', { cidrs: ['10.1.128.0/17'], attributes: { region: 'r', accountId: 'a2' } }),
    seg('network:sub-1a', 'network', 'subnet', {
      parent: 'network:vpc-1',
      cidrs: ['10.1.1.0/28'],
      attributes: { availableIpAddressCount: 2 },
    }),
    seg('network:sub-1b', 'network', 'subnet', { parent: 'network:vpc-1', cidrs: ['10.1.2.0/24'] }),
    seg('network:sub-2a', 'network', 'subnet', { parent: 'network:vpc-2', cidrs: ['10.2.1.0/28'] }),
    seg('group:sg-a', 'group', 'security-group', { attributes: { groupId: 'sg-a', vpc: 'network:vpc-1' } }),
    seg('group:sg-b', 'group', 'security-group', { attributes: { groupId: 'sg-b', vpc: 'network:vpc-1' } }),
    seg('group:sg-c', 'group', 'security-group', { attributes: { groupId: 'sg-c' } }),
    seg('policy:k8s:ns:shop', 'policy', 'namespace', {
      labels: { team: 'shop', 'kubernetes.io/metadata.name': 'shop' },
    }),
    seg('policy:k8s:ns:pay', 'policy', 'namespace', { labels: { team: 'pay', 'kubernetes.io/metadata.name': 'pay' } }),
    seg('policy:shop/web', 'policy', 'label-set', {
      parent: 'policy:k8s:ns:shop',
      attributes: { selector: { matchLabels: { tier: 'web' } } },
    }),
    seg('policy:shop/db', 'policy', 'label-set', {
      parent: 'policy:k8s:ns:shop',
      attributes: { selector: { matchLabels: { tier: 'db' } } },
    }),
    seg('overlay:p/front', 'overlay', 'compose-network'),
    seg('overlay:p/back', 'overlay', 'compose-network'),
    seg('overlay:p/bridge', 'overlay', 'bridge', { attributes: { icc: false } }),
    seg('overlay:q/bridge', 'overlay', 'bridge'),
  ];
};

/** Services with random memberships (some levels left out), labels, ports, addresses, hosts and flags. */
const randomServices = (d: Draw, segments: readonly Segment[], services: number): Service[] => {
  const { rand, pick, some } = d;
  const byLevel = (level: Level) => segments.filter((x) => x.level === level).map((x) => x.id);
  const list: Service[] = [];
  for (let i = 0; i < services; i++) {
    const memberships: Service['memberships'] = {};
    for (const level of ['account', 'role', 'network', 'group', 'policy', 'overlay'] as Level[]) {
      if (rand() < 0.25) continue;
      const ids = byLevel(level).filter((id) => id !== 'account:org');
      memberships[level] = level === 'group' || level === 'overlay' ? some(ids).slice(0, 2) : [pick(ids)];
      if (memberships[level]?.length === 0) delete memberships[level];
    }
    const s: Service = {
      id: `svc:${i}`,
      name: `s${i % Math.max(2, Math.floor(services / 2))}`,
      kind: pick(['service', 'datastore', 'gateway'] as const),
      labels: { tier: pick(['web', 'db', 'api']), app: `s${i}` },
      ports: [{ port: pick([80, 5432, 8080]), name: pick(['http', 'pg']) }],
      addresses: rand() < 0.8 ? [`10.${pick([1, 2])}.${pick([1, 2])}.${i + 4}`] : [],
      memberships,
    };
    if (rand() < 0.3) s.exposed = true;
    if (rand() < 0.3) s.critical = true;
    if (rand() < 0.5) s.placement = { host: pick(['h1', 'h2']) };
    if (rand() < 0.3) s.replicas = 1 + Math.floor(rand() * 3);
    list.push(s);
  }
  return list;
};

/** A peering to each other VPC, a PrivateLink path between the accounts, a prefix list. */
const networkRules = (next: NextSource): Rule[] => [
  {
    id: 'pcx-12',
    type: 'vpc-peering',
    level: 'network',
    requester: 'network:vpc-1',
    accepter: 'network:vpc-2',
    source: next(),
  },
  {
    id: 'pcx-13',
    type: 'vpc-peering',
    level: 'network',
    requester: 'network:vpc-1',
    accepter: 'network:vpc-3',
    source: next(),
  },
  {
    id: 'pl-path',
    type: 'account-path',
    level: 'account',
    from: 'account:a1',
    to: 'account:a2',
    via: 'privatelink',
    source: next(),
  },
  {
    id: 'pl-1',
    type: 'prefix-list',
    level: 'group',
    prefixListId: 'pl-1',
    cidrs: ['10.2.0.0/16'],
    source: next(),
  },
];

/** Group, self, CIDR and prefix-list permissions, in the key order of the original fixtures. */
const groupRules = (next: NextSource): Rule[] => {
  const sg = (
    id: string,
    group: string,
    direction: 'ingress' | 'egress',
    protocol: string,
    peer: SgPeer,
    ports?: [number, number],
  ): SgPermissionRule => ({
    id,
    type: 'sg-permission',
    level: 'group',
    group,
    direction,
    protocol,
    ...(ports ? { fromPort: ports[0], toPort: ports[1] } : {}),
    peer,
    source: next(),
  });
  return [
    sg('sg-a-out', 'group:sg-a', 'egress', '-1', { kind: 'cidr', cidr: '0.0.0.0/0' }),
    sg('sg-b-out', 'group:sg-b', 'egress', 'tcp', { kind: 'group', group: 'group:sg-b' }, [5432, 5432]),
    sg('sg-b-in', 'group:sg-b', 'ingress', 'tcp', { kind: 'group', group: 'group:sg-a' }, [5432, 5432]),
    sg('sg-b-self', 'group:sg-b', 'ingress', '-1', { kind: 'group', group: 'group:sg-b' }),
    sg('sg-a-in', 'group:sg-a', 'ingress', 'tcp', { kind: 'cidr', cidr: '10.1.0.0/16' }, [80, 8080]),
    sg('sg-c-in', 'group:sg-c', 'ingress', 'tcp', { kind: 'prefix-list', prefixListId: 'pl-1' }, [80, 80]),
    sg('sg-c-world', 'group:sg-c', 'ingress', 'tcp', { kind: 'cidr', cidr: '0.0.0.0/0' }, [443, 443]),
    sg('sg-c-out', 'group:sg-c', 'egress', '-1', { kind: 'cidr', cidr: '10.0.0.0/8' }),
  ];
};

/** NetworkPolicies on the shop namespace, a Calico tier with a Deny and a Pass. */
const policyRules = (next: NextSource): Rule[] => [
  {
    id: 'knp-db',
    type: 'k8s-network-policy',
    level: 'policy',
    name: 'db',
    namespace: 'shop',
    podSelector: { matchLabels: { tier: 'db' } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        peers: [
          { podSelector: { matchLabels: { tier: 'web' } } },
          { namespaceSelector: { matchLabels: { team: 'pay' } } },
        ],
        ports: [{ port: 'pg' }],
      },
    ],
    source: next(),
  },
  {
    id: 'knp-web-eg',
    type: 'k8s-network-policy',
    level: 'policy',
    name: 'web-eg',
    namespace: 'shop',
    podSelector: { matchLabels: { tier: 'web' } },
    policyTypes: ['Egress'],
    egress: [{ peers: [{ podSelector: { matchLabels: { tier: 'db' } } }], ports: [{ port: 5432 }] }],
    source: next(),
  },
  { id: 'calico-tier', type: 'calico-tier', level: 'policy', name: 'sec', order: 10, source: next() },
  {
    id: 'gnp-pay',
    type: 'calico-policy',
    level: 'policy',
    name: 'pay',
    tier: 'sec',
    order: 5,
    selector: 'projectcalico.org/namespace == "pay"',
    types: ['Ingress'],
    ingress: [{ action: 'Deny', protocol: 'TCP', destination: { ports: [22] } }, { action: 'Pass' }],
    source: next(),
  },
];

/** An Allow grant, an explicit Deny and a cross-account trust. */
const roleRules = (next: NextSource): Rule[] => [
  {
    id: 'grant-1',
    type: 'role-grant',
    level: 'role',
    principal: 'role:r1',
    target: 'role:r2',
    effect: 'Allow',
    source: next(),
  },
  {
    id: 'deny-3',
    type: 'role-grant',
    level: 'role',
    principal: 'role:r3',
    target: 'role:r2',
    effect: 'Deny',
    source: next(),
  },
  { id: 'trust-3', type: 'role-trust', level: 'role', role: 'role:r3', principal: 'account:a1', source: next() },
];

const randomCalls = (d: Draw, ids: readonly string[], calls: number): Call[] => {
  const callList: Call[] = [];
  for (let k = 0; k < calls && ids.length >= 2; k++) {
    const from = d.pick(ids);
    const to = d.pick(ids);
    const c: Call = { from, to, origin: 'declared' };
    if (d.rand() < 0.8) c.port = d.pick([80, 443, 5432, 8080, 22]);
    callList.push(c);
  }
  return callList;
};

/**
 * A few of everything: accounts with a peering and a PrivateLink path, VPCs with subnets (one pair
 * overlapping), security groups with group, self, CIDR and prefix-list rules, two namespaces with
 * label sets and NetworkPolicies, a Calico tier, IAM roles with grants, Compose networks, a v1 bridge
 * with icc=false and links. Memberships, labels, hosts and flags are random.
 */
export const randomWorkspace = (seed: number, services: number, calls: number): Workspace => {
  const d = draws(seed);
  let line = 1;
  const next: NextSource = () => ({ file: 'random.json', line: line++, column: 1 });
  const segments = fixedSegments(next);
  const list = randomServices(d, segments, services);
  const ids = list.map((s) => s.id);
  const rules: Rule[] = [...networkRules(next), ...groupRules(next), ...policyRules(next), ...roleRules(next)];
  if (ids.length >= 2) {
    rules.push({
      id: 'link-0',
      type: 'overlay-link',
      level: 'overlay',
      from: ids[0] as string,
      to: ids[1] as string,
      source: next(),
    });
  }
  return { segscope: 1, services: list, segments, calls: randomCalls(d, ids, calls), rules };
};
