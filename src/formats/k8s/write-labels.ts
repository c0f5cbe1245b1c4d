// Pod labels that agree with policy memberships: in Kubernetes and Calico a pod is in a label set because its labels match.

import { examples, type Notes, put, sameSet } from '../../export/format';
import { type CalicoExpr, labelSelectorText, matchLabelSelector, parseCalicoSelector } from '../../model/selector';
import type { LabelSelector, Workspace } from '../../model/types';
import { calicoLabelSets } from '../calico/label-sets';
import { labelSetId, namespacePolicyId } from './conventions';
import type { Labels, Workload } from './write-workloads';

/** A label set the written policies will select, and how a pod comes to be in it. */
export interface LabelSet {
  id: string;
  namespace?: string;
  matches(labels: Labels, namespace: string, serviceAccount: string): boolean;
  /** Labels changed so that the pod matches (undefined: cannot say how). */
  toMatch(labels: Labels): Labels | undefined;
  /** Alternative label changes that make the pod leave the set. */
  toLeave(labels: Labels): Labels[];
}

// ---------------------------------------------------------------------------------------------
// Label sets: making a pod's labels agree with its policy memberships
//
// In Kubernetes and Calico a pod is in a label set because its labels match the set's selector; there
// is no membership to write. So a policy membership is written as pod template labels: for each set
// the service should be in, the labels its selector requires are set (`app=db` → `app: db`; `In` → the
// first value; `Exists` / `has()` → `"true"`); for each set it should not be in, one requirement is
// broken (the label removed, or set to a value the selector excludes), choosing one that keeps the
// wanted sets. Only sets the workspace has as segments and some written policy still selects take
// part; a set a newly added rule creates selects whatever its selector names. When no labels fit, a
// note says so. Namespace and service account memberships become metadata.namespace and
// serviceAccountName; Calico's namespace and service-account labels cannot be set on a pod.

/** One label set, removed or replaced in place (label order is kept, so the written YAML changes little). */
export const withLabel = (labels: Labels, key: string, value: string | undefined): Labels => {
  const out: Labels = {};
  for (const [k, v] of Object.entries(labels)) {
    if (k !== key) put(out, k, v);
    else if (value !== undefined) put(out, k, value);
  }
  if (value !== undefined && !Object.hasOwn(labels, key)) put(out, key, value);
  return out;
};

const k8sToMatch = (sel: LabelSelector, labels: Labels): Labels => {
  let out = labels;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) out = withLabel(out, k, v);
  for (const r of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(out, r.key);
    const values = r.values ?? [];
    if (r.operator === 'In' && (!has || !values.includes(out[r.key] as string))) out = withLabel(out, r.key, values[0]);
    else if (r.operator === 'NotIn' && has && values.includes(out[r.key] as string))
      out = withLabel(out, r.key, undefined);
    else if (r.operator === 'Exists' && !has) out = withLabel(out, r.key, 'true');
    else if (r.operator === 'DoesNotExist' && has) out = withLabel(out, r.key, undefined);
  }
  return out;
};

const k8sToLeave = (sel: LabelSelector, labels: Labels): Labels[] => {
  const out: Labels[] = [];
  for (const k of Object.keys(sel.matchLabels ?? {})) out.push(withLabel(labels, k, undefined));
  for (const r of sel.matchExpressions ?? []) {
    if (r.operator === 'In' || r.operator === 'Exists') out.push(withLabel(labels, r.key, undefined));
    else if (r.operator === 'NotIn') out.push(withLabel(labels, r.key, r.values?.[0]));
    else out.push(withLabel(labels, r.key, 'true'));
  }
  return out;
};

/** Labels Calico derives from the namespace and service account cannot be set on a pod. */
const derivedKey = (key: string): boolean => key.startsWith('projectcalico.org/');

const calicoToMatch = (e: CalicoExpr, labels: Labels): Labels | undefined => {
  switch (e.op) {
    case 'all':
    case 'global':
      return labels;
    case 'and': {
      let out: Labels | undefined = labels;
      for (const x of e.exprs) out = out && calicoToMatch(x, out);
      return out;
    }
    case 'or':
      for (const x of e.exprs) {
        const out = calicoToMatch(x, labels);
        if (out) return out;
      }
      return undefined;
    case 'not':
      return calicoToLeave(e.expr, labels)[0];
    default:
      break;
  }
  if (derivedKey(e.key)) return undefined;
  const v = labels[e.key];
  const has = Object.hasOwn(labels, e.key);
  switch (e.op) {
    case 'has':
      return has ? labels : withLabel(labels, e.key, 'true');
    case '==':
    case 'contains':
    case 'starts with':
    case 'ends with':
      return withLabel(labels, e.key, e.value);
    case '!=':
      return has && v === e.value ? withLabel(labels, e.key, undefined) : labels;
    case 'in':
      return has && e.values.includes(v as string) ? labels : withLabel(labels, e.key, e.values[0]);
    case 'not in':
      return has && e.values.includes(v as string) ? withLabel(labels, e.key, undefined) : labels;
  }
};

const calicoToLeave = (e: CalicoExpr, labels: Labels): Labels[] => {
  switch (e.op) {
    case 'all':
    case 'global':
      return [];
    case 'and':
      return e.exprs.flatMap((x) => calicoToLeave(x, labels));
    case 'or': {
      let out: Labels | undefined = labels;
      for (const x of e.exprs) out = out && calicoToLeave(x, out)[0];
      return out ? [out] : [];
    }
    case 'not': {
      const m = calicoToMatch(e.expr, labels);
      return m ? [m] : [];
    }
    default:
      break;
  }
  if (derivedKey(e.key)) return [];
  switch (e.op) {
    case 'has':
    case '==':
    case 'contains':
    case 'starts with':
    case 'ends with':
    case 'in':
      return [withLabel(labels, e.key, undefined)];
    case '!=':
      return [withLabel(labels, e.key, e.value)];
    case 'not in':
      return [withLabel(labels, e.key, e.values[0])];
  }
};

