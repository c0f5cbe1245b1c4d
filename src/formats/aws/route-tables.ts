// aws ec2 describe-route-tables: each table one rule with its routes and the subnets it is associated with.
import { isValidNet } from '../../model/cidr';
import type { RouteEntry, RouteTableRule } from '../../model/types';
import { type AwsBuilder, bool, eachObject, isObj, type Path, str, tagMap } from './builder';
import { awsIds } from './conventions';
import { addSubnet } from './segments';

/** The keys a route names its target with, as the CLI prints them. */
const TARGET_KEYS = [
  'GatewayId',
  'VpcPeeringConnectionId',
  'TransitGatewayId',
  'NatGatewayId',
  'NetworkInterfaceId',
  'InstanceId',
  'EgressOnlyInternetGatewayId',
  'LocalGatewayId',
  'CarrierGatewayId',
  'CoreNetworkArn',
] as const;

export const readRouteTables = (b: AwsBuilder, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'RouteTables', (t, p) => {
    const routeTableId = str(t, 'RouteTableId');
    if (!routeTableId) return b.diag(p, 'route table without RouteTableId; skipped');
    const vpcId = str(t, 'VpcId');
    const accountId = str(t, 'OwnerId');
    const vpc = b.vpc(vpcId, { accountId }, p);
    const subnets: string[] = [];
    let main = false;
    eachObject(b, t.Associations, [...p, 'Associations'], 'Associations', (a, ap) => {
      const state = isObj(a.AssociationState) ? str(a.AssociationState, 'State') : undefined;
      if (state !== undefined && state !== 'associated') return;
      if (bool(a, 'Main') === true) main = true;
      const subnetId = str(a, 'SubnetId');
      if (!subnetId) return; // the main association, or a gateway's (edge) association
      if (!b.getSegment(awsIds.network(subnetId))) addSubnet(b, { subnetId, vpcId, accountId, cidrs: [] }, ap, true);
      subnets.push(awsIds.network(subnetId));
    });
    const routes: RouteEntry[] = [];
    eachObject(b, t.Routes, [...p, 'Routes'], 'Routes', (r, rp) => {
      const destination = str(r, 'DestinationCidrBlock') ?? str(r, 'DestinationIpv6CidrBlock');
      const prefixList = str(r, 'DestinationPrefixListId');
      const targetKey = TARGET_KEYS.find((k) => str(r, k) !== undefined);
      const target = targetKey ? (str(r, targetKey) as string) : undefined;
      if (!destination && prefixList) return; // a gateway endpoint's prefix list: AWS services, not peers
      const key = str(r, 'DestinationIpv6CidrBlock') ? 'DestinationIpv6CidrBlock' : 'DestinationCidrBlock';
      if (!destination || !isValidNet(destination, false) || !target) {
        b.diag(
          destination && isValidNet(destination, false) ? rp : [...rp, key],
          `${routeTableId}: ${!destination ? 'route without a destination' : !isValidNet(destination, false) ? `"${destination}" is not a CIDR` : `route to ${destination} names no target`}; no path through this table is taken (nothing is widened)`,
        );
        routes.push({ destination: destination ?? '', target: target ?? '', damaged: true, source: b.at(rp) });
        return;
      }
      const route: RouteEntry = { destination, target, source: b.at(rp) };
      const state = str(r, 'State');
      if (state === 'blackhole') route.state = 'blackhole';
      routes.push(route);
    });
    const rule: RouteTableRule = {
      id: `aws:${routeTableId}`,
      type: 'route-table',
      level: 'network',
      routeTableId,
      subnets,
      routes,
      source: b.at(p),
    };
    const name = tagMap(t.Tags)?.Name;
    if (name) rule.name = name;
    if (vpc) rule.vpc = vpc;
    if (main) rule.main = true;
    b.rule(rule, p);
  });
