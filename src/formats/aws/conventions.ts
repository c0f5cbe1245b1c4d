// What the AWS readers (CLI, Terraform) and the AWS writer agree on: ids, account ids, kinds and names from tags.
import type { ServiceKind } from '../../model/types';

/** Segment and service ids the AWS readers give and the writers name. */
export const awsIds = {
  account: (accountId: string) => `account:${accountId}`,
  network: (vpcOrSubnetId: string) => `network:${vpcOrSubnetId}`,
  group: (groupId: string) => `group:${groupId}`,
  role: (arn: string) => `role:aws:${arn}`,
  service: (instanceOrEniId: string) => `aws:${instanceOrEniId}`,
};

/** A 12-digit AWS account id; owner ids like `amazon-elb` are not accounts we can place. */
export const isAccountId = (v: string | undefined): v is string => v !== undefined && /^\d{12}$/.test(v);

const DATASTORE =
  /^(db|database|datastore|data|postgres(ql)?|mysql|mariadb|aurora|rds|redis|memcached?|cache|mongo(db)?|cassandra|elasticsearch|opensearch|kafka|queue|storage)\b/i;
const GATEWAY =
  /^(lb|alb|nlb|elb|load-?balancer|gateway|api-?gateway|proxy|reverse-?proxy|bastion|nat|edge|ingress|waf)\b/i;

/** A modest kind guess from tags such as `Role=db` or `kind=gateway`; anything else is a plain service. */
export const kindFromTags = (tags: Record<string, string> | undefined): ServiceKind => {
  if (!tags) return 'service';
  for (const [k, v] of Object.entries(tags)) {
    if (!/^(role|kind|tier|type|component)$/i.test(k)) continue;
    if (DATASTORE.test(v)) return 'datastore';
    if (GATEWAY.test(v)) return 'gateway';
  }
  return 'service';
};

/** The plain name a person uses: an explicit `segscope:service` tag, else `Name`, else the id. */
export const workloadName = (tags: Record<string, string> | undefined, id: string): string =>
  tags?.['segscope:service'] || tags?.Name || id;

/** Kind of a standalone interface: from its tags, else from its type and the description AWS writes on managed ones. */
export const interfaceKind = (
  tags: Record<string, string> | undefined,
  type: string | undefined,
  description: string,
): ServiceKind => {
  if (tags && kindFromTags(tags) !== 'service') return kindFromTags(tags);
  if (
    type === 'network_load_balancer' ||
    type === 'gateway_load_balancer' ||
    type === 'gateway_load_balancer_endpoint' ||
    type === 'nat_gateway' ||
    type === 'vpc_endpoint' ||
    type === 'transit_gateway' ||
    /^ELB /.test(description)
  ) {
    return 'gateway';
  }
  if (
    /^(RDS|ElastiCache|DAX|Redshift|Amazon (Redshift|MSK|OpenSearch|DocumentDB)|EFS mount target|DocumentDB)/i.test(
      description,
    )
  ) {
    return 'datastore';
  }
  return 'service';
};

/**
 * Name of a standalone interface: its tags, else its description, else its id. Several interfaces of one
 * managed service (an ALB per zone, every RDS interface) share a description: `sharing` of them in the file
 * (this one included) add the id.
 */
export const interfaceName = (
  tags: Record<string, string> | undefined,
  description: string,
  eni: string,
  sharing: number,
): string => {
  const base = tags?.['segscope:service'] || tags?.Name || description || eni;
  return !tags?.Name && description && sharing > 1 ? `${base} (${eni})` : base;
};
