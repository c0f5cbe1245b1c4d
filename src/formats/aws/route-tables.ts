// aws ec2 describe-route-tables: each table one rule with its routes and the subnets it is associated with.
import { isValidNet } from '../../model/cidr';
import type { RouteEntry, RouteTableRule } from '../../model/types';
import { type AwsBuilder, bool, eachObject, isObj, type Path, str, tagMap } from './builder';
import { associatedSubnets } from './segments';

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

/** One route's values, read from the CLI's or Terraform's keys; `destinationKey` names where the destination is written. */
export interface RouteFields {
  destination: string | undefined;
  destinationKey: string;
  prefixList: string | undefined;
  target: string | undefined;
  state?: string | undefined;
}

/**
 * One route, or a damaged one when it cannot be read: a damaged route makes no path through its table
 * (nothing is widened). A gateway endpoint's prefix-list route (AWS services, not peers) is no route here.
 */
export const readRoute = (b: AwsBuilder, routeTableId: string, f: RouteFields, rp: Path): RouteEntry | undefined => {
  const { destination, target } = f;
  if (!destination && f.prefixList) return undefined;
  if (!destination || !isValidNet(destination, false) || !target) {
    b.diag(
      destination && isValidNet(destination, false) ? rp : [...rp, f.destinationKey],
      `${routeTableId}: ${!destination ? 'route without a destination' : !isValidNet(destination, false) ? `"${destination}" is not a CIDR` : `route to ${destination} names no target`}; no path through this table is taken (nothing is widened)`,
    );
    return { destination: destination ?? '', target: target ?? '', damaged: true, source: b.at(rp) };
  }
  const route: RouteEntry = { destination, target, source: b.at(rp) };
  if (f.state === 'blackhole') route.state = 'blackhole';
  return route;
};

/** What both readers know of one route table. */
export interface TableFacts {
  routeTableId: string;
  vpcId: string | undefined;
  accountId: string | undefined;
  subnets: { subnetId: string; path: Path }[];
  routes: RouteEntry[];
  main: boolean;
  name?: string | undefined;
}

/** One table as a rule, with stubs for the subnets it is associated with that no file describes. */
export const addRouteTable = (b: AwsBuilder, t: TableFacts, p: Path): void => {
  const { routeTableId, vpcId, accountId } = t;
  const vpc = b.vpc(vpcId, { accountId }, p);
  const subnets = associatedSubnets(b, t.subnets, vpcId, accountId);
  const rule: RouteTableRule = {
    id: `aws:${routeTableId}`,
    type: 'route-table',
    level: 'network',
    routeTableId,
    subnets,
    routes: t.routes,
    source: b.at(p),
  };
  if (t.name) rule.name = t.name;
  if (vpc) rule.vpc = vpc;
  if (t.main) rule.main = true;
  b.rule(rule, p);
};

export const readRouteTables = (b: AwsBuilder, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'RouteTables', (t, p) => {
    const routeTableId = str(t, 'RouteTableId');
    if (!routeTableId) return b.diag(p, 'route table without RouteTableId; skipped');
    const subnets: TableFacts['subnets'] = [];
    let main = false;
    eachObject(b, t.Associations, [...p, 'Associations'], 'Associations', (a, ap) => {
      const state = isObj(a.AssociationState) ? str(a.AssociationState, 'State') : undefined;
      if (state !== undefined && state !== 'associated') return;
      if (bool(a, 'Main') === true) main = true;
      const subnetId = str(a, 'SubnetId');
      if (subnetId) subnets.push({ subnetId, path: ap }); // else the main association, or a gateway's (edge) one
    });
    const routes: RouteEntry[] = [];
    eachObject(b, t.Routes, [...p, 'Routes'], 'Routes', (r, rp) => {
      const targetKey = TARGET_KEYS.find((k) => str(r, k) !== undefined);
      const route = readRoute(
        b,
        routeTableId,
        {
          destination: str(r, 'DestinationCidrBlock') ?? str(r, 'DestinationIpv6CidrBlock'),
          destinationKey: str(r, 'DestinationIpv6CidrBlock') ? 'DestinationIpv6CidrBlock' : 'DestinationCidrBlock',
          prefixList: str(r, 'DestinationPrefixListId'),
          target: targetKey ? str(r, targetKey) : undefined,
          state: str(r, 'State'),
        },
        rp,
      );
      if (route) routes.push(route);
    });
    const facts: TableFacts = {
      routeTableId,
      vpcId: str(t, 'VpcId'),
      accountId: str(t, 'OwnerId'),
      subnets,
      routes,
      main,
    };
    const name = tagMap(t.Tags)?.Name;
    if (name) facts.name = name;
    addRouteTable(b, facts, p);
  });
