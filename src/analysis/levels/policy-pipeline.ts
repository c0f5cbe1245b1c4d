// The policy level's tier pipeline: ordered tiers of policies deciding each direction's traffic, as a set or for one connection.
import { type Conn, type ConnSet, conn, contains, EMPTY, intersect, isEmpty, subtract, union } from '../connset';
import type { Endpoint, PolicyRuleView, PolicyView } from './policy-endpoint';

export type Direction = 'ingress' | 'egress';

/** Who decided a portion of the traffic. */
export interface Step {
  policy: PolicyView;
  rule?: PolicyRuleView;
  kind: 'Allow' | 'Deny' | 'end-of-tier' | 'pass-to-profile';
}

export interface DirectionResult {
  /** No policy selects the endpoint for this direction. */
  open: boolean;
  allowed: ConnSet;
  firstAllow?: Step;
  firstDeny?: Step;
  allowing: Step[];
}

/**
 * Tiers in order; in a tier, policies by order then name; in a policy, rules in order. The first rule
 * that matches decides its part of the traffic: Allow and Deny end it, Pass sends it to the next tier
 * that selects the endpoint, Log continues. Traffic left unmatched in a tier that selects the
 * endpoint is denied at the end of that tier, or passed on when the tier's defaultAction is Pass. Traffic passed beyond the last such tier, or an
 * endpoint no tier selects, meets the profile, which allows (Kubernetes default). Kubernetes policies
 * sit in the default tier as Allow-only rules, so their union-of-allows semantics follows exactly.
 */
export const runPipeline = (
  policies: readonly PolicyView[],
  dir: Direction,
  self: Endpoint,
  peer: Endpoint,
  target: Endpoint,
  init: ConnSet,
): DirectionResult => {
  if (policies.length === 0) return { open: true, allowed: init, allowing: [] };
  let remaining = init;
  let allowed: ConnSet = EMPTY;
  let firstAllow: Step | undefined;
  let firstDeny: Step | undefined;
  const allowing: Step[] = [];
  let i = 0;
  let lastTierPolicy: PolicyView | undefined;
  while (i < policies.length && !isEmpty(remaining)) {
    const first = policies[i] as PolicyView;
    lastTierPolicy = first;
    // The end-of-tier denial names the tier's most specific policy for the endpoint: that is where a
    // missing rule belongs (not a namespace-wide DNS policy that happens to sort first).
    let specific = first;
    let passed: ConnSet = EMPTY;
    for (; i < policies.length && (policies[i] as PolicyView).tier === first.tier; i++) {
      const p = policies[i] as PolicyView;
      if (p.specificity > specific.specificity) specific = p;
      for (const r of dir === 'ingress' ? p.ingressRules : p.egressRules) {
        if (isEmpty(remaining)) break;
        if (r.action === 'Log' || !r.matches(self, peer)) continue;
        const rc = intersect(r.conns(target), remaining);
        if (isEmpty(rc)) continue;
        remaining = subtract(remaining, rc);
        if (r.action === 'Allow') {
          allowed = union(allowed, rc);
          const step: Step = { policy: p, rule: r, kind: 'Allow' };
          firstAllow ??= step;
          allowing.push(step);
        } else if (r.action === 'Deny') firstDeny ??= { policy: p, rule: r, kind: 'Deny' };
        else passed = union(passed, rc);
      }
    }
    // A tier with defaultAction Pass hands what it did not match to the next tier instead of dropping it.
    if (first.tierPasses) remaining = union(passed, remaining);
    else {
      if (!isEmpty(remaining)) firstDeny ??= { policy: specific, kind: 'end-of-tier' };
      remaining = passed;
    }
  }
  if (!isEmpty(remaining) && lastTierPolicy) {
    allowed = union(allowed, remaining);
    const step: Step = { policy: lastTierPolicy, kind: 'pass-to-profile' };
    firstAllow ??= step;
    allowing.push(step);
  }
  const out: DirectionResult = { open: false, allowed, allowing };
  if (firstAllow) out.firstAllow = firstAllow;
  if (firstDeny) out.firstDeny = firstDeny;
  return out;
};

/**
 * The same pipeline for one connection: the first rule whose set contains it decides. No set
 * arithmetic, so per-call verdicts allocate almost nothing.
 */
export const runPipelineConn = (
  policies: readonly PolicyView[],
  dir: Direction,
  self: Endpoint,
  peer: Endpoint,
  target: Endpoint,
  c: Conn,
): DirectionResult => {
  if (policies.length === 0) return { open: true, allowed: conn(c.protocol, c.port), allowing: [] };
  let i = 0;
  let lastTierPolicy: PolicyView | undefined;
  while (i < policies.length) {
    const first = policies[i] as PolicyView;
    lastTierPolicy = first;
    let specific = first;
    let passed = false;
    let decided: DirectionResult | undefined;
    for (; i < policies.length && (policies[i] as PolicyView).tier === first.tier; i++) {
      const p = policies[i] as PolicyView;
      if (p.specificity > specific.specificity) specific = p;
      if (decided || passed) continue;
      for (const r of dir === 'ingress' ? p.ingressRules : p.egressRules) {
        if (r.action === 'Log' || !r.matches(self, peer) || !contains(r.conns(target), c)) continue;
        if (r.action === 'Allow') {
          const step: Step = { policy: p, rule: r, kind: 'Allow' };
          decided = { open: false, allowed: conn(c.protocol, c.port), firstAllow: step, allowing: [step] };
        } else if (r.action === 'Deny') {
          decided = { open: false, allowed: EMPTY, firstDeny: { policy: p, rule: r, kind: 'Deny' }, allowing: [] };
        } else passed = true;
        break;
      }
    }
    if (decided) return decided;
    if (!passed && !first.tierPasses)
      return { open: false, allowed: EMPTY, firstDeny: { policy: specific, kind: 'end-of-tier' }, allowing: [] };
  }
  const step: Step = { policy: lastTierPolicy as PolicyView, kind: 'pass-to-profile' };
  return { open: false, allowed: conn(c.protocol, c.port), firstAllow: step, allowing: [step] };
};
