// Transit gateways in a Terraform state → the tgw-attachment and tgw-route-table rules the AWS CLI exports give.
//
// Terraform registry, hashicorp/aws: aws_ec2_transit_gateway (default_route_table_association /
// _propagation "enable"|"disable", association_default_route_table_id, propagation_default_route_table_id),
// aws_ec2_transit_gateway_vpc_attachment (transit_gateway_default_route_table_association / _propagation,
// default true), aws_ec2_transit_gateway_route_table, aws_ec2_transit_gateway_route (destination_cidr_block,
// transit_gateway_attachment_id or blackhole), aws_ec2_transit_gateway_route_table_association and
// _propagation. A propagation puts the attachment's VPC CIDRs in the table as routes to it; a static route
// for the same CIDR wins over a propagated one (Amazon VPC Transit Gateways, "Route evaluation order").
import { isValidNet } from '../../model/cidr';
import type { TgwRouteEntry } from '../../model/types';
import { type AwsBuilder, type Path, str, tagMap } from '../aws/builder';
import type { Resource } from './resources';

interface Attachment {
  id: string;
  tgw: string;
  vpc: string;
  table?: string;
  path: Path;
  address: string;
}

const flag = (v: unknown, dflt: boolean): boolean => (typeof v === 'boolean' ? v : dflt);

/** Gateways' default tables, when the gateway associates / propagates new attachments to one. */
const gatewayDefaults = (of: (type: string) => Resource[]) => {
  const out = new Map<string, { association?: string; propagation?: string }>();
  for (const r of of('aws_ec2_transit_gateway')) {
    const v = r.values;
    const id = str(v, 'id');
    if (!id) continue;
    const d: { association?: string; propagation?: string } = {};
    const assoc = str(v, 'association_default_route_table_id');
    const prop = str(v, 'propagation_default_route_table_id');
    if ((str(v, 'default_route_table_association') ?? 'enable') === 'enable' && assoc) d.association = assoc;
    if ((str(v, 'default_route_table_propagation') ?? 'enable') === 'enable' && prop) d.propagation = prop;
    out.set(id, d);
  }
  return out;
};

/** VPC attachments, with the table each is associated with and the tables it propagates to. */
const readAttachments = (b: AwsBuilder, of: (type: string) => Resource[]) => {
  const defaults = gatewayDefaults(of);
  const attachments = new Map<string, Attachment>();
  const propagations: { attachment: string; table: string; path: Path }[] = [];
  for (const r of of('aws_ec2_transit_gateway_vpc_attachment')) {
    const v = r.values;
    const id = str(v, 'id');
    const tgw = str(v, 'transit_gateway_id');
    const vpc = b.vpc(str(v, 'vpc_id'), { accountId: str(v, 'vpc_owner_id') }, r.path);
    if (!id || !tgw || !vpc) {
      b.diag(r.path, `${r.address}: no id, transit_gateway_id or vpc_id (not yet created?); skipped`, 'warn');
      continue;
    }
    const d = defaults.get(tgw) ?? {};
    const a: Attachment = { id, tgw, vpc, path: r.path, address: r.address };
    if (flag(v.transit_gateway_default_route_table_association, true) && d.association) a.table = d.association;
    if (flag(v.transit_gateway_default_route_table_propagation, true) && d.propagation)
      propagations.push({ attachment: id, table: d.propagation, path: r.path });
    attachments.set(id, a);
  }
  for (const r of of('aws_ec2_transit_gateway_route_table_association')) {
    const a = attachments.get(str(r.values, 'transit_gateway_attachment_id') ?? '');
    const table = str(r.values, 'transit_gateway_route_table_id');
    if (a && table) a.table = table;
    else b.diag(r.path, `${r.address}: names an attachment or table the state does not hold; not applied`, 'warn');
  }
  for (const r of of('aws_ec2_transit_gateway_route_table_propagation')) {
    const attachment = str(r.values, 'transit_gateway_attachment_id');
    const table = str(r.values, 'transit_gateway_route_table_id');
    if (attachment && table && attachments.has(attachment)) propagations.push({ attachment, table, path: r.path });
    else b.diag(r.path, `${r.address}: names an attachment or table the state does not hold; not applied`, 'warn');
  }
  return { attachments, propagations };
};

