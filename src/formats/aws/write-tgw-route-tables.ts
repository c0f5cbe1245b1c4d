// Transit gateway route tables as the AWS writer writes them: the tables, and each table's routes in a file named after it.
import { type ExportedFile, jsonText, type Obj } from '../../export/format';
import type { TgwRouteTableRule } from '../../model/types';
import { type AwsWriter, defined } from './write-context';

/** describe-transit-gateway-route-tables, then one search-transit-gateway-routes file per table with routes. */
export const tgwRouteTableFiles = (w: AwsWriter): ExportedFile[] => {
  const rules = w.ws.rules.filter((r): r is TgwRouteTableRule => r.type === 'tgw-route-table');
  const files: ExportedFile[] = [];
  const described = rules.filter((r) => !r.routes);
  if (described.length > 0) {
    const tables: Obj[] = described.map((r) =>
      defined([
        ['TransitGatewayRouteTableId', r.routeTableId],
        ['TransitGatewayId', r.transitGateway],
        ['Tags', r.name ? [{ Key: 'Name', Value: r.name }] : undefined],
      ]),
    );
    files.push({
      name: 'describe-transit-gateway-route-tables.json',
      text: jsonText({ TransitGatewayRouteTables: tables }),
    });
  }
  for (const r of rules) {
    if (!r.routes) continue;
    // A route that could not be read is written as it was, so reading it back keeps the table pathless.
    const routes = r.routes.map((e) =>
      defined([
        ['DestinationCidrBlock', e.destination || undefined],
        [
          'TransitGatewayAttachments',
          e.attachments.length > 0
            ? e.attachments.map((id) => ({ TransitGatewayAttachmentId: id, ResourceType: 'vpc' }))
            : undefined,
        ],
        ['Type', 'static'],
        ['State', e.state ?? 'active'],
      ]),
    );
    files.push({
      name: `search-transit-gateway-routes-${r.routeTableId}.json`,
      text: jsonText({ TransitGatewayRouteTableId: r.routeTableId, Routes: routes }),
    });
  }
  return files;
};