/** The label sets the written NetworkPolicies and the workspace's Calico policies select. */
export const labelSets = (ws: Workspace, nsLabels: Map<string, Labels>): LabelSet[] => {
  const out = new Map<string, LabelSet>();
  for (const r of ws.rules) {
    if (r.type !== 'k8s-network-policy' || r.networks) continue;
    const text = labelSelectorText(r.podSelector);
    if (text === '') continue;
    const id = labelSetId(r.namespace, text);
    if (out.has(id)) continue;
    const sel = r.podSelector;
    out.set(id, {
      id,
      namespace: r.namespace,
      matches: (labels, ns) => ns === r.namespace && matchLabelSelector(sel, labels),
      toMatch: (labels) => k8sToMatch(sel, labels),
      toLeave: (labels) => k8sToLeave(sel, labels),
    });
  }
  const nsIds = new Set([...nsLabels.keys()].map(namespacePolicyId));
  for (const spec of calicoLabelSets(ws.rules, '', nsIds)) {
    const a = spec.segment.attributes ?? {};
    const parsed = parseCalicoSelector(String(a.selector));
    if (!parsed.ok) continue;
    const setNs = typeof a.namespace === 'string' ? a.namespace : undefined;
    out.set(spec.segment.id, {
      id: spec.segment.id,
      ...(setNs !== undefined ? { namespace: setNs } : {}),
      matches: (labels, ns, sa) =>
        spec.matches({ labels, namespace: ns, namespaceLabels: nsLabels.get(ns) ?? {}, serviceAccount: sa }),
      toMatch: (labels) => calicoToMatch(parsed.expr, labels),
      toLeave: (labels) => calicoToLeave(parsed.expr, labels),
    });
  }
  return [...out.values()];
};

/** Pod labels that put the workload in exactly the wanted label sets (`sets`: those that can select in its namespace). */
export const fitLabels = (
  w: Workload,
  wanted: string[],
  sets: LabelSet[],
): { labels: Labels; ok: boolean; changed: boolean } => {
  const inNs = sets;
  const member = (labels: Labels) =>
    inNs.filter((s) => s.matches(labels, w.namespace, w.serviceAccount)).map((s) => s.id);
  const fits = (labels: Labels) => sameSet(member(labels), wanted);
  let labels = w.labels;
  for (let round = 0; round < 4 && !fits(labels); round++) {
    for (const s of inNs) {
      if (!wanted.includes(s.id) || s.matches(labels, w.namespace, w.serviceAccount)) continue;
      labels = s.toMatch(labels) ?? labels;
    }
    for (const s of inNs) {
      if (wanted.includes(s.id) || !s.matches(labels, w.namespace, w.serviceAccount)) continue;
      const options = s.toLeave(labels);
      // Prefer a change that leaves the set without leaving a wanted one.
      const keep = (l: Labels) =>
        !s.matches(l, w.namespace, w.serviceAccount) &&
        wanted.every((id) => inNs.find((x) => x.id === id)?.matches(l, w.namespace, w.serviceAccount) !== false);
      labels = options.find(keep) ?? options[0] ?? labels;
    }
  }
  return { labels, ok: fits(labels), changed: JSON.stringify(labels) !== JSON.stringify(w.labels) };
};

// ---------------------------------------------------------------------------------------------
/** Label sets by namespace: those that can select there (namespaced to it, or global). */
export type SetsFor = (ns: string) => LabelSet[];

/**
 * Policy memberships written as pod labels. Only sets the workspace has as segments take part: a set
 * new to it (a rule just added) takes the pods its selector names. Returns the sets that took part.
 */
export const fitPolicyMemberships = (
  ws: Workspace,
  workloads: Workload[],
  nsLabels: Map<string, Labels>,
  segIds: ReadonlySet<string>,
  notes: Notes,
): { setIds: Set<string>; setsFor: SetsFor } => {
  const sets = labelSets(ws, nsLabels).filter((s) => segIds.has(s.id));
  const setIds = new Set(sets.map((s) => s.id));
  const setsIn = new Map<string, LabelSet[]>();
  const setsFor = (ns: string): LabelSet[] => {
    let list = setsIn.get(ns);
    if (!list) {
      list = sets.filter((s) => s.namespace === undefined || s.namespace === ns);
      setsIn.set(ns, list);
    }
    return list;
  };
  const unbacked: string[] = [];
  for (const w of workloads) {
    if (w.externalName !== undefined) continue;
    const policy = w.svc.memberships.policy ?? [];
    const wanted = policy.filter((id) => setIds.has(id));
    for (const id of policy) {
      if (setIds.has(id) || id === namespacePolicyId(w.namespace)) continue;
      unbacked.push(`${w.svc.id} in ${id}`);
    }
    const fit = fitLabels(w, wanted, setsFor(w.namespace));
    if (fit.changed) {
      notes.item('pod labels changed to match the policy label sets', `${w.svc.id} → ${JSON.stringify(fit.labels)}`);
      w.labels = fit.labels;
    }
    if (!fit.ok) notes.item('no pod labels put these in exactly their policy label sets', w.svc.id);
  }
  if (unbacked.length > 0) {
    notes.add(`policy memberships no written policy selects cannot be expressed: ${examples(unbacked)}`);
  }
  return { setIds, setsFor };
};
