// The segment and service ids a rule names: whoever is on either end of what it allows (plan marks, plan previews).
import type { Rule } from './types';

/**
 * Segment ids and service ids a rule names. Policy rules name pods by selector, not by id: they name none
 * here, and a caller that needs their reach widens to the policy's namespace itself.
 */
export const ruleEnds = (r: Rule): string[] => {
  switch (r.type) {
    case 'sg-permission':
      return r.peer.kind === 'group' ? [r.group, r.peer.group] : [r.group];
    case 'vpc-peering':
      return [r.requester, r.accepter];
    case 'tgw-attachment':
      return [r.vpc];
    case 'route-table':
    case 'network-acl':
      return [...r.subnets, ...(r.vpc ? [r.vpc] : [])];
    case 'role-grant':
      return [r.principal, r.target];
    case 'role-trust':
      return [r.role, r.principal];
    case 'overlay-link':
    case 'account-path':
      return [r.from, r.to];
    default:
      return [];
  }
};
