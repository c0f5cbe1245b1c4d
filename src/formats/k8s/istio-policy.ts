// Istio AuthorizationPolicy and PeerAuthentication (security.istio.io v1 / v1beta1) → role-level rules, in Istio's own terms.
//
// istio.io/latest/docs/reference/config/security/authorization-policy and …/peer_authentication. What a
// verdict cannot use (HTTP request attributes, `when` conditions, CUSTOM providers, Gateway targets) is
// read and warned about, never dropped silently. A value Istio's validation would refuse is a located error.
import { arr, get, type Manifest, meta, optionalList, type Path, rec, str } from '../../import/manifests';
import { isValidNet } from '../../model/cidr';
import {
  ISTIO_CONDITION_KEYS,
  type IstioAction,
  type IstioAuthorizationRule,
  type IstioAuthzEntry,
  type IstioCondition,
  type IstioMtlsMode,
  type IstioOperation,
  type IstioPeerAuthRule,
  type IstioSource,
  type LabelSelector,
} from '../../model/types';
import type { K8sRead } from './context';

export const isIstioSecurity = (m: Manifest): boolean =>
  m.apiVersion.startsWith('security.istio.io/') &&
  (m.kind === 'AuthorizationPolicy' || m.kind === 'PeerAuthentication');

const ACTIONS: readonly IstioAction[] = ['ALLOW', 'DENY', 'CUSTOM', 'AUDIT'];
const MODES = ['UNSET', 'STRICT', 'PERMISSIVE', 'DISABLE'] as const;
const SOURCE_FIELDS = [
  'principals',
  'notPrincipals',
  'namespaces',
  'notNamespaces',
  'ipBlocks',
  'notIpBlocks',
] as const;
const REQUEST_SOURCE_FIELDS = ['requestPrincipals', 'notRequestPrincipals', 'remoteIpBlocks', 'notRemoteIpBlocks'];
const REQUEST_OPERATION_FIELDS = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];

/** targetRefs to Services waiting for the file's Services (read in the same pass, in any order). */
const pendingTargets = new WeakMap<K8sRead, { rule: IstioAuthorizationRule; m: Manifest; refs: [Path, string][] }[]>();

class IstioReader {
  /** Set when a value Istio would refuse was met in the current rule. */
  bad = false;
  constructor(
    readonly ctx: K8sRead,
    readonly m: Manifest,
    readonly display: string,
  ) {}
  err(sub: Path, message: string): void {
    this.ctx.diag(this.m, sub, `${this.display}: ${message}`);
    this.bad = true;
  }
  warn(sub: Path, message: string): void {
    this.ctx.diag(this.m, sub, `${this.display}: ${message}`, 'warn');
  }
  /** A warning for each key of `v` that is not in `known` (read, not modelled: never silently dropped). */
  unknownKeys(sub: Path, v: unknown, known: readonly string[], what: string): void {
    for (const k of Object.keys(rec(v) ?? {}))
      if (!known.includes(k)) this.warn([...sub, k], `${what} field ${k} is not read`);
  }
  /** A list of strings; anything else is an error. */
  strings(sub: Path, v: unknown): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    const list = arr(v);
    if (!list || list.some((x) => typeof x !== 'string')) {
      this.err(sub, 'must be a list of strings');
      return undefined;
    }
    return list as string[];
  }
  /** `selector` is a WorkloadSelector: matchLabels only. */
  selector(sub: Path, v: unknown): LabelSelector | undefined {
    if (v === undefined || v === null) return undefined;
    const s = rec(v);
    if (!s) {
      this.err(sub, 'selector must be a map with matchLabels');
      return undefined;
    }
    for (const k of Object.keys(s)) if (k !== 'matchLabels') this.warn([...sub, k], `selector.${k} is not read`);
    const labels = this.ctx.labels(this.m, [...sub, 'matchLabels'], s.matchLabels);
    // An empty selector selects what no selector does: every workload of the namespace.
    return Object.keys(labels).length > 0 ? { matchLabels: labels } : undefined;
  }
}

/** Ports are strings (or numbers) of 1–65535 in the API. */
const portList = (r: IstioReader, sub: Path, v: unknown): number[] | undefined => {
  const list = optionalList(v, () => r.err(sub, 'must be a list of ports'));
  if (!list) return undefined;
  const out: number[] = [];
  list.forEach((p, i) => {
    const n = typeof p === 'number' ? p : typeof p === 'string' && /^\d+$/.test(p) ? Number(p) : Number.NaN;
    if (!Number.isInteger(n) || n < 1 || n > 65535) r.err([...sub, i], `${JSON.stringify(p)} is not a port (1–65535)`);
    else out.push(n);
  });
  return out.length > 0 || list.length === 0 ? out : undefined;
};

