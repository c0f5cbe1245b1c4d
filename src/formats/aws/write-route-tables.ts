// describe-route-tables as the AWS writer writes it: each route table with its routes and subnet associations.
import type { Obj } from '../../export/format';
import type { RouteEntry, RouteTableRule } from '../../model/types';
import { type AwsWriter, defined } from './write-context';
import { awsRuleId } from './write-networks';

/** The key a route names its target with, from the target id's prefix. */
const targetKey = (target: string): string => {
  const prefix = /^([a-z]+)-/.exec(target)?.[1];
  const keys: Record<string, string> = {
    pcx: 'VpcPeeringConnectionId',
    tgw: 'TransitGatewayId',
    nat: 'NatGatewayId',
    eni: 'NetworkInterfaceId',
    i: 'InstanceId',
    eigw: 'EgressOnlyInternetGatewayId',
    lgw: 'LocalGatewayId',
    cagw: 'CarrierGatewayId',
  };
  return (prefix && keys[prefix]) || 'GatewayId';
};

const routeObject = (r: RouteEntry): Obj =>
  defined([
    [r.destination.includes(':') ? 'DestinationIpv6CidrBlock' : 'DestinationCidrBlock', r.destination],
    [targetKey(r.target), r.target],
    ['Origin', r.target === 'local' ? 'CreateRouteTable' : 'CreateRoute'],
    ['State', r.state ?? 'active'],
  ]);

export const routeTableObjects = (w: AwsWriter): Obj[] =>
  w.ws.rules
    .filter((r): r is RouteTableRule => r.type === 'route-table')
    .map((r) => {
      const id = awsRuleId(w, r.id, 'rtb');
      const routes = r.routes.filter((x) => !x.damaged);
      if (routes.length < r.routes.length)
        w.notes.item('route tables with a route that could not be read (not written)', id);
      const main = r.main
        ? [{ Main: true, RouteTableAssociationId: `rtbassoc-${id.slice(4)}m`, RouteTableId: id }]
        : [];
      return defined([
        [
          'Associations',
          [
            ...main,
            ...r.subnets.map((s, i) => ({
              Main: false,
              RouteTableAssociationId: `rtbassoc-${id.slice(4)}${i}`,
              RouteTableId: id,
              SubnetId: w.networkId(s, 'subnetId'),
            })),
          ],
        ],
        ['RouteTableId', id],
        ['Routes', routes.map(routeObject)],
        ['Tags', r.name ? [{ Key: 'Name', Value: r.name }] : []],
        ['VpcId', r.vpc ? w.networkId(r.vpc, 'vpcId') : undefined],
        ['OwnerId', r.vpc ? w.accountOf(w.seg.get(r.vpc)) : undefined],
      ]);
    });
