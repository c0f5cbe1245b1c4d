import { describe, expect, it } from 'vitest';
import { exportAwsSg } from '../../formats/aws/write';
import { reimport } from '../../formats/testing';
import { importFiles } from '../../import/index';
import { reach } from '../reach';

// Amazon VPC Transit Gateways, "How transit gateways work" (how-transit-gateways-work.html): "When traffic is
// routed from a VPC attachment to the transit gateway, the transit gateway routes it using the route table
// associated with the attachment"; each attachment is associated with exactly one route table; routes
// are static or propagated, and a blackhole route drops matching traffic. Shapes as the CLI prints them:
// describe-transit-gateway-attachments (`Association: {TransitGatewayRouteTableId, State}`),
// describe-transit-gateway-route-tables (`TransitGatewayRouteTables[]`) and search-transit-gateway-routes
// (`Routes[]: {DestinationCidrBlock, TransitGatewayAttachments[], Type, State}`, no table id: it comes from
// the file name or a `TransitGatewayRouteTableId` key).

const A = '666666666666';
const vpc = (id: string, cidr: string) => ({ VpcId: id, CidrBlock: cidr, OwnerId: A });
const subnet = (id: string, vpcId: string, cidr: string) => ({
  SubnetId: id,
  VpcId: vpcId,
  CidrBlock: cidr,
  OwnerId: A,
});
const attachment = (id: string, vpcId: string, table?: string) => ({
  TransitGatewayAttachmentId: id,
  TransitGatewayId: 'tgw-0hub',
  ResourceType: 'vpc',
  ResourceId: vpcId,
  ResourceOwnerId: A,
  State: 'available',
  ...(table ? { Association: { TransitGatewayRouteTableId: table, State: 'associated' } } : {}),
});
const instance = (id: string, name: string, subnetId: string, vpcId: string, ip: string) => ({
  InstanceId: id,
  PrivateIpAddress: ip,
  SubnetId: subnetId,
  VpcId: vpcId,
  State: { Name: 'running' },
  Tags: [{ Key: 'Name', Value: name }],
});
const route = (cidr: string, attachmentId?: string, state = 'active') => ({
  DestinationCidrBlock: cidr,
  ...(attachmentId
    ? {
        TransitGatewayAttachments: [
          { ResourceId: 'vpc', TransitGatewayAttachmentId: attachmentId, ResourceType: 'vpc' },
        ],
      }
    : {}),
  Type: 'static',
  State: state,
});

const base = [
  {
    name: 'network.json',
    text: JSON.stringify({
      Vpcs: [
        vpc('vpc-a', '10.1.0.0/16'),
        vpc('vpc-b', '10.2.0.0/16'),
        vpc('vpc-c', '10.3.0.0/16'),
        vpc('vpc-d', '10.4.0.0/16'),
      ],
      Subnets: [
        subnet('subnet-a', 'vpc-a', '10.1.0.0/24'),
        subnet('subnet-b', 'vpc-b', '10.2.0.0/24'),
        subnet('subnet-c', 'vpc-c', '10.3.0.0/24'),
        subnet('subnet-d', 'vpc-d', '10.4.0.0/24'),
      ],
      TransitGatewayAttachments: [
        attachment('tgw-attach-a', 'vpc-a', 'tgw-rtb-0spoke'),
        attachment('tgw-attach-b', 'vpc-b', 'tgw-rtb-0shared'),
        attachment('tgw-attach-c', 'vpc-c', 'tgw-rtb-0spoke'),
        attachment('tgw-attach-d', 'vpc-d'),
      ],
      Reservations: [
        {
          OwnerId: A,
          Instances: [
            instance('i-a', 'app', 'subnet-a', 'vpc-a', '10.1.0.10'),
            instance('i-b', 'shared', 'subnet-b', 'vpc-b', '10.2.0.10'),
            instance('i-c', 'batch', 'subnet-c', 'vpc-c', '10.3.0.10'),
            instance('i-d', 'legacy', 'subnet-d', 'vpc-d', '10.4.0.10'),
          ],
        },
      ],
    }),
  },
  {
    name: 'describe-transit-gateway-route-tables.json',
    text: JSON.stringify({
      TransitGatewayRouteTables: [
        {
          TransitGatewayRouteTableId: 'tgw-rtb-0spoke',
          TransitGatewayId: 'tgw-0hub',
          State: 'available',
          Tags: [{ Key: 'Name', Value: 'spokes' }],
        },
        { TransitGatewayRouteTableId: 'tgw-rtb-0shared', TransitGatewayId: 'tgw-0hub', State: 'available' },
      ],
    }),
  },
];
// Spokes reach the shared VPC only (10.3/16 is a blackhole: spokes never reach each other).
const spokeRoutes = {
  name: 'search-transit-gateway-routes-tgw-rtb-0spoke.json',
  text: JSON.stringify({
    Routes: [
      route('10.2.0.0/16', 'tgw-attach-b'),
      route('10.3.0.0/16', undefined, 'blackhole'),
      route('10.0.0.0/8', 'tgw-attach-d'),
    ],
    AdditionalRoutesAvailable: false,
  }),
};
// The shared table routes back to spoke a and to d, not to c.
const sharedRoutes = {
  name: 'shared-routes.json',
  text: JSON.stringify({
    TransitGatewayRouteTableId: 'tgw-rtb-0shared',
    Routes: [route('10.1.0.0/16', 'tgw-attach-a'), route('10.4.0.0/16', 'tgw-attach-d')],
  }),
};

