// NetworkPolicy objects → rules kept in the API's own terms, validated as the API server would.

import { arr, get, isRecord, type Manifest, type Path, rec, str } from '../../import/manifests';
import { cidrInside, isValidNet } from '../../model/cidr';
import type {
  K8sNetworkPolicyRule,
  LabelSelector,
  LabelSelectorRequirement,
  PolicyPeer,
  PolicyPort,
  PolicyRuleEntry,
  Protocol,
} from '../../model/types';
import { type K8sRead, PROTOCOLS } from './context';
import { networkPolicyId } from './conventions';

export const readLabelSelector = (
  ctx: K8sRead,
  m: Manifest,
  sub: Path,
  value: unknown,
  errors: { n: number },
): LabelSelector | undefined => {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    ctx.diag(m, sub, `a label selector must be a map`);
    errors.n++;
    return undefined;
  }
  const out: LabelSelector = {};
  if (value.matchLabels !== undefined && value.matchLabels !== null) {
    const ml = ctx.labels(m, [...sub, 'matchLabels'], value.matchLabels);
    if (!isRecord(value.matchLabels)) errors.n++;
    if (Object.keys(ml).length > 0) out.matchLabels = ml;
  }
  if (value.matchExpressions !== undefined && value.matchExpressions !== null) {
    const list = arr(value.matchExpressions);
    if (!list) {
      ctx.diag(m, [...sub, 'matchExpressions'], `matchExpressions must be a list`);
      errors.n++;
    } else {
      const exprs: LabelSelectorRequirement[] = [];
      list.forEach((e, i) => {
        const at: Path = [...sub, 'matchExpressions', i];
        const key = str(get(e, 'key'));
        const op = get(e, 'operator');
        const values = arr(get(e, 'values'));
        if (!key) {
          ctx.diag(m, at, `matchExpressions[${i}] has no key`);
          errors.n++;
          return;
        }
        if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') {
          ctx.diag(m, [...at, 'operator'], `operator ${JSON.stringify(op)} is not In, NotIn, Exists or DoesNotExist`);
          errors.n++;
          return;
        }
        const strs = (values ?? []).map((v) =>
          typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined,
        );
        if (strs.some((v) => v === undefined)) {
          ctx.diag(m, [...at, 'values'], `values must be strings`);
          errors.n++;
          return;
        }
        if ((op === 'In' || op === 'NotIn') && strs.length === 0) {
          ctx.diag(m, [...at, 'values'], `operator ${op} needs at least one value`);
          errors.n++;
          return;
        }
        if ((op === 'Exists' || op === 'DoesNotExist') && strs.length > 0) {
          ctx.diag(m, [...at, 'values'], `operator ${op} takes no values`);
          errors.n++;
          return;
        }
        exprs.push({ key, operator: op, ...(op === 'In' || op === 'NotIn' ? { values: strs as string[] } : {}) });
      });
      if (exprs.length > 0) out.matchExpressions = exprs;
    }
  }
  return out;
};

