// AdminNetworkPolicy, BaselineAdminNetworkPolicy (v1alpha1) and ClusterNetworkPolicy (v1alpha2) → admin policy rules, validated as the API server would.

import { arr, get, isRecord, type Manifest, meta, optionalList, type Path, rec, str } from '../../import/manifests';
import { isValidNet } from '../../model/cidr';
import type {
  AdminNetworkPolicyRule,
  AdminPodsSelector,
  AdminPolicyAction,
  AdminPolicyPeer,
  AdminPolicyPort,
  AdminPolicyRuleEntry,
  AdminPolicySubject,
  LabelSelector,
  Protocol,
} from '../../model/types';
import type { K8sRead } from './context';
import { readLabelSelector } from './network-policy';

export const ADMIN_POLICY_GROUP = 'policy.networking.k8s.io/';
export const ADMIN_POLICY_KINDS = ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'];

type Kind = AdminNetworkPolicyRule['kind'];
const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export const isAdminPolicy = (m: Manifest): boolean =>
  m.apiVersion.startsWith(ADMIN_POLICY_GROUP) && ADMIN_POLICY_KINDS.includes(m.kind);

class AdminReader {
  readonly errors = { n: 0 };
  constructor(
    private readonly ctx: K8sRead,
    private readonly m: Manifest,
    private readonly kind: Kind,
    private readonly v2: boolean,
  ) {}

  err(sub: Path, message: string): void {
    this.ctx.diag(this.m, sub, message);
    this.errors.n++;
  }

  warn(sub: Path, message: string): void {
    this.ctx.diag(this.m, sub, message, 'warn');
  }

  private selector(sub: Path, value: unknown): LabelSelector | undefined {
    return readLabelSelector(this.ctx, this.m, sub, value, this.errors) ?? (value === undefined ? undefined : {});
  }

  private pods(sub: Path, value: unknown): AdminPodsSelector | undefined {
    if (!isRecord(value)) {
      this.err(sub, 'pods must be a map with namespaceSelector and podSelector');
      return undefined;
    }
    // An absent podSelector selects every pod, like an absent namespaceSelector: the API's own conformance
    // manifests write `pods: {namespaceSelector: …}` alone.
    return {
      namespaceSelector: this.selector([...sub, 'namespaceSelector'], value.namespaceSelector ?? {}) ?? {},
      podSelector: this.selector([...sub, 'podSelector'], value.podSelector ?? {}) ?? {},
    };
  }

  subject(value: unknown): AdminPolicySubject | undefined {
    const sub: Path = ['spec', 'subject'];
    const keys = isRecord(value) ? Object.keys(value).filter((k) => value[k] !== undefined && value[k] !== null) : [];
    if (keys.length !== 1 || !['namespaces', 'pods'].includes(keys[0] as string)) {
      this.err(sub, 'subject must set exactly one of namespaces or pods');
      return undefined;
    }
    if (keys[0] === 'namespaces')
      return { namespaces: this.selector([...sub, 'namespaces'], get(value, 'namespaces')) ?? {} };
    const pods = this.pods([...sub, 'pods'], get(value, 'pods'));
    return pods ? { pods } : undefined;
  }

  action(sub: Path, value: unknown): AdminPolicyAction | undefined {
    const allowed =
      this.kind === 'BaselineAdminNetworkPolicy'
        ? ['Allow', 'Deny']
        : this.v2
          ? ['Accept', 'Deny', 'Pass']
          : ['Allow', 'Deny', 'Pass'];
    if (typeof value !== 'string' || !allowed.includes(value)) {
      this.err(sub, `action ${JSON.stringify(value)} is not ${allowed.join(', ')}`);
      return undefined;
    }
    return value === 'Accept' ? 'Allow' : (value as AdminPolicyAction);
  }

  tier: 'admin' | 'baseline' = 'admin';

