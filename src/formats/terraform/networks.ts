// aws_vpc, CIDR associations, aws_subnet and VPC peering resources → network segments and peering rules.
import { type AwsBuilder, type Obj, str, tagMap } from '../aws/builder';
import { addSubnet, addVpc } from '../aws/segments';
import { createdId, ownerAndRegion, type Resource, valuesBy } from './resources';

export const readNetworks = (b: AwsBuilder, of: (type: string) => Resource[]): void => {
  const extraCidrs = valuesBy(of('aws_vpc_ipv4_cidr_block_association'), 'vpc_id', 'cidr_block');
  for (const r of of('aws_vpc')) {
    const v = r.values;
    const vpcId = createdId(b, r);
    if (!vpcId) continue;
    const cidrs = [str(v, 'cidr_block'), ...(extraCidrs.get(vpcId) ?? []), str(v, 'ipv6_cidr_block')].filter(
      (c): c is string => c !== undefined,
    );
    extraCidrs.delete(vpcId);
    addVpc(
      b,
      {
        vpcId,
        ...ownerAndRegion(v),
        cidrs,
        tags: tagMap(v.tags),
        attributes: { terraformAddress: r.address },
      },
      r.path,
    );
  }
  for (const [vpc, cidrs] of extraCidrs) {
    const r = of('aws_vpc_ipv4_cidr_block_association').find((x) => x.values.vpc_id === vpc) as Resource;
    b.vpc(vpc, { cidrs }, r.path);
  }
  for (const r of of('aws_subnet')) {
    const v = r.values;
    const subnetId = createdId(b, r);
    if (!subnetId) continue;
    const attributes: Obj = { terraformAddress: r.address };
    if (typeof v.map_public_ip_on_launch === 'boolean') attributes.mapPublicIpOnLaunch = v.map_public_ip_on_launch;
    addSubnet(
      b,
      {
        subnetId,
        vpcId: str(v, 'vpc_id'),
        ...ownerAndRegion(v),
        zone: str(v, 'availability_zone'),
        cidrs: [str(v, 'cidr_block'), str(v, 'ipv6_cidr_block')].filter((c): c is string => c !== undefined),
        tags: tagMap(v.tags),
        attributes,
      },
      r.path,
    );
  }
};

/**
 * A peering's rule is named by its pcx id, as the AWS CLI reader names it, so a route to `pcx-…` is a route
 * through it and verdicts name the same rule whichever file described it; the requester and accepter
 * resources of one connection in one state are one rule (`seen`).
 */
export const readPeering = (b: AwsBuilder, r: Resource, seen: Set<string>): void => {
  const v = r.values;
  const pcx = str(v, 'vpc_peering_connection_id') ?? str(v, 'id');
  const id = pcx ? `aws:${pcx}` : `tf:${r.address}`;
  if (seen.has(id)) return;
  const accepterSide = r.type === 'aws_vpc_peering_connection_accepter';
  // The requester resource names its own VPC first; the accepter resource names its own VPC first.
  const own = b.vpc(str(v, 'vpc_id'), {}, r.path);
  const peer = b.vpc(
    str(v, 'peer_vpc_id'),
    { accountId: str(v, 'peer_owner_id'), region: str(v, 'peer_region') },
    r.path,
  );
  if (!own || !peer) {
    b.diag(r.path, `${r.address}: vpc_id and peer_vpc_id are needed; skipped`, 'warn');
    return;
  }
  const status = str(v, 'accept_status');
  seen.add(id);
  b.rule(
    {
      id,
      type: 'vpc-peering',
      level: 'network',
      requester: accepterSide ? peer : own,
      accepter: accepterSide ? own : peer,
      ...(status ? { status } : {}),
      source: b.at(r.path),
    },
    r.path,
  );
};
