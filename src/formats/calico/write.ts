// Writer for Calico v3 policy: Tiers, (Global)NetworkSets and (Global)NetworkPolicies from the calico rules.

import { type ExportResult, Notes, type Obj, put, yamlDocuments } from '../../export/format';
import type {
  CalicoEntityRule,
  CalicoNetworkSetRule,
  CalicoPolicyRule,
  CalicoRuleEntry,
  CalicoTierRule,
  Workspace,
} from '../../model/types';

const API_VERSION = 'projectcalico.org/v3';

const metadata = (name: string, namespace?: string, labels?: Record<string, string>): Obj => {
  const m: Obj = { name };
  if (namespace !== undefined) m.namespace = namespace;
  if (labels && Object.keys(labels).length > 0) {
    const l: Obj = {};
    for (const [k, v] of Object.entries(labels)) put(l, k, v);
    m.labels = l;
  }
  return m;
};

/** Protocol numbers as numbers, names as written (Calico accepts both). */
const protocol = (p: string): string | number => (/^\d+$/.test(p) ? Number(p) : p);

const entity = (e: CalicoEntityRule): Obj => {
  const out: Obj = {};
  if (e.nets) out.nets = [...e.nets];
  if (e.notNets) out.notNets = [...e.notNets];
  if (e.selector !== undefined) out.selector = e.selector;
  if (e.notSelector !== undefined) out.notSelector = e.notSelector;
  if (e.namespaceSelector !== undefined) out.namespaceSelector = e.namespaceSelector;
  if (e.serviceAccounts) {
    const sa: Obj = {};
    if (e.serviceAccounts.names) sa.names = [...e.serviceAccounts.names];
    if (e.serviceAccounts.selector !== undefined) sa.selector = e.serviceAccounts.selector;
    out.serviceAccounts = sa;
  }
  if (e.ports) out.ports = [...e.ports];
  if (e.notPorts) out.notPorts = [...e.notPorts];
  return out;
};

const ruleEntry = (r: CalicoRuleEntry): Obj => {
  const out: Obj = { action: r.action };
  if (r.protocol !== undefined) out.protocol = protocol(r.protocol);
  if (r.notProtocol !== undefined) out.notProtocol = protocol(r.notProtocol);
  if (r.source) out.source = entity(r.source);
  if (r.destination) out.destination = entity(r.destination);
  return out;
};

export const calicoTier = (r: CalicoTierRule): Obj => {
  const spec: Obj = {};
  if (r.order !== undefined) spec.order = r.order;
  if (r.defaultAction !== undefined) spec.defaultAction = r.defaultAction;
  return { apiVersion: API_VERSION, kind: 'Tier', metadata: metadata(r.name), spec };
};

export const calicoNetworkSet = (r: CalicoNetworkSetRule): Obj => ({
  apiVersion: API_VERSION,
  kind: r.namespace === undefined ? 'GlobalNetworkSet' : 'NetworkSet',
  metadata: metadata(r.name, r.namespace, r.labels),
  spec: { nets: [...r.nets] },
});

/** A policy as written: the default tier and an `all()`-like empty selector are left implicit, as people write them. */
export const calicoPolicy = (r: CalicoPolicyRule): Obj => {
  const spec: Obj = {};
  if (r.tier !== 'default') spec.tier = r.tier;
  if (r.order !== undefined) spec.order = r.order;
  if (r.selector !== '') spec.selector = r.selector;
  if (r.namespace === undefined && r.namespaceSelector !== undefined) spec.namespaceSelector = r.namespaceSelector;
  if (r.serviceAccountSelector !== undefined) spec.serviceAccountSelector = r.serviceAccountSelector;
  for (const flag of ['preDNAT', 'doNotTrack', 'applyOnForward'] as const) if (r[flag]) spec[flag] = true;
  spec.types = [...r.types];
  if (r.ingress) spec.ingress = r.ingress.map(ruleEntry);
  if (r.egress) spec.egress = r.egress.map(ruleEntry);
  return {
    apiVersion: API_VERSION,
    kind: r.namespace === undefined ? 'GlobalNetworkPolicy' : 'NetworkPolicy',
    metadata: metadata(r.name, r.namespace),
    spec,
  };
};

export const exportCalico = (ws: Workspace): ExportResult => {
  const notes = new Notes();
  const tiers: Obj[] = [];
  const sets: Obj[] = [];
  const policies: Obj[] = [];
  for (const r of ws.rules) {
    if (r.type === 'calico-tier') tiers.push(calicoTier(r));
    else if (r.type === 'calico-network-set') sets.push(calicoNetworkSet(r));
    else if (r.type === 'calico-policy') {
      if (r.namespace !== undefined && r.namespaceSelector !== undefined) {
        notes.item('namespaceSelector left out (only valid in a GlobalNetworkPolicy)', r.id);
      }
      policies.push(calicoPolicy(r));
    }
  }
  const calicoSets = new Set(
    ws.segments.filter((s) => s.attributes?.kind === 'label-set' && s.attributes.engine === 'calico').map((s) => s.id),
  );
  if (ws.services.some((s) => (s.memberships.policy ?? []).some((id) => calicoSets.has(id)))) {
    notes.add('which pods Calico policies select follows from pod labels, which the Kubernetes export writes');
  }
  const docs = [...tiers, ...sets, ...policies];
  if (docs.length === 0) {
    notes.add('the workspace has no Calico tier, policy or network set');
    return { files: [], notes: notes.list };
  }
  return { files: [{ name: 'calico.yaml', text: yamlDocuments(docs) }], notes: notes.list };
};
