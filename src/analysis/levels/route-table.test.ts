import { describe, expect, it } from 'vitest';
import type { RouteEntry, RouteTableRule, Rule, Workspace } from '../../model/types';
import { reach } from '../reach';
import { at, peering, seg, svc, tgw, ws } from '../testing/build';
import { type Expected, levelVerdict } from '../testing/verdict';

// Semantics followed (AWS VPC User Guide):
// - "Each subnet in your VPC must be associated with a route table ... If a subnet is not explicitly associated
//   with any route table, it is implicitly associated with the main route table" (EC2 API, DescribeRouteTables).
// - "We use the most specific route in your route table that matches the traffic to determine how to route the
//   traffic" (Route priority, https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html).
// - A peering connection needs a route in both VPCs' tables: "To enable the flow of traffic between the VPCs,
//   you must add a route to the route table of each VPC that points to the peering connection"
//   (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html); likewise a transit gateway
//   attachment carries only what the subnet's table routes to the transit gateway.
// - The local route covers the VPC's own CIDR: traffic inside a VPC needs no other route.

const route = (destination: string, target: string, state?: 'blackhole'): RouteEntry => {
  const r: RouteEntry = { destination, target, source: at() };
  if (state) r.state = state;
  return r;
};
const table = (id: string, vpc: string, subnets: string[], routes: RouteEntry[], main = false): RouteTableRule => {
  const t: RouteTableRule = {
    id,
    type: 'route-table',
    level: 'network',
    routeTableId: id,
    vpc,
    subnets,
    routes,
    source: at(),
  };
  if (main) t.main = true;
  return t;
};

const segments = () => [
  seg('network:vpc-a', 'network', { kind: 'vpc', cidrs: ['10.0.0.0/16'] }),
  seg('network:subnet-a1', 'network', { kind: 'subnet', parent: 'network:vpc-a', cidrs: ['10.0.1.0/24'] }),
  seg('network:subnet-a2', 'network', { kind: 'subnet', parent: 'network:vpc-a', cidrs: ['10.0.2.0/24'] }),
  seg('network:vpc-b', 'network', { kind: 'vpc', cidrs: ['10.1.0.0/16'] }),
  seg('network:subnet-b1', 'network', { kind: 'subnet', parent: 'network:vpc-b', cidrs: ['10.1.1.0/24'] }),
];
const w = (rules: Rule[]): Workspace =>
  ws({
    services: [
      svc('aws:a', { network: ['network:subnet-a1'], addresses: ['10.0.1.10'] }),
      svc('aws:a2', { network: ['network:subnet-a2'], addresses: ['10.0.2.10'] }),
      svc('aws:b', { network: ['network:subnet-b1'], addresses: ['10.1.1.10'] }),
    ],
    segments: segments(),
    rules,
  });
const pcx = peering('pcx-ab', 'network:vpc-a', 'network:vpc-b', 'active');
const localA = route('10.0.0.0/16', 'local');
const localB = route('10.1.0.0/16', 'local');
const backB = table('rtb-b', 'network:vpc-b', ['network:subnet-b1'], [localB, route('10.0.0.0/16', 'pcx-ab')]);

describe('route tables (network level)', () => {
  it.each<[string, Rule[], string, Expected]>([
    [
      'a peering with a route both ways is a path',
      [pcx, table('rtb-a', 'network:vpc-a', ['network:subnet-a1'], [localA, route('10.1.0.0/16', 'pcx-ab')]), backB],
      'aws:b',
      { verdict: 'allow', rule: 'pcx-ab' },
    ],
    [
      'a peering with no route in the caller subnet is no path',
      [pcx, table('rtb-a', 'network:vpc-a', ['network:subnet-a1'], [localA]), backB],
      'aws:b',
      { verdict: 'deny', rule: 'rtb-a' },
    ],
    [
      'a peering with no return route is no path',
      [
        pcx,
        table('rtb-a', 'network:vpc-a', ['network:subnet-a1'], [localA, route('10.1.0.0/16', 'pcx-ab')]),
        table('rtb-b', 'network:vpc-b', ['network:subnet-b1'], [localB]),
      ],
      'aws:b',
      { verdict: 'deny', rule: 'rtb-b' },
    ],
    [
      'the most specific route wins: a /24 to an internet gateway shadows the /16 to the peering',
      [
        pcx,
        table(
          'rtb-a',
          'network:vpc-a',
          ['network:subnet-a1'],
          [localA, route('10.1.0.0/16', 'pcx-ab'), route('10.1.1.0/24', 'igw-1')],
        ),
        backB,
      ],
      'aws:b',
      { verdict: 'deny', rule: 'rtb-a' },
    ],
    [
      'a blackhole route carries nothing',
      [
        pcx,
        table('rtb-a', 'network:vpc-a', ['network:subnet-a1'], [localA, route('10.1.0.0/16', 'pcx-ab', 'blackhole')]),
        backB,
      ],
      'aws:b',
      { verdict: 'deny', rule: 'rtb-a' },
    ],
    [
      'a subnet without its own table uses the main table',
      [pcx, table('rtb-main', 'network:vpc-a', [], [localA, route('10.1.0.0/16', 'pcx-ab')], true), backB],
      'aws:b',
      { verdict: 'allow', rule: 'pcx-ab' },
    ],
    [
      'a transit gateway path needs routes to the transit gateway',
      [
        tgw('att-a', 'tgw-1', 'network:vpc-a'),
        tgw('att-b', 'tgw-1', 'network:vpc-b'),
        table('rtb-a', 'network:vpc-a', ['network:subnet-a1'], [localA, route('0.0.0.0/0', 'tgw-1')]),
        table('rtb-b', 'network:vpc-b', ['network:subnet-b1'], [localB]),
      ],
      'aws:b',
      { verdict: 'deny', rule: 'rtb-b' },
    ],
    [
      'inside a VPC the local route carries everything',
      [table('rtb-a', 'network:vpc-a', ['network:subnet-a1'], [])],
      'aws:a2',
      { verdict: 'allow', rule: 'network:vpc-a' },
    ],
    [
      'a subnet whose table is not loaded does not restrict',
      [pcx, table('rtb-other', 'network:vpc-b', ['network:subnet-x'], [])],
      'aws:b',
      { verdict: 'allow', rule: 'pcx-ab' },
    ],
  ])('%s', (_name, rules, to, expected) => {
    expect(levelVerdict(w(rules), 'aws:a', to, 'network', 443)).toEqual(expected);
  });

  it('says which table and route decided, with the route to add', () => {
    const v = reach(
      w([pcx, table('rtb-a', 'network:vpc-a', ['network:subnet-a1'], [localA]), backB]),
      'aws:a',
      'aws:b',
      443,
    ).levels.network;
    expect(v.reason).toBe(
      'rtb-a (subnet-a1) has no route for traffic to b, so the pcx-ab path is not used: no route, no path.',
    );
    expect(v.fix).toBe('add a route to 10.1.1.10/32 via pcx-ab in rtb-a');
  });

  it('a table with a route that could not be read takes no path (never widened)', () => {
    const damaged: RouteEntry = { destination: '', target: '', damaged: true, source: at() };
    const rules = [
      pcx,
      table('rtb-a', 'network:vpc-a', ['network:subnet-a1'], [localA, route('10.1.0.0/16', 'pcx-ab'), damaged]),
      backB,
    ];
    expect(levelVerdict(w(rules), 'aws:a', 'aws:b', 'network', 443)).toEqual({ verdict: 'deny', rule: 'rtb-a' });
  });
});
