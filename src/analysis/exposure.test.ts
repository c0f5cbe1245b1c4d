import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../import/index';
import { analyze } from './analyze';
import { buildIndex } from './context';
import { exposureOf } from './exposure';

// AWS VPC User Guide, "Enable internet access for a subnet" (VPC_Internet_Gateway.html): internet access
// needs an internet gateway attached to the VPC, "a route to your subnet's route table that directs
// internet-bound traffic to the internet gateway", and a public IPv4 address; "if a subnet is associated
// with a route table that does not have a route to an internet gateway, it's known as a private subnet".
// A NAT gateway route carries only connections the instance opens (VPC User Guide, "NAT gateways").

const dir = 'public/samples/aws-bundle';
const file = (name: string) => ({ name, text: readFileSync(`${dir}/${name}`, 'utf8') });
const bundle = JSON.parse(file('collector-bundle.json').text) as Record<string, unknown>;
const tables = JSON.parse(file('describe-route-tables.json').text) as { RouteTables: Record<string, unknown>[] };

const exposure = (files: { name: string; text: string }[]) => {
  const ws = importFiles(files).workspace;
  const ix = buildIndex(ws);
  const of = exposureOf(ix);
  return Object.fromEntries(ws.services.map((s, i) => [s.name, of(i)]));
};
const exposedNames = (files: { name: string; text: string }[]) =>
  Object.entries(exposure(files))
    .filter(([, e]) => e.exposed)
    .map(([n]) => n);

/** The sample's route tables with one route replaced. */
const withRoutes = (tableIndex: number, routes: unknown[]) => {
  const copy = structuredClone(tables);
  (copy.RouteTables[tableIndex] as Record<string, unknown>).Routes = routes;
  return { name: 'describe-route-tables.json', text: JSON.stringify(copy) };
};
const local = { DestinationCidrBlock: '10.40.0.0/16', GatewayId: 'local', State: 'active' };

describe('internet exposure (a public address plus an internet gateway route)', () => {
  it('keeps a public address in a private subnet off the internet, with the route that decided', () => {
    const e = exposure([file('collector-bundle.json'), file('describe-route-tables.json')]);
    expect(e.web).toEqual({ exposed: true });
    expect(e.api).toEqual({ exposed: false });
    expect(e.admin).toMatchObject({
      exposed: false,
      reason:
        'private-main (app-1a) sends internet-bound traffic (0.0.0.0/0) to nat-0e5b00000000000f1, not to an internet gateway: app-1a is a private subnet, so its public address is not reachable from the internet.',
      source: { file: 'describe-route-tables.json', line: 23 }, // the route's object, whose destination is 0.0.0.0/0
    });
  });

  it.each([
    [
      '0.0.0.0/0 → igw: public subnet',
      [local, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0e5b7c9d1f3a50001', State: 'active' }],
      true,
    ],
    [
      'only ::/0 → igw: exposed over IPv6 routes too',
      [local, { DestinationIpv6CidrBlock: '::/0', GatewayId: 'igw-0e5b7c9d1f3a50001', State: 'active' }],
      true,
    ],
    [
      'a narrower route to an igw still reaches part of the internet',
      [local, { DestinationCidrBlock: '198.51.100.0/24', GatewayId: 'igw-0e5b7c9d1f3a50001', State: 'active' }],
      true,
    ],
    ['only the local route: private', [local], false],
    [
      '0.0.0.0/0 → nat: private (NAT is outbound only)',
      [local, { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: 'active' }],
      false,
    ],
    [
      '0.0.0.0/0 → tgw: private',
      [local, { DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: 'tgw-1', State: 'active' }],
      false,
    ],
    [
      '0.0.0.0/0 → igw blackhole (gateway detached): private',
      [local, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0gone', State: 'blackhole' }],
      false,
    ],
  ])('the public subnet with %s', (_what, routes, exposed) => {
    const e = exposure([file('collector-bundle.json'), withRoutes(1, routes)]);
    expect(e.web?.exposed).toBe(exposed);
  });

  it('leaves a table with an unreadable route, or no table loaded, as imported (a public address counts)', () => {
    expect(exposedNames([file('collector-bundle.json')])).toEqual(['web', 'admin']);
    const damaged = withRoutes(0, [local, { DestinationCidrBlock: '10.0.0.0/33', GatewayId: 'igw-x' }]);
    expect(exposedNames([file('collector-bundle.json'), damaged])).toEqual(['web', 'admin']);
  });

  it('keeps every public address of a VPC with no internet gateway attached off the internet when no table says more', () => {
    const text = JSON.stringify({ ...bundle, internet_gateways: [] });
    const e = exposure([{ name: 'collector-bundle.json', text }]);
    expect(e.web).toMatchObject({
      exposed: false,
      reason:
        'VPC shop-vpc has no internet gateway attached, so a public address in it is not reachable from the internet.',
    });
    expect(exposedNames([{ name: 'collector-bundle.json', text }])).toEqual([]);
  });

  it('reports unexposed services in the analysis and drops the exposed-colocated finding they would raise', () => {
    const withTables = analyze(
      importFiles([file('collector-bundle.json'), file('describe-route-tables.json'), file('calls.segscope.json')])
        .workspace,
    );
    expect(withTables.unexposed?.map((u) => u.service)).toEqual(['aws:i-0e5b0000000000b03']);
    expect(withTables.findings.filter((f) => f.id === 'exposed-colocated')).toEqual([]);
    // Without the route tables the public address counts: admin shares the app group with critical api.
    const without = analyze(importFiles([file('collector-bundle.json'), file('calls.segscope.json')]).workspace);
    expect(without.unexposed).toBeUndefined();
    expect(without.findings.filter((f) => f.id === 'exposed-colocated').map((f) => f.message)).toEqual([
      'Internet-exposed admin shares app (its finest group segment) with critical api: a compromise of admin lands next to them.',
    ]);
  });
});
