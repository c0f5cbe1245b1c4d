// Finding hub: a popular service (callers, share, betweenness) and the rule cost it puts on its segments; a security group many groups reference.
import type { Finding } from '../types';
import { plural } from '../wording';
import { type FindingRule, segmentName, serviceName } from './context';

export const hub: FindingRule = (ctx) => [
  ...ctx.hubs.map((h): Finding => {
    const i = ctx.ix.byId.get(h.service);
    const groups = i === undefined ? [] : [...ctx.ix.levels.group.groups(i)];
    const name = serviceName(ctx, h.service);
    return {
      id: 'hub',
      key: `hub:${h.service}`,
      severity: 'info',
      services: [h.service],
      segments: groups,
      message: `${name} is a hub: ${h.callers} services call it (${Math.round(h.share * 100)} % of all), betweenness ${h.betweenness.toFixed(3)}; it costs ${h.ruleCost} ingress rule${h.ruleCost === 1 ? '' : 's'} on its segments.`,
      fix: `give ${name} its own segment and allow its callers by group or label rather than one rule per caller`,
    };
  }),
  ...ctx.groupHubs.map((h): Finding => {
    const name = segmentName(ctx, h.group);
    return {
      id: 'hub',
      key: `hub:group:${h.group}`,
      severity: 'info',
      level: 'group',
      services: [],
      segments: [h.group],
      message: `Security group ${name} is a hub of the group level: ${plural(h.references, 'other group')} reference it (${Math.round(h.share * 100)} % of all), which costs ${plural(h.ruleCost, 'rule')} on those groups.`,
      fix: `let the groups that admit ${name} share one group holding that rule (or use a prefix list) instead of one rule in each`,
      count: h.references,
    };
  }),
];
