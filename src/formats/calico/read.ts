// Reader for Calico v3 policy (NetworkPolicy, GlobalNetworkPolicy, Tier, (Global)NetworkSet) → policy-level rules.

import { isValidNet } from '../../import/cidr';
import {
  arr,
  flattenObjects,
  isRecord,
  loadManifests,
  type Manifest,
  meta,
  type Path,
  rec,
  str,
} from '../../import/manifests';
import { type ParsedFile, parseFile } from '../../import/parse';
import { diagnostic, pointer } from '../../import/text';
import { emptyFragment, type FileInput, type FormatReader, type ReadResult } from '../../import/types';
import { parseCalicoSelector } from '../../model/selector';
import type {
  CalicoAction,
  CalicoEntityRule,
  CalicoNetworkSetRule,
  CalicoPolicyRule,
  CalicoRuleEntry,
  CalicoTierRule,
  Diagnostic,
  Rule,
} from '../../model/types';
import { isCalicoApiVersion } from './conventions';
import { calicoLabelSets } from './label-sets';

/** Calico resources that carry no segmentation rule: read, reported as ignored. */
const IGNORED_CALICO_KINDS = new Set([
  'BGPConfiguration',
  'BGPFilter',
  'BGPPeer',
  'BlockAffinity',
  'CalicoNodeStatus',
  'ClusterInformation',
  'FelixConfiguration',
  'HostEndpoint',
  'IPAMBlock',
  'IPAMConfig',
  'IPAMConfiguration',
  'IPAMHandle',
  'IPPool',
  'IPReservation',
  'KubeControllersConfiguration',
  'Node',
  'Profile',
  'WorkloadEndpoint',
]);

const ACTIONS: CalicoAction[] = ['Allow', 'Deny', 'Pass', 'Log'];

export interface CalicoContext {
  file: string;
  rules: Rule[];
  diagnostics: Diagnostic[];
  /** Rule ids already used in this file. */
  ids?: Set<string>;
}

/** Collects the problems of one object; the object is skipped when any is an error (as the API server would). */
class Problems {
  errors = 0;
  constructor(
    private readonly m: Manifest,
    private readonly ctx: CalicoContext,
  ) {}
  add(sub: Path, message: string, severity: Diagnostic['severity'] = 'error', at?: { line: number; column: number }) {
    if (severity === 'error') this.errors++;
    const path = pointer([...this.m.path, ...sub]);
    this.ctx.diagnostics.push(diagnostic(this.ctx.file, at ?? this.m.at(sub), message, severity, path));
  }
}

const label = (m: Manifest): string => {
  const { name, namespace } = meta(m);
  return `${m.kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`;
};

/** Validate a selector string at `sub`; a bad one is an error pointing into the string. */
const checkSelector = (m: Manifest, p: Problems, sub: Path, value: unknown, what: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    p.add(sub, `${label(m)}: ${what} must be a string`);
    return undefined;
  }
  const r = parseCalicoSelector(value);
  if (!r.ok) {
    p.add(
      sub,
      `${label(m)}: bad ${what} "${value}": ${r.error} (at character ${r.offset + 1}); the policy is skipped`,
      'error',
      m.atChar(sub, r.offset),
    );
    return undefined;
  }
  return value;
};

const readPorts = (m: Manifest, p: Problems, sub: Path, value: unknown): (number | string)[] | undefined => {
  if (value === undefined || value === null) return undefined;
  const list = arr(value);
  if (!list) {
    p.add(sub, `${label(m)}: ports must be a list`);
    return undefined;
  }
  const out: (number | string)[] = [];
  list.forEach((v, i) => {
    const ok =
      (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535) ||
      (typeof v === 'string' &&
        (/^\d+:\d+$/.test(v)
          ? Number(v.split(':')[0]) <= Number(v.split(':')[1]) && Number(v.split(':')[1]) <= 65535
          : /^\d+$/.test(v)
            ? Number(v) <= 65535
            : /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(v)));
    if (!ok)
      p.add([...sub, i], `${label(m)}: port ${JSON.stringify(v)} is not a port, a range "from:to" or a port name`);
    else out.push(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v);
  });
  return out;
};