  /** One peer: exactly one field; `networks` and `nodes` only on egress; `domainNames` read but not modelled. */
  peer(
    sub: Path,
    value: unknown,
    dir: 'ingress' | 'egress',
    action: AdminPolicyAction | undefined,
  ): AdminPolicyPeer | undefined {
    if (!isRecord(value)) {
      this.err(sub, 'a peer must be a map');
      return undefined;
    }
    const keys = Object.keys(value).filter((k) => value[k] !== undefined && value[k] !== null);
    const known =
      dir === 'ingress' ? ['namespaces', 'pods'] : ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'];
    if (keys.length !== 1 || !known.includes(keys[0] as string)) {
      // The API's "fail closed" for a peer of an unknown shape: Allow matches nothing, Deny and Pass everything.
      this.warn(
        sub,
        `peer sets ${keys.join(', ') || 'nothing'}: exactly one of ${known.join(', ')} is expected; read as the API says to fail closed (${action === 'Allow' ? 'matching nothing' : 'matching every address'})`,
      );
      return action === 'Allow' ? undefined : { networks: ['0.0.0.0/0', '::/0'] };
    }
    const key = keys[0] as string;
    const at: Path = [...sub, key];
    if (key === 'namespaces') return { namespaces: this.selector(at, value.namespaces) ?? {} };
    if (key === 'pods') {
      const pods = this.pods(at, value.pods);
      return pods ? { pods } : undefined;
    }
    if (key === 'nodes') return { nodes: this.selector(at, value.nodes) ?? {} };
    if (key === 'domainNames') {
      this.warn(
        at,
        'domainNames peers are read but not modelled (segscope has no DNS names for addresses): this peer matches nothing',
      );
      return undefined;
    }
    const list = arr(value.networks);
    if (!list || list.length === 0) {
      this.err(at, 'networks must be a non-empty list of CIDRs');
      return undefined;
    }
    const nets: string[] = [];
    list.forEach((c, i) => {
      if (typeof c === 'string' && isValidNet(c, false)) nets.push(c);
      else this.err([...at, i], `${JSON.stringify(c)} is not a CIDR`);
    });
    return { networks: nets };
  }

