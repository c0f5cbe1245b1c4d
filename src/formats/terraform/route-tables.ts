// aws_route_table, aws_default_route_table, aws_route, route table associations and internet gateways → route table rules.

import type { RouteEntry } from '../../model/types';
import { type AwsBuilder, type Obj, type Path, str, tagMap } from '../aws/builder';
import { setInternetGateways } from '../aws/networks';
import { addRouteTable, readRoute, type TableFacts } from '../aws/route-tables';
import { createdId, type Resource } from './resources';

/**
 * The keys a route names its target with (Terraform registry, aws_route_table `route` and aws_route);
 * the provider writes "" for the ones a route does not use.
 */
const TARGET_KEYS = [
  'gateway_id',
  'vpc_peering_connection_id',
  'transit_gateway_id',
  'nat_gateway_id',
  'network_interface_id',
  'instance_id',
  'egress_only_gateway_id',
  'local_gateway_id',
  'carrier_gateway_id',
  'core_network_arn',
  'vpc_endpoint_id',
] as const;

/** An inline `route` block names its destination `cidr_block`; aws_route `destination_cidr_block`. */
const routeOf = (b: AwsBuilder, tableId: string, o: Obj, prefix: '' | 'destination_', p: Path) => {
  const v4 = `${prefix}cidr_block`;
  const v6 = `${prefix}ipv6_cidr_block`;
  const targetKey = TARGET_KEYS.find((k) => str(o, k) !== undefined);
  return readRoute(
    b,
    tableId,
    {
      destination: str(o, v4) ?? str(o, v6),
      destinationKey: str(o, v6) && !str(o, v4) ? v6 : v4,
      prefixList: str(o, 'destination_prefix_list_id'),
      target: targetKey ? str(o, targetKey) : undefined,
      state: str(o, 'state'),
    },
    p,
  );
};

const TABLE_TYPES = ['aws_route_table', 'aws_default_route_table'];

/**
 * The route tables of a state. Routes come from the inline `route` blocks and from aws_route; the
 * provider leaves the `local` route out (and aws_route replaces the inline copy of itself a refreshed
 * state holds), which the network level always assumes inside a VPC. A VPC's
 * main table is its aws_default_route_table unless an aws_main_route_table_association names another.
 * Routes or associations of a table the state does not describe are reported and not applied.
 */
export const readTerraformRouteTables = (b: AwsBuilder, of: (type: string) => Resource[]): void => {
  const tables = new Map<string, { facts: TableFacts; path: Path }>();
  const inline = new Set<RouteEntry>();
  for (const r of TABLE_TYPES.flatMap(of)) {
    const v = r.values;
    const routeTableId = createdId(b, r, 'default_route_table_id');
    if (!routeTableId) continue;
    const blocks = Array.isArray(v.route) ? (v.route as unknown[]) : [];
    const routes = blocks.flatMap((o, j) => {
      if (!o || typeof o !== 'object' || Array.isArray(o)) return [];
      const route = routeOf(b, routeTableId, o as Obj, '', [...r.path, 'route', j]);
      if (route) inline.add(route);
      return route ? [route] : [];
    });
    const facts: TableFacts = {
      routeTableId,
      vpcId: str(v, 'vpc_id'),
      accountId: str(v, 'owner_id'),
      subnets: [],
      routes,
      main: r.type === 'aws_default_route_table',
    };
    const name = tagMap(v.tags)?.Name;
    if (name) facts.name = name;
    tables.set(routeTableId, { facts, path: r.path });
  }
  const table = (r: Resource) => {
    const id = str(r.values, 'route_table_id');
    const t = id ? tables.get(id) : undefined;
    if (!t)
      b.diag(
        r.path,
        `${r.address}: route table ${id ?? '(none)'} is not described in this state (no aws_route_table or aws_default_route_table); not applied`,
        'warn',
      );
    return t;
  };
  for (const r of of('aws_route')) {
    const t = table(r);
    const route = t ? routeOf(b, t.facts.routeTableId, r.values, 'destination_', r.path) : undefined;
    if (!t || !route) continue;
    // A table's `route` is also computed: refreshed, it copies the routes aws_route made; the resource replaces its copy.
    const copy = t.facts.routes.findIndex((x) => !x.damaged && x.destination === route.destination && inline.has(x));
    if (copy >= 0) t.facts.routes.splice(copy, 1, route);
    else t.facts.routes.push(route);
  }
  for (const r of of('aws_route_table_association')) {
    const subnetId = str(r.values, 'subnet_id');
    if (!subnetId) continue; // a gateway's (edge) association
    table(r)?.facts.subnets.push({ subnetId, path: [...r.path, 'subnet_id'] });
  }
  for (const r of of('aws_main_route_table_association')) {
    const t = table(r);
    if (!t) continue;
    const vpcId = str(r.values, 'vpc_id') ?? t.facts.vpcId;
    for (const other of tables.values()) if (other.facts.vpcId === vpcId) other.facts.main = false;
    t.facts.main = true;
  }
  for (const { facts, path } of tables.values()) addRouteTable(b, facts, path);
};

/**
 * aws_internet_gateway (`vpc_id`) and aws_internet_gateway_attachment: the gateways attached to each VPC.
 * As with describe-internet-gateways, a state that has internet gateways says that each VPC it describes
 * and none attaches has none.
 */
export const readTerraformInternetGateways = (b: AwsBuilder, of: (type: string) => Resource[]): void => {
  const gateways = of('aws_internet_gateway');
  const attachments = of('aws_internet_gateway_attachment');
  if (gateways.length + attachments.length === 0) return;
  const byVpc = new Map<string, { ids: string[]; path: Path; accountId: string | undefined }>();
  const attach = (r: Resource, id: string | undefined, vpcId: string | undefined) => {
    if (!id || !vpcId) return;
    const at = byVpc.get(vpcId) ?? { ids: [], path: r.path, accountId: str(r.values, 'owner_id') };
    if (!at.ids.includes(id)) at.ids.push(id);
    byVpc.set(vpcId, at);
  };
  for (const r of gateways) attach(r, str(r.values, 'id'), str(r.values, 'vpc_id'));
  for (const r of attachments) attach(r, str(r.values, 'internet_gateway_id'), str(r.values, 'vpc_id'));
  const described = new Map<string, Path>();
  for (const r of of('aws_vpc')) {
    const id = str(r.values, 'id');
    if (id) described.set(id, r.path);
  }
  setInternetGateways(b, byVpc, described);
};
