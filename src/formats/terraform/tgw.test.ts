import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeConnlist } from '../../analysis/connlist';
import { formatConnlist } from '../../analysis/connlist-output';
import { reach } from '../../analysis/reach';
import { importFiles } from '../../import/index';
import type { FileInput } from '../../import/types';
import type { TgwAttachmentRule, TgwRouteTableRule, Workspace } from '../../model/types';

// State shapes of the AWS provider (Terraform registry, hashicorp/aws): aws_ec2_transit_gateway
// (default_route_table_association / _propagation "enable"|"disable", association_default_route_table_id,
// propagation_default_route_table_id), aws_ec2_transit_gateway_vpc_attachment
// (transit_gateway_default_route_table_association / _propagation, default true),
// aws_ec2_transit_gateway_route_table, aws_ec2_transit_gateway_route (destination_cidr_block,
// transit_gateway_attachment_id, blackhole), aws_ec2_transit_gateway_route_table_association and _propagation.
// Amazon VPC Transit Gateways, "How transit gateways work": traffic from an attachment is routed by the table
// associated with it; a propagation adds the attachment's VPC CIDRs as routes; "Route evaluation order":
// a static route wins over a propagated route for the same destination.

const SAMPLE = 'public/samples/terraform/tgw-route-tables.json';
const CLI = [
  'describe-vpcs.json',
  'describe-subnets.json',
  'describe-transit-gateway-attachments.json',
  'describe-transit-gateway-route-tables.json',
  'search-transit-gateway-routes-tgw-rtb-0e70000000000a301.json',
  'search-transit-gateway-routes-tgw-rtb-0e71000000000b301.json',
  'search-transit-gateway-routes-tgw-rtb-0e72000000000c301.json',
  'describe-instances.json',
].map((f) => `public/samples/aws-tgw/${f}`);
const file = (name: string): FileInput => ({ name, text: readFileSync(name, 'utf8') });
const load = (files: FileInput[]) => {
  const { workspace, report } = importFiles(files);
  return { ws: workspace, diagnostics: report.files.flatMap((f) => f.diagnostics) };
};
const id = (ws: Workspace, n: string) => ws.services.find((s) => s.name === n)?.id as string;

/** The CLI sample as a state, with its transit gateway resources replaced by `tgw`. */
const withTgw = (tgw: unknown[]) => {
  const state = JSON.parse(readFileSync(SAMPLE, 'utf8'));
  const root = state.values.root_module;
  root.resources = [...root.resources.filter((r: { type: string }) => !r.type.startsWith('aws_ec2_transit')), ...tgw];
  return { name: 'main.tfstate.json', text: JSON.stringify(state, null, 2) };
};
const resource = (type: string, name: string, values: Record<string, unknown>) => ({
  address: `${type}.${name}`,
  mode: 'managed',
  type,
  name,
  values,
});
const VPC = { prod: 'vpc-0e70000000000a001', dev: 'vpc-0e71000000000b001', shared: 'vpc-0e72000000000c001' };
const attachment = (name: keyof typeof VPC, extra: Record<string, unknown> = {}) =>
  resource('aws_ec2_transit_gateway_vpc_attachment', name, {
    id: `tgw-attach-${name}`,
    transit_gateway_id: 'tgw-1',
    vpc_id: VPC[name],
    ...extra,
  });

