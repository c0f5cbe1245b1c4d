// Finding hub: a popular service (callers, share, betweenness) and the rule cost it puts on its segments.
import type { Finding } from '../types';
import { type FindingRule, serviceName } from './context';

export const hub: FindingRule = (ctx) =>
  ctx.hubs.map((h): Finding => {
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
  });
