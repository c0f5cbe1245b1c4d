import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../analysis/analyze';
import { reach } from '../../analysis/reach';
import { importFiles } from '../../import/index';
import type { Workspace } from '../../model/types';
import { reimport, sampleFiles } from '../testing';
import { awsReader } from './read';
import { exportAwsSg } from './write';

// A cloud resource collector's bundle (np-guard cloud-resource-collector, `collect -provider aws`): one object
// `{collector_version, provider: "aws", instances, internet_gateways, network_acls, security_groups, subnets,
// vpcs}`, each list the AWS SDK for Go's types marshalled as they are (PascalCase keys, absent values as
// null: `"PortRange": null`, `"FromPort": null`), instances without their reservations (the collector
// flattens DescribeInstances' Reservations[].Instances[]), and VPCs with the `Region` they were collected in.

const A = '555555555555';
const bundleText = readFileSync('public/samples/aws-bundle/collector-bundle.json', 'utf8');
const bundle = JSON.parse(bundleText) as Record<string, unknown[]>;

/** The same resources as the separate CLI exports print them. */
const asCliFiles = () => [
  { name: 'describe-vpcs.json', text: JSON.stringify({ Vpcs: bundle.vpcs }) },
  { name: 'describe-subnets.json', text: JSON.stringify({ Subnets: bundle.subnets }) },
  { name: 'describe-internet-gateways.json', text: JSON.stringify({ InternetGateways: bundle.internet_gateways }) },
  { name: 'describe-network-acls.json', text: JSON.stringify({ NetworkAcls: bundle.network_acls }) },
  { name: 'describe-security-groups.json', text: JSON.stringify({ SecurityGroups: bundle.security_groups }) },
  {
    name: 'describe-instances.json',
    text: JSON.stringify({ Reservations: [{ OwnerId: A, ReservationId: 'r-0e5b', Instances: bundle.instances }] }),
  },
];

/** Everything but where it was read, in id order (files merge in the order given). */
const content = (ws: Workspace) => {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v !== 'object' || v === null) return v;
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== 'source')
        .map(([k, x]) => [k, strip(x)]),
    );
  };
  const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
  return strip({ services: byId(ws.services), segments: byId(ws.segments), rules: byId(ws.rules) });
};

