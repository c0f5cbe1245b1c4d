// Istio at the role level: the AuthorizationPolicy edits that let one call through the callee's sidecar.
// Istio evaluates CUSTOM, then DENY, then ALLOW; a workload some ALLOW policy applies to takes only what one
// of them matches (istio.io/latest/docs/concepts/security/authorization-policy/#implicit-enablement). So a
// call a DENY matches needs that DENY narrowed so it no longer names the caller, and a call to a workload
// whose ALLOW policies all miss it needs one more ALLOW; some calls need both. A call STRICT mTLS refuses (a
// caller without a sidecar) needs neither: it needs the sidecar, which is not an edit of these rules.
import { type ConnSet, conn, intersect, isEmpty } from '../analysis/connset';
import type { AnalysisIndex } from '../analysis/context';
import {
  applies,
  entryMatch,
  type MeshEndpoint,
  meshEndpoint,
  namespaceLabels,
  TCP,
} from '../analysis/levels/role-istio-match';
import type { Command } from '../model/commands';
import type { IstioAuthorizationRule, IstioAuthzEntry, IstioSource } from '../model/types';
import type { CallAsk, Candidate } from './fix-candidates';

/** Who the caller is to the callee's sidecar: its mTLS principal, or (no sidecar) its addresses. */
const callerId = (from: MeshEndpoint): { source: IstioSource; not: (s: IstioSource) => IstioSource; text: string } => {
  const principal = from.inMesh ? from.principal : undefined;
  return principal
    ? {
        source: { principals: [principal] },
        not: (s) => ({ ...s, notPrincipals: [...(s.notPrincipals ?? []), principal] }),
        text: principal,
      }
    : {
        source: { ipBlocks: [...from.addresses] },
        not: (s) => ({ ...s, notIpBlocks: [...(s.notIpBlocks ?? []), ...from.addresses] }),
        text: from.addresses.join(', '),
      };
};

/** A Kubernetes object name (RFC 1123 label): lower case, digits and '-', at most 63 characters. */
const objectName = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');

/** The enforced policies of one action that apply to the callee, each with its entries that match the call. */
const matching = (ix: AnalysisIndex, action: 'ALLOW' | 'DENY', from: MeshEndpoint, to: MeshEndpoint, asked: ConnSet) =>
  ix
    .rulesOf('istio-authorization')
    .filter((p) => p.action === action && !p.dryRun && applies(p, to))
    .map((policy) => ({
      policy,
      hits: (policy.rules ?? []).filter((e) => !isEmpty(intersect(entryMatch(e, from, TCP).some, asked))),
    }));

/** Every DENY entry that matches the call, each source also required not to be the caller. */
const narrowDenies = (denies: ReturnType<typeof matching>, id: ReturnType<typeof callerId>): Candidate | undefined => {
  const hit = denies.filter((d) => d.hits.length > 0);
  if (hit.length === 0) return undefined;
  const narrow = (e: IstioAuthzEntry): IstioAuthzEntry => ({ ...e, from: (e.from ?? [{}]).map(id.not) });
  const commands: Command[] = hit.map(({ policy, hits }) => ({
    type: 'replaceRule',
    before: policy,
    after: { ...policy, rules: (policy.rules ?? []).map((e) => (hits.includes(e) ? narrow(e) : e)) },
  }));
  const names = hit.map(
    ({ policy, hits }) => `${policy.namespace}/${policy.name} ${hits.map((e) => `rules[${e.index}]`).join(', ')}`,
  );
  return { title: `narrow Istio DENY ${names.join(' and ')} so it leaves out ${id.text}`, commands, level: 'role' };
};

/** An ALLOW on the callee's workload (all its labels: no other workload gains or loses an ALLOW policy). */
const addAllow = (
  ix: AnalysisIndex,
  c: CallAsk,
  to: MeshEndpoint,
  id: ReturnType<typeof callerId>,
): Candidate | undefined => {
  const caller = ix.services[c.a];
  const callee = ix.services[c.b];
  if (!caller || !callee || to.namespace === undefined || Object.keys(to.labels).length === 0) return undefined;
  const name = objectName(`allow-${caller.name}-to-${callee.name}`);
  const rule: IstioAuthorizationRule = {
    id: `fix:istio:${to.namespace}/${name}`,
    type: 'istio-authorization',
    level: 'role',
    name,
    namespace: to.namespace,
    action: 'ALLOW',
    selector: { matchLabels: { ...to.labels } },
    rules: [{ index: 0, from: [id.source], ...(c.port === undefined ? {} : { to: [{ ports: [c.port] }] }) }],
  };
  const port = c.port === undefined ? '' : ` on port ${c.port}`;
  return {
    title: `add Istio ALLOW ${to.namespace}/${name}: ${id.text} to ${callee.name}${port}`,
    commands: [{ type: 'addRule', rule }],
    level: 'role',
  };
};

/** Istio's part of a role-level fix, as one candidate; the fix check keeps it only if it lets the call through. */
export const istioCandidates = (ix: AnalysisIndex, c: CallAsk): Candidate[] => {
  // Istio's authorization applies to TCP only (UDP and SCTP pass its sidecar unchecked).
  if (c.protocol !== 'TCP' || ix.rulesOf('istio-authorization').length === 0) return [];
  const ns = namespaceLabels(ix.core);
  const from = meshEndpoint(ix.core, ns, c.a);
  const to = meshEndpoint(ix.core, ns, c.b);
  const id = callerId(from);
  if (!to.inMesh || (!id.source.principals && from.addresses.length === 0)) return [];
  const asked = c.port === undefined ? TCP : conn('TCP', c.port);
  const deny = narrowDenies(matching(ix, 'DENY', from, to, asked), id);
  // An ALLOW is added only where ALLOW policies already apply and all miss the call: on a workload with none,
  // one would refuse every other caller.
  const allows = matching(ix, 'ALLOW', from, to, asked);
  const allow = allows.length > 0 && allows.every((a) => a.hits.length === 0) ? addAllow(ix, c, to, id) : undefined;
  const parts = [deny, allow].filter((x): x is Candidate => x !== undefined);
  if (parts.length === 0) return [];
  return [{ title: parts.map((p) => p.title).join('; '), commands: parts.flatMap((p) => p.commands), level: 'role' }];
};
