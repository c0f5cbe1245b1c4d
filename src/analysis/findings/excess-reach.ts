// Finding excess-reach: services (or, at scale, segments) that can reach services they never call.
import { NO_SEGMENT } from '../excess';
import type { Finding } from '../types';
import { type FindingRule, segmentName, serviceName } from './context';

export const excessReach: FindingRule = (ctx) => {
  const { excess } = ctx;
  const out: Finding[] = [];
  if (!excess.complete) {
    out.push({
      id: 'excess-reach',
      key: 'excess-reach:not-computed',
      severity: 'info',
      services: [],
      segments: [],
      message: `Excess reach was not computed: the services form ${excess.classes} distinct reachability classes, more than the analysis evaluates pairwise.`,
    });
    return out;
  }
  for (const [key, count] of excess.counts) {
    if (excess.mode === 'service') {
      const name = serviceName(ctx, key);
      out.push({
        id: 'excess-reach',
        key: `excess-reach:${key}`,
        severity: 'info',
        services: [key],
        segments: [],
        message: `${name} can reach ${count} service${count === 1 ? '' : 's'} it never calls: more blast radius than its calls need.`,
        fix: `restrict what ${name} can reach to the services it calls`,
        count,
      });
    } else {
      const named =
        key === NO_SEGMENT ? `services without a ${excess.level} segment` : `services in ${segmentName(ctx, key)}`;
      out.push({
        id: 'excess-reach',
        key: `excess-reach:segment:${key}`,
        severity: 'info',
        level: excess.level,
        services: [],
        segments: key === NO_SEGMENT ? [] : [key],
        message: `The ${named} can reach ${count} service${count === 1 ? '' : 's'} they never call (counted per pair).`,
        fix: 'tighten the rules between segments to the calls that exist',
        count,
      });
    }
  }
  return out;
};
