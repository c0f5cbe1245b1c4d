// Writes the AWS CLI exports of the lessons in public/samples/lessons/ (npx tsx scripts/make-lessons.ts).
// AWS exports carry no calls and no notion of "critical": those go in a small native file next to them
// (services named as the instances' Name tags, which the import merges with the instances).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsExports, type Estate, type Instance, type Permission } from './lessons/aws';

const ROOT = 'public/samples/lessons';
const ACCOUNT = '210987654321';
const REGION = 'eu-west-1';

interface Companion {
  name: string;
  note: string;
  services: { name: string; kind?: string; critical?: boolean }[];
  calls: [from: string, to: string, port: number][];
}

/** The native companion: the required calls (and criticality) the AWS exports cannot express. */
const companion = (c: Companion): string =>
  `${JSON.stringify(
    {
      segscope: 1,
      name: c.name,
      extra: { note: c.note },
      services: c.services.map((s) => ({
        id: s.name,
        name: s.name,
        kind: s.kind ?? 'service',
        ...(s.critical ? { critical: true } : {}),
        memberships: {},
      })),
      segments: [],
      calls: c.calls.map(([from, to, port]) => ({ from, to, port, protocol: 'TCP', origin: 'declared' })),
      rules: [],
    },
    null,
    2,
  )}\n`;

const write = (lesson: string, files: Record<string, string>) => {
  const dir = join(ROOT, lesson, 'files');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
};

const tcp = (from: number, to = from): Pick<Permission, 'protocol' | 'from' | 'to'> => ({ protocol: 'tcp', from, to });
const app = (name: string, ip: string, groups: string[], more: Partial<Instance> = {}): Instance => ({
  name,
  subnet: 'app-1a',
  ip,
  groups,
  ...more,
});

// ---------------------------------------------------------------------------------------------
// Lesson 2: security-group abuse — one group for everything, and a hub group of per-address rules.
const sgAbuse = (): Record<string, string> => {
  const everything = [
    app('web-1', '10.0.1.11', ['sg-everything'], { publicIp: '52.48.10.11' }),
    app('web-2', '10.0.1.12', ['sg-everything'], { publicIp: '52.48.10.12' }),
    app('cart', '10.0.1.21', ['sg-everything']),
    app('catalog', '10.0.1.22', ['sg-everything']),
    app('orders', '10.0.1.23', ['sg-everything']),
    app('payments', '10.0.1.24', ['sg-everything']),
    app('search', '10.0.1.25', ['sg-everything']),
    app('users', '10.0.1.26', ['sg-everything']),
    app('db-orders', '10.0.2.31', ['sg-everything'], { subnet: 'data-1a', role: 'db' }),
    app('db-users', '10.0.2.32', ['sg-everything'], { subnet: 'data-1a', role: 'db' }),
    app('cache', '10.0.2.33', ['sg-everything'], { subnet: 'data-1a', role: 'cache' }),
    app('queue', '10.0.2.34', ['sg-everything'], { subnet: 'data-1a', role: 'queue' }),
  ];
  const callers = ['web-1', 'web-2', 'cart', 'catalog', 'orders', 'payments', 'search', 'users'];
  const callerIps = everything.filter((i) => callers.includes(i.name)).map((i) => i.ip);
  // Per-address rules pile up: every caller ever deployed got one, and nobody removes them.
  const retired = Array.from({ length: 61 - callerIps.length }, (_, k) => `10.0.1.${100 + k}`);
  const estate: Estate = {
    account: ACCOUNT,
    region: REGION,
    vpcs: [{ name: 'shop', cidr: '10.0.0.0/16' }],
    subnets: [
      { name: 'app-1a', vpc: 'shop', cidr: '10.0.1.0/24', zone: 'eu-west-1a' },
      { name: 'data-1a', vpc: 'shop', cidr: '10.0.2.0/24', zone: 'eu-west-1a' },
    ],
    groups: [
      {
        name: 'sg-everything',
        vpc: 'shop',
        description: 'All shop services',
        ingress: [{ protocol: '-1', cidrs: [{ cidr: '10.0.0.0/16', description: 'anything in the VPC' }] }],
      },
      {
        name: 'sg-auth-legacy',
        vpc: 'shop',
        description: 'auth: one rule per caller address',
        ingress: [
          {
            ...tcp(8443),
            cidrs: [
              ...callerIps.map((ip) => ({ cidr: `${ip}/32`, description: 'caller' })),
              ...retired.map((ip) => ({ cidr: `${ip}/32`, description: 'caller (retired?)' })),
            ],
          },
        ],
      },
      {
        name: 'sg-auth',
        vpc: 'shop',
        description: 'auth: callers by subnet',
        ingress: [{ ...tcp(8443), cidrs: [{ cidr: '10.0.1.0/24', description: 'app subnet' }] }],
      },
    ],
    instances: [...everything, app('auth', '10.0.1.40', ['sg-auth-legacy'])],
  };
  const web = (w: string): [string, string, number][] => [
    [w, 'catalog', 8080],
    [w, 'cart', 8080],
    [w, 'orders', 8080],
    [w, 'users', 8080],
  ];
  return {
    ...awsExports(estate),
    'calls.segscope.json': companion({
      name: 'shop calls',
      note: 'The calls the shop needs: AWS exports do not list them.',
      services: [...estate.instances.map((i) => ({ name: i.name }))],
      calls: [
        ...web('web-1'),
        ...web('web-2'),
        ['orders', 'payments', 8080],
        ['orders', 'db-orders', 5432],
        ['orders', 'queue', 5672],
        ['users', 'db-users', 5432],
        ['catalog', 'cache', 6379],
        ...callers.map((c): [string, string, number] => [c, 'auth', 8443]),
      ],
    }),
  };
};

