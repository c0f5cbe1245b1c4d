import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeConnlist } from '../../analysis/connlist';
import { formatConnlist } from '../../analysis/connlist-output';
import { buildIndex } from '../../analysis/context';
import { exposureOf } from '../../analysis/exposure';
import { reach } from '../../analysis/reach';
import { importFiles } from '../../import/index';
import type { FileInput } from '../../import/types';
import type { NetworkAclRule, RouteTableRule, Workspace } from '../../model/types';
import { tfResource as resource } from '../aws/testing';
import { terraformReader } from './read';

// State shapes of the AWS provider as `terraform show -json` prints them (Terraform registry docs):
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/network_acl (ingress/egress
// blocks: rule_no, action, protocol, cidr_block, ipv6_cidr_block, from_port, to_port; subnet_ids),
// .../network_acl_rule (network_acl_id, rule_number, egress, protocol, rule_action, cidr_block, from_port,
// to_port), .../network_acl_association, .../default_network_acl, .../route_table (route blocks:
// cidr_block, gateway_id, vpc_peering_connection_id, transit_gateway_id, nat_gateway_id, …), .../route
// (route_table_id, destination_cidr_block, state), .../route_table_association,
// .../main_route_table_association, .../default_route_table, .../internet_gateway.

const SAMPLE = 'public/samples/terraform/nacls-and-routes.json';
const CLI = [
  'aws-nacl/describe-vpcs.json',
  'aws-nacl/describe-subnets.json',
  'aws-nacl/describe-network-acls.json',
  'aws-nacl/describe-instances.json',
  'aws-routes/describe-vpcs.json',
  'aws-routes/describe-subnets.json',
  'aws-routes/describe-vpc-peering-connections.json',
  'aws-routes/describe-route-tables.json',
  'aws-routes/describe-instances.json',
].map((f) => `public/samples/${f}`);
const file = (name: string): FileInput => ({ name, text: readFileSync(name, 'utf8') });
const load = (names: string[]): Workspace => {
  const { workspace, report } = importFiles(names.map(file));
  expect(report.files.flatMap((f) => f.diagnostics).filter((d) => d.severity !== 'info')).toEqual([]);
  return workspace;
};

const show = (resources: unknown[]) => {
  const text = JSON.stringify(
    { format_version: '1.0', terraform_version: '1.9.8', values: { root_module: { resources } } },
    null,
    2,
  );
  return { text, result: terraformReader.read({ name: 'main.tfstate.json', text }) };
};
const block = (
  rule_no: number,
  action: string,
  cidr_block: string,
  protocol = '6',
  ports: [number, number] = [0, 0],
) => ({
  action,
  cidr_block,
  from_port: ports[0],
  icmp_code: 0,
  icmp_type: 0,
  ipv6_cidr_block: '',
  protocol,
  rule_no,
  to_port: ports[1],
});
const aclRule = (
  name: string,
  acl: string,
  n: number,
  egress: boolean,
  action: string,
  cidr: string,
  ports: [number, number],
) =>
  resource('aws_network_acl_rule', name, {
    cidr_block: cidr,
    egress,
    from_port: ports[0],
    icmp_code: null,
    icmp_type: null,
    id: `nacl-${n}`,
    ipv6_cidr_block: '',
    network_acl_id: acl,
    protocol: '6',
    rule_action: action,
    rule_number: n,
    to_port: ports[1],
  });
const route = (cidr_block: string, target: Record<string, string>) => ({
  carrier_gateway_id: '',
  cidr_block,
  core_network_arn: '',
  destination_prefix_list_id: '',
  egress_only_gateway_id: '',
  gateway_id: '',
  ipv6_cidr_block: '',
  local_gateway_id: '',
  nat_gateway_id: '',
  network_interface_id: '',
  transit_gateway_id: '',
  vpc_endpoint_id: '',
  vpc_peering_connection_id: '',
  ...target,
});
const acls = (r: ReturnType<typeof terraformReader.read>) =>
  r.fragment.rules.filter((x): x is NetworkAclRule => x.type === 'network-acl');
const tables = (r: ReturnType<typeof terraformReader.read>) =>
  r.fragment.rules.filter((x): x is RouteTableRule => x.type === 'route-table');

describe('Terraform reader: network ACLs and route tables', () => {
  it('the same estate as AWS CLI JSON and as Terraform state gives the same connlist and network verdicts', () => {
    const cli = load(CLI);
    const tf = load([SAMPLE]);
    expect(formatConnlist(computeConnlist(tf))).toBe(formatConnlist(computeConnlist(cli)));
    // With the aws-nacl sample's settings (Linux clients' ephemeral ports) api reaches the data subnet.
    const calls = 'public/samples/aws-nacl/calls.segscope.json';
    const withCalls = formatConnlist(computeConnlist(load([SAMPLE, calls])));
    expect(withCalls).toBe(formatConnlist(computeConnlist(load([...CLI, calls]))));
    expect(withCalls).toContain('api => ledger-db : TCP 5432,TCP 6379');
    // Every ordered pair, port by port: the same network verdict, reason and deciding rule.
    const names = tf.services.map((s) => s.name).sort();
    expect(names).toEqual(cli.services.map((s) => s.name).sort());
    const id = (ws: Workspace, n: string) => ws.services.find((s) => s.name === n)?.id as string;
    for (const a of names)
      for (const b of names)
        for (const port of [443, 5432, 6379, 8080]) {
          if (a === b) continue;
          const [x, y] = [cli, tf].map((ws) => {
            const { verdict, reason, rule } = reach(ws, id(ws, a), id(ws, b), port).levels.network;
            return { verdict, reason, rule: rule?.id, summary: rule?.summary };
          });
          expect([a, b, port, y]).toEqual([a, b, port, x]);
        }
  });

  it('names the NACL entry that blocks the response (AWS VPC User Guide, "Network ACL rules", ephemeral ports)', () => {
    const ws = load([SAMPLE]);
    const id = (n: string) => ws.services.find((s) => s.name === n)?.id as string;
    const v = reach(ws, id('api'), id('ledger-db'), 5432).levels.network;
    expect([v.verdict, v.rule?.summary]).toEqual(['deny', 'data-nacl outbound rule *: deny tcp 1024-65535 to api']);
    expect(v.reason).toContain('the response is blocked');
    // data-nacl's rule 90 (an aws_network_acl_rule) denies batch's subnet slice before rule 100 allows the rest.
    const batch = reach(ws, id('batch'), id('ledger-db'), 5432).levels.network;
    expect([batch.verdict, batch.rule?.summary]).toEqual([
      'deny',
      'data-nacl inbound rule 90: deny tcp 5432 from batch',
    ]);
    const text = readFileSync(SAMPLE, 'utf8');
    // The rule resource's values, where the entry is written.
    const at = text.indexOf('"values"', text.indexOf('"address": "aws_network_acl_rule.data_ingress_90"'));
    expect(batch.rule?.source?.line).toBe(text.slice(0, at).split('\n').length);
  });

  it('reads inline blocks, rule resources (replacing their refreshed copies), associations and the default ACL', () => {
    const { result } = show([
      resource('aws_default_network_acl', 'main', {
        default_network_acl_id: 'acl-0d',
        id: 'acl-0d',
        vpc_id: 'vpc-1',
        owner_id: '111111111111',
        subnet_ids: ['subnet-3'],
        ingress: [block(100, 'allow', '0.0.0.0/0', '-1')],
        egress: [block(100, 'allow', '0.0.0.0/0', 'all')],
        tags: {},
      }),
      resource('aws_network_acl', 'app', {
        id: 'acl-0a',
        vpc_id: 'vpc-1',
        subnet_ids: ['subnet-1'],
        ingress: [
          block(100, 'allow', '10.0.0.0/16', '6', [443, 443]),
          block(110, 'allow', '10.0.0.0/16', '6', [80, 80]),
        ],
        egress: [],
        tags: { Name: 'app-nacl' },
      }),
      aclRule('https', 'acl-0a', 100, false, 'allow', '10.0.0.0/16', [443, 443]),
      aclRule('deny_db', 'acl-0a', 90, true, 'deny', '10.0.9.0/24', [5432, 5432]),
      resource('aws_network_acl_association', 'app', {
        id: 'aclassoc-1',
        network_acl_id: 'acl-0a',
        subnet_id: 'subnet-2',
      }),
      resource('aws_network_acl_association', 'app_again', {
        id: 'aclassoc-2',
        network_acl_id: 'acl-0a',
        subnet_id: 'subnet-1',
      }),
    ]);
    expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const [a, d] = acls(result);
    expect(d).toMatchObject({ id: 'aws:acl-0d', isDefault: true, vpc: 'network:vpc-1', subnets: ['network:subnet-3'] });
    expect(d?.entries.map((e) => [e.ruleNumber, e.egress, e.action, e.protocol])).toEqual([
      [100, false, 'allow', '-1'],
      [100, true, 'allow', '-1'],
    ]);
    expect(a).toMatchObject({ name: 'app-nacl', subnets: ['network:subnet-1', 'network:subnet-2'] });
    expect(a?.isDefault).toBeUndefined();
    expect(a?.entries.map(({ source, ...e }) => [e, source?.line !== undefined])).toEqual([
      [
        {
          ruleNumber: 100,
          egress: false,
          action: 'allow',
          protocol: '6',
          cidr: '10.0.0.0/16',
          fromPort: 443,
          toPort: 443,
        },
        true,
      ],
      [
        {
          ruleNumber: 110,
          egress: false,
          action: 'allow',
          protocol: '6',
          cidr: '10.0.0.0/16',
          fromPort: 80,
          toPort: 80,
        },
        true,
      ],
      [
        {
          ruleNumber: 90,
          egress: true,
          action: 'deny',
          protocol: '6',
          cidr: '10.0.9.0/24',
          fromPort: 5432,
          toPort: 5432,
        },
        true,
      ],
    ]);
  });

  it('an unreadable rule is a located error and never widens; rules of an undescribed ACL are reported, not applied', () => {
    const { text, result } = show([
      resource('aws_network_acl', 'app', { id: 'acl-0a', vpc_id: 'vpc-1', subnet_ids: [], ingress: [], egress: [] }),
      aclRule('bad_allow', 'acl-0a', 100, false, 'allow', '10.0.0.0/33', [443, 443]),
      aclRule('bad_deny', 'acl-0a', 110, false, 'deny', '10.0.1.0/24', [5432, 5400]),
      aclRule('orphan', 'acl-0zz', 100, false, 'allow', '10.0.0.0/16', [443, 443]),
    ]);
    const line = (needle: string, after = '') =>
      text.slice(0, text.indexOf(needle, text.indexOf(after))).split('\n').length;
    expect(result.diagnostics.map((d) => [d.line, d.severity, d.message])).toEqual([
      [
        line('"values"', '"address": "aws_network_acl_rule.orphan"'),
        'warn',
        'network ACL acl-0zz is not described in this state (no aws_network_acl or aws_default_network_acl): its 1 rule(s) and association(s) are not applied, and the subnets it governs do not restrict',
      ],
      [
        line('"cidr_block": "10.0.0.0/33"'),
        'error',
        'acl-0a inbound rule 100: "10.0.0.0/33" is not a CIDR; dropped (less is allowed, nothing is widened)',
      ],
      [
        line('"from_port": 5432'),
        'error',
        'acl-0a inbound rule 110: a TCP or UDP entry needs from_port ≤ to_port within 0–65535; kept as a deny of everything, so nothing is widened',
      ],
    ]);
    expect(acls(result)[0]?.entries.map((e) => [e.ruleNumber, e.action, e.damaged])).toEqual([[110, 'deny', true]]);
  });

  it('reads route tables: inline routes, aws_route (its state, replacing its copy), associations, the main table', () => {
    const { result } = show([
      resource('aws_default_route_table', 'main', {
        default_route_table_id: 'rtb-0m',
        id: 'rtb-0m',
        vpc_id: 'vpc-1',
        route: [route('0.0.0.0/0', { nat_gateway_id: 'nat-1' })],
        tags: { Name: 'main' },
      }),
      resource('aws_route_table', 'app', {
        id: 'rtb-0a',
        vpc_id: 'vpc-1',
        route: [
          route('10.60.0.0/16', { vpc_peering_connection_id: 'pcx-1' }),
          route('0.0.0.0/0', { gateway_id: 'igw-1' }),
        ],
        tags: { Name: 'app' },
      }),
      resource('aws_route_table', 'public', { id: 'rtb-0p', vpc_id: 'vpc-1', route: [], tags: {} }),
      resource('aws_route', 'to_tgw', {
        route_table_id: 'rtb-0a',
        destination_cidr_block: '10.60.0.0/16',
        destination_ipv6_cidr_block: '',
        transit_gateway_id: 'tgw-1',
        gateway_id: '',
        state: 'blackhole',
      }),
      resource('aws_route_table_association', 'app', {
        id: 'rtbassoc-1',
        route_table_id: 'rtb-0a',
        subnet_id: 'subnet-1',
        gateway_id: '',
      }),
      resource('aws_route_table_association', 'edge', {
        id: 'rtbassoc-2',
        route_table_id: 'rtb-0p',
        subnet_id: '',
        gateway_id: 'igw-1',
      }),
      resource('aws_route', 'lost', {
        route_table_id: 'rtb-0zz',
        destination_cidr_block: '10.0.0.0/8',
        gateway_id: 'igw-1',
      }),
      resource('aws_main_route_table_association', 'main', {
        id: 'rtbassoc-3',
        vpc_id: 'vpc-1',
        route_table_id: 'rtb-0p',
      }),
    ]);
    expect(result.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message)).toEqual([
      'aws_route.lost: route table rtb-0zz is not described in this state (no aws_route_table or aws_default_route_table); not applied',
    ]);
    const byId = new Map(tables(result).map((t) => [t.routeTableId, t]));
    expect(byId.get('rtb-0a')?.routes.map(({ source: _s, ...r }) => r)).toEqual([
      { destination: '10.60.0.0/16', target: 'tgw-1', state: 'blackhole' },
      { destination: '0.0.0.0/0', target: 'igw-1' },
    ]);
    expect(byId.get('rtb-0a')).toMatchObject({ subnets: ['network:subnet-1'], vpc: 'network:vpc-1' });
    expect(byId.get('rtb-0a')?.main).toBeUndefined();
    // aws_main_route_table_association makes rtb-0p the main table in place of the default one.
    expect([byId.get('rtb-0m')?.main, byId.get('rtb-0p')?.main, byId.get('rtb-0p')?.subnets]).toEqual([
      undefined,
      true,
      [],
    ]);
  });

  it('internet exposure needs an IGW route (AWS VPC User Guide, "Enable internet access for a subnet")', () => {
    const vpc = (id: string) => resource('aws_vpc', id, { id, cidr_block: '10.0.0.0/16', owner_id: '111111111111' });
    const subnet = (id: string, vpcId: string, cidr: string) =>
      resource('aws_subnet', id, { id, vpc_id: vpcId, cidr_block: cidr, availability_zone: 'eu-west-1a' });
    const instance = (id: string, subnetId: string, ip: string) =>
      resource('aws_instance', id, {
        id,
        subnet_id: subnetId,
        private_ip: ip,
        public_ip: '203.0.113.9',
        tags: { Name: id },
      });
    const { text, result } = show([
      vpc('vpc-pub'),
      vpc('vpc-dark'),
      subnet('subnet-pub', 'vpc-pub', '10.0.1.0/24'),
      subnet('subnet-priv', 'vpc-pub', '10.0.2.0/24'),
      subnet('subnet-dark', 'vpc-dark', '10.0.3.0/24'),
      resource('aws_internet_gateway', 'gw', { id: 'igw-1', vpc_id: 'vpc-pub' }),
      resource('aws_route_table', 'pub', {
        id: 'rtb-pub',
        vpc_id: 'vpc-pub',
        route: [route('0.0.0.0/0', { gateway_id: 'igw-1' })],
      }),
      resource('aws_default_route_table', 'priv', { id: 'rtb-priv', vpc_id: 'vpc-pub', route: [] }),
      resource('aws_route_table_association', 'pub', { route_table_id: 'rtb-pub', subnet_id: 'subnet-pub' }),
      instance('i-web', 'subnet-pub', '10.0.1.5'),
      instance('i-job', 'subnet-priv', '10.0.2.5'),
      instance('i-lab', 'subnet-dark', '10.0.3.5'),
    ]);
    expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const ws = importFiles([{ name: 'main.tfstate.json', text }]).workspace;
    const core = buildIndex(ws).core;
    const of = exposureOf(core);
    expect(core.services.map((s, i) => [s.name, of(i).exposed, of(i).reason])).toEqual([
      ['i-web', true, undefined],
      [
        'i-job',
        false,
        'rtb-priv (subnet-priv) has no route to an internet gateway: subnet-priv is a private subnet, so its public address is not reachable from the internet.',
      ],
      [
        'i-lab',
        false,
        'VPC vpc-dark has no internet gateway attached, so a public address in it is not reachable from the internet.',
      ],
    ]);
  });
});
