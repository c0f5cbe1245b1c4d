// NetworkPolicy objects → rules kept in the API's own terms, validated as the API server would.

import { arr, get, isRecord, type Manifest, optionalList, type Path, rec, str } from '../../import/manifests';
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

/** One object being read; `fail` says an error the API server would reject it for where it stands, and counts it. */
interface PolicyRead {
  ctx: K8sRead;
  m: Manifest;
  errors: { n: number };
  fail(at: Path, message: string): void;
}

const policyRead = (ctx: K8sRead, m: Manifest, errors: { n: number }): PolicyRead => ({
  ctx,
  m,
  errors,
  fail: (at, message) => {
    ctx.diag(m, at, message);
    errors.n++;
  },
});

export const readLabelSelector = (
  ctx: K8sRead,
  m: Manifest,
  sub: Path,
  value: unknown,
  errors: { n: number },
): LabelSelector | undefined => {
  const { fail } = policyRead(ctx, m, errors);
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    fail(sub, `a label selector must be a map`);
    return undefined;
  }
  const out: LabelSelector = {};
  if (value.matchLabels !== undefined && value.matchLabels !== null) {
    const ml = ctx.labels(m, [...sub, 'matchLabels'], value.matchLabels);
    if (!isRecord(value.matchLabels)) errors.n++;
    if (Object.keys(ml).length > 0) out.matchLabels = ml;
  }
  const list = optionalList(value.matchExpressions, () =>
    fail([...sub, 'matchExpressions'], `matchExpressions must be a list`),
  );
  if (list) {
    const exprs: LabelSelectorRequirement[] = [];
    list.forEach((e, i) => {
      const at: Path = [...sub, 'matchExpressions', i];
      const key = str(get(e, 'key'));
      const op = get(e, 'operator');
      const values = arr(get(e, 'values'));
      if (!key) {
        fail(at, `matchExpressions[${i}] has no key`);
        return;
      }
      if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') {
        fail([...at, 'operator'], `operator ${JSON.stringify(op)} is not In, NotIn, Exists or DoesNotExist`);
        return;
      }
      const strs = (values ?? []).map((v) =>
        typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined,
      );
      if (strs.some((v) => v === undefined)) {
        fail([...at, 'values'], `values must be strings`);
        return;
      }
      if ((op === 'In' || op === 'NotIn') && strs.length === 0) {
        fail([...at, 'values'], `operator ${op} needs at least one value`);
        return;
      }
      if ((op === 'Exists' || op === 'DoesNotExist') && strs.length > 0) {
        fail([...at, 'values'], `operator ${op} takes no values`);
        return;
      }
      exprs.push({ key, operator: op, ...(op === 'In' || op === 'NotIn' ? { values: strs as string[] } : {}) });
    });
    if (exprs.length > 0) out.matchExpressions = exprs;
  }
  return out;
};

const readPolicyPorts = (r: PolicyRead, sub: Path, value: unknown): PolicyPort[] | undefined => {
  const { ctx, m, fail } = r;
  const list = optionalList(value, () => fail(sub, `ports must be a list`));
  if (!list) return undefined;
  const out: PolicyPort[] = [];
  list.forEach((raw, i) => {
    const at: Path = [...sub, i];
    if (!isRecord(raw)) {
      fail(at, `a port entry must be a map`);
      return;
    }
    const proto = raw.protocol ?? 'TCP';
    if (!PROTOCOLS.includes(proto as Protocol)) {
      fail([...at, 'protocol'], `protocol ${JSON.stringify(proto)} is not TCP, UDP or SCTP`);
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
          fail([...at, 'port'], `port ${port} is not between 1 and 65535`);
          return;
        }
      } else if (
        typeof port !== 'string' ||
        !/^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(port) ||
        port.length > 15
      ) {
        fail([...at, 'port'], `port ${JSON.stringify(port)} is neither a number nor a valid port name`);
        return;
      }
      p.port = port;
    }
    if (raw.endPort !== undefined && raw.endPort !== null) {
      const end = raw.endPort;
      if (typeof p.port !== 'number') {
        fail([...at, 'endPort'], `endPort needs a numeric port`);
        return;
      }
      if (typeof end !== 'number' || !Number.isInteger(end) || end < p.port || end > 65535) {
        fail([...at, 'endPort'], `endPort ${JSON.stringify(end)} must be a port number ≥ port ${p.port}`);
        return;
      }
      p.endPort = end;
    }
    out.push(p);
  });
  return out;
};