  private portNumber(sub: Path, v: unknown): number | undefined {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535) return v;
    this.err(sub, `port ${JSON.stringify(v)} is not a number from 1 to 65535`);
    return undefined;
  }

  private protocol(sub: Path, v: unknown): Protocol | undefined {
    const p = v === undefined ? 'TCP' : v;
    if (typeof p === 'string' && PROTOCOLS.includes(p as Protocol)) return p as Protocol;
    this.err(sub, `protocol ${JSON.stringify(v)} is not TCP, UDP or SCTP`);
    return undefined;
  }

  /** v1alpha1 `ports`: portNumber {protocol, port}, portRange {protocol, start, end}, namedPort. */
  portsV1(sub: Path, value: unknown): AdminPolicyPort[] | undefined {
    const list = optionalList(value, () => this.err(sub, 'ports must be a list'));
    if (!list) return undefined;
    const out: AdminPolicyPort[] = [];
    list.forEach((p, i) => {
      const at: Path = [...sub, i];
      const keys = isRecord(p) ? Object.keys(p) : [];
      if (keys.length !== 1) {
        this.err(at, 'a port sets exactly one of portNumber, portRange or namedPort');
        return;
      }
      const named = str(get(p, 'namedPort'));
      if (named !== undefined) {
        out.push({ namedPort: named });
        return;
      }
      const num = rec(get(p, 'portNumber'));
      if (num) {
        const protocol = this.protocol([...at, 'portNumber', 'protocol'], num.protocol);
        const port = this.portNumber([...at, 'portNumber', 'port'], num.port);
        if (protocol && port !== undefined) out.push({ protocol, port });
        return;
      }
      const range = rec(get(p, 'portRange'));
      if (range)
        this.range([...at, 'portRange'], range, this.protocol([...at, 'portRange', 'protocol'], range.protocol), out);
      else this.err(at, 'a port sets exactly one of portNumber, portRange or namedPort');
    });
    return out;
  }

  private range(sub: Path, r: Record<string, unknown>, protocol: Protocol | undefined, out: AdminPolicyPort[]): void {
    const start = this.portNumber([...sub, 'start'], r.start);
    const end = this.portNumber([...sub, 'end'], r.end);
    if (start === undefined || end === undefined || !protocol) return;
    if (start > end) {
      this.err(sub, `port range ${start}-${end}: start is above end`);
      return;
    }
    out.push({ protocol, port: start, endPort: end });
  }

  /** v1alpha2 `protocols`: {tcp|udp|sctp: {destinationPort: {number} | {range: {start, end}}}} or destinationNamedPort. */
  protocolsV2(sub: Path, value: unknown): AdminPolicyPort[] | undefined {
    const list = optionalList(value, () => this.err(sub, 'protocols must be a list'));
    if (!list) return undefined;
    const out: AdminPolicyPort[] = [];
    list.forEach((p, i) => {
      const at: Path = [...sub, i];
      const named = str(get(p, 'destinationNamedPort'));
      if (named !== undefined) {
        out.push({ namedPort: named });
        return;
      }
      const key = ['tcp', 'udp', 'sctp'].find((k) => isRecord(get(p, k)));
      if (!key) {
        this.err(at, 'a protocol sets exactly one of tcp, udp, sctp or destinationNamedPort');
        return;
      }
      const protocol = key.toUpperCase() as Protocol;
      const dp = rec(get(p, key, 'destinationPort'));
      if (!dp) {
        out.push({ protocol });
        return;
      }
      const dAt: Path = [...at, key, 'destinationPort'];
      if (dp.number !== undefined) {
        const port = this.portNumber([...dAt, 'number'], dp.number);
        if (port !== undefined) out.push({ protocol, port });
      } else if (isRecord(dp.range)) this.range([...dAt, 'range'], dp.range, protocol, out);
      else this.err(dAt, 'destinationPort sets number or range');
    });
    return out;
  }

  rules(dir: 'ingress' | 'egress', value: unknown): AdminPolicyRuleEntry[] {
    if (value === undefined || value === null) return [];
    const list = arr(value);
    if (!list) {
      this.err(['spec', dir], `${dir} must be a list`);
      return [];
    }
    const peersKey = dir === 'ingress' ? 'from' : 'to';
    const out: AdminPolicyRuleEntry[] = [];
    list.forEach((raw, i) => {
      const at: Path = ['spec', dir, i];
      if (!isRecord(raw)) {
        this.err(at, `${dir} rule ${i + 1} must be a map`);
        return;
      }
      const action = this.action([...at, 'action'], raw.action);
      const rawPeers = arr(raw[peersKey]);
      if (!rawPeers || rawPeers.length === 0) {
        this.err([...at, peersKey], `${dir} rule ${i + 1} needs at least one peer in ${peersKey}`);
        return;
      }
      const peers = rawPeers
        .map((p, j) => this.peer([...at, peersKey, j], p, dir, action))
        .filter((p): p is AdminPolicyPeer => p !== undefined);
      const ports = this.v2
        ? this.protocolsV2([...at, 'protocols'], raw.protocols)
        : this.portsV1([...at, 'ports'], raw.ports);
      if (!action) return;
      const e: AdminPolicyRuleEntry = { action, peers, source: this.m.source(at) };
      const name = str(raw.name);
      if (name) e.name = name;
      if (ports) e.ports = ports;
      out.push(e);
    });
    return out;
  }
}