describe('collector bundles (provider "aws")', () => {
  it('is detected by its provider and its lists, and only then', () => {
    expect(awsReader.detect({ name: 'x.json', text: bundleText }, bundle)).toBe(true);
    expect(awsReader.detect({ name: 'x.json', text: '' }, { provider: 'ibm', vpcs: [] })).toBe(false);
    expect(awsReader.detect({ name: 'x.json', text: '' }, { provider: 'aws' })).toBe(false);
    expect(importFiles([{ name: 'bundle.json', text: bundleText }]).report.files[0]?.format).toBe('aws');
  });

  it('imports exactly as the separate CLI exports of the same resources do', () => {
    const one = importFiles([{ name: 'collector-bundle.json', text: bundleText }]);
    const many = importFiles(asCliFiles());
    expect(one.report.files[0]?.diagnostics).toEqual([]);
    expect(content(one.workspace)).toEqual(content(many.workspace));
    expect(one.workspace.services.map((s) => [s.name, s.memberships.network, s.memberships.group])).toEqual([
      ['web', ['network:subnet-0e5b00000000a0001'], ['group:sg-0e5b000000000web']],
      ['api', ['network:subnet-0e5b00000000a0002'], ['group:sg-0e5b000000000app']],
      ['admin', ['network:subnet-0e5b00000000a0002'], ['group:sg-0e5b000000000app', 'group:sg-0e5b00000000admin']],
      ['orders-db', ['network:subnet-0e5b00000000a0003'], ['group:sg-0e5b0000000000db']],
    ]);
    // The owner the CLI prints on the reservation comes from the instance's interfaces in a bundle.
    expect(one.workspace.services.every((s) => s.memberships.account?.[0] === `account:${A}`)).toBe(true);
    const vpc = one.workspace.segments.find((s) => s.id === 'network:vpc-0e5b7c9d1f3a50001');
    expect(vpc?.attributes).toMatchObject({ region: 'us-east-1', internetGateways: ['igw-0e5b7c9d1f3a50001'] });
  });

  it('reads nulls where the SDK has no value as absent, never as an error (PortRange, FromPort, Association)', () => {
    const ws = importFiles([{ name: 'collector-bundle.json', text: bundleText }]).workspace;
    const acl = ws.rules.find((r) => r.id === 'aws:acl-0e5b000000000d001');
    expect(
      acl?.type === 'network-acl' && acl.entries.map((e) => [e.ruleNumber, e.egress, e.action, e.protocol]),
    ).toEqual([
      [100, true, 'allow', '-1'],
      [32767, true, 'deny', '-1'],
      [100, false, 'allow', '-1'],
      [32767, false, 'deny', '-1'],
    ]);
    expect(ws.services.filter((s) => s.exposed).map((s) => s.name)).toEqual(['web', 'admin']);
  });

  it('decides with the bundle NACLs and groups: an app subnet reaches the database, the public subnet does not', () => {
    const ws = importFiles(sampleFiles('public/samples/aws-bundle')).workspace;
    const id = (name: string) => ws.services.find((s) => s.name === name)?.id as string;
    const network = (from: string, to: string, port: number) => {
      const v = reach(ws, id(from), id(to), port).levels.network;
      return [v.verdict, v.rule?.id];
    };
    expect(network('api', 'orders-db', 5432)).toEqual(['allow', 'network:vpc-0e5b7c9d1f3a50001']);
    // data-nacl inbound allows 5432 only from the app subnet: the final * rule denies web's request.
    expect(network('web', 'orders-db', 5432)).toEqual(['deny', 'aws:acl-0e5b000000000d002']);
    expect(reach(ws, id('web'), id('orders-db'), 5432).levels.group.verdict).toBe('allow');
    expect(analyze(ws).calls.map((c) => [ws.services.find((s) => s.id === c.to)?.name, c.class, c.deniedBy])).toEqual([
      ['api', 'allowed', []],
      ['orders-db', 'allowed', []],
      ['orders-db', 'broken', ['network']],
    ]);
  });

  it('says which keys of a bundle it does not read, and reads the rest', () => {
    const text = JSON.stringify({ provider: 'aws', vpcs: bundle.vpcs, load_balancers: [{}] }, null, 2);
    const r = awsReader.read({ name: 'b.json', text });
    expect(r.diagnostics.map((d) => [d.severity, d.line, d.message])).toEqual([
      [
        'info',
        text.split('\n').findIndex((l) => l.includes('"load_balancers"')) + 1,
        'key "load_balancers" is not an AWS export segscope reads; ignored',
      ],
    ]);
    expect(r.fragment.segments.map((s) => s.id)).toEqual([`account:${A}`, 'network:vpc-0e5b7c9d1f3a50001']);
  });
});

describe('internet gateways written back', () => {
  it('keep which VPCs have a gateway and which have none through the AWS writer', () => {
    const noGateway = {
      VpcId: 'vpc-0private',
      CidrBlock: '10.41.0.0/16',
      OwnerId: A,
    };
    const text = JSON.stringify({ ...bundle, vpcs: [...(bundle.vpcs ?? []), noGateway] });
    const ws = importFiles([{ name: 'collector-bundle.json', text }]).workspace;
    const gateways = (w: Workspace) =>
      w.segments
        .filter((s) => s.attributes?.kind === 'vpc')
        .map((s) => [s.id, s.attributes?.internetGateways])
        .sort();
    expect(gateways(ws)).toEqual([
      ['network:vpc-0e5b7c9d1f3a50001', ['igw-0e5b7c9d1f3a50001']],
      ['network:vpc-0private', []],
    ]);
    expect(gateways(reimport(exportAwsSg(ws)).workspace)).toEqual(gateways(ws));
  });
});
