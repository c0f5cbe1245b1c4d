// Istio's matching in connection-set terms: who is in the mesh, which policies apply, the mTLS mode per port, what a rule matches.
//
// istio.io/latest/docs/reference/config/security/authorization-policy: a rule matches when from, to and
// when all match; the sources of `from` (and operations of `to`) are ORed, the fields of one source ANDed,
// the values of one field ORed; `principals` and `namespaces` come from the peer certificate and need mutual
// TLS. Request attributes (hosts, methods, paths, requestPrincipals, remoteIpBlocks, other `when` keys) are not
// modelled: a rule testing them matches "some requests" — never all, never none.
import { matchLabelSelector } from '../../model/selector';
import {
  ISTIO_ROOT_NAMESPACE,
  type IstioAuthorizationRule,
  type IstioAuthzEntry,
  type IstioCondition,
  type IstioMtlsMode,
  type IstioPeerAuthRule,
  type IstioSource,
  type Service,
} from '../../model/types';
import { type ConnSet, conn, connSet, EMPTY, intersect, subtract, union } from '../connset';
import { type IndexCore, kindOf, membershipOf } from '../core';
import { cidrMeets } from '../net';

/** Istio's proxy intercepts TCP; UDP and SCTP pass it unchecked. */
export const TCP = connSet('TCP');

export interface MeshEndpoint {
  /** The workload runs a sidecar (or is in ambient mode): Istio policies apply to it and it speaks mTLS. */
  inMesh: boolean;
  /** Why, in a few words (texts). */
  why: string;
  namespace?: string;
  labels: Record<string, string>;
  /** `cluster.local/ns/NS/sa/SA`, from the service-account segment it runs as. */
  principal?: string;
  principalNamespace?: string;
  addresses: readonly string[];
}

/** Namespace labels by namespace name, from the policy-level namespace segments. */
export const namespaceLabels = (core: IndexCore): Map<string, Record<string, string>> => {
  const out = new Map<string, Record<string, string>>();
  for (const s of core.segments.values()) {
    const ns = s.attributes?.namespace;
    if (kindOf(s) === 'namespace' && typeof ns === 'string') out.set(ns, s.labels ?? {});
  }
  return out;
};

/**
 * Sidecar injection (istio.io/latest/docs/setup/additional-setup/sidecar-injection): the pod's own setting
 * wins, then the namespace's `istio-injection` / `istio.io/rev` label; ambient mode by `istio.io/dataplane-mode`.
 */
const meshOf = (svc: Service, nsLabels: Record<string, string> | undefined, k8s: boolean): [boolean, string] => {
  if (svc.hostNetwork) return [false, 'a hostNetwork pod gets no sidecar'];
  if (svc.sidecar !== undefined)
    return svc.sidecar ? [true, 'its pods run an Istio sidecar'] : [false, 'its pods opt out of sidecar injection'];
  if (!k8s) return [false, 'not a Kubernetes workload, so outside the mesh'];
  const l = nsLabels ?? {};
  if (l['istio-injection'] === 'enabled') return [true, `namespace ${svc.namespace} has istio-injection=enabled`];
  if (l['istio-injection'] === 'disabled') return [false, `namespace ${svc.namespace} has istio-injection=disabled`];
  if (l['istio.io/rev'] !== undefined) return [true, `namespace ${svc.namespace} has istio.io/rev`];
  if (l['istio.io/dataplane-mode'] === 'ambient') return [true, `namespace ${svc.namespace} is in ambient mode`];
  return [true, 'no sidecar injection setting was read for it or its namespace: assumed in the mesh'];
};

export const meshEndpoint = (
  core: IndexCore,
  nsLabels: Map<string, Record<string, string>>,
  i: number,
): MeshEndpoint => {
  const svc = core.services[i] as Service;
  const sa = membershipOf(svc, 'role')
    .map((id) => core.segments.get(id))
    .find((s) => kindOf(s) === 'service-account');
  const saNs = typeof sa?.attributes?.namespace === 'string' ? sa.attributes.namespace : undefined;
  const [inMesh, why] = meshOf(svc, svc.namespace ? nsLabels.get(svc.namespace) : undefined, sa !== undefined);
  const out: MeshEndpoint = { inMesh, why, labels: svc.labels ?? {}, addresses: svc.addresses ?? [] };
  if (svc.namespace !== undefined) out.namespace = svc.namespace;
  if (sa && saNs !== undefined) {
    out.principal = `cluster.local/ns/${saNs}/sa/${sa.name.slice(saNs.length + 1)}`;
    out.principalNamespace = saNs;
  }
  return out;
};

/** Istio's string match: exact, `prefix*`, `*suffix`, or `*` for any non-empty value. */
export const istioStringMatch = (pattern: string, value: string | undefined): boolean => {
  if (value === undefined || value === '') return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return value === pattern;
};

const cidrOf = (x: string) => (x.includes('/') ? x : `${x}/${x.includes(':') ? 128 : 32}`);
/** A source address inside a block; a pod whose address is unknown is inside only 0.0.0.0/0 or ::/0. */
export const ipIn = (blocks: readonly string[], ep: MeshEndpoint) =>
  blocks.some((b) => cidrMeets(cidrOf(b), ep.addresses));

/** A policy applies to the workload: the root namespace's to the whole mesh, others to their namespace, narrowed by selector or targets. */
export const applies = (p: IstioAuthorizationRule | IstioPeerAuthRule, ep: MeshEndpoint): boolean => {
  if (p.namespace !== ep.namespace && !(p.type === 'istio-authorization' && p.namespace === ISTIO_ROOT_NAMESPACE))
    return false;
  if (p.type === 'istio-authorization' && p.targets) return p.targets.some((t) => matchLabelSelector(t, ep.labels));
  return !p.selector || matchLabelSelector(p.selector, ep.labels);
};