export const readPolicyPorts = (
  ctx: K8sRead,
  m: Manifest,
  sub: Path,
  value: unknown,
  errors: { n: number },
): PolicyPort[] | undefined => {
  if (value === undefined || value === null) return undefined;
  const list = arr(value);
  if (!list) {
    ctx.diag(m, sub, `ports must be a list`);
    errors.n++;
    return undefined;
  }
  const out: PolicyPort[] = [];
  list.forEach((raw, i) => {
    const at: Path = [...sub, i];
    if (!isRecord(raw)) {
      ctx.diag(m, at, `a port entry must be a map`);
      errors.n++;
      return;
    }
    const proto = raw.protocol ?? 'TCP';
    if (!PROTOCOLS.includes(proto as Protocol)) {
      ctx.diag(m, [...at, 'protocol'], `protocol ${JSON.stringify(proto)} is not TCP, UDP or SCTP`);
      errors.n++;
      return;
    }
    const p: PolicyPort = { protocol: proto as Protocol };
    let port = raw.port;
    if (typeof port === 'string' && /^\d+$/.test(port)) {
      ctx.diag(m, [...at, 'port'], `port "${port}" is a string; read as the number ${port}`, 'warn');
      port = Number(port);
    }
    if (port !== undefined && port !== null) {
      if (typeof port === 'number') {
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
          ctx.diag(m, [...at, 'port'], `port ${port} is not between 1 and 65535`);
          errors.n++;
          return;
        }
      } else if (
        typeof port !== 'string' ||
        !/^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(port) ||
        port.length > 15
      ) {
        ctx.diag(m, [...at, 'port'], `port ${JSON.stringify(port)} is neither a number nor a valid port name`);
        errors.n++;
        return;
      }
      p.port = port;
    }
    if (raw.endPort !== undefined && raw.endPort !== null) {
      const end = raw.endPort;
      if (typeof p.port !== 'number') {
        ctx.diag(m, [...at, 'endPort'], `endPort needs a numeric port`);
        errors.n++;
        return;
      }
      if (typeof end !== 'number' || !Number.isInteger(end) || end < p.port || end > 65535) {
        ctx.diag(m, [...at, 'endPort'], `endPort ${JSON.stringify(end)} must be a port number ≥ port ${p.port}`);
        errors.n++;
        return;
      }
      p.endPort = end;
    }
    out.push(p);
  });
  return out;
};

export const readPeers = (
  ctx: K8sRead,
  m: Manifest,
  sub: Path,
  value: unknown,
  errors: { n: number },
): PolicyPeer[] | undefined => {
  if (value === undefined || value === null) return undefined;
  const list = arr(value);
  if (!list) {
    ctx.diag(m, sub, `peers must be a list`);
    errors.n++;
    return undefined;
  }
  const out: PolicyPeer[] = [];
  list.forEach((raw, i) => {
    const at: Path = [...sub, i];
    if (!isRecord(raw)) {
      ctx.diag(m, at, `a peer must be a map`);
      errors.n++;
      return;
    }
    const peer: PolicyPeer = {};
    const pod = readLabelSelector(ctx, m, [...at, 'podSelector'], raw.podSelector, errors);
    if (pod) peer.podSelector = pod;
    const ns = readLabelSelector(ctx, m, [...at, 'namespaceSelector'], raw.namespaceSelector, errors);
    if (ns) peer.namespaceSelector = ns;
    if (raw.ipBlock !== undefined && raw.ipBlock !== null) {
      const cidr = str(get(raw.ipBlock, 'cidr'));
      if (!cidr || !isValidNet(cidr, false)) {
        ctx.diag(
          m,
          [...at, 'ipBlock', 'cidr'],
          `ipBlock.cidr ${JSON.stringify(get(raw.ipBlock, 'cidr'))} is not a CIDR`,
        );
        errors.n++;
        return;
      }
      const except: string[] = [];
      (arr(get(raw.ipBlock, 'except')) ?? []).forEach((e, j) => {
        if (typeof e !== 'string' || !isValidNet(e, false) || !cidrInside(e, cidr)) {
          ctx.diag(
            m,
            [...at, 'ipBlock', 'except', j],
            `ipBlock.except ${JSON.stringify(e)} is not a CIDR inside ${cidr}`,
          );
          errors.n++;
          return;
        }
        except.push(e);
      });
      peer.ipBlock = { cidr, ...(except.length > 0 ? { except } : {}) };
      if (pod || ns) {
        ctx.diag(m, at, `a peer with ipBlock cannot also have podSelector or namespaceSelector`);
        errors.n++;
        return;
      }
    }
    if (!peer.podSelector && !peer.namespaceSelector && !peer.ipBlock) {
      ctx.diag(m, at, `a peer needs podSelector, namespaceSelector or ipBlock`);
      errors.n++;
      return;
    }
    out.push(peer);
  });
  return out;
};

