// What the Calico reader, the Kubernetes reader and both writers agree on: API versions, endpoint labels, ids.
export const CALICO_API_VERSIONS = ['projectcalico.org/v3', 'crd.projectcalico.org/v1'];

export const isCalicoApiVersion = (apiVersion: unknown): boolean =>
  typeof apiVersion === 'string' && CALICO_API_VERSIONS.includes(apiVersion);

/** Labels Calico gives a Kubernetes pod's workload endpoint, which Calico selectors match. */
export const calicoEndpointLabels = (
  labels: Record<string, string>,
  namespace: string,
  serviceAccount?: string,
): Record<string, string> => ({
  ...labels,
  'projectcalico.org/namespace': namespace,
  'projectcalico.org/orchestrator': 'k8s',
  ...(serviceAccount ? { 'projectcalico.org/serviceaccount': serviceAccount } : {}),
});

/** Labels a Calico namespaceSelector matches: the namespace's own labels plus its name. */
export const calicoNamespaceLabels = (labels: Record<string, string>, namespace: string): Record<string, string> => ({
  ...labels,
  'projectcalico.org/name': namespace,
});

/** Label-set segment ids: a namespaced policy's selector under its namespace, a global one with its namespaceSelector. */
export const calicoSetId = (selector: string, namespace: string | undefined, namespaceSelector?: string): string =>
  namespace !== undefined
    ? `policy:calico:ns:${namespace}:sel:${selector.trim()}`
    : `policy:calico:sel:${selector.trim()}${namespaceSelector ? ` | ns: ${namespaceSelector.trim()}` : ''}`;