/** What a rule matches of a caller's TCP connections: `full` for every request, `some` for at least some. */
export interface Matched {
  full: ConnSet;
  some: ConnSet;
}

/** One source's fields, ANDed; `mtls` is where the caller's identity is known (its sidecar talks mTLS). */
const sourceSet = (s: IstioSource, peer: MeshEndpoint, mtls: ConnSet): Matched => {
  let set = TCP;
  const byId = (values: string[] | undefined, value: string | undefined, not: boolean) => {
    if (!values) return;
    const hit = values.some((v) => istioStringMatch(v, value)) ? mtls : EMPTY;
    set = intersect(set, not ? subtract(TCP, hit) : hit);
  };
  byId(s.principals, peer.principal, false);
  byId(s.notPrincipals, peer.principal, true);
  byId(s.namespaces, peer.principalNamespace, false);
  byId(s.notNamespaces, peer.principalNamespace, true);
  if (s.ipBlocks && !ipIn(s.ipBlocks, peer)) set = EMPTY;
  if (s.notIpBlocks && ipIn(s.notIpBlocks, peer)) set = EMPTY;
  return { full: s.requestOnly ? EMPTY : set, some: set };
};

const portsSet = (ports: readonly number[]): ConnSet => ports.reduce((s, p) => union(s, conn('TCP', p)), EMPTY);

/** `when` conditions on connection facts, ANDed: the peer's identity needs mTLS, as in `from`. */
const conditionsSet = (conds: readonly IstioCondition[], peer: MeshEndpoint, mtls: ConnSet): ConnSet => {
  let set = TCP;
  for (const c of conds) {
    const hit = (vs: string[]): ConnSet => {
      if (c.key === 'destination.port') return portsSet(vs.map(Number));
      if (c.key === 'source.ip') return ipIn(vs, peer) ? TCP : EMPTY;
      const value = c.key === 'source.namespace' ? peer.principalNamespace : peer.principal;
      return vs.some((v) => istioStringMatch(v, value)) ? mtls : EMPTY;
    };
    if (c.values) set = intersect(set, hit(c.values));
    if (c.notValues) set = subtract(set, hit(c.notValues));
  }
  return set;
};

export const entryMatch = (e: IstioAuthzEntry, peer: MeshEndpoint, mtls: ConnSet): Matched => {
  let from: Matched = { full: TCP, some: TCP };
  if (e.from) {
    from = { full: EMPTY, some: EMPTY };
    for (const s of e.from) {
      const m = sourceSet(s, peer, mtls);
      from = { full: union(from.full, m.full), some: union(from.some, m.some) };
    }
  }
  let to: Matched = { full: TCP, some: TCP };
  if (e.to) {
    to = { full: EMPTY, some: EMPTY };
    for (const o of e.to) {
      const set = subtract(o.ports ? portsSet(o.ports) : TCP, portsSet(o.notPorts ?? []));
      to = { full: o.requestOnly ? to.full : union(to.full, set), some: union(to.some, set) };
    }
  }
  const cond = conditionsSet(e.conditions ?? [], peer, mtls);
  return {
    full: e.when ? EMPTY : intersect(cond, intersect(from.full, to.full)),
    some: intersect(cond, intersect(from.some, to.some)),
  };
};

/** The PeerAuthentication that sets a workload's mode, most specific first (workload, namespace, mesh). */
export const peerAuthChain = (pas: readonly IstioPeerAuthRule[], ep: MeshEndpoint): IstioPeerAuthRule[] => {
  const byName = (a: IstioPeerAuthRule, b: IstioPeerAuthRule) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const workload = pas.filter((p) => p.namespace === ep.namespace && p.selector && applies(p, ep)).sort(byName);
  const ns = pas.filter((p) => p.namespace === ep.namespace && !p.selector).sort(byName);
  const mesh = pas.filter((p) => p.namespace === ISTIO_ROOT_NAMESPACE && !p.selector).sort(byName);
  return [...workload.slice(0, 1), ...ns.slice(0, 1), ...mesh.slice(0, 1)];
};

/** The mTLS mode per TCP port: port-level settings of the workload policy, else the first set mode up the chain (default PERMISSIVE). */
export const mtlsModes = (
  chain: readonly IstioPeerAuthRule[],
): { base: IstioMtlsMode; baseRule?: IstioPeerAuthRule; sets: Record<IstioMtlsMode, ConnSet> } => {
  const baseRule = chain.find((p) => p.mode !== undefined);
  const base = baseRule?.mode ?? 'PERMISSIVE';
  const sets: Record<IstioMtlsMode, ConnSet> = { STRICT: EMPTY, PERMISSIVE: EMPTY, DISABLE: EMPTY };
  sets[base] = TCP;
  for (const { port, mode } of chain[0]?.selector ? (chain[0].ports ?? []) : []) {
    for (const m of Object.keys(sets) as IstioMtlsMode[]) sets[m] = subtract(sets[m], conn('TCP', port));
    sets[mode] = union(sets[mode], conn('TCP', port));
  }
  const out: { base: IstioMtlsMode; baseRule?: IstioPeerAuthRule; sets: Record<IstioMtlsMode, ConnSet> } = {
    base,
    sets,
  };
  if (baseRule) out.baseRule = baseRule;
  return out;
};