const readPeers = (r: PolicyRead, sub: Path, value: unknown): PolicyPeer[] | undefined => {
  const { ctx, m, errors, fail } = r;
  const list = optionalList(value, () => fail(sub, `peers must be a list`));
  if (!list) return undefined;
  const out: PolicyPeer[] = [];
  list.forEach((raw, i) => {
    const at: Path = [...sub, i];
    if (!isRecord(raw)) {
      fail(at, `a peer must be a map`);
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
        fail([...at, 'ipBlock', 'cidr'], `ipBlock.cidr ${JSON.stringify(get(raw.ipBlock, 'cidr'))} is not a CIDR`);
        return;
      }
      const except: string[] = [];
      (arr(get(raw.ipBlock, 'except')) ?? []).forEach((e, j) => {
        if (typeof e !== 'string' || !isValidNet(e, false) || !cidrInside(e, cidr)) {
          fail([...at, 'ipBlock', 'except', j], `ipBlock.except ${JSON.stringify(e)} is not a CIDR inside ${cidr}`);
          return;
        }
        except.push(e);
      });
      peer.ipBlock = { cidr, ...(except.length > 0 ? { except } : {}) };
      if (pod || ns) {
        fail(at, `a peer with ipBlock cannot also have podSelector or namespaceSelector`);
        return;
      }
    }
    if (!peer.podSelector && !peer.namespaceSelector && !peer.ipBlock) {
      fail(at, `a peer needs podSelector, namespaceSelector or ipBlock`);
      return;
    }
    out.push(peer);
  });
  return out;
};

/** `spec.ingress` or `spec.egress`: each rule's peers and ports (an empty peer list means all peers). */
const readEntries = (
  r: PolicyRead,
  spec: Record<string, unknown> | undefined,
  dir: 'ingress' | 'egress',
): PolicyRuleEntry[] | undefined => {
  const { fail } = r;
  const v = spec?.[dir];
  const list = optionalList(v, () => fail(['spec', dir], `${dir} must be a list`));
  if (!list) return undefined;
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  return list.map((raw, i) => {
    const e: PolicyRuleEntry = {};
    if (raw !== null && !isRecord(raw)) {
      fail(['spec', dir, i], `${dir} rule ${i + 1} must be a map`);
      return e;
    }
    const peers = readPeers(r, ['spec', dir, i, peersKey], get(raw, peersKey));
    // An empty `from`/`to` means all peers, exactly like an absent one.
    if (peers && peers.length > 0) e.peers = peers;
    const ports = readPolicyPorts(r, ['spec', dir, i, 'ports'], get(raw, 'ports'));
    if (ports && ports.length > 0) e.ports = ports;
    return e;
  });
};

/** `spec.policyTypes`, defaulted as the API server does: Ingress always, Egress when there are egress rules. */
const readPolicyTypes = (
  r: PolicyRead,
  spec: Record<string, unknown> | undefined,
  egress: PolicyRuleEntry[] | undefined,
): ('Ingress' | 'Egress')[] => {
  const { fail } = r;
  let policyTypes: ('Ingress' | 'Egress')[] = [];
  const rawTypes = optionalList(spec?.policyTypes, () => fail(['spec', 'policyTypes'], `policyTypes must be a list`));
  (rawTypes ?? []).forEach((t, i) => {
    if (t === 'Ingress' || t === 'Egress') {
      if (!policyTypes.includes(t)) policyTypes.push(t);
    } else {
      fail(['spec', 'policyTypes', i], `policyType ${JSON.stringify(t)} is not Ingress or Egress`);
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
  const r = policyRead(ctx, m, errors);
  const ingress = readEntries(r, spec, 'ingress');
  const egress = readEntries(r, spec, 'egress');
  const policyTypes = readPolicyTypes(r, spec, egress);
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
