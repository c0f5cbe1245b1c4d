// Calico (Global)NetworkPolicy in pipeline terms: selectors, namespace scoping, network sets, protocols and ports.
import { type CalicoExpr, evalCalicoSelector, parseCalicoSelector } from '../../model/selector';
import type {
  CalicoEntityRule,
  CalicoNetworkSetRule,
  CalicoPolicyRule,
  CalicoRuleEntry,
  Protocol,
} from '../../model/types';
import { type ConnSet, conn, connSet, EMPTY, intersect, protocolsSet, subtract, union } from '../connset';
import { cidrMeets } from '../net';
import type { Endpoint, NamespaceIndex, PolicyRuleView, PolicyView } from './policy-endpoint';

const ALL_PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

const protocolOf = (p: string | number): Protocol | 'other' => {
  const s = String(p).toUpperCase();
  if (s === 'TCP' || s === '6') return 'TCP';
  if (s === 'UDP' || s === '17') return 'UDP';
  if (s === 'SCTP' || s === '132') return 'SCTP';
  return 'other';
};

/** Protocols a rule covers; ICMP and other protocols carry no ports we model, so they cover nothing here. */
const ruleProtocols = (r: CalicoRuleEntry): Protocol[] => {
  let list: Protocol[] = [...ALL_PROTOCOLS];
  if (r.protocol !== undefined) {
    const p = protocolOf(r.protocol);
    list = p === 'other' ? [] : [p];
  }
  if (r.notProtocol !== undefined) {
    const np = protocolOf(r.notProtocol);
    list = list.filter((p) => p !== np);
  }
  return list;
};

/** Calico port specs: 80, "80", "8000:8100", or a named port resolved against the target endpoint. */
const portSpecs = (specs: readonly (number | string)[], protocols: readonly Protocol[], target: Endpoint): ConnSet => {
  let set: ConnSet = EMPTY;
  for (const spec of specs) {
    const text = String(spec).trim();
    const range = /^(\d+)(?::(\d+))?$/.exec(text);
    if (range) {
      const lo = Number(range[1]);
      const hi = range[2] === undefined ? lo : Number(range[2]);
      for (const p of protocols) set = union(set, connSet(p, lo, hi));
    } else {
      for (const tp of target.ports) {
        const proto = tp.protocol ?? 'TCP';
        if (tp.name === text && protocols.includes(proto)) set = union(set, conn(proto, tp.port));
      }
    }
  }
  return set;
};

export const calicoRuleConns = (r: CalicoRuleEntry, target: Endpoint): ConnSet => {
  const protocols = ruleProtocols(r);
  if (protocols.length === 0) return EMPTY;
  const base = protocolsSet(protocols);
  const ports = r.destination?.ports;
  let set = ports && ports.length > 0 ? intersect(portSpecs(ports, protocols, target), base) : base;
  const notPorts = r.destination?.notPorts;
  if (notPorts && notPorts.length > 0) set = subtract(set, portSpecs(notPorts, protocols, target));
  return set;
};

const parsed = (text: string | undefined): CalicoExpr | null | undefined => {
  if (text === undefined) return undefined;
  const r = parseCalicoSelector(text);
  return r.ok ? r.expr : null;
};

const exprKeys = (e: CalicoExpr | null | undefined, out: string[]): string[] => {
  if (!e) return out;
  switch (e.op) {
    case 'all':
    case 'global':
      break;
    case 'not':
      exprKeys(e.expr, out);
      break;
    case 'and':
    case 'or':
      for (const x of e.exprs) exprKeys(x, out);
      break;
    default:
      out.push(e.key);
  }
  return out;
};

const evalSel = (e: CalicoExpr | null | undefined, labels: Readonly<Record<string, string>>, namespaced: boolean) =>
  e === undefined ? true : e !== null && evalCalicoSelector(e, labels as Record<string, string>, { namespaced });

interface CompiledEntity {
  raw: CalicoEntityRule;
  selector: CalicoExpr | null | undefined;
  notSelector: CalicoExpr | null | undefined;
  namespaceSelector: CalicoExpr | null | undefined;
  saSelector: CalicoExpr | null | undefined;
}

const compileEntity = (e: CalicoEntityRule | undefined): CompiledEntity | undefined =>
  e && {
    raw: e,
    selector: parsed(e.selector),
    notSelector: parsed(e.notSelector),
    namespaceSelector: parsed(e.namespaceSelector),
    saSelector: parsed(e.serviceAccounts?.selector),
  };