const readSource = (r: IstioReader, sub: Path, v: unknown): IstioSource => {
  const s = rec(v) ?? {};
  const out: IstioSource = {};
  for (const f of SOURCE_FIELDS) {
    const list = r.strings([...sub, f], s[f]);
    if (!list) continue;
    if (f === 'ipBlocks' || f === 'notIpBlocks')
      list.forEach((x, i) => {
        if (!isValidNet(x, true)) r.err([...sub, f, i], `${JSON.stringify(x)} is not an IP address or CIDR`);
      });
    // An unreadable value is left out; a field left empty is absent (a DENY keeping it denies no less).
    const good = f === 'ipBlocks' || f === 'notIpBlocks' ? list.filter((x) => isValidNet(x, true)) : list;
    if (good.length > 0 || list.length === 0) out[f] = good;
  }
  const req = Object.keys(s).filter((k) => REQUEST_SOURCE_FIELDS.includes(k));
  if (req.length > 0) out.requestOnly = req.map((k) => `${k} ${(r.strings([...sub, k], s[k]) ?? []).join(', ')}`);
  for (const k of Object.keys(s))
    if (!(SOURCE_FIELDS as readonly string[]).includes(k) && !REQUEST_SOURCE_FIELDS.includes(k))
      r.warn([...sub, k], `source field ${k} is not read`);
  return out;
};

const readOperation = (r: IstioReader, sub: Path, v: unknown): IstioOperation => {
  const o = rec(v) ?? {};
  const out: IstioOperation = {};
  const ports = portList(r, [...sub, 'ports'], o.ports);
  if (ports) out.ports = ports;
  const notPorts = portList(r, [...sub, 'notPorts'], o.notPorts);
  if (notPorts) out.notPorts = notPorts;
  const req = Object.keys(o).filter((k) => REQUEST_OPERATION_FIELDS.includes(k));
  if (req.length > 0) out.requestOnly = req.map((k) => `${k} ${(r.strings([...sub, k], o[k]) ?? []).join(', ')}`);
  for (const k of Object.keys(o))
    if (!['ports', 'notPorts', ...REQUEST_OPERATION_FIELDS].includes(k))
      r.warn([...sub, k], `operation field ${k} is not read`);
  return out;
};

const conditionText = (c: unknown): string => {
  const key = str(get(c, 'key')) ?? '?';
  const values = (arr(get(c, 'values')) ?? []).map(String);
  const not = (arr(get(c, 'notValues')) ?? []).map(String);
  return [
    values.length > 0 ? `${key} in [${values.join(', ')}]` : '',
    not.length > 0 ? `${key} not in [${not.join(', ')}]` : '',
  ]
    .filter(Boolean)
    .join(' and ');
};

/** A condition's values: ports for destination.port, addresses for source.ip (an unreadable one is an error). */
const conditionValues = (r: IstioReader, sub: Path, key: string, v: unknown): string[] | undefined => {
  const list = r.strings(sub, v);
  list?.forEach((x, n) => {
    const ok =
      key === 'destination.port'
        ? /^\d+$/.test(x) && Number(x) >= 1 && Number(x) <= 65535
        : key !== 'source.ip' || isValidNet(x, true);
    if (!ok)
      r.err(
        [...sub, n],
        `${JSON.stringify(x)} is not ${key === 'destination.port' ? 'a port' : 'an IP address or CIDR'}`,
      );
  });
  return list;
};

/** `when`: conditions on connection facts are modelled; the others are kept as text and warned about. */
const readConditions = (r: IstioReader, sub: Path, i: number, when: unknown[], entry: IstioAuthzEntry): void => {
  const texts: string[] = [];
  when.forEach((c, j) => {
    const key = str(get(c, 'key')) ?? '';
    if (!(ISTIO_CONDITION_KEYS as readonly string[]).includes(key)) {
      texts.push(conditionText(c));
      return;
    }
    const cond: IstioCondition = { key: key as IstioCondition['key'] };
    const values = conditionValues(r, [...sub, 'when', j, 'values'], key, get(c, 'values'));
    const notValues = conditionValues(r, [...sub, 'when', j, 'notValues'], key, get(c, 'notValues'));
    if (values) cond.values = values;
    if (notValues) cond.notValues = notValues;
    entry.conditions = [...(entry.conditions ?? []), cond];
  });
  if (texts.length === 0) return;
  entry.when = texts;
  r.warn(
    [...sub, 'when'],
    `rules[${i}].when (${texts.join('; ')}) is not modelled: the rule is taken to match some requests only`,
  );
};

