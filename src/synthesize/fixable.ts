// Which findings fixesFor has plans for: the findings list offers "Fix…" on these only.
import type { Finding } from '../analysis/types';

/** Quotas with plans: rules per group (keep the used ones, or one per peer segment), groups and rules per interface (one group of its own). */
export const QUOTA_FIXES: ReadonlySet<string> = new Set([
  'aws.inbound-rules-per-group',
  'aws.outbound-rules-per-group',
  'aws.groups-per-interface',
  'aws.rules-times-groups-per-interface',
]);

export const fixable = (f: Pick<Finding, 'id' | 'key' | 'figures' | 'segments'>): boolean => {
  switch (f.id) {
    case 'broken-call':
    case 'exposed-colocated':
    case 'default-allow':
    case 'inconsistent-levels':
      return true;
    case 'shared-failure-domain':
      return f.key.startsWith('shared-failure-domain:segment:');
    case 'sg-abuse':
      return f.key.startsWith('sg-abuse:broad:') || f.key.startsWith('sg-abuse:hub-rules:');
    case 'hub':
      // A service hub with security groups (its segments), or a group hub (its one segment).
      return f.segments.length > 0;
    case 'quota':
      return QUOTA_FIXES.has(String(f.figures?.quota ?? ''));
    default:
      return false;
  }
};
