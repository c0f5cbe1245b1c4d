// Finding quota: a limit at ≥ 80 % (warn) or above 100 % (error), said plainly: "sg-db: 58 of 60 inbound rules (97 %)."
import type { Finding } from '../types';
import { quotaLine, quotaPercent, subjectName } from '../wording';
import { type FindingRule, segmentName, serviceName } from './context';

const FIXES: Record<string, string> = {
  'aws.inbound-rules-per-group': 'consolidate rules (prefix lists, group references) or split the group',
  'aws.outbound-rules-per-group': 'consolidate rules (prefix lists, group references) or split the group',
  'aws.groups-per-interface': 'merge groups or raise the groups-per-interface quota (max 16)',
  'aws.rules-times-groups-per-interface': 'fewer groups per interface or fewer rules per group',
  'aws.vpcs-per-region': 'share VPCs between services instead of one VPC each, or raise the quota',
  'aws.subnets-per-vpc': 'use larger subnets',
  'aws.reserved-addresses-per-subnet': 'move services to a larger subnet or add a CIDR block',
  'aws.peerings-per-vpc': 'use a transit gateway instead of many peerings',
  'k8s.pods-per-node': 'spread pods over more nodes',
  'iptables.services': 'switch kube-proxy to IPVS or nftables mode',
  'docker.networks-per-host': 'fewer networks per host, or larger default address pools',
};

export const quota: FindingRule = (ctx) => {
  const out: Finding[] = [];
  for (const u of ctx.quotas) {
    if (u.state === 'ok') continue;
    const { kind, id } = u.subject;
    const who = kind === 'service' ? serviceName(ctx, id) : kind === 'segment' ? segmentName(ctx, id) : subjectName(id);
    const f: Finding = {
      id: 'quota',
      key: `quota:${u.quota}:${id}`,
      severity: u.state,
      services: kind === 'service' ? [id] : [],
      segments: kind === 'segment' ? [id] : [],
      message: `${quotaLine(u, who)} (${quotaPercent(u)} %)${u.state === 'error' ? ': over the limit' : ''}.`,
      figures: { used: u.used, limit: u.limit, quota: u.quota },
    };
    if (u.level) f.level = u.level;
    const fix = FIXES[u.quota];
    if (fix) f.fix = fix;
    out.push(f);
  }
  return out;
};
