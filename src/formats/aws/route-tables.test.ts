import { describe, expect, it } from 'vitest';
import { analyze } from '../../analysis/analyze';
import { buildIndex } from '../../analysis/context';
import { computeQuotas } from '../../analysis/quotas';
import { reach } from '../../analysis/reach';
import { importFiles } from '../../import/index';
import type { RouteTableRule } from '../../model/types';
import { reimport, sampleFiles } from '../testing';
import { awsReader } from './read';
import { posOf } from './testing';
import { exportAwsSg } from './write';

// Shapes as `aws ec2 describe-route-tables` prints them (EC2 API reference, DescribeRouteTables / RouteTable:
// Associations [{Main, RouteTableAssociationId, RouteTableId, SubnetId?, GatewayId?, AssociationState}],
// Routes [{DestinationCidrBlock | DestinationIpv6CidrBlock | DestinationPrefixListId, GatewayId |
// VpcPeeringConnectionId | TransitGatewayId | NatGatewayId | …, Origin, State active | blackhole}]).
// "This command does not return the subnet ID for implicit associations": those subnets use the main table.

const tables = (value: unknown) => {
  const text = JSON.stringify(value, null, 4);
  const result = awsReader.read({ name: 'describe-route-tables.json', text });
  return { text, result, rules: result.fragment.rules.filter((r): r is RouteTableRule => r.type === 'route-table') };
};

