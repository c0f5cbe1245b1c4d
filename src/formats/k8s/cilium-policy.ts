// CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2) → policy-level rules, read as the Cilium agent imports them.
//
// docs.cilium.io: security/policy/language (Layer 3, Layer 4, Layer 7), security/policy/intro (default
// deny), security/policy/deny. What a verdict cannot use (L7 rules, toFQDNs by DNS, ICMP, host policies,
// toServices, toGroups, …) is read and warned about, never dropped silently.

import { arr, get, isRecord, type Manifest, meta, type Path, rec, str } from '../../import/manifests';
import { isValidNet } from '../../model/cidr';
import {
  CILIUM_ENTITIES,
  type CiliumEntity,
  type CiliumPeer,
  type CiliumPolicyEntry,
  type CiliumPolicyRule,
  type LabelSelector,
  type LabelSelectorRequirement,
} from '../../model/types';
import { readCiliumPorts } from './cilium-ports';
import type { K8sRead } from './context';
import { readLabelSelector } from './network-policy';

export const CILIUM_POLICY_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] as const;
type Kind = (typeof CILIUM_POLICY_KINDS)[number];
type Section = CiliumPolicyEntry['section'];

/** The label Cilium gives every pod for its namespace; a namespaced policy's selectors get it added. */
export const CILIUM_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';

export const isCiliumPolicy = (m: Manifest): boolean =>
  m.apiVersion.startsWith('cilium.io/') && (CILIUM_POLICY_KINDS as readonly string[]).includes(m.kind);

/** Entities that stand for nothing segscope models (Cilium's own proxies and bookkeeping identities). */
const UNMODELLED_ENTITIES: ReadonlySet<CiliumEntity> = new Set(['ingress', 'health', 'init', 'unmanaged']);

/** A label key without its source prefix: `k8s:app` and `any:app` are `app` to a pod's Kubernetes labels. */
const bareKey = (k: string): string => k.replace(/^(k8s|any):/, '');

/** The L3 fields of one direction: Cilium refuses a rule element combining two of them. */
const L3_FIELDS = {
  from: ['fromEndpoints', 'fromEntities', 'fromCIDR', 'fromCIDRSet', 'fromNodes', 'fromGroups'],
  to: ['toEndpoints', 'toEntities', 'toCIDR', 'toCIDRSet', 'toNodes', 'toFQDNs', 'toServices', 'toGroups'],
} as const;

class CiliumReader {
  readonly errors = { n: 0 };
  constructor(
    private readonly ctx: K8sRead,
    private readonly m: Manifest,
    readonly kind: Kind,
    /** A CiliumNetworkPolicy's namespace: its selectors are bound to it. */
    private readonly namespace: string | undefined,
    readonly display: string,
  ) {}

  err(sub: Path, message: string): void {
    this.ctx.diag(this.m, sub, message);
    this.errors.n++;
  }

  warn(sub: Path, message: string): void {
    this.ctx.diag(this.m, sub, `${this.display}: ${message}`, 'warn');
  }