/** One `rules[i]`; `bad` set when one of its values is one Istio would refuse. */
const readEntry = (r: IstioReader, i: number, v: unknown): { entry: IstioAuthzEntry; bad: boolean } => {
  r.bad = false;
  const sub: Path = ['spec', 'rules', i];
  const e = rec(v) ?? {};
  const entry: IstioAuthzEntry = { index: i, source: r.m.source(sub) };
  r.unknownKeys(sub, e, ['from', 'to', 'when'], `rules[${i}]`);
  const from = arr(e.from);
  if (from)
    entry.from = from.map((f, j) => {
      r.unknownKeys([...sub, 'from', j], f, ['source'], `rules[${i}].from[${j}]`);
      return readSource(r, [...sub, 'from', j, 'source'], get(f, 'source'));
    });
  const to = arr(e.to);
  if (to)
    entry.to = to.map((t, j) => {
      r.unknownKeys([...sub, 'to', j], t, ['operation'], `rules[${i}].to[${j}]`);
      return readOperation(r, [...sub, 'to', j, 'operation'], get(t, 'operation'));
    });
  readConditions(r, sub, i, arr(e.when) ?? [], entry);
  const reqOnly = [...(entry.from ?? []), ...(entry.to ?? [])].flatMap((x) => x.requestOnly ?? []);
  if (reqOnly.length > 0)
    r.warn(
      sub,
      `rules[${i}] tests request attributes segscope does not model (${reqOnly.join('; ')}): the rule is taken to match some requests only`,
    );
  return { entry, bad: r.bad };
};

/** `targetRef` / `targetRefs`: Services resolve to their selectors once the file is read; other kinds select nothing modelled. */
const readTargets = (r: IstioReader, spec: Record<string, unknown>, rule: IstioAuthorizationRule): void => {
  const refs = [
    ...(spec.targetRef !== undefined ? [{ sub: ['spec', 'targetRef'] as Path, v: spec.targetRef }] : []),
    ...(arr(spec.targetRefs) ?? []).map((v, i) => ({ sub: ['spec', 'targetRefs', i] as Path, v })),
  ];
  if (refs.length === 0) return;
  rule.targets = [];
  const services: [Path, string][] = [];
  for (const { sub, v } of refs) {
    const kind = str(get(v, 'kind'));
    const name = str(get(v, 'name'));
    const group = str(get(v, 'group')) ?? '';
    if (kind === 'Service' && group === '' && name) services.push([sub, name]);
    else
      r.warn(
        sub,
        `targetRef ${kind ?? '?'} ${name ?? '?'} is not modelled (segscope resolves Service targets only): it selects no workload here`,
      );
  }
  if (services.length > 0) {
    const list = pendingTargets.get(r.ctx) ?? [];
    list.push({ rule, m: r.m, refs: services });
    pendingTargets.set(r.ctx, list);
  }
};

const readAuthorization = (
  r: IstioReader,
  spec: Record<string, unknown>,
  head: Pick<IstioAuthorizationRule, 'id' | 'name' | 'namespace' | 'source'>,
): IstioAuthorizationRule | undefined => {
  const action = (spec.action ?? 'ALLOW') as IstioAction;
  if (!ACTIONS.includes(action)) {
    r.err(['spec', 'action'], `action ${JSON.stringify(spec.action)} is not ALLOW, DENY, CUSTOM or AUDIT; skipped`);
    return undefined;
  }
  if (spec.selector !== undefined && (spec.targetRef !== undefined || spec.targetRefs !== undefined)) {
    r.err(['spec', 'selector'], 'selector and targetRefs cannot both be set; skipped');
    return undefined;
  }
  r.unknownKeys(['spec'], spec, ['selector', 'targetRef', 'targetRefs', 'action', 'rules', 'provider'], 'spec');
  const rule: IstioAuthorizationRule = { ...head, type: 'istio-authorization', level: 'role', action };
  // istio.io/latest/docs/tasks/security/authorization/authz-dry-run: a dry-run policy is logged, not enforced.
  if (get(r.m.value, 'metadata', 'annotations', 'istio.io/dry-run') === 'true') {
    rule.dryRun = true;
    r.warn(
      ['metadata', 'annotations'],
      'istio.io/dry-run: the policy is only logged, not enforced; verdicts leave it out',
    );
  }
  const sel = r.selector(['spec', 'selector'], spec.selector);
  if (sel) rule.selector = sel;
  readTargets(r, spec, rule);
  if (action === 'CUSTOM') {
    rule.provider = str(get(spec, 'provider', 'name')) ?? '?';
    r.warn(
      ['spec', 'action'],
      `CUSTOM (provider ${rule.provider}) asks an external authorizer: its decisions are not known, so segscope takes it to deny nothing`,
    );
  }
  const rules = arr(spec.rules);
  if (rules) {
    rule.rules = [];
    rules.forEach((v, i) => {
      const { entry, bad } = readEntry(r, i, v);
      // A rule Istio would refuse is left out of an ALLOW (it allows nothing more) and kept whole in a
      // DENY with only its readable parts (it denies no less): a bad value never widens what gets through.
      if (!bad) rule.rules?.push(entry);
      else if (action === 'DENY') rule.rules?.push(entry);
      else r.warn(['spec', 'rules', i], `rules[${i}] is left out: it allows nothing`);
    });
  }
  return rule;
};

