// aws ec2 describe-transit-gateway-route-tables and search-transit-gateway-routes: transit gateway route tables and their routes.
import { isValidNet } from '../../model/cidr';
import type { TgwRouteEntry } from '../../model/types';
import { type AwsBuilder, eachObject, isObj, type Obj, type Path, str, tagMap } from './builder';

export const readTgwRouteTables = (b: AwsBuilder, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'TransitGatewayRouteTables', (t, p) => {
    const routeTableId = str(t, 'TransitGatewayRouteTableId');
    if (!routeTableId) return b.diag(p, 'transit gateway route table without TransitGatewayRouteTableId; skipped');
    const tgw = str(t, 'TransitGatewayId');
    const name = tagMap(t.Tags)?.Name;
    b.rule(
      {
        id: `aws:${routeTableId}`,
        type: 'tgw-route-table',
        level: 'network',
        routeTableId,
        ...(tgw ? { transitGateway: tgw } : {}),
        ...(name ? { name } : {}),
        source: b.at(p),
      },
      p,
    );
  });

/** One route, or a damaged one (the table then takes no path: nothing is widened). */
const readRoute = (b: AwsBuilder, tableId: string, r: Obj, p: Path): TgwRouteEntry | undefined => {
  const destination = str(r, 'DestinationCidrBlock');
  if (!destination && str(r, 'PrefixListId')) return undefined; // a prefix-list route: AWS service ranges, not peers
  const attachments: string[] = [];
  if (Array.isArray(r.TransitGatewayAttachments)) {
    for (const a of r.TransitGatewayAttachments) {
      const id = isObj(a) ? str(a, 'TransitGatewayAttachmentId') : undefined;
      if (id) attachments.push(id);
    }
  }
  const state = str(r, 'State');
  if (!destination || !isValidNet(destination, false)) {
    b.diag(
      [...p, 'DestinationCidrBlock'],
      `${tableId}: ${destination ? `"${destination}" is not a CIDR` : 'route without DestinationCidrBlock'}; no path through this table is taken (nothing is widened)`,
    );
    return { destination: destination ?? '', attachments, damaged: true, source: b.at(p) };
  }
  if (state === 'deleted' || state === 'deleting') return undefined;
  const route: TgwRouteEntry = { destination, attachments, source: b.at(p) };
  if (state === 'blackhole' || attachments.length === 0) route.state = 'blackhole';
  return route;
};

/**
 * search-transit-gateway-routes prints routes without the table's id: it comes from a
 * `TransitGatewayRouteTableId` key next to `Routes` or from the file name (tgw-rtb-….json).
 */
export const readTgwRoutes = (
  b: AwsBuilder,
  lists: readonly { value: unknown; path: Path; page: Obj }[],
  fileName: string,
): void => {
  const fromName = /\btgw-rtb-[0-9a-z]+/i.exec(fileName)?.[0];
  const byTable = new Map<string, { routes: TgwRouteEntry[]; path: Path }>();
  for (const l of lists) {
    const tableId = str(l.page, 'TransitGatewayRouteTableId') ?? fromName;
    if (!tableId) {
      b.diag(
        l.path,
        'transit gateway routes without a route table id: name the file after the table (tgw-rtb-….json) or add "TransitGatewayRouteTableId" next to "Routes"',
      );
      continue;
    }
    if (l.page.AdditionalRoutesAvailable === true) {
      b.diag(
        [...l.path.slice(0, -1), 'AdditionalRoutesAvailable'],
        `${tableId}: the search returned part of the table's routes (AdditionalRoutesAvailable): narrow the filters or raise --max-results to see every route`,
        'warn',
      );
    }
    const at = byTable.get(tableId) ?? { routes: [], path: l.path };
    byTable.set(tableId, at);
    eachObject(b, l.value, l.path, 'Routes', (r, p) => {
      const route = readRoute(b, tableId, r, p);
      if (route) at.routes.push(route);
    });
  }
  for (const [routeTableId, at] of byTable) {
    b.rule(
      {
        id: `aws:${routeTableId}:routes`,
        type: 'tgw-route-table',
        level: 'network',
        routeTableId,
        routes: at.routes,
        source: b.at(at.path),
      },
      at.path,
    );
  }
};