/** `spec.ingress` or `spec.egress`: each rule's peers and ports (an empty peer list means all peers). */
const readEntries = (
  ctx: K8sRead,
  m: Manifest,
  spec: Record<string, unknown> | undefined,
  dir: 'ingress' | 'egress',
  errors: { n: number },
): PolicyRuleEntry[] | undefined => {
  const v = spec?.[dir];
  if (v === undefined || v === null) return undefined;
  const list = arr(v);
  if (!list) {
    ctx.diag(m, ['spec', dir], `${dir} must be a list`);
    errors.n++;
    return undefined;
  }
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  return list.map((raw, i) => {
    const e: PolicyRuleEntry = {};
    if (raw !== null && !isRecord(raw)) {
      ctx.diag(m, ['spec', dir, i], `${dir} rule ${i + 1} must be a map`);
      errors.n++;
      return e;
    }
    const peers = readPeers(ctx, m, ['spec', dir, i, peersKey], get(raw, peersKey), errors);
    // An empty `from`/`to` means all peers, exactly like an absent one.
    if (peers && peers.length > 0) e.peers = peers;
    const ports = readPolicyPorts(ctx, m, ['spec', dir, i, 'ports'], get(raw, 'ports'), errors);
    if (ports && ports.length > 0) e.ports = ports;
    return e;
  });
};

/** `spec.policyTypes`, defaulted as the API server does: Ingress always, Egress when there are egress rules. */
const readPolicyTypes = (
  ctx: K8sRead,
  m: Manifest,
  spec: Record<string, unknown> | undefined,
  egress: PolicyRuleEntry[] | undefined,
  errors: { n: number },
): ('Ingress' | 'Egress')[] => {
  let policyTypes: ('Ingress' | 'Egress')[] = [];
  const rawTypes = arr(spec?.policyTypes);
  if (spec?.policyTypes !== undefined && spec.policyTypes !== null && !rawTypes) {
    ctx.diag(m, ['spec', 'policyTypes'], `policyTypes must be a list`);
    errors.n++;
  }
  (rawTypes ?? []).forEach((t, i) => {
    if (t === 'Ingress' || t === 'Egress') {
      if (!policyTypes.includes(t)) policyTypes.push(t);
    } else {
      ctx.diag(m, ['spec', 'policyTypes', i], `policyType ${JSON.stringify(t)} is not Ingress or Egress`);
      errors.n++;
    }
  });
  if (policyTypes.length === 0) policyTypes = (egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  return policyTypes;
};

export const readNetworkPolicy = (
  ctx: K8sRead,
  m: Manifest,
  name: string,
  namespace: string,
): K8sNetworkPolicyRule | undefined => {
  const errors = { n: 0 };
  const spec = rec(m.value.spec);
  if (!spec) {
    ctx.diag(
      m,
      [],
      `NetworkPolicy ${namespace}/${name} has no spec: it selects every pod of namespace ${namespace} and denies their ingress`,
      'warn',
    );
  }
  const podSelector = readLabelSelector(ctx, m, ['spec', 'podSelector'], spec?.podSelector, errors) ?? {};
  const ingress = readEntries(ctx, m, spec, 'ingress', errors);
  const egress = readEntries(ctx, m, spec, 'egress', errors);
  const policyTypes = readPolicyTypes(ctx, m, spec, egress, errors);
  if (errors.n > 0) {
    ctx.diag(
      m,
      [],
      `NetworkPolicy ${namespace}/${name} skipped because of the errors above (the API server would reject it)`,
    );
    return undefined;
  }
  return {
    id: networkPolicyId(namespace, name),
    type: 'k8s-network-policy',
    level: 'policy',
    name,
    namespace,
    podSelector,
    policyTypes,
    ...(ingress ? { ingress } : {}),
    ...(egress ? { egress } : {}),
    source: m.source(),
  };
};

export const readPolicies = (ctx: K8sRead): void => {
  const seen = new Set<string>();
  for (const { rule, m } of ctx.policies) {
    if (seen.has(rule.id)) {
      ctx.diag(
        m,
        ['metadata', 'name'],
        `duplicate NetworkPolicy ${rule.namespace}/${rule.name}; the later one is skipped`,
        'warn',
      );
      continue;
    }
    seen.add(rule.id);
    ctx.fragment.rules.push(rule);
  }
};
