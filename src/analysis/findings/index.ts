// All finding rules, in FINDING_IDS order, and the function that runs them into one sorted list.
import type { FindingId } from '../types';
import { brokenCall } from './broken-call';
import { compareFindings, type FindingContext, type FindingRule } from './context';
import { defaultAllow } from './default-allow';
import { excessReach } from './excess-reach';
import { exposedColocated } from './exposed-colocated';
import { hub } from './hub';
import { inconsistentLevels } from './inconsistent-levels';
import { quota } from './quota';
import { sgAbuse } from './sg-abuse';
import { sharedFailureDomain } from './shared-failure-domain';
import { singleMechanism } from './single-mechanism';
import { vpcAbuse } from './vpc-abuse';

export const FINDING_RULES: Record<FindingId, FindingRule> = {
  'broken-call': brokenCall,
  'excess-reach': excessReach,
  quota,
  hub,
  'sg-abuse': sgAbuse,
  'vpc-abuse': vpcAbuse,
  'single-mechanism': singleMechanism,
  'inconsistent-levels': inconsistentLevels,
  'shared-failure-domain': sharedFailureDomain,
  'exposed-colocated': exposedColocated,
  'default-allow': defaultAllow,
};

export const runFindings = (ctx: FindingContext) =>
  Object.values(FINDING_RULES)
    .flatMap((rule) => rule(ctx))
    .sort(compareFindings);

export type { FindingContext, FindingRule };