const verdicts = (files: { name: string; text: string }[]) => {
  const ws = importFiles(files).workspace;
  const id = (name: string) => ws.services.find((s) => s.name === name)?.id as string;
  return (from: string, to: string) => {
    const v = reach(ws, id(from), id(to), 443).levels.network;
    return [v.verdict, v.rule?.id, v.reason];
  };
};

describe('transit gateway route tables', () => {
  it('reads the tables, their routes (the table id from the file name or a key) and the attachments associated with them', () => {
    const r = importFiles([...base, spokeRoutes, sharedRoutes]);
    expect(r.report.files.map((f) => [f.name, f.format, f.diagnostics.length])).toEqual([
      ['network.json', 'aws', 0],
      ['describe-transit-gateway-route-tables.json', 'aws', 0],
      ['search-transit-gateway-routes-tgw-rtb-0spoke.json', 'aws', 0],
      ['shared-routes.json', 'aws', 0],
    ]);
    const tables = r.workspace.rules.flatMap((x) =>
      x.type === 'tgw-route-table'
        ? [[x.id, x.name, x.routes?.map((e) => `${e.destination}>${e.attachments.join('+') || e.state}`)]]
        : [],
    );
    expect(tables).toEqual([
      ['aws:tgw-rtb-0spoke', 'spokes', undefined],
      ['aws:tgw-rtb-0shared', undefined, undefined],
      [
        'aws:tgw-rtb-0spoke:routes',
        undefined,
        ['10.2.0.0/16>tgw-attach-b', '10.3.0.0/16>blackhole', '10.0.0.0/8>tgw-attach-d'],
      ],
      ['aws:tgw-rtb-0shared:routes', undefined, ['10.1.0.0/16>tgw-attach-a', '10.4.0.0/16>tgw-attach-d']],
    ]);
    const assoc = r.workspace.rules.flatMap((x) => (x.type === 'tgw-attachment' ? [[x.id, x.routeTable]] : []));
    expect(assoc).toEqual([
      ['aws:tgw-attach-a', 'tgw-rtb-0spoke'],
      ['aws:tgw-attach-b', 'tgw-rtb-0shared'],
      ['aws:tgw-attach-c', 'tgw-rtb-0spoke'],
      ['aws:tgw-attach-d', undefined],
    ]);
  });

  it('takes the transit gateway path only where both attachments route to each other, the most specific route deciding', () => {
    const v = verdicts([...base, spokeRoutes, sharedRoutes]);
    expect(v('app', 'shared').slice(0, 2)).toEqual(['allow', 'aws:tgw-attach-b']);
    expect(v('app', 'batch')).toEqual([
      'deny',
      'aws:tgw-rtb-0spoke:routes',
      "transit gateway route table spokes (vpc-a's attachment tgw-attach-a) routes traffic to batch (10.3.0.0/16) to a blackhole (a static blackhole route, which drops what it matches).",
    ]);
    // The request is routed (10.2/16 → b), the response is not: the shared table has no route to 10.3/16.
    expect(v('batch', 'shared')).toEqual([
      'deny',
      'aws:tgw-rtb-0shared:routes',
      "transit gateway route table tgw-rtb-0shared (vpc-b's attachment tgw-attach-b) has no route for the response back to batch, so the path through tgw-0hub is not used: no route, no path.",
    ]);
    // 10.4/16 falls in the spokes' 10.0.0.0/8, which sends it to d: routed both ways (d's table is not loaded).
    expect(v('app', 'legacy').slice(0, 2)).toEqual(['allow', 'aws:tgw-attach-d']);
    expect(v('shared', 'app').slice(0, 2)).toEqual(['allow', 'aws:tgw-attach-a']);
  });

  it('a blackhole route that still names its attachment says the attachment is gone (a route whose attachment was deleted turns blackhole)', () => {
    // "Blackhole: the route's target attachment is not available" (AWS, search-transit-gateway-routes State).
    const lost = {
      name: 'shared-routes.json',
      text: JSON.stringify({
        TransitGatewayRouteTableId: 'tgw-rtb-0shared',
        Routes: [route('10.1.0.0/16', 'tgw-attach-a', 'blackhole')],
      }),
    };
    expect(verdicts([...base, spokeRoutes, lost])('app', 'shared')).toEqual([
      'deny',
      'aws:tgw-rtb-0shared:routes',
      "transit gateway route table tgw-rtb-0shared (vpc-b's attachment tgw-attach-b) routes the response back to app (10.1.0.0/16) to a blackhole (its attachment tgw-attach-a is gone).",
    ]);
  });

  it('routes to another attachment are no path to the peer', () => {
    const wrong = {
      name: 'shared-routes.json',
      text: JSON.stringify({
        TransitGatewayRouteTableId: 'tgw-rtb-0shared',
        Routes: [route('10.1.0.0/8', 'tgw-attach-d')],
      }),
    };
    expect(verdicts([...base, spokeRoutes, wrong])('app', 'shared')).toEqual([
      'deny',
      'aws:tgw-rtb-0shared:routes',
      "transit gateway route table tgw-rtb-0shared (vpc-b's attachment tgw-attach-b) routes the response back to app (10.1.0.0/8) to tgw-attach-d, not to tgw-attach-a (vpc-a).",
    ]);
  });

  it('without the routes of a table (describe-transit-gateway-route-tables alone) the transit gateway does not restrict', () => {
    const v = verdicts(base);
    expect(v('app', 'batch').slice(0, 2)).toEqual(['allow', 'aws:tgw-attach-c']);
  });

  it('an unreadable route is an error at its line and its table takes no path; routes without a table id are an error', () => {
    const bad = {
      name: 'routes.json',
      text: JSON.stringify(
        { TransitGatewayRouteTableId: 'tgw-rtb-0shared', Routes: [route('10.1.0.0/33', 'tgw-attach-a')] },
        null,
        2,
      ),
    };
    const r = importFiles([...base, spokeRoutes, bad]);
    expect(r.report.files[3]?.diagnostics.map((d) => [d.severity, d.line, d.message])).toEqual([
      [
        'error',
        5,
        'tgw-rtb-0shared: "10.1.0.0/33" is not a CIDR; no path through this table is taken (nothing is widened)',
      ],
    ]);
    expect(verdicts([...base, spokeRoutes, bad])('app', 'shared')[0]).toBe('deny');
    const anonymous = {
      name: 'routes.json',
      text: JSON.stringify({ Routes: [route('10.1.0.0/16', 'tgw-attach-a')], AdditionalRoutesAvailable: true }),
    };
    const r2 = importFiles([anonymous]);
    expect(r2.report.files[0]?.diagnostics.map((d) => d.message)).toEqual([
      'transit gateway routes without a route table id: name the file after the table (tgw-rtb-….json) or add "TransitGatewayRouteTableId" next to "Routes"',
    ]);
  });
});

describe('transit gateway route tables written back', () => {
  it('keep their routes, names and associations through the AWS writer', () => {
    const ws = importFiles([...base, spokeRoutes, sharedRoutes]).workspace;
    const back = reimport(exportAwsSg(ws)).workspace;
    const strip = (list: typeof ws.rules) =>
      list
        .filter((r) => r.type === 'tgw-route-table' || r.type === 'tgw-attachment')
        .map((r) => {
          const { source: _s, ...rest } = r;
          return r.type === 'tgw-route-table' && r.routes
            ? { ...rest, routes: r.routes.map(({ source: _e, ...e }) => e) }
            : rest;
        })
        .sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(strip(back.rules)).toEqual(strip(ws.rules));
  });
});
