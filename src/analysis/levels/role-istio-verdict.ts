// Istio's verdict on one caller → callee pair: the sets CUSTOM → DENY → ALLOW leave, and the allow or deny said with its rule.

import { entryText } from '../../model/istio-text';
import type { IstioAuthorizationRule, IstioAuthzEntry, IstioMtlsMode } from '../../model/types';
import { type Conn, type ConnSet, connSet, contains, EMPTY, subtract, union } from '../connset';
import { type LevelResult, ruleRef, T } from '../core';
import type { RuleRef } from '../types';
import { entryMatch, type Matched, type MeshEndpoint, TCP } from './role-istio-match';

/** UDP and SCTP: Istio's proxy does not intercept them (only TCP is redirected to the sidecar). */
export const UNCHECKED = union(connSet('UDP'), connSet('SCTP'));

export const policyName = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

interface Decided {
  entry: IstioAuthzEntry;
  policy: IstioAuthorizationRule;
  m: Matched;
}

/** The callee's mTLS modes as sets of TCP ports. */
export interface Modes {
  sets: Record<IstioMtlsMode, ConnSet>;
}

/** What the policies applying to the callee make of the caller's TCP connections. */
export interface PairSets {
  /** Where the caller's identity is known (it runs a sidecar, and mTLS is not disabled). */
  mtls: ConnSet;
  /** Plaintext refused by STRICT mTLS (a caller without a sidecar). */
  refused: ConnSet;
  allows: Decided[];
  denies: Decided[];
  allowPolicies: IstioAuthorizationRule[];
  customs: IstioAuthorizationRule[];
  /** Let through for at least some requests, and for every request. */
  through: ConnSet;
  throughAll: ConnSet;
}

export const pairSets = (from: MeshEndpoint, policies: readonly IstioAuthorizationRule[], modes: Modes): PairSets => {
  const mtls = from.inMesh ? subtract(TCP, modes.sets.DISABLE) : EMPTY;
  const refused = from.inMesh ? EMPTY : modes.sets.STRICT;
  const matched = (action: string): Decided[] =>
    policies
      .filter((p) => p.action === action)
      .flatMap((policy) => (policy.rules ?? []).map((entry) => ({ policy, entry, m: entryMatch(entry, from, mtls) })));
  const denies = matched('DENY');
  const allows = matched('ALLOW');
  const allowPolicies = policies.filter((p) => p.action === 'ALLOW');
  const unionOf = (ds: Decided[], k: keyof Matched) => ds.reduce((s, d) => union(s, d.m[k]), EMPTY);
  const allowSome = allowPolicies.length > 0 ? unionOf(allows, 'some') : TCP;
  const allowFull = allowPolicies.length > 0 ? unionOf(allows, 'full') : TCP;
  return {
    mtls,
    refused,
    allows,
    denies,
    allowPolicies,
    customs: policies.filter((p) => p.action === 'CUSTOM'),
    through: subtract(subtract(allowSome, unionOf(denies, 'full')), refused),
    throughAll: subtract(subtract(allowFull, unionOf(denies, 'some')), refused),
  };
};

export const entryRef = (d: Decided): RuleRef => {
  const ref = ruleRef(
    d.policy,
    `AuthorizationPolicy ${policyName(d.policy)} (${d.policy.action}) ${entryText(d.entry)}`,
  );
  if (d.entry.source) ref.source = d.entry.source;
  return ref;
};

export const customNote = (s: PairSets): string =>
  s.customs.length > 0
    ? ` CUSTOM ${s.customs.map(policyName).join(', ')} asks an external authorizer, whose decisions are not known (taken to deny nothing).`
    : '';

/** The request attributes that make a match partial, in words. */
const partialWhy = (s: PairSets, c: Conn): string => {
  const part = (d: Decided) => contains(d.m.some, c) && !contains(d.m.full, c);
  return [
    ...s.allows.filter(part).map((d) => `allowed by ${policyName(d.policy)} ${entryText(d.entry)}`),
    ...s.denies.filter(part).map((d) => `denied by ${policyName(d.policy)} ${entryText(d.entry)}`),
  ].join('; ');
};