/** One policy; undefined (with located errors) when the API server would reject it. */
export const readAdminPolicy = (ctx: K8sRead, m: Manifest): AdminNetworkPolicyRule | undefined => {
  const kind = m.kind as Kind;
  const v2 = kind === 'ClusterNetworkPolicy';
  const r = new AdminReader(ctx, m, kind, v2);
  const name = meta(m).name;
  if (!name) {
    ctx.diag(m, ['metadata'], `${kind} without metadata.name; skipped`);
    return undefined;
  }
  if (meta(m).namespace !== undefined)
    ctx.diag(m, ['metadata', 'namespace'], `${kind} is cluster-scoped: metadata.namespace is ignored`, 'warn');
  const spec = rec(m.value.spec);
  if (!spec) {
    ctx.diag(m, ['spec'], `${kind} ${name} has no spec; skipped`);
    return undefined;
  }
  if (v2) {
    const tier = spec.tier;
    if (tier !== 'Admin' && tier !== 'Baseline')
      r.err(['spec', 'tier'], `tier ${JSON.stringify(tier)} is not Admin or Baseline`);
    r.tier = tier === 'Baseline' ? 'baseline' : 'admin';
  } else r.tier = kind === 'BaselineAdminNetworkPolicy' ? 'baseline' : 'admin';
  if (kind === 'BaselineAdminNetworkPolicy' && name !== 'default') {
    r.warn(
      ['metadata', 'name'],
      `the API admits one BaselineAdminNetworkPolicy, named "default"; "${name}" is read as if it were`,
    );
  }
  let priority = 0;
  if (kind !== 'BaselineAdminNetworkPolicy') {
    const p = spec.priority;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 1000) {
      r.err(['spec', 'priority'], `priority ${JSON.stringify(p)} is not an integer from 0 to 1000`);
    } else priority = p;
  }
  const subject = r.subject(spec.subject);
  const ingress = r.rules('ingress', spec.ingress);
  const egress = r.rules('egress', spec.egress);
  if (r.errors.n > 0 || !subject) {
    ctx.diag(m, [], `${kind} ${name} skipped because of the errors above (the API server would reject it)`);
    return undefined;
  }
  return {
    id: `k8s:${kind === 'AdminNetworkPolicy' ? 'anp' : kind === 'BaselineAdminNetworkPolicy' ? 'banp' : 'cnp'}/${name}`,
    type: 'admin-network-policy',
    level: 'policy',
    kind,
    tier: r.tier,
    name,
    priority,
    subject,
    ingress,
    egress,
    source: m.source(),
  };
};

/**
 * Checks across policies: duplicate names, equal priorities in one tier (the API leaves their order to the
 * implementation; segscope evaluates them by name), more than one baseline.
 */
export const checkAdminPolicies = (
  ctx: K8sRead,
  read: { rule: AdminNetworkPolicyRule; m: Manifest }[],
): AdminNetworkPolicyRule[] => {
  const out: AdminNetworkPolicyRule[] = [];
  const ids = new Set<string>();
  const byPriority = new Map<string, string>();
  for (const { rule, m } of read) {
    if (ids.has(rule.id)) {
      ctx.diag(m, ['metadata', 'name'], `duplicate ${rule.kind} ${rule.name}; the later one is skipped`, 'warn');
      continue;
    }
    ids.add(rule.id);
    out.push(rule);
    if (rule.kind === 'BaselineAdminNetworkPolicy') continue;
    const key = `${rule.tier}:${rule.priority}`;
    const other = byPriority.get(key);
    if (other !== undefined) {
      ctx.diag(
        m,
        ['spec', 'priority'],
        `${rule.kind} ${rule.name} has the same priority (${rule.priority}) as ${other}: the API lets an implementation apply either where both match; segscope evaluates equal priorities by name`,
        'warn',
      );
    } else byPriority.set(key, rule.name);
  }
  const baselines = out.filter((r) => r.kind === 'BaselineAdminNetworkPolicy');
  if (baselines.length > 1) {
    const later = read.find((x) => x.rule === baselines[1]);
    if (later)
      ctx.diag(
        later.m,
        ['metadata', 'name'],
        'more than one BaselineAdminNetworkPolicy: the API admits one (named "default"); all are evaluated, by name',
        'warn',
      );
  }
  return out;
};