const routeTables = {
  RouteTables: [
    {
      Associations: [
        {
          Main: true,
          RouteTableAssociationId: 'rtbassoc-0m',
          RouteTableId: 'rtb-0main',
          AssociationState: { State: 'associated' },
        },
      ],
      PropagatingVgws: [],
      RouteTableId: 'rtb-0main',
      Routes: [
        { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
      ],
      Tags: [],
      VpcId: 'vpc-0a',
      OwnerId: '111111111111',
    },
    {
      Associations: [
        {
          Main: false,
          RouteTableAssociationId: 'rtbassoc-01',
          RouteTableId: 'rtb-0app',
          SubnetId: 'subnet-0app',
          AssociationState: { State: 'associated' },
        },
        { Main: false, RouteTableAssociationId: 'rtbassoc-02', RouteTableId: 'rtb-0app', GatewayId: 'igw-0e' },
      ],
      PropagatingVgws: [],
      RouteTableId: 'rtb-0app',
      Routes: [
        { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
        {
          DestinationCidrBlock: '10.1.0.0/16',
          VpcPeeringConnectionId: 'pcx-0ab',
          Origin: 'CreateRoute',
          State: 'active',
        },
        { DestinationCidrBlock: '10.2.0.0/16', TransitGatewayId: 'tgw-0t', Origin: 'CreateRoute', State: 'blackhole' },
        { DestinationPrefixListId: 'pl-63a5400a', GatewayId: 'vpce-0s3', Origin: 'CreateRoute', State: 'active' },
        {
          DestinationIpv6CidrBlock: '::/0',
          EgressOnlyInternetGatewayId: 'eigw-0e',
          Origin: 'CreateRoute',
          State: 'active',
        },
      ],
      Tags: [{ Key: 'Name', Value: 'app-routes' }],
      VpcId: 'vpc-0a',
      OwnerId: '111111111111',
    },
  ],
};

describe('AWS reader: describe-route-tables', () => {
  it('reads each table with its routes (most specific decides later), its subnets and the main flag', () => {
    const { result, rules } = tables(routeTables);
    expect(result.diagnostics).toEqual([]);
    expect(
      rules.map(({ source: _s, routes, ...r }) => ({ ...r, routes: routes.map(({ source: _x, ...e }) => e) })),
    ).toEqual([
      {
        id: 'aws:rtb-0main',
        type: 'route-table',
        level: 'network',
        routeTableId: 'rtb-0main',
        vpc: 'network:vpc-0a',
        main: true,
        subnets: [],
        routes: [{ destination: '10.0.0.0/16', target: 'local' }],
      },
      {
        id: 'aws:rtb-0app',
        type: 'route-table',
        level: 'network',
        routeTableId: 'rtb-0app',
        name: 'app-routes',
        vpc: 'network:vpc-0a',
        subnets: ['network:subnet-0app'],
        routes: [
          { destination: '10.0.0.0/16', target: 'local' },
          { destination: '10.1.0.0/16', target: 'pcx-0ab' },
          { destination: '10.2.0.0/16', target: 'tgw-0t', state: 'blackhole' },
          { destination: '::/0', target: 'eigw-0e' },
        ],
      },
    ]);
  });

  it('a route that cannot be read is a located error, kept as damaged (no path through the table); the rest loads', () => {
    const bad = structuredClone(routeTables);
    (bad.RouteTables[1]?.Routes[1] as Record<string, unknown>).DestinationCidrBlock = '10.1.0.0/33';
    const { text, result, rules } = tables(bad);
    const at = posOf(text, '"DestinationCidrBlock": "10.1.0.0/33"');
    expect(result.diagnostics.map((d) => [d.line, d.column, d.severity, d.message])).toEqual([
      [
        at.line,
        at.column,
        'error',
        'rtb-0app: "10.1.0.0/33" is not a CIDR; no path through this table is taken (nothing is widened)',
      ],
    ]);
    expect(rules[1]?.routes.map((r) => [r.target, r.damaged ?? false])).toEqual([
      ['local', false],
      ['pcx-0ab', true],
      ['tgw-0t', false],
      ['eigw-0e', false],
    ]);
  });
});

describe('the route table sample (public/samples/aws-routes)', () => {
  const ws = importFiles(sampleFiles('public/samples/aws-routes')).workspace;
  const id = (name: string) => ws.services.find((s) => s.name === name)?.id as string;
  const network = (from: string, to: string, port: number) => {
    const v = reach(ws, id(from), id(to), port).levels.network;
    return [v.verdict, v.rule?.id, v.reason];
  };

  it('takes the peering only where both subnets route to it, the most specific route deciding', () => {
    expect(network('orders', 'metrics', 9090).slice(0, 2)).toEqual(['allow', 'aws:pcx-0f1e2d3c4b5a60033']);
    // reports' subnet has no table of its own: the main table has only the local route.
    expect(network('reports', 'metrics', 9090)).toEqual([
      'deny',
      'aws:rtb-0d4a00000000000c1',
      'orders-main (orders-batch-1a) has no route for traffic to metrics, so the pcx-0f1e2d3c4b5a60033 path is not used: no route, no path.',
    ]);
    // A /32 blackhole is more specific than the /16 to the peering.
    expect(network('orders', 'vault', 8200)).toEqual([
      'deny',
      'aws:rtb-0d4a00000000000c2',
      'orders-app (orders-app-1a) routes traffic to vault to tgw-0a9b8c7d6e5f40044, which is a blackhole (its target is gone).',
    ]);
    expect(analyze(ws).calls.map((c) => [ws.services.find((s) => s.id === c.from)?.name, c.class])).toEqual([
      ['orders', 'allowed'],
      ['reports', 'broken'],
      ['orders', 'broken'],
    ]);
  });

  it('counts routes other than local against the routes-per-table quota', () => {
    const uses = computeQuotas(buildIndex(ws)).filter((q) => q.quota === 'aws.routes-per-table');
    expect(uses.map((q) => [q.subject.id, q.used, q.limit]).sort()).toEqual([
      ['network:subnet-0d4a000000000a001', 2, 50],
      ['network:vpc-0d4a5b6c7d8e90011', 0, 50],
      ['network:vpc-0e5b6c7d8e9fa0022', 1, 50],
    ]);
  });

  it('writes the tables back as describe-route-tables, read back to the same rules', () => {
    const out = exportAwsSg(ws);
    const strip = (list: typeof ws.rules) =>
      list
        .filter((r): r is RouteTableRule => r.type === 'route-table')
        .map(({ source: _s, routes, ...r }) => ({ ...r, routes: routes.map(({ source: _e, ...e }) => e) }));
    expect(strip(reimport(out).workspace.rules)).toEqual(strip(ws.rules));
  });
});