/**
 * An entity rule matches an endpoint when every field given matches (Calico ANDs them). `selector`
 * and `namespaceSelector` match workload endpoints (scoped to the policy's namespace unless a
 * namespaceSelector is given) or network sets containing the endpoint's address: namespaced sets
 * in the policy's namespace, global sets from global policies or through `namespaceSelector: global()`.
 * Source ports are not modelled (calls have ephemeral source ports), so `ports` on a source are ignored.
 */
const entityMatches = (
  e: CompiledEntity | undefined,
  ep: Endpoint,
  policyNs: string | undefined,
  sets: readonly CalicoNetworkSetRule[],
  nsIndex: NamespaceIndex,
): boolean => {
  if (!e) return true;
  const { raw } = e;
  if (raw.nets && !raw.nets.some((n) => cidrMeets(n, ep.addresses))) return false;
  if (raw.notNets?.some((n) => cidrMeets(n, ep.addresses))) return false;
  if (e.selector !== undefined || e.namespaceSelector !== undefined) {
    const nsOk = (ns: string | undefined): boolean =>
      e.namespaceSelector !== undefined
        ? ns !== undefined &&
          evalSel(e.namespaceSelector, { ...nsIndex.labels(ns), 'projectcalico.org/name': ns }, true)
        : policyNs === undefined || ns === policyNs;
    const workload = ep.pod && !ep.hostNetwork && nsOk(ep.namespace) && evalSel(e.selector, ep.calicoLabels, true);
    const viaSet =
      !workload &&
      sets.some((s) => {
        if (!s.nets.some((n) => cidrMeets(n, ep.addresses))) return false;
        const setNsOk =
          s.namespace === undefined
            ? e.namespaceSelector !== undefined
              ? evalSel(e.namespaceSelector, {}, false)
              : policyNs === undefined
            : nsOk(s.namespace);
        return setNsOk && evalSel(e.selector, s.labels, s.namespace !== undefined);
      });
    if (!workload && !viaSet) return false;
  }
  if (
    e.notSelector !== undefined &&
    ep.pod &&
    !ep.hostNetwork &&
    e.notSelector !== null &&
    evalSel(e.notSelector, ep.calicoLabels, true)
  ) {
    return false;
  }
  if (raw.serviceAccounts) {
    if (!ep.pod || ep.hostNetwork || ep.serviceAccount === undefined) return false;
    if (e.namespaceSelector === undefined && policyNs !== undefined && ep.namespace !== policyNs) return false;
    const names = raw.serviceAccounts.names;
    if (names && names.length > 0 && !names.includes(ep.serviceAccount)) return false;
    if (e.saSelector !== undefined && !evalSel(e.saSelector, ep.saLabels, true)) return false;
  }
  return true;
};

const entityText = (e: CalicoEntityRule | undefined): string => {
  if (!e) return 'any';
  const parts: string[] = [];
  if (e.selector) parts.push(`selector ${e.selector}`);
  if (e.namespaceSelector) parts.push(`namespaceSelector ${e.namespaceSelector}`);
  if (e.nets) parts.push(`nets ${e.nets.join(',')}`);
  if (e.notNets) parts.push(`notNets ${e.notNets.join(',')}`);
  if (e.notSelector) parts.push(`notSelector ${e.notSelector}`);
  if (e.serviceAccounts) parts.push('serviceAccounts');
  if (e.ports) parts.push(`ports ${e.ports.join(',')}`);
  return parts.length > 0 ? parts.join(' ') : 'any';
};

const ruleView = (
  entry: CalicoRuleEntry,
  index: number,
  dir: 'ingress' | 'egress',
  policyNs: string | undefined,
  sets: readonly CalicoNetworkSetRule[],
  nsIndex: NamespaceIndex,
): PolicyRuleView => {
  const src = compileEntity(entry.source);
  const dst = compileEntity(entry.destination);
  const named = [...(entry.destination?.ports ?? []), ...(entry.destination?.notPorts ?? [])].some(
    (p) => !/^\d+(:\d+)?$/.test(String(p).trim()),
  );
  const fixed = named ? undefined : calicoRuleConns(entry, { ports: [] } as unknown as Endpoint);
  return {
    index,
    action: entry.action,
    matches: (self, peer) => {
      const source = dir === 'ingress' ? peer : self;
      const destination = dir === 'ingress' ? self : peer;
      return (
        entityMatches(src, source, policyNs, sets, nsIndex) && entityMatches(dst, destination, policyNs, sets, nsIndex)
      );
    },
    conns: (target) => fixed ?? calicoRuleConns(entry, target),
    describe: () => {
      const proto = entry.protocol !== undefined ? ` ${entry.protocol}` : '';
      return `${entry.action}${proto} from ${entityText(entry.source)} to ${entityText(entry.destination)}`;
    },
  };
};