const readNets = (m: Manifest, p: Problems, sub: Path, value: unknown): string[] | undefined => {
  if (value === undefined || value === null) return undefined;
  const list = arr(value);
  if (!list) {
    p.add(sub, `${label(m)}: nets must be a list of CIDRs`);
    return undefined;
  }
  const out: string[] = [];
  list.forEach((v, i) => {
    if (typeof v === 'string' && isValidNet(v, true)) out.push(v);
    else p.add([...sub, i], `${label(m)}: ${JSON.stringify(v)} is not a CIDR`);
  });
  return out;
};

const readEntity = (m: Manifest, p: Problems, sub: Path, value: unknown): CalicoEntityRule | undefined => {
  if (value === undefined || value === null) return undefined;
  const e = rec(value);
  if (!e) {
    p.add(sub, `${label(m)}: ${String(sub[sub.length - 1])} must be a map`);
    return undefined;
  }
  const out: CalicoEntityRule = {};
  const nets = readNets(m, p, [...sub, 'nets'], e.nets);
  if (nets) out.nets = nets;
  const notNets = readNets(m, p, [...sub, 'notNets'], e.notNets);
  if (notNets) out.notNets = notNets;
  for (const key of ['selector', 'notSelector', 'namespaceSelector'] as const) {
    const s = checkSelector(m, p, [...sub, key], e[key], key);
    if (s !== undefined && s !== '') out[key] = s;
  }
  if (e.serviceAccounts !== undefined && e.serviceAccounts !== null) {
    const sa = rec(e.serviceAccounts);
    if (!sa) p.add([...sub, 'serviceAccounts'], `${label(m)}: serviceAccounts must be a map`);
    else {
      const names = arr(sa.names)?.filter((n): n is string => typeof n === 'string');
      const selector = checkSelector(
        m,
        p,
        [...sub, 'serviceAccounts', 'selector'],
        sa.selector,
        'serviceAccounts selector',
      );
      out.serviceAccounts = {
        ...(names ? { names } : {}),
        ...(selector !== undefined && selector !== '' ? { selector } : {}),
      };
    }
  }
  const ports = readPorts(m, p, [...sub, 'ports'], e.ports);
  if (ports) out.ports = ports;
  const notPorts = readPorts(m, p, [...sub, 'notPorts'], e.notPorts);
  if (notPorts) out.notPorts = notPorts;
  if (e.services !== undefined) {
    p.add(
      [...sub, 'services'],
      `${label(m)}: matching by Kubernetes Service (services:) is not analysed; this rule entry is read without it`,
      'warn',
    );
  }
  return out;
};

const readRuleEntries = (
  m: Manifest,
  p: Problems,
  dir: 'ingress' | 'egress',
  value: unknown,
): CalicoRuleEntry[] | undefined => {
  if (value === undefined || value === null) return undefined;
  const list = arr(value);
  if (!list) {
    p.add(['spec', dir], `${label(m)}: ${dir} must be a list of rules`);
    return undefined;
  }
  const out: CalicoRuleEntry[] = [];
  list.forEach((raw, i) => {
    const sub: Path = ['spec', dir, i];
    const r = rec(raw);
    if (!r) {
      p.add(sub, `${label(m)}: ${dir} rule ${i + 1} must be a map`);
      return;
    }
    const action = r.action;
    if (typeof action !== 'string' || !ACTIONS.includes(action as CalicoAction)) {
      p.add(
        [...sub, 'action'],
        `${label(m)}: ${dir} rule ${i + 1} has ${action === undefined ? 'no action' : `action ${JSON.stringify(action)}`}; expected Allow, Deny, Pass or Log`,
      );
      return;
    }
    const entry: CalicoRuleEntry = { action: action as CalicoAction };
    for (const key of ['protocol', 'notProtocol'] as const) {
      const v = r[key];
      if (v === undefined || v === null) continue;
      if ((typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 255) || typeof v === 'string') {
        entry[key] = String(v);
      } else p.add([...sub, key], `${label(m)}: ${key} ${JSON.stringify(v)} is not a protocol`);
    }
    const source = readEntity(m, p, [...sub, 'source'], r.source);
    if (source) entry.source = source;
    const destination = readEntity(m, p, [...sub, 'destination'], r.destination);
    if (destination) entry.destination = destination;
    if (r.http !== undefined) {
      p.add(
        [...sub, 'http'],
        `${label(m)}: HTTP matching is not analysed; the rule is read as if it matched all requests`,
        'warn',
      );
    }
    if (r.ipVersion !== undefined && r.ipVersion !== 4 && r.ipVersion !== 6) {
      p.add([...sub, 'ipVersion'], `${label(m)}: ipVersion must be 4 or 6`);
    }
    out.push(entry);
  });
  return out;
};