// ---------------------------------------------------------------------------------------------
// Lesson 3: VPC abuse — a VPC per team, a shared-services VPC peered with the whole organization,
// two teams cut from one template (overlapping CIDRs), and a /28 nearly full.
const vpcAbuse = (): Record<string, string> => {
  const teams = [
    { team: 'cart', cidr: '10.11.0.0/24', subnet: '10.11.0.0/28', free: 1 },
    { team: 'orders', cidr: '10.12.0.0/24', subnet: '10.12.0.0/26' },
    { team: 'payments', cidr: '10.12.0.0/24', subnet: '10.12.0.64/26' },
    { team: 'search', cidr: '10.14.0.0/24', subnet: '10.14.0.0/26' },
    { team: 'reviews', cidr: '10.15.0.0/24', subnet: '10.15.0.0/26' },
  ];
  // The shared-services VPC is also peered with the VPCs of the organization's other accounts.
  const others = Array.from({ length: 36 }, (_, k) => ({
    name: `team-${String(k + 1).padStart(2, '0')}`,
    cidr: `10.${100 + Math.floor(k / 4)}.${(k % 4) * 64}.0/26`,
    ownerId: String(310000000000 + k * 1013),
  }));
  const host = (cidr: string, n: number) =>
    cidr.replace(/\.\d+\/\d+$/, (m) => `.${Number(m.slice(1).split('/')[0]) + n}`);
  const estate: Estate = {
    account: ACCOUNT,
    region: REGION,
    vpcs: [
      { name: 'shared-services', cidr: '10.0.0.0/16' },
      ...teams.map((t) => ({ name: t.team, cidr: t.cidr })),
      ...others,
    ],
    subnets: [
      { name: 'shared-1a', vpc: 'shared-services', cidr: '10.0.1.0/24', zone: 'eu-west-1a' },
      ...teams.map((t) => ({
        name: `${t.team}-1a`,
        vpc: t.team,
        cidr: t.subnet,
        zone: 'eu-west-1a',
        ...(t.free !== undefined ? { free: t.free } : {}),
      })),
    ],
    groups: [
      {
        name: 'sg-shared',
        vpc: 'shared-services',
        description: 'shared services',
        ingress: [{ ...tcp(0, 65535), cidrs: [{ cidr: '10.0.0.0/8', description: 'private ranges' }] }],
      },
      ...teams.map((t) => ({
        name: `sg-${t.team}`,
        vpc: t.team,
        description: `${t.team} team`,
        ingress: [{ ...tcp(0, 65535), cidrs: [{ cidr: '10.0.0.0/8', description: 'private ranges' }] }],
      })),
    ],
    instances: [
      { name: 'auth', subnet: 'shared-1a', ip: '10.0.1.10', groups: ['sg-shared'] },
      { name: 'users', subnet: 'shared-1a', ip: '10.0.1.11', groups: ['sg-shared'] },
      { name: 'users-db', subnet: 'shared-1a', ip: '10.0.1.12', groups: ['sg-shared'], role: 'db' },
      { name: 'cart', subnet: 'cart-1a', ip: '10.11.0.4', groups: ['sg-cart'] },
      { name: 'cart-db', subnet: 'cart-1a', ip: '10.11.0.5', groups: ['sg-cart'], role: 'db' },
      ...teams.slice(1).map((t) => ({
        name: t.team,
        subnet: `${t.team}-1a`,
        ip: host(t.subnet, 10),
        groups: [`sg-${t.team}`],
      })),
    ],
    peerings: [
      ...teams
        .filter((t) => t.team !== 'payments')
        .map((t) => ({ name: `shared--${t.team}`, requester: t.team, accepter: 'shared-services' })),
      { name: 'shared--payments', requester: 'payments', accepter: 'shared-services' },
      ...others.map((o) => ({ name: `shared--${o.name}`, requester: o.name, accepter: 'shared-services' })),
    ],
  };
  return {
    ...awsExports(estate),
    'calls.segscope.json': companion({
      name: 'team calls',
      note: 'The calls between the teams: AWS exports do not list them.',
      services: estate.instances.map((i) => ({ name: i.name })),
      calls: [
        ['cart', 'auth', 8443],
        ['orders', 'auth', 8443],
        ['payments', 'auth', 8443],
        ['search', 'auth', 8443],
        ['reviews', 'auth', 8443],
        ['users', 'users-db', 5432],
        ['cart', 'cart-db', 5432],
        ['orders', 'payments', 8080],
      ],
    }),
  };
};

