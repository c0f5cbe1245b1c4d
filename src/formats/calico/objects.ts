// Calico objects → rules: (Global)NetworkPolicy, Tier, (Global)NetworkSet, each with a unique id per file.
import { arr, type Manifest, meta, rec, str } from '../../import/manifests';
import { diagnostic, pointer } from '../../import/text';
import type { CalicoNetworkSetRule, CalicoPolicyRule, CalicoTierRule } from '../../model/types';

import { type CalicoContext, checkSelector, label, Problems, readNets, readRuleEntries } from './rules';

export const nextId = (ctx: CalicoContext, m: Manifest, id: string): string | undefined => {
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

/**
 * The start of a policy's or network set's rule (id, type, level, name, namespace), else undefined: an
 * object with errors is skipped, said once at the object (`path`: its JSON pointer, when the diagnostic
 * carries one), and so is one whose id is taken (`nextId`).
 */
const ruleHead = <K extends string>(
  ctx: CalicoContext,
  m: Manifest,
  p: Problems,
  type: K,
  id: string,
  name: string,
  namespace: string | undefined,
  path?: string,
) => {
  if (p.errors > 0) {
    ctx.diagnostics.push(
      diagnostic(ctx.file, m.at(), `${label(m)} skipped because of the errors above`, 'error', path),
    );
    return undefined;
  }
  const taken = nextId(ctx, m, id);
  if (!taken) return undefined;
  return { id: taken, type, level: 'policy' as const, name, ...(namespace !== undefined ? { namespace } : {}) };
};

type HostFlags = Partial<Record<'preDNAT' | 'doNotTrack' | 'applyOnForward', true>>;

/** preDNAT, doNotTrack and applyOnForward: booleans, and only in a GlobalNetworkPolicy. */
const readHostFlags = (m: Manifest, p: Problems, spec: Record<string, unknown>, global: boolean): HostFlags => {
  const hostFlags: HostFlags = {};
  for (const flag of ['preDNAT', 'doNotTrack', 'applyOnForward'] as const) {
    const v = spec[flag];
    if (v === undefined || v === null || v === false) continue;
    if (v !== true) p.add(['spec', flag], `${label(m)}: ${flag} must be true or false`);
    else if (!global) p.add(['spec', flag], `${label(m)}: ${flag} is only valid in a GlobalNetworkPolicy`);
    else hostFlags[flag] = true;
  }
  return hostFlags;
};

/** The host-endpoint flags together, checked as the API server checks them. */
const checkHostFlags = (m: Manifest, p: Problems, hostFlags: HostFlags, egress: unknown[] | undefined): void => {
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
};

export const readPolicy = (m: Manifest, ctx: CalicoContext, global: boolean): void => {
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
  const hostFlags = readHostFlags(m, p, spec, global);
  const ingress = readRuleEntries(m, p, 'ingress', spec.ingress);
  const egress = readRuleEntries(m, p, 'egress', spec.egress);
  checkHostFlags(m, p, hostFlags, egress);
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
  const id = global ? `calico:global/gnp/${name}` : `calico:${namespace}/netpol/${name}`;
  const head = ruleHead(ctx, m, p, 'calico-policy', id, name as string, namespace, pointer(m.path));
  if (!head) return;
  const rule: CalicoPolicyRule = {
    ...head,
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

export const readTier = (m: Manifest, ctx: CalicoContext): void => {
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

export const readNetworkSet = (m: Manifest, ctx: CalicoContext, global: boolean): void => {
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
  const id = global ? `calico:global/globalnetset/${name}` : `calico:${namespace}/netset/${name}`;
  const head = ruleHead(ctx, m, p, 'calico-network-set', id, name as string, namespace);
  if (!head) return;
  const rule: CalicoNetworkSetRule = {
    ...head,
    labels: cleanLabels,
    nets,
    source: m.source(),
  };
  ctx.rules.push(rule);
};
