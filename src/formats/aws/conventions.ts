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