const readPeerAuth = (
  r: IstioReader,
  spec: Record<string, unknown>,
  head: Pick<IstioPeerAuthRule, 'id' | 'name' | 'namespace' | 'source'>,
): IstioPeerAuthRule | undefined => {
  const mode = (v: unknown, sub: Path): IstioMtlsMode | 'UNSET' | undefined => {
    const s = v ?? 'UNSET';
    if (!(MODES as readonly unknown[]).includes(s)) {
      r.err(sub, `mode ${JSON.stringify(v)} is not UNSET, STRICT, PERMISSIVE or DISABLE; skipped`);
      return undefined;
    }
    return s as IstioMtlsMode | 'UNSET';
  };
  r.unknownKeys(['spec'], spec, ['selector', 'mtls', 'portLevelMtls'], 'spec');
  const rule: IstioPeerAuthRule = { ...head, type: 'istio-peer-authentication', level: 'role' };
  const sel = r.selector(['spec', 'selector'], spec.selector);
  if (sel) rule.selector = sel;
  const m = mode(get(spec, 'mtls', 'mode'), ['spec', 'mtls', 'mode']);
  if (m === undefined) return undefined;
  if (m !== 'UNSET') rule.mode = m;
  const ports = rec(spec.portLevelMtls);
  if (ports && !sel)
    r.warn(['spec', 'portLevelMtls'], 'portLevelMtls needs a selector (Istio ignores it here); ignored');
  else if (ports) {
    rule.ports = [];
    for (const [k, v] of Object.entries(ports)) {
      const port = Number(k);
      const pm = mode(get(v, 'mode'), ['spec', 'portLevelMtls', k, 'mode']);
      if (!/^\d+$/.test(k) || port < 1 || port > 65535) r.err(['spec', 'portLevelMtls', k], `${k} is not a port`);
      else if (pm !== undefined && pm !== 'UNSET') rule.ports.push({ port, mode: pm });
    }
  }
  return r.bad ? undefined : rule;
};

/** One AuthorizationPolicy or PeerAuthentication; none (with located errors) when Istio would refuse it. */
export const readIstioPolicy = (ctx: K8sRead, m: Manifest): IstioAuthorizationRule | IstioPeerAuthRule | undefined => {
  const { name } = meta(m);
  if (!name) {
    ctx.diag(m, ['metadata'], `${m.kind} without metadata.name; skipped`);
    return undefined;
  }
  const namespace = meta(m).namespace ?? 'default';
  ctx.ns(namespace);
  const display = `${m.kind} ${namespace}/${name}`;
  const r = new IstioReader(ctx, m, display);
  const spec = rec(m.value.spec) ?? {};
  const kindId = m.kind === 'AuthorizationPolicy' ? 'authz' : 'peerauth';
  const head = {
    id: `k8s:istio-${kindId}/${namespace}/${name}`,
    name,
    namespace,
    source: m.source(m.value.spec !== undefined ? ['spec'] : []),
  };
  const rule = m.kind === 'AuthorizationPolicy' ? readAuthorization(r, spec, head) : readPeerAuth(r, spec, head);
  if (!rule) ctx.diag(m, [], `${display} is skipped: Istio would not accept it (see the errors above)`);
  return rule;
};

/** Service targetRefs of the file's AuthorizationPolicies, as the selectors of the Services they name. */
export const resolveIstioTargets = (ctx: K8sRead): void => {
  for (const { rule, m, refs } of pendingTargets.get(ctx) ?? []) {
    for (const [sub, name] of refs) {
      const svc = ctx.k8sServices.get(`${rule.namespace}/${name}`);
      if (svc?.selector) rule.targets?.push({ matchLabels: svc.selector });
      else
        ctx.diag(
          m,
          sub,
          `${m.kind} ${rule.namespace}/${rule.name}: Service ${rule.namespace}/${name} ${svc ? 'has no selector' : 'is not in this file'}; this target selects no workload`,
          'warn',
        );
    }
  }
  pendingTargets.delete(ctx);
};