describe('Terraform reader: transit gateway route tables', () => {
  it('the TGW CLI sample written as one Terraform state gives the same connlist and network verdicts', () => {
    const cli = load(CLI.map(file));
    const tf = load([file(SAMPLE)]);
    expect(tf.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(formatConnlist(computeConnlist(tf.ws))).toBe(formatConnlist(computeConnlist(cli.ws)));
    const calls = file('public/samples/aws-tgw/calls.segscope.json');
    const withCalls = formatConnlist(computeConnlist(load([file(SAMPLE), calls]).ws));
    expect(withCalls).toBe(formatConnlist(computeConnlist(load([...CLI.map(file), calls]).ws)));
    expect(withCalls).not.toContain('checkout => checkout-dev');
    const names = tf.ws.services.map((s) => s.name).sort();
    expect(names).toEqual(['artifacts', 'checkout', 'checkout-dev', 'ldap']);
    for (const a of names)
      for (const b of names)
        for (const port of [443, 636, 8080]) {
          if (a === b) continue;
          const [x, y] = [cli.ws, tf.ws].map((ws) => {
            const { verdict, reason, rule } = reach(ws, id(ws, a), id(ws, b), port).levels.network;
            return { verdict, reason, rule: rule?.id, summary: rule?.summary };
          });
          expect([a, b, port, y]).toEqual([a, b, port, x]);
        }
  });

  it("a gateway's default table takes the attachments that do not opt out, for association and for propagation", () => {
    const { ws, diagnostics } = load([
      withTgw([
        resource('aws_ec2_transit_gateway', 'core', {
          id: 'tgw-1',
          default_route_table_association: 'enable',
          default_route_table_propagation: 'enable',
          association_default_route_table_id: 'tgw-rtb-default',
          propagation_default_route_table_id: 'tgw-rtb-default',
        }),
        attachment('prod'),
        attachment('shared'),
        // dev is associated with the default table but does not propagate to it: nothing routes back to dev.
        attachment('dev', { transit_gateway_default_route_table_propagation: false }),
      ]),
    ]);
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const attachments = ws.rules.filter((r): r is TgwAttachmentRule => r.type === 'tgw-attachment');
    expect(attachments.map((a) => [a.id, a.routeTable])).toEqual([
      ['aws:tgw-attach-prod', 'tgw-rtb-default'],
      ['aws:tgw-attach-shared', 'tgw-rtb-default'],
      ['aws:tgw-attach-dev', 'tgw-rtb-default'],
    ]);
    const table = ws.rules.find((r): r is TgwRouteTableRule => r.id === 'aws:tgw-rtb-default:routes');
    expect(table?.routes?.map((r) => [r.destination, r.attachments])).toEqual([
      ['10.70.0.0/16', ['tgw-attach-prod']],
      ['10.72.0.0/16', ['tgw-attach-shared']],
    ]);
    const net = (a: string, b: string) => reach(ws, id(ws, a), id(ws, b), 443).levels.network.verdict;
    expect([net('checkout', 'artifacts'), net('artifacts', 'checkout'), net('checkout-dev', 'artifacts')]).toEqual([
      'allow',
      'allow',
      'deny',
    ]);
  });

  it('a static route wins over the propagated one for the same CIDR; an unreadable destination is a located error', () => {
    const tables = [
      resource('aws_ec2_transit_gateway', 'core', { id: 'tgw-1', default_route_table_association: 'disable' }),
      attachment('prod'),
      attachment('shared'),
      resource('aws_ec2_transit_gateway_route_table', 'rt', { id: 'tgw-rtb-1', transit_gateway_id: 'tgw-1' }),
      resource('aws_ec2_transit_gateway_route_table_association', 'prod', {
        transit_gateway_attachment_id: 'tgw-attach-prod',
        transit_gateway_route_table_id: 'tgw-rtb-1',
      }),
      resource('aws_ec2_transit_gateway_route_table_association', 'shared', {
        transit_gateway_attachment_id: 'tgw-attach-shared',
        transit_gateway_route_table_id: 'tgw-rtb-1',
      }),
      resource('aws_ec2_transit_gateway_route_table_propagation', 'prod', {
        transit_gateway_attachment_id: 'tgw-attach-prod',
        transit_gateway_route_table_id: 'tgw-rtb-1',
      }),
      resource('aws_ec2_transit_gateway_route_table_propagation', 'shared', {
        transit_gateway_attachment_id: 'tgw-attach-shared',
        transit_gateway_route_table_id: 'tgw-rtb-1',
      }),
    ];
    const blackhole = resource('aws_ec2_transit_gateway_route', 'isolate', {
      destination_cidr_block: '10.72.0.0/16',
      blackhole: true,
      transit_gateway_route_table_id: 'tgw-rtb-1',
    });
    const open = load([withTgw(tables)]).ws;
    const net = (ws: Workspace) => reach(ws, id(ws, 'checkout'), id(ws, 'ldap'), 636).levels.network;
    expect(net(open).verdict).toBe('allow');
    const closed = load([withTgw([...tables, blackhole])]).ws;
    expect(net(closed)).toMatchObject({ verdict: 'deny', rule: { id: 'aws:tgw-rtb-1:routes' } });
    const bad = load([
      withTgw([...tables, { ...blackhole, values: { ...blackhole.values, destination_cidr_block: '10.72.0.0/33' } }]),
    ]);
    expect(bad.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      'aws_ec2_transit_gateway_route.isolate: "10.72.0.0/33" is not a CIDR; no path through tgw-rtb-1 is taken (nothing is widened)',
    ]);
    expect(net(bad.ws).verdict).toBe('deny');
  });
});