  /** A Cilium selector: source prefixes removed; in a namespaced policy, bound to its namespace unless it names one. */
  selector(sub: Path, value: unknown, bind: boolean): LabelSelector | undefined {
    const sel = readLabelSelector(this.ctx, this.m, sub, value ?? {}, this.errors);
    if (!sel) return undefined;
    const out: LabelSelector = {};
    const reserved: string[] = [];
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
      if (k.startsWith('reserved:')) reserved.push(k);
      out.matchLabels = { ...out.matchLabels, [bareKey(k)]: v };
    }
    const exprs: LabelSelectorRequirement[] = (sel.matchExpressions ?? []).map((e) => ({ ...e, key: bareKey(e.key) }));
    for (const e of exprs) if (e.key.startsWith('reserved:')) reserved.push(e.key);
    if (exprs.length > 0) out.matchExpressions = exprs;
    if (reserved.length > 0) {
      this.warn(
        sub,
        `selector names Cilium's reserved identities (${reserved.join(', ')}), which are not pods: it selects no pod`,
      );
    }
    const keys = [...Object.keys(out.matchLabels ?? {}), ...exprs.map((e) => e.key)];
    if (bind && this.namespace !== undefined && !keys.includes(CILIUM_NAMESPACE_LABEL)) {
      out.matchLabels = { ...out.matchLabels, [CILIUM_NAMESPACE_LABEL]: this.namespace };
    }
    return out;
  }

  private cidrs(sub: Path, value: unknown, set: boolean): CiliumPeer[] {
    const list = arr(value);
    if (!list) {
      this.err(sub, `${sub[sub.length - 1]} must be a list`);
      return [];
    }
    const out: CiliumPeer[] = [];
    list.forEach((c, i) => {
      const at: Path = [...sub, i];
      const cidr = set ? get(c, 'cidr') : c;
      if (set && get(c, 'cidrGroupRef') !== undefined) {
        this.warn(
          [...at, 'cidrGroupRef'],
          'cidrGroupRef (a CiliumCIDRGroup) is read but not modelled: it matches nothing',
        );
        return;
      }
      if (typeof cidr !== 'string' || !isValidNet(cidr, false)) {
        this.err(set ? [...at, 'cidr'] : at, `${JSON.stringify(cidr)} is not a CIDR`);
        return;
      }
      const except: string[] = [];
      (arr(get(c, 'except')) ?? []).forEach((x, j) => {
        if (typeof x === 'string' && isValidNet(x, false)) except.push(x);
        else this.err([...at, 'except', j], `${JSON.stringify(x)} is not a CIDR`);
      });
      out.push({ cidr: except.length > 0 ? { cidr, except } : { cidr } });
    });
    return out;
  }

  /** The one L3 field of an element as peers; a field segscope cannot match is warned about and matches nothing. */
  private l3(sub: Path, field: string, value: unknown, deny: boolean): CiliumPeer[] {
    const at: Path = [...sub, field];
    const nothing = deny
      ? 'it matches nothing, so this deny is not applied (the cluster denies more)'
      : 'it matches nothing (the cluster may allow more)';
    switch (field) {
      case 'fromEndpoints':
      case 'toEndpoints':
        return (arr(value) ?? []).flatMap((s, i) => {
          const sel = this.selector([...at, i], s, true);
          return sel ? [{ endpoints: sel }] : [];
        });
      case 'fromNodes':
      case 'toNodes':
        return (arr(value) ?? []).flatMap((s, i) => {
          const sel = this.selector([...at, i], s, false);
          return sel ? [{ nodes: sel }] : [];
        });
      case 'fromEntities':
      case 'toEntities':
        return (arr(value) ?? []).flatMap((e, i): CiliumPeer[] => {
          if (typeof e !== 'string' || !(CILIUM_ENTITIES as readonly string[]).includes(e)) {
            this.err([...at, i], `entity ${JSON.stringify(e)} is not one of ${CILIUM_ENTITIES.join(', ')}`);
            return [];
          }
          if (UNMODELLED_ENTITIES.has(e as CiliumEntity))
            this.warn([...at, i], `entity ${e} is no workload segscope models: ${nothing}`);
          return [{ entity: e as CiliumEntity }];
        });
      case 'fromCIDR':
      case 'toCIDR':
        return this.cidrs(at, value, false);
      case 'fromCIDRSet':
      case 'toCIDRSet':
        return this.cidrs(at, value, true);
      case 'toFQDNs':
        this.warn(
          at,
          'toFQDNs is read and matched against the names of services outside the cluster; segscope resolves no DNS, so a name it does not hold matches nothing',
        );
        return (arr(value) ?? []).flatMap((f, i) => {
          const matchName = str(get(f, 'matchName'));
          const matchPattern = str(get(f, 'matchPattern'));
          if (matchName === undefined && matchPattern === undefined) {
            this.err([...at, i], 'an FQDN selector sets matchName or matchPattern');
            return [];
          }
          return [{ fqdn: matchName !== undefined ? { matchName } : { matchPattern: matchPattern as string } }];
        });
      default:
        this.warn(at, `${field} is read but not modelled: ${nothing}`);
        return [];
    }
  }

  /** One element of a section; undefined when it cannot be read (the policy is then skipped). */
  entry(base: Path, section: Section, index: number, raw: unknown): CiliumPolicyEntry | undefined {
    const at: Path = [...base, section, index];
    if (!isRecord(raw)) {
      this.err(at, `${section}[${index}] must be a map`);
      return undefined;
    }
    const deny = section.endsWith('Deny');
    const fields = L3_FIELDS[section.startsWith('ingress') ? 'from' : 'to'].filter(
      (f) => raw[f] !== undefined && raw[f] !== null && !(Array.isArray(raw[f]) && raw[f].length === 0),
    );
    if (fields.length > 1) {
      this.err(at, `combining ${fields.join(' and ')} in one rule is not supported (the Cilium agent refuses it)`);
      return undefined;
    }
    const known = new Set<string>([
      ...L3_FIELDS.from,
      ...L3_FIELDS.to,
      'toPorts',
      'icmps',
      'fromRequires',
      'toRequires',
      'authentication',
    ]);
    for (const k of Object.keys(raw))
      if (!known.has(k)) this.warn([...at, k], `${k} is not a field of a Cilium rule: ignored`);
    if (raw.authentication !== undefined)
      this.warn(
        [...at, 'authentication'],
        'authentication (mutual auth) is read but not modelled: the verdict assumes it succeeds',
      );
    for (const req of ['fromRequires', 'toRequires'])
      if (raw[req] !== undefined)
        this.warn(
          [...at, req],
          `${req} is read but not modelled: the verdict ignores the requirement (the cluster allows less)`,
        );
    const e: CiliumPolicyEntry = { section, index, source: this.m.source(at) };
    const field = fields[0];
    const l7: string[] = [];
    if (field) e.peers = this.l3(at, field, raw[field], deny);
    if (raw.toPorts !== undefined && raw.toPorts !== null) {
      const ports = readCiliumPorts(this, [...at, 'toPorts'], raw.toPorts, l7);
      if (ports) e.ports = ports;
    }
    if (raw.icmps !== undefined) {
      this.warn([...at, 'icmps'], 'ICMP is not modelled: icmps covers no TCP, UDP or SCTP port');
      if (raw.toPorts === undefined) e.ports = [];
    }
    // Without any L3 or L4 field the element selects no peer: `ingress: [{}]` isolates and allows nothing.
    if (!field && raw.toPorts === undefined && raw.icmps === undefined) e.peers = [];
    if (l7.length > 0) {
      e.l7 = l7;
      this.warn(
        [...at, 'toPorts'],
        `L7 rules (${l7.join(', ')}) are read but not modelled: the verdict assumes every request on ${e.ports ? 'these ports' : 'every port'} is one they allow (the cluster allows less)`,
      );
    }
    return e;
  }
}

