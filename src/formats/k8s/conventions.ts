// What the Kubernetes reader and writer agree on: segment, service and rule ids, workload kinds, namespace labels.

/** Controllers and pods: each becomes one service (pods under their top controller). */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Pod',
  'Job',
  'CronJob',
]);

export const NAMESPACE_NETWORK_PREFIX = 'network:k8s:ns:';
export const NAMESPACE_POLICY_PREFIX = 'policy:k8s:ns:';
export const SERVICE_ACCOUNT_PREFIX = 'role:k8s:sa:';
export const CLUSTER_PREFIX = 'account:k8s:cluster:';
export const SERVICE_PREFIX = 'k8s:';

/** A namespace on the network level (pods of one namespace share its network). */
export const namespaceNetworkId = (ns: string): string => `${NAMESPACE_NETWORK_PREFIX}${ns}`;
/** A namespace on the policy level: the parent of its label sets. */
export const namespacePolicyId = (ns: string): string => `${NAMESPACE_POLICY_PREFIX}${ns}`;
export const serviceAccountId = (ns: string, sa: string): string => `${SERVICE_ACCOUNT_PREFIX}${ns}/${sa}`;
export const clusterId = (name: string): string => `${CLUSTER_PREFIX}${name}`;
/** A NetworkPolicy podSelector's label set (`text`: the selector as labelSelectorText writes it). */
export const labelSetId = (ns: string, text: string): string => `${namespacePolicyId(ns)}:sel:${text}`;
export const networkPolicyId = (ns: string, name: string): string => `${SERVICE_PREFIX}${ns}/netpol/${name}`;

/**
 * A workload's service id: `k8s:<namespace>/<name>`, or with its kind (`k8s:ns/statefulset/db`) when
 * another workload of the namespace already has the short one.
 */
export const workloadId = (ns: string, name: string, kind: string, taken: (id: string) => boolean): string => {
  const id = serviceId(ns, name);
  return taken(id) ? `${SERVICE_PREFIX}${ns}/${kind.toLowerCase()}/${name}` : id;
};

/** A service named after its workload or Service: `k8s:<namespace>/<name>`. */
export const serviceId = (ns: string, name: string): string => `${SERVICE_PREFIX}${ns}/${name}`;

/** The label the API server sets on every namespace (1.21+); namespaceSelectors rely on it. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
