// Reader for `terraform show -json` (and raw v4 .tfstate) with AWS resources: VPCs, subnets, network ACLs, route tables, transit gateways, groups, rules, instances, roles.
import { type ParsedFile, parseFile } from '../../import/parse';
import type { FileInput, FormatReader, ReadResult } from '../../import/types';
import { AwsBuilder, isObj, type Obj, parseInput, str } from '../aws/builder';
import { emptyKnown, type Known } from '../aws/segments';
import { detectTerraform } from './detect';
import { readGroup, readGroupRule, readVpcGroupRule } from './groups';
import { readInstance } from './instances';
import { readTerraformNetworkAcls } from './network-acls';
import { readNetworks, readPeering } from './networks';
import { moduleResources, ownerAndRegion, type Resource, stateResources } from './resources';
import { readRoles } from './roles';
import { readTerraformInternetGateways, readTerraformRouteTables } from './route-tables';
import { readTerraformTransitGateways } from './tgw';

const TYPES = [
  'aws_vpc',
  'aws_vpc_ipv4_cidr_block_association',
  'aws_subnet',
  'aws_network_acl',
  'aws_default_network_acl',
  'aws_network_acl_rule',
  'aws_network_acl_association',
  'aws_route_table',
  'aws_default_route_table',
  'aws_route',
  'aws_route_table_association',
  'aws_main_route_table_association',
  'aws_internet_gateway',
  'aws_internet_gateway_attachment',
  'aws_ec2_transit_gateway',
  'aws_ec2_transit_gateway_vpc_attachment',
  'aws_ec2_transit_gateway_route_table',
  'aws_ec2_transit_gateway_route',
  'aws_ec2_transit_gateway_route_table_association',
  'aws_ec2_transit_gateway_route_table_propagation',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_instance_profile',
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
  'aws_vpc_peering_connection',
  'aws_vpc_peering_connection_accepter',
  'aws_instance',
];

const read = (file: FileInput, source: ParsedFile = parseFile(file)): ReadResult => {
  const parsed = parseInput(file, source);
  const b = new AwsBuilder(file.name, parsed.locate);
  b.diagnostics.push(...parsed.diagnostics);
  const top = parsed.value;
  if (!isObj(top)) {
    if (top !== undefined) b.diag([], 'expected the JSON object `terraform show -json` prints');
    return b.finish();
  }
  const resources: Resource[] = [];
  if (typeof top.format_version === 'string') {
    const key = isObj(top.values) ? 'values' : isObj(top.planned_values) ? 'planned_values' : undefined;
    if (key === 'planned_values') b.diag([key], 'a plan: reading its planned values', 'info');
    if (key) moduleResources(b, (top[key] as Obj).root_module, [key, 'root_module'], resources);
    else b.diag([], 'no values: the state is empty', 'info');
  } else stateResources(b, top, resources);

  const data = resources.filter((r) => r.mode === 'data');
  if (data[0])
    b.diag(data[0].path, `${data.length} data source(s) not read: only managed resources describe the estate`, 'info');
  const managed = resources.filter((r) => r.mode !== 'data');
  const unknown = new Map<string, Resource[]>();
  for (const r of managed) if (!TYPES.includes(r.type)) unknown.set(r.type, [...(unknown.get(r.type) ?? []), r]);
  for (const [type, rs] of unknown) {
    b.diag(rs[0]?.path ?? [], `${rs.length} resource(s) of type ${type} not read: segscope does not model it`, 'info');
  }
  const of = (type: string) => managed.filter((r) => r.type === type);

  const known: Known = emptyKnown();
  for (const r of of('aws_security_group')) {
    const id = str(r.values, 'id');
    if (id) known.groups.set(id, ownerAndRegion(r.values).accountId);
  }
  const subnetVpc = new Map<string, string | undefined>();
  for (const r of of('aws_subnet')) {
    const id = str(r.values, 'id');
    if (id) {
      known.subnets.add(id);
      subnetVpc.set(id, str(r.values, 'vpc_id'));
    }
  }
  known.iam = of('aws_iam_role').length > 0;

  readNetworks(b, of);
  readTerraformInternetGateways(b, of);
  readTerraformNetworkAcls(b, of);
  readTerraformRouteTables(b, of);
  readTerraformTransitGateways(b, of);
  const roleByName = readRoles(b, of);
  for (const r of of('aws_security_group')) readGroup(b, known, r);
  for (const r of of('aws_security_group_rule')) readGroupRule(b, known, r);
  for (const r of [...of('aws_vpc_security_group_ingress_rule'), ...of('aws_vpc_security_group_egress_rule')]) {
    readVpcGroupRule(b, known, r);
  }
  const peerings = new Set<string>();
  for (const r of [...of('aws_vpc_peering_connection'), ...of('aws_vpc_peering_connection_accepter')]) {
    readPeering(b, r, peerings);
  }
  for (const r of of('aws_instance')) readInstance(b, known, r, subnetVpc, roleByName);
  return b.finish();
};

export const terraformReader: FormatReader = {
  id: 'terraform',
  label: 'Terraform state (terraform show -json)',
  detect: detectTerraform,
  read,
};