const sectionOf = (
  r: CiliumReader,
  base: Path,
  spec: Record<string, unknown>,
  section: Section,
): CiliumPolicyEntry[] => {
  const value = spec[section];
  if (value === undefined || value === null) return [];
  const list = arr(value);
  if (!list) {
    r.err([...base, section], `${section} must be a list`);
    return [];
  }
  return list.flatMap((raw, i) => {
    const e = r.entry(base, section, i, raw);
    return e ? [e] : [];
  });
};

/** One rule (`spec` or an element of `specs`). */
const readRule = (
  r: CiliumReader,
  base: Path,
  spec: Record<string, unknown>,
  head: Omit<CiliumPolicyRule, 'ingress' | 'egress' | 'ingressDeny' | 'egressDeny' | 'defaultDeny'>,
): CiliumPolicyRule | undefined => {
  const out: CiliumPolicyRule = {
    ...head,
    ingress: sectionOf(r, base, spec, 'ingress'),
    egress: sectionOf(r, base, spec, 'egress'),
    ingressDeny: sectionOf(r, base, spec, 'ingressDeny'),
    egressDeny: sectionOf(r, base, spec, 'egressDeny'),
    defaultDeny: { ingress: false, egress: false },
  };
  const hasEndpoints = spec.endpointSelector !== undefined && spec.endpointSelector !== null;
  const hasNodes = spec.nodeSelector !== undefined && spec.nodeSelector !== null;
  if (hasEndpoints === hasNodes) {
    r.err(base, 'a rule sets exactly one of endpointSelector or nodeSelector');
    return undefined;
  }
  if (hasNodes) {
    if (r.kind === 'CiliumNetworkPolicy') {
      r.err([...base, 'nodeSelector'], 'nodeSelector is only allowed in a CiliumClusterwideNetworkPolicy');
      return undefined;
    }
    const sel = r.selector([...base, 'nodeSelector'], spec.nodeSelector, false);
    if (sel) out.nodeSelector = sel;
    r.warn(
      [...base, 'nodeSelector'],
      'a host policy (nodeSelector) selects nodes, not pods: kept, but segscope models no host endpoints, so no verdict uses it',
    );
  } else {
    const sel = r.selector([...base, 'endpointSelector'], spec.endpointSelector, true);
    if (sel) out.endpointSelector = sel;
  }
  const dd = rec(spec.enableDefaultDeny);
  for (const dir of ['ingress', 'egress'] as const) {
    const has = out[dir].length > 0 || out[dir === 'ingress' ? 'ingressDeny' : 'egressDeny'].length > 0;
    const flag = dd?.[dir];
    if (flag !== undefined && typeof flag !== 'boolean')
      r.err([...base, 'enableDefaultDeny', dir], `enableDefaultDeny.${dir} must be true or false`);
    // "If not specified, the default is true for each traffic direction that has rules" (the v2 API reference).
    out.defaultDeny[dir] = has && flag !== false;
  }
  return out;
};