const nextId = (ctx: CalicoContext, m: Manifest, id: string): string | undefined => {
  ctx.ids ??= new Set(ctx.rules.map((r) => r.id));
  if (ctx.ids.has(id)) {
    ctx.diagnostics.push(
      diagnostic(ctx.file, m.at(['metadata', 'name']), `duplicate ${label(m)}; the later one is skipped`, 'warn'),
    );
    return undefined;
  }
  ctx.ids.add(id);
  return id;
};

const readPolicy = (m: Manifest, ctx: CalicoContext, global: boolean): void => {
  const p = new Problems(m, ctx);
  const { name } = meta(m);
  const namespace = global ? undefined : (meta(m).namespace ?? 'default');
  const spec = rec(m.value.spec) ?? {};
  const tier = str(spec.tier) || 'default';
  let order: number | undefined;
  if (spec.order !== undefined && spec.order !== null) {
    const o = typeof spec.order === 'string' ? Number(spec.order) : spec.order;
    if (typeof o === 'number' && Number.isFinite(o)) order = o;
    else p.add(['spec', 'order'], `${label(m)}: order ${JSON.stringify(spec.order)} is not a number`);
  }
  const selector = checkSelector(m, p, ['spec', 'selector'], spec.selector, 'selector') ?? '';
  const namespaceSelector = global
    ? checkSelector(m, p, ['spec', 'namespaceSelector'], spec.namespaceSelector, 'namespaceSelector')
    : undefined;
  if (!global && spec.namespaceSelector !== undefined) {
    p.add(
      ['spec', 'namespaceSelector'],
      `${label(m)}: namespaceSelector is only valid in a GlobalNetworkPolicy; ignored`,
      'warn',
    );
  }
  const serviceAccountSelector = checkSelector(
    m,
    p,
    ['spec', 'serviceAccountSelector'],
    spec.serviceAccountSelector,
    'serviceAccountSelector',
  );
  const hostFlags: Partial<Record<'preDNAT' | 'doNotTrack' | 'applyOnForward', true>> = {};
  for (const flag of ['preDNAT', 'doNotTrack', 'applyOnForward'] as const) {
    const v = spec[flag];
    if (v === undefined || v === null || v === false) continue;
    if (v !== true) p.add(['spec', flag], `${label(m)}: ${flag} must be true or false`);
    else if (!global) p.add(['spec', flag], `${label(m)}: ${flag} is only valid in a GlobalNetworkPolicy`);
    else hostFlags[flag] = true;
  }
  const ingress = readRuleEntries(m, p, 'ingress', spec.ingress);
  const egress = readRuleEntries(m, p, 'egress', spec.egress);
  // The API server's validation of host-endpoint policies (Calico's GlobalNetworkPolicy reference).
  if (hostFlags.preDNAT && hostFlags.doNotTrack)
    p.add(['spec', 'preDNAT'], `${label(m)}: preDNAT and doNotTrack cannot both be true`);
  if ((hostFlags.preDNAT || hostFlags.doNotTrack) && !hostFlags.applyOnForward)
    p.add(
      ['spec', hostFlags.preDNAT ? 'preDNAT' : 'doNotTrack'],
      `${label(m)}: applyOnForward must be true when preDNAT or doNotTrack is`,
    );
  if (hostFlags.preDNAT && (egress?.length ?? 0) > 0)
    p.add(['spec', 'egress'], `${label(m)}: a preDNAT policy cannot have egress rules`);
  let types: ('Ingress' | 'Egress')[];
  const rawTypes = arr(spec.types);
  if (rawTypes && rawTypes.length > 0) {
    types = [];
    rawTypes.forEach((t, i) => {
      if (t === 'Ingress' || t === 'Egress') {
        if (!types.includes(t)) types.push(t);
      } else p.add(['spec', 'types', i], `${label(m)}: type ${JSON.stringify(t)} is not Ingress or Egress`);
    });
  } else {
    // Calico's defaulting: Egress only when there are egress rules and no ingress rules.
    const hasIn = (ingress?.length ?? 0) > 0;
    const hasOut = (egress?.length ?? 0) > 0;
    types = hasOut && !hasIn ? ['Egress'] : hasOut ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  if (p.errors > 0) {
    ctx.diagnostics.push(
      diagnostic(ctx.file, m.at(), `${label(m)} skipped because of the errors above`, 'error', pointer(m.path)),
    );
    return;
  }
  const id = nextId(ctx, m, global ? `calico:global/gnp/${name}` : `calico:${namespace}/netpol/${name}`);
  if (!id) return;
  const rule: CalicoPolicyRule = {
    id,
    type: 'calico-policy',
    level: 'policy',
    name: name as string,
    ...(namespace !== undefined ? { namespace } : {}),
    tier,
    ...(order !== undefined ? { order } : {}),
    selector,
    ...(namespaceSelector ? { namespaceSelector } : {}),
    ...(serviceAccountSelector ? { serviceAccountSelector } : {}),
    ...hostFlags,
    types,
    ...(ingress ? { ingress } : {}),
    ...(egress ? { egress } : {}),
    source: m.source(),
  };
  ctx.rules.push(rule);
};

const readTier = (m: Manifest, ctx: CalicoContext): void => {
  const p = new Problems(m, ctx);
  const spec = rec(m.value.spec) ?? {};
  let order: number | undefined;
  if (spec.order !== undefined && spec.order !== null) {
    if (typeof spec.order === 'number' && Number.isFinite(spec.order)) order = spec.order;
    else p.add(['spec', 'order'], `${label(m)}: order ${JSON.stringify(spec.order)} is not a number`);
  }
  let defaultAction: 'Deny' | 'Pass' | undefined;
  if (spec.defaultAction !== undefined && spec.defaultAction !== null) {
    if (spec.defaultAction === 'Deny' || spec.defaultAction === 'Pass') defaultAction = spec.defaultAction;
    else p.add(['spec', 'defaultAction'], `${label(m)}: defaultAction must be Deny or Pass`);
  }
  if (p.errors > 0) return;
  const name = meta(m).name as string;
  const id = nextId(ctx, m, `calico:global/tier/${name}`);
  if (!id) return;
  const rule: CalicoTierRule = {
    id,
    type: 'calico-tier',
    level: 'policy',
    name,
    ...(order !== undefined ? { order } : {}),
    ...(defaultAction ? { defaultAction } : {}),
    source: m.source(),
  };
  ctx.rules.push(rule);
};

const readNetworkSet = (m: Manifest, ctx: CalicoContext, global: boolean): void => {
  const p = new Problems(m, ctx);
  const { name, labels } = meta(m);
  const namespace = global ? undefined : (meta(m).namespace ?? 'default');
  const spec = rec(m.value.spec) ?? {};
  const nets = readNets(m, p, ['spec', 'nets'], spec.nets) ?? [];
  const cleanLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (typeof v === 'string') cleanLabels[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') cleanLabels[k] = String(v);
  }
  if (p.errors > 0) {
    ctx.diagnostics.push(diagnostic(ctx.file, m.at(), `${label(m)} skipped because of the errors above`, 'error'));
    return;
  }
  const id = nextId(ctx, m, global ? `calico:global/globalnetset/${name}` : `calico:${namespace}/netset/${name}`);
  if (!id) return;
  const rule: CalicoNetworkSetRule = {
    id,
    type: 'calico-network-set',
    level: 'policy',
    name: name as string,
    ...(namespace !== undefined ? { namespace } : {}),
    labels: cleanLabels,
    nets,
    source: m.source(),
  };
  ctx.rules.push(rule);
};

/** Read one Calico object into ctx.rules. Exported so the Kubernetes reader can take mixed files whole. */
export const readCalicoManifest = (m: Manifest, ctx: CalicoContext): void => {
  const { name } = meta(m);
  if (IGNORED_CALICO_KINDS.has(m.kind)) {
    ctx.diagnostics.push(
      diagnostic(ctx.file, m.at(), `Calico ${m.kind} ${name ?? '(unnamed)'} is not a policy object; ignored`, 'info'),
    );
    return;
  }
  if (m.kind.startsWith('Staged')) {
    ctx.diagnostics.push(
      diagnostic(
        ctx.file,
        m.at(),
        `Calico ${m.kind} ${name ?? '(unnamed)'}: staged policies are not enforced; ignored`,
        'info',
      ),
    );
    return;
  }
  const known = ['NetworkPolicy', 'GlobalNetworkPolicy', 'Tier', 'NetworkSet', 'GlobalNetworkSet'];
  if (!known.includes(m.kind)) {
    ctx.diagnostics.push(
      diagnostic(
        ctx.file,
        m.at(['kind']),
        `unknown Calico kind "${m.kind}"; skipped`,
        'warn',
        pointer([...m.path, 'kind']),
      ),
    );
    return;
  }
  if (!name) {
    ctx.diagnostics.push(
      diagnostic(ctx.file, m.at(['metadata']), `Calico ${m.kind} without metadata.name; skipped`, 'error'),
    );
    return;
  }
  if (m.value.spec !== undefined && !isRecord(m.value.spec)) {
    ctx.diagnostics.push(diagnostic(ctx.file, m.at(['spec']), `${label(m)}: spec must be a map; skipped`, 'error'));
    return;
  }
  if (m.kind === 'NetworkPolicy') readPolicy(m, ctx, false);
  else if (m.kind === 'GlobalNetworkPolicy') readPolicy(m, ctx, true);
  else if (m.kind === 'Tier') readTier(m, ctx);
  else readNetworkSet(m, ctx, m.kind === 'GlobalNetworkSet');
};

/**
 * Checks across objects once a file is read: policies in tiers the file does not define, and
 * names whose `tier.` prefix disagrees with spec.tier (Calico uses spec.tier).
 */
export const checkCalicoTiers = (ctx: CalicoContext): void => {
  const tiers = new Set(ctx.rules.filter((r) => r.type === 'calico-tier').map((r) => r.name));
  if (tiers.size === 0) return;
  for (const r of ctx.rules) {
    if (r.type !== 'calico-policy' || !r.source) continue;
    const at = r.source;
    if (r.tier !== 'default' && !tiers.has(r.tier)) {
      ctx.diagnostics.push(
        diagnostic(ctx.file, at, `policy "${r.name}" is in tier "${r.tier}", which this file does not define`, 'info'),
      );
    }
    const dot = r.name.indexOf('.');
    const prefix = dot > 0 ? r.name.slice(0, dot) : undefined;
    if (prefix && prefix !== r.tier && (tiers.has(prefix) || prefix === 'default')) {
      ctx.diagnostics.push(
        diagnostic(
          ctx.file,
          at,
          `policy "${r.name}" is named after tier "${prefix}" but is in tier "${r.tier}" (spec.tier decides)`,
          'warn',
        ),
      );
    }
  }
};

// ---------------------------------------------------------------------------------------------
// The reader

/** Detect: every API object in the file is a Calico object. */
/** Every API object is Calico; one whose apiVersion is damaged (not a string) does not send the file elsewhere. */
const detect = (_file: FileInput, parsed: unknown): boolean => {
  const objects = flattenObjects(parsed).filter((o) => typeof o.apiVersion === 'string');
  return objects.length > 0 && objects.every((o) => isCalicoApiVersion(o.apiVersion));
};

const read = (file: FileInput, parsed: ParsedFile = parseFile(file)): ReadResult => {
  const fragment = emptyFragment();
  const loaded = loadManifests(file, parsed);
  const ctx: CalicoContext = { file: file.name, rules: fragment.rules, diagnostics: loaded.diagnostics };
  for (const m of loaded.manifests) {
    if (isCalicoApiVersion(m.apiVersion)) readCalicoManifest(m, ctx);
    else {
      ctx.diagnostics.push(
        diagnostic(
          file.name,
          m.at(['apiVersion']),
          `${m.apiVersion || '(no apiVersion)'} ${m.kind} is not a Calico object; skipped (a file mixing Kubernetes and Calico objects is read as Kubernetes)`,
          'warn',
        ),
      );
    }
  }
  checkCalicoTiers(ctx);
  // No pods in a Calico-only file: the sets show the policy structure and get members when merged with workloads.
  fragment.segments = calicoLabelSets(fragment.rules, file.name, new Set()).map((s) => s.segment);
  return { fragment, diagnostics: ctx.diagnostics };
};

export const calicoReader: FormatReader = {
  id: 'calico',
  label: 'Calico policy',
  detect,
  read,
};