/** Static routes by table; an unreadable destination marks its route damaged (the table then takes no path). */
const staticRoutes = (b: AwsBuilder, of: (type: string) => Resource[]): Map<string, TgwRouteEntry[]> => {
  const out = new Map<string, TgwRouteEntry[]>();
  for (const r of of('aws_ec2_transit_gateway_route')) {
    const v = r.values;
    const table = str(v, 'transit_gateway_route_table_id');
    if (!table) {
      b.diag(r.path, `${r.address}: no transit_gateway_route_table_id; skipped`, 'warn');
      continue;
    }
    const destination = str(v, 'destination_cidr_block') ?? '';
    const attachment = str(v, 'transit_gateway_attachment_id');
    const route: TgwRouteEntry = { destination, attachments: attachment ? [attachment] : [], source: b.at(r.path) };
    if (!isValidNet(destination, false)) {
      b.diag(
        [...r.path, 'destination_cidr_block'],
        `${r.address}: "${destination}" is not a CIDR; no path through ${table} is taken (nothing is widened)`,
      );
      route.damaged = true;
    } else if (v.blackhole === true || !attachment) route.state = 'blackhole';
    out.set(table, [...(out.get(table) ?? []), route]);
  }
  return out;
};

export const readTerraformTransitGateways = (b: AwsBuilder, of: (type: string) => Resource[]): void => {
  const { attachments, propagations } = readAttachments(b, of);
  for (const a of attachments.values()) {
    b.rule(
      {
        id: `aws:${a.id}`,
        type: 'tgw-attachment',
        level: 'network',
        transitGateway: a.tgw,
        vpc: a.vpc,
        ...(a.table ? { routeTable: a.table } : {}),
        source: b.at(a.path),
      },
      a.path,
    );
  }
  const routes = staticRoutes(b, of);
  const tables = new Map<string, Path>();
  for (const r of of('aws_ec2_transit_gateway_route_table')) {
    const id = str(r.values, 'id');
    if (!id) continue;
    tables.set(id, r.path);
    const name = tagMap(r.values.tags)?.Name;
    const tgw = str(r.values, 'transit_gateway_id');
    b.rule(
      {
        id: `aws:${id}`,
        type: 'tgw-route-table',
        level: 'network',
        routeTableId: id,
        ...(tgw ? { transitGateway: tgw } : {}),
        ...(name ? { name } : {}),
        source: b.at(r.path),
      },
      r.path,
    );
  }
  // Propagated routes: the attachment's VPC CIDRs, unless a static route names the same CIDR.
  for (const p of propagations) {
    const a = attachments.get(p.attachment) as Attachment;
    const list = routes.get(p.table) ?? [];
    for (const cidr of b.getSegment(a.vpc)?.cidrs ?? []) {
      if (list.some((r) => r.destination === cidr)) continue;
      list.push({ destination: cidr, attachments: [a.id], source: b.at(p.path) });
    }
    routes.set(p.table, list);
  }
  // Every table the state routes by (described, associated, propagated to or routed in) has its routes known.
  const used = new Set([
    ...tables.keys(),
    ...routes.keys(),
    ...[...attachments.values()].flatMap((a) => a.table ?? []),
  ]);
  for (const table of used) {
    const path = tables.get(table) ?? [];
    b.rule(
      {
        id: `aws:${table}:routes`,
        type: 'tgw-route-table',
        level: 'network',
        routeTableId: table,
        routes: routes.get(table) ?? [],
        source: b.at(path),
      },
      path,
    );
  }
};