/** One object's rules (`spec` and each of `specs`); none, with located errors, when the agent would refuse it. */
export const readCiliumPolicy = (ctx: K8sRead, m: Manifest): CiliumPolicyRule[] => {
  const kind = m.kind as Kind;
  const { name } = meta(m);
  if (!name) {
    ctx.diag(m, ['metadata'], `${kind} without metadata.name; skipped`);
    return [];
  }
  const clusterwide = kind === 'CiliumClusterwideNetworkPolicy';
  if (clusterwide && meta(m).namespace !== undefined)
    ctx.diag(m, ['metadata', 'namespace'], `${kind} is cluster-scoped: metadata.namespace is ignored`, 'warn');
  const namespace = clusterwide ? undefined : (meta(m).namespace ?? 'default');
  if (namespace !== undefined) ctx.ns(namespace);
  const display = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  const r = new CiliumReader(ctx, m, kind, namespace, display);
  const parts: { base: Path; spec: Record<string, unknown>; part?: number }[] = [];
  const spec = rec(m.value.spec);
  if (spec) parts.push({ base: ['spec'], spec });
  (arr(m.value.specs) ?? []).forEach((s, i) => {
    const one = rec(s);
    if (one) parts.push({ base: ['specs', i], spec: one, part: i });
    else r.err(['specs', i], 'a rule must be a map');
  });
  if (parts.length === 0) {
    ctx.diag(m, ['spec'], `${display} has neither spec nor specs; skipped`);
    return [];
  }
  const id = `k8s:${clusterwide ? 'ccnp' : 'cnp'}/${namespace ? `${namespace}/` : ''}${name}`;
  const rules = parts.flatMap(({ base, spec: s, part }) => {
    const head = {
      id: part === undefined ? id : `${id}#${part}`,
      type: 'cilium-network-policy' as const,
      level: 'policy' as const,
      kind,
      name,
      source: m.source(base),
      ...(namespace !== undefined ? { namespace } : {}),
      ...(part !== undefined ? { part } : {}),
    };
    const rule = readRule(r, base, s, head);
    return rule ? [rule] : [];
  });
  if (r.errors.n > 0) {
    ctx.diag(m, [], `${display} is skipped: the Cilium agent would not import it (see the errors above)`);
    return [];
  }
  return rules;
};
