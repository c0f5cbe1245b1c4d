// aws_instance → services, in their subnet, security groups and instance profile's role.
import { type AwsBuilder, type Obj, str, tagMap } from '../aws/builder';
import { kindFromTags, workloadName } from '../aws/conventions';
import type { Known } from '../aws/segments';
import { addWorkload } from '../aws/workloads';
import { createdId, list, ownerAndRegion, type Resource } from './resources';

export const readInstance = (
  b: AwsBuilder,
  known: Known,
  r: Resource,
  subnetVpc: Map<string, string | undefined>,
  roles: Map<string, string>,
): void => {
  const v = r.values;
  const id = createdId(b, r);
  if (!id) return;
  // aws_instance has no owner_id: the account is the ARN's.
  const { accountId, region } = ownerAndRegion(v);
  const subnetId = str(v, 'subnet_id');
  const vpcId = subnetId ? subnetVpc.get(subnetId) : undefined;
  const tags = tagMap(v.tags);
  const profile = str(v, 'iam_instance_profile');
  const roleSegment = profile ? roles.get(`profile:${profile}`) : undefined;
  const profileArn =
    profile && !roleSegment && accountId ? `arn:aws:iam::${accountId}:instance-profile/${profile}` : undefined;
  const groups = list(v.vpc_security_group_ids).map((g, k) => ({
    id: g,
    path: [...r.path, 'vpc_security_group_ids', k],
  }));
  const addresses = [str(v, 'private_ip'), ...list(v.secondary_private_ips), ...list(v.ipv6_addresses)].filter(
    (a): a is string => a !== undefined,
  );
  const extra: Obj = { terraformAddress: r.address };
  const type = str(v, 'instance_type');
  if (type) extra.instanceType = type;
  const state = str(v, 'instance_state');
  if (state) extra.state = state;
  addWorkload(b, known, {
    id,
    name: workloadName(tags, id),
    kind: kindFromTags(tags),
    tags,
    accountId,
    region,
    zone: str(v, 'availability_zone'),
    vpcId,
    subnetId,
    profileArn,
    profilePath: [...r.path, 'iam_instance_profile'],
    roleSegment,
    interfaces: [{ id: str(v, 'primary_network_interface_id') ?? id, groups, subnetId, vpcId, path: r.path }],
    addresses,
    exposed: str(v, 'public_ip') !== undefined,
    dedicatedVm: true,
    extra,
    path: r.path,
  });
};