// ---------------------------------------------------------------------------------------------
// Lesson 5: independent failure modes — checkout needs payments and inventory, which share a
// subnet (one zone), a security group and the one rule that lets checkout in.
const failureModes = (): Record<string, string> => {
  const estate: Estate = {
    account: ACCOUNT,
    region: REGION,
    vpcs: [{ name: 'shop', cidr: '10.0.0.0/16' }],
    subnets: [
      { name: 'front-1a', vpc: 'shop', cidr: '10.0.0.0/24', zone: 'eu-west-1a' },
      { name: 'backend-1a', vpc: 'shop', cidr: '10.0.1.0/24', zone: 'eu-west-1a' },
      { name: 'backend-1b', vpc: 'shop', cidr: '10.0.2.0/24', zone: 'eu-west-1b' },
    ],
    groups: [
      {
        name: 'sg-front',
        vpc: 'shop',
        description: 'public storefront',
        ingress: [{ ...tcp(443), cidrs: [{ cidr: '0.0.0.0/0', description: 'HTTPS from the internet' }] }],
      },
      {
        name: 'sg-backend',
        vpc: 'shop',
        description: 'backend services',
        ingress: [{ ...tcp(8080), groups: ['sg-front'] }],
      },
      {
        name: 'sg-payments',
        vpc: 'shop',
        description: 'payments only',
        ingress: [{ ...tcp(8080), groups: ['sg-front'] }],
      },
    ],
    instances: [
      { name: 'checkout', subnet: 'front-1a', ip: '10.0.0.10', groups: ['sg-front'], publicIp: '52.48.20.10' },
      { name: 'payments', subnet: 'backend-1a', ip: '10.0.1.20', groups: ['sg-backend'] },
      { name: 'inventory', subnet: 'backend-1a', ip: '10.0.1.21', groups: ['sg-backend'] },
    ],
  };
  return {
    ...awsExports(estate),
    'calls.segscope.json': companion({
      name: 'checkout calls',
      note: 'Calls and criticality: AWS exports carry neither.',
      services: [{ name: 'checkout' }, { name: 'payments', critical: true }, { name: 'inventory', critical: true }],
      calls: [
        ['checkout', 'payments', 8080],
        ['checkout', 'inventory', 8080],
      ],
    }),
  };
};

write('sg-abuse', sgAbuse());
write('vpc-abuse', vpcAbuse());
write('failure-modes', failureModes());
