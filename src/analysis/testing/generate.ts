// A seeded topology generator for tests and benchmarks: power-law callers, all six levels, rules that allow most calls.
import type {
  Call,
  K8sNetworkPolicyRule,
  Rule,
  Segment,
  Service,
  SgPermissionRule,
  Workspace,
} from '../../model/types';

export interface GenerateOptions {
  services: number;
  calls: number;
  seed?: number;
  /** Share of the allowing rules left out, so some calls break (default 0.02). */
  breakRate?: number;
}

/** mulberry32: small, fast, good enough for test data. */
export const rng = (seed: number) => {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const TIERS = ['web', 'api', 'data'] as const;
const TIER_PORT: Record<(typeof TIERS)[number], number> = { web: 8080, api: 9090, data: 5432 };

/**
 * Services are spread over teams; a team is a K8s namespace, a security group, an IAM role and a
 * subnet of one VPC; VPCs sit in accounts and meet through one transit gateway (one VPC is left
 * unattached). Callees follow a power law, so a few services are hubs. Security-group ingress,
 * NetworkPolicies and identity grants are derived from the calls, then `breakRate` of them dropped.
 */
export const generateWorkspace = (o: GenerateOptions): Workspace => {
  const rand = rng(o.seed ?? 1);
  const n = Math.max(2, o.services);
  const breakRate = o.breakRate ?? 0.02;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const teams = Math.max(2, Math.round(n / 50));
  const accounts = Math.max(1, Math.round(n / 1500));
  const vpcsPerAccount = 2;
  const nodes = Math.max(1, Math.round(n / 30));
  const segments: Segment[] = [];
  const rules: Rule[] = [];
  const src = (line: number) => ({ file: 'generated.json', line, column: 1 });
  let line = 1;

  segments.push({ id: 'account:org', level: 'account', name: 'org', attributes: { kind: 'organization' } });
  const vpcIds: string[] = [];
  for (let a = 0; a < accounts; a++) {
    const acct = `account:acct-${a}`;
    segments.push({
      id: acct,
      level: 'account',
      name: `acct-${a}`,
      parent: 'account:org',
      attributes: { kind: 'account', accountId: String(100000000000 + a) },
    });
    for (let v = 0; v < vpcsPerAccount; v++) {
      const k = a * vpcsPerAccount + v;
      const vpc = `network:vpc-${k}`;
      vpcIds.push(vpc);
      segments.push({
        id: vpc,
        level: 'network',
        name: `vpc-${k}`,
        parent: acct,
        cidrs: [`10.${k}.0.0/16`],
        attributes: { kind: 'vpc', region: 'eu-west-1', accountId: String(100000000000 + a) },
        source: [src(line++)],
      });
      rules.push({
        id: `tgw-att-${k}`,
        type: 'tgw-attachment',
        level: 'network',
        transitGateway: 'tgw-1',
        vpc,
        source: src(line++),
      });
    }
  }
  // An island VPC outside the transit gateway: the 1 % of legacy services there cannot be reached.
  segments.push({
    id: 'network:vpc-island',
    level: 'network',
    name: 'vpc-island',
    parent: 'account:acct-0',
    cidrs: ['172.16.0.0/16'],
    attributes: { kind: 'vpc', region: 'eu-west-1', accountId: '100000000000' },
  });
  segments.push({ id: 'overlay:weave', level: 'overlay', name: 'weave', attributes: { kind: 'weave' } });
  segments.push({ id: 'overlay:legacy', level: 'overlay', name: 'legacy', attributes: { kind: 'overlay' } });
  for (let t = 0; t < teams; t++) {
    const vpcIndex = t % vpcIds.length;
    const vpc = vpcIds[vpcIndex] as string;
    const acct = `account:acct-${Math.floor(vpcIndex / vpcsPerAccount)}`;
    segments.push({
      id: `network:subnet-${t}`,
      level: 'network',
      name: `subnet-${t}`,
      parent: vpc,
      cidrs: [`10.${vpcIndex}.${(Math.floor(t / vpcIds.length) % 16) * 16}.0/20`],
      attributes: { kind: 'subnet' },
    });
    segments.push({
      id: `group:sg-team-${t}`,
      level: 'group',
      name: `sg-team-${t}`,
      attributes: { kind: 'security-group', groupId: `sg-team-${t}`, vpc },
      source: [src(line++)],
    });
    rules.push({
      id: `sg:sg-team-${t}:egress:0:0`,
      type: 'sg-permission',
      level: 'group',
      group: `group:sg-team-${t}`,
      direction: 'egress',
      protocol: '-1',
      peer: { kind: 'cidr', cidr: '0.0.0.0/0' },
      source: src(line++),
    });
    segments.push({
      id: `role:team-${t}`,
      level: 'role',
      name: `team-${t}-role`,
      parent: acct,
      attributes: { kind: 'iam-role' },
    });
    segments.push({
      id: `policy:k8s:ns:team-${t}`,
      level: 'policy',
      name: `team-${t}`,
      labels: { 'kubernetes.io/metadata.name': `team-${t}`, team: `team-${t}` },
      attributes: { kind: 'namespace' },
    });
  }

  const services: Service[] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.floor(rand() * teams);
    const tier = i < Math.max(3, n / 100) ? 'api' : pick(TIERS);
    const vpcIndex = t % vpcIds.length;
    const legacy = rand() < 0.01;
    const s: Service = {
      id: `k8s:team-${t}/svc-${i}`,
      name: `svc-${i}`,
      kind: tier === 'data' ? 'datastore' : 'service',
      namespace: `team-${t}`,
      labels: { app: `svc-${i}`, tier },
      ports: [{ port: TIER_PORT[tier], name: 'main' }],
      addresses: [
        `10.${vpcIndex}.${(Math.floor(t / vpcIds.length) % 16) * 16 + (Math.floor(i / 250) % 16)}.${(i % 250) + 4}`,
      ],
      replicas: 1 + Math.floor(rand() * 3),
      placement: { host: `node-${Math.floor(rand() * nodes)}` },
      memberships: {
        account: [`account:acct-${Math.floor(vpcIndex / vpcsPerAccount)}`],
        role: [`role:team-${t}`],
        network: [legacy ? 'network:vpc-island' : `network:subnet-${t}`],
        group: [`group:sg-team-${t}`],
        policy: [`policy:k8s:ns:team-${t}`],
        overlay: [legacy ? 'overlay:legacy' : 'overlay:weave'],
      },
      source: [src(line++)],
    };
    if (tier === 'web' && rand() < 0.1) s.exposed = true;
    if (tier === 'data' && rand() < 0.05) s.critical = true;
    services.push(s);
  }

  const calls: Call[] = [];
  const seen = new Set<string>();
  let guard = 0;
  while (calls.length < o.calls && guard++ < o.calls * 20) {
    const a = Math.floor(rand() * n);
    const b = Math.floor(rand() ** 3 * n);
    if (a === b) continue;
    const key = `${a}>${b}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const to = services[b] as Service;
    calls.push({
      from: (services[a] as Service).id,
      to: to.id,
      port: to.ports?.[0]?.port as number,
      origin: 'declared',
      source: src(line++),
    });
  }

  // Allow what is called: SG ingress per (callee team, caller team, port), NetworkPolicy per (namespace,
  // tier) with the caller teams, identity grants for the hub targets. Then drop a few of each.
  const teamOf = (id: string) => id.slice(id.indexOf(':') + 1, id.indexOf('/'));
  const tierOf = new Map(services.map((s) => [s.id, s.labels?.tier as string]));
  const sgPairs = new Map<string, Set<string>>();
  const npPairs = new Map<string, Set<string>>();
  const hubCallers = new Map<string, Set<string>>();
  const inDegree = new Map<string, number>();
  for (const c of calls) inDegree.set(c.to, (inDegree.get(c.to) ?? 0) + 1);
  const hubs = new Set(
    [...inDegree]
      .sort((x, y) => y[1] - x[1])
      .slice(0, Math.max(1, Math.round(n / 500)))
      .map(([id]) => id),
  );
  for (const c of calls) {
    const tt = teamOf(c.to);
    const ft = teamOf(c.from);
    const port = c.port as number;
    const sgKey = `${tt}|${port}`;
    sgPairs.set(sgKey, (sgPairs.get(sgKey) ?? new Set()).add(ft));
    const npKey = `${tt}|${tierOf.get(c.to)}`;
    npPairs.set(npKey, (npPairs.get(npKey) ?? new Set()).add(ft));
    if (hubs.has(c.to)) hubCallers.set(c.to, (hubCallers.get(c.to) ?? new Set()).add(ft));
  }
  let ruleNo = 0;
  for (const [key, callers] of [...sgPairs].sort()) {
    const [tt, port] = key.split('|') as [string, string];
    [...callers].sort().forEach((ft, k) => {
      if (rand() < breakRate) return;
      const r: SgPermissionRule = {
        id: `sg:sg-${tt}:ingress:${ruleNo++}:${k}`,
        type: 'sg-permission',
        level: 'group',
        group: `group:sg-${tt}`,
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: Number(port),
        toPort: Number(port),
        peer: { kind: 'group', group: `group:sg-${ft}` },
        source: src(line++),
      };
      rules.push(r);
    });
  }
  for (const [key, callers] of [...npPairs].sort()) {
    const [tt, tier] = key.split('|') as [string, string];
    const allowed = [...callers].sort().filter(() => rand() >= breakRate);
    const np: K8sNetworkPolicyRule = {
      id: `k8s:${tt}/netpol/${tier}-ingress`,
      type: 'k8s-network-policy',
      level: 'policy',
      name: `${tier}-ingress`,
      namespace: tt,
      podSelector: { matchLabels: { tier } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          peers: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: allowed }] } }],
          ports: [{ protocol: 'TCP', port: TIER_PORT[tier as (typeof TIERS)[number]] }],
        },
      ],
      source: src(line++),
    };
    rules.push(np);
  }
  for (const [hub, callers] of [...hubCallers].sort()) {
    for (const ft of [...callers].sort()) {
      if (rand() < breakRate) continue;
      rules.push({
        id: `iam:${hub}:${ft}`,
        type: 'role-grant',
        level: 'role',
        principal: `role:${ft}`,
        target: hub,
        effect: 'Allow',
        source: src(line++),
      });
    }
  }
  return { segscope: 1, name: `generated-${n}`, services, segments, calls, rules };
};
