// Calico label sets of the policy level: one segment per distinct policy selector, and who is in it.
import { evalCalicoSelector, parseCalicoSelector } from '../../model/selector';
import type { Rule, Segment } from '../../model/types';
import { namespacePolicyId } from '../k8s/conventions';
import { calicoEndpointLabels, calicoNamespaceLabels, calicoSetId } from './conventions';

export interface LabelSetSpec {
  segment: Segment;
  /** Does an endpoint (pod labels, namespace, its namespace's labels, service account) belong to this set? */
  matches(endpoint: {
    labels: Record<string, string>;
    namespace: string;
    namespaceLabels: Record<string, string>;
    serviceAccount?: string;
  }): boolean;
}

const isAllSelector = (s: string): boolean => {
  const r = parseCalicoSelector(s);
  return r.ok && r.expr.op === 'all';
};

/**
 * One label-set segment per distinct Calico policy selector: namespaced ones under their namespace
 * segment (when `namespaceSegments` has it), global ones without a parent. `all()` selects the whole
 * namespace (or everything), which the namespace segments already show, so it gets no set.
 */
export const calicoLabelSets = (
  rules: readonly Rule[],
  file: string,
  namespaceSegments: ReadonlySet<string>,
): LabelSetSpec[] => {
  const out = new Map<string, LabelSetSpec & { policies: string[] }>();
  for (const r of rules) {
    if (r.type !== 'calico-policy' || isAllSelector(r.selector)) continue;
    const sel = parseCalicoSelector(r.selector);
    if (!sel.ok) continue;
    const nsSel = r.namespaceSelector ? parseCalicoSelector(r.namespaceSelector) : undefined;
    const key = calicoSetId(r.selector, r.namespace, r.namespaceSelector);
    const prev = out.get(key);
    if (prev) {
      prev.policies.push(r.name);
      continue;
    }
    const parent = r.namespace !== undefined ? namespacePolicyId(r.namespace) : undefined;
    const policies = [r.name];
    const segment: Segment = {
      id: key,
      level: 'policy',
      name: r.selector.trim(),
      ...(parent && namespaceSegments.has(parent) ? { parent } : {}),
      attributes: {
        kind: 'label-set',
        engine: 'calico',
        selector: r.selector.trim(),
        ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
        ...(r.namespaceSelector ? { namespaceSelector: r.namespaceSelector } : {}),
        policies,
      },
      ...(r.source ? { source: [{ file, line: r.source.line, column: r.source.column }] } : {}),
    };
    const ns = r.namespace;
    out.set(key, {
      segment,
      policies,
      matches: (e) => {
        if (ns !== undefined && e.namespace !== ns) return false;
        const labels = calicoEndpointLabels(e.labels, e.namespace, e.serviceAccount);
        if (!(sel.ok && evalCalicoSelector(sel.expr, labels))) return false;
        if (nsSel?.ok && !evalCalicoSelector(nsSel.expr, calicoNamespaceLabels(e.namespaceLabels, e.namespace)))
          return false;
        return true;
      },
    });
  }
  return [...out.values()];
};