/** Calico's default for `types`: Ingress, plus Egress when egress rules exist (Egress alone when only they do). */
export const calicoTypes = (rule: CalicoPolicyRule): { ingress: boolean; egress: boolean } => {
  if (rule.types.length > 0) return { ingress: rule.types.includes('Ingress'), egress: rule.types.includes('Egress') };
  const hasEgress = (rule.egress ?? []).length > 0;
  const hasIngress = (rule.ingress ?? []).length > 0;
  return { ingress: hasIngress || !hasEgress, egress: hasEgress };
};

export const calicoPolicyView = (
  rule: CalicoPolicyRule,
  tierOrder: number,
  sets: readonly CalicoNetworkSetRule[],
  nsIndex: NamespaceIndex,
): PolicyView => {
  const types = calicoTypes(rule);
  // An absent selector means all(); an invalid one selects nothing (the importer reports it).
  const sel = parsed(rule.selector);
  const selector: CalicoExpr | null = sel === undefined ? { op: 'all' } : sel;
  const nsSelector = parsed(rule.namespaceSelector);
  const saSelector = parsed(rule.serviceAccountSelector);
  const ns = rule.namespace;
  const entries = [...(rule.ingress ?? []), ...(rule.egress ?? [])];
  const entities = entries.flatMap((e) => [e.source, e.destination]).filter((x) => x !== undefined);
  const keys: string[] = [];
  exprKeys(selector, keys);
  const specificity = keys.length;
  exprKeys(nsSelector, keys);
  for (const e of entities) {
    exprKeys(parsed(e.selector), keys);
    exprKeys(parsed(e.notSelector), keys);
  }
  return {
    rule,
    kind: 'calico',
    tier: rule.tier || 'default',
    tierOrder,
    order: rule.order ?? Number.POSITIVE_INFINITY,
    sortName: `${ns ?? ''}/${rule.name}`,
    display: `${ns !== undefined ? `NetworkPolicy ${ns}/` : 'GlobalNetworkPolicy '}${rule.name} (tier ${rule.tier || 'default'})`,
    ingress: types.ingress,
    egress: types.egress,
    selects: (ep) => {
      // preDNAT and doNotTrack policies go to host endpoints' untracked / pre-DNAT tiers only (Felix).
      if (!ep.pod || rule.preDNAT || rule.doNotTrack) return false;
      if (ns !== undefined && ep.namespace !== ns) return false;
      if (ns === undefined && nsSelector !== undefined && !evalSel(nsSelector, ep.nsCalicoLabels, true)) return false;
      if (!evalSel(selector, ep.calicoLabels, true)) return false;
      if (saSelector !== undefined) {
        if (ep.serviceAccount === undefined) return false;
        if (!evalSel(saSelector, { ...ep.saLabels, 'projectcalico.org/name': ep.serviceAccount }, true)) return false;
      }
      return true;
    },
    ingressRules: types.ingress ? (rule.ingress ?? []).map((e, i) => ruleView(e, i, 'ingress', ns, sets, nsIndex)) : [],
    egressRules: types.egress ? (rule.egress ?? []).map((e, i) => ruleView(e, i, 'egress', ns, sets, nsIndex)) : [],
    labelKeys: keys,
    cidrs: [...entities.flatMap((e) => [...(e.nets ?? []), ...(e.notNets ?? [])]), ...sets.flatMap((s) => s.nets)],
    usesNamedPorts: entries.some((e) =>
      [...(e.destination?.ports ?? []), ...(e.destination?.notPorts ?? [])].some(
        (p) => !/^\d+(:\d+)?$/.test(String(p).trim()),
      ),
    ),
    specificity,
    usesServiceAccounts:
      saSelector !== undefined ||
      entities.some((e) => e.serviceAccounts !== undefined) ||
      keys.some((k) => k.includes('serviceaccount')),
  };
};