/** An allowed connection: the ALLOW rule that matches (or no ALLOW policy), and whether only some requests get through. */
export const allowedResult = (s: PairSets, c: Conn, conns: ConnSet): LevelResult => {
  const allowing = s.allows.filter((d) => contains(d.m.some, c));
  const ref = allowing[0] ? entryRef(allowing[0]) : undefined;
  const how =
    s.allowPolicies.length === 0
      ? `no ALLOW policy applies to ${T.to} and no DENY rule matches`
      : `${ref?.summary ?? 'an ALLOW rule'} matches`;
  const some = contains(s.throughAll, c)
    ? ''
    : ` — on some requests only: ${partialWhy(s, c)} (HTTP attributes and conditions are not modelled)`;
  const result: LevelResult = {
    verdict: 'allow',
    reason: `Istio lets ${T.from} call ${T.to} on TCP ${c.port}: ${how}${some}.${customNote(s)}`,
    conns,
    allowing: [...new Set(allowing.map((d) => d.policy.id))],
  };
  if (ref) result.rule = ref;
  return result;
};

/** A denied connection: STRICT plaintext first, then a DENY rule, then the ALLOW policies none of whose rules match. */
export const deniedResult = (
  s: PairSets,
  from: MeshEndpoint,
  c: Conn,
  conns: ConnSet,
  modeRef: RuleRef | undefined,
): LevelResult => {
  const what = `TCP ${c.port}`;
  const note = customNote(s);
  if (contains(s.refused, c)) {
    const result: LevelResult = {
      verdict: 'deny',
      reason: `${T.to} requires mutual TLS on ${what} (${modeRef?.summary ?? 'STRICT'}) and ${T.from} has no Istio sidecar, so its plaintext is refused: ${from.why}.${note}`,
      conns,
      fix: `run ${T.from} with an Istio sidecar, or set mTLS PERMISSIVE for ${T.to} on ${what}`,
    };
    if (modeRef) result.rule = modeRef;
    return result;
  }
  const deny = s.denies.find((x) => contains(x.m.full, c));
  if (deny) {
    const ref = entryRef(deny);
    return {
      verdict: 'deny',
      reason: `${ref.summary} denies ${T.from} on ${what}; a DENY policy wins over every ALLOW.${note}`,
      rule: ref,
      conns,
      fix: `narrow ${policyName(deny.policy)} rules[${deny.entry.index}] so it no longer matches ${T.from}`,
    };
  }
  // The most specific ALLOW policy is where the missing rule belongs (not a namespace-wide allow-nothing).
  const specificity = (p: IstioAuthorizationRule) =>
    Object.keys(p.selector?.matchLabels ?? {}).length + (p.targets ? 1 : 0) + (p.rules?.length ? 0.5 : 0);
  const policy = s.allowPolicies.reduce((best, p) => (specificity(p) > specificity(best) ? p : best));
  const none = s.allowPolicies.every((p) => p.rules === undefined || p.rules.length === 0);
  const needsMtls = s.allows.some((x) => x.entry.from?.some((f) => f.principals || f.namespaces));
  const mtlsNote =
    !needsMtls || contains(s.mtls, c)
      ? ''
      : from.inMesh
        ? ` (principal and namespace rules need mutual TLS, and mTLS is disabled for ${T.to} on this port)`
        : ` (principal and namespace rules need mutual TLS, and ${T.from} has no Istio sidecar: ${from.why})`;
  const names = s.allowPolicies.map((p) => `AuthorizationPolicy ${policyName(p)}`).join(', ');
  return {
    verdict: 'deny',
    reason: `${names} ${s.allowPolicies.length > 1 ? 'apply' : 'applies'} to ${T.to} (ALLOW) and ${none ? 'has no rules, so it allows nothing' : `no rule matches ${T.from} on ${what}`}${mtlsNote}.${note}`,
    rule: ruleRef(
      policy,
      `AuthorizationPolicy ${policyName(policy)} (ALLOW): ${none ? 'no rules, allows nothing' : 'no rule matches'}`,
    ),
    conns,
    fix: `add to ${policyName(policy)} a rule with from.source.principals ["${from.principal ?? `the identity of ${T.from}`}"] and to.operation.ports ["${c.port}"]`,
  };
};
