// What every pass of reading one Kubernetes file shares: the objects by kind, the fragment, diagnostics.
import { isRecord, type Manifest, type Path, put } from '../../import/manifests';
import { diagnostic, pointer } from '../../import/text';
import { emptyFragment, type FileInput, type Fragment } from '../../import/types';
import type { AdminNetworkPolicyRule, Diagnostic, K8sNetworkPolicyRule, Protocol, Service } from '../../model/types';
import type { CalicoContext } from '../calico/read';

export const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

export interface PodTemplate {
  labels: Record<string, string>;
  spec: Record<string, unknown>;
  /** Path of the pod spec inside the manifest. */
  specPath: Path;
}

export interface WorkloadObject {
  m: Manifest;
  kind: string;
  name: string;
  namespace: string;
  template?: PodTemplate;
  /** The owner references that can name its workload (owners.ts): the controller, else every owner. */
  owners?: OwnerRef[];
}

/** An owner reference as read: `at` is its index in metadata.ownerReferences. */
export interface OwnerRef {
  kind?: string;
  name: string;
  uid?: string;
  at: number;
}

export interface Group {
  /** The top controller: an object of the file, or inferred from owner references. */
  kind: string;
  name: string;
  namespace: string;
  top?: WorkloadObject;
  members: WorkloadObject[];
  service?: Service;
  serviceAccount: string;
}

export interface K8sServiceObject {
  m: Manifest;
  name: string;
  namespace: string;
  type: string;
  selector?: Record<string, string>;
  ports: { port: number; targetPort: number | string; protocol: Protocol; name?: string }[];
  targets: Group[];
  externalName?: string;
}

export interface K8sRead {
  readonly file: FileInput;
  readonly fragment: Fragment;
  readonly diagnostics: Diagnostic[];
  /** Calico objects of the same file read into the same rules and diagnostics. */
  readonly calico: CalicoContext;
  /** Declared (`m`) or only referenced namespaces, with their labels. */
  readonly namespaces: Map<string, { labels: Record<string, string>; m?: Manifest }>;
  readonly serviceAccounts: Map<string, Manifest>;
  readonly configMaps: Map<string, Manifest>;
  readonly workloads: WorkloadObject[];
  readonly workloadKeys: Set<string>;
  /** Workloads grouped under their top controller: one service each. */
  readonly groups: Map<string, Group>;
  readonly k8sServices: Map<string, K8sServiceObject>;
  readonly policies: { rule: K8sNetworkPolicyRule; m: Manifest }[];
  /** AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects read so far. */
  readonly adminPolicies: { rule: AdminNetworkPolicyRule; m: Manifest }[];
  readonly ingresses: Manifest[];
  /** UserDefinedNetwork, ClusterUserDefinedNetwork and NetworkAttachmentDefinition objects, read after the cluster is known. */
  readonly networkObjects: Manifest[];
  clusterName?: string;
  readonly callKeys: Set<string>;
  diag(m: Manifest, sub: Path, message: string, severity?: Diagnostic['severity']): void;
  /** Note a namespace that objects are in (declared or not). */
  ns(namespace: string): void;
  /** Label maps must be string → string; YAML numbers and booleans are coerced with a warning. */
  labels(m: Manifest, sub: Path, value: unknown): Record<string, string>;
}

export const createK8sRead = (file: FileInput, diagnostics: Diagnostic[]): K8sRead => {
  const fragment = emptyFragment();
  const ctx: K8sRead = {
    file,
    fragment,
    diagnostics,
    calico: { file: file.name, rules: fragment.rules, diagnostics },
    namespaces: new Map(),
    serviceAccounts: new Map(),
    configMaps: new Map(),
    workloads: [],
    workloadKeys: new Set(),
    groups: new Map(),
    k8sServices: new Map(),
    policies: [],
    adminPolicies: [],
    ingresses: [],
    networkObjects: [],
    callKeys: new Set(),
    diag: (m, sub, message, severity = 'error') => {
      diagnostics.push(diagnostic(file.name, m.at(sub), message, severity, pointer([...m.path, ...sub])));
    },
    ns: (namespace) => {
      if (!ctx.namespaces.has(namespace)) ctx.namespaces.set(namespace, { labels: {} });
    },
    labels: (m, sub, value) => {
      const out: Record<string, string> = {};
      if (value === undefined || value === null) return out;
      if (!isRecord(value)) {
        ctx.diag(m, sub, `labels must be a map of strings`);
        return out;
      }
      for (const [k, v] of Object.entries(value)) {
        if (typeof v === 'string') put(out, k, v);
        else if (typeof v === 'number' || typeof v === 'boolean') {
          put(out, k, String(v));
          ctx.diag(
            m,
            [...sub, k],
            `label ${k}: ${String(v)} is not a string; Kubernetes requires quoting it ("${String(v)}")`,
            'warn',
          );
        } else ctx.diag(m, [...sub, k], `label ${k} must be a string; ignored`, 'warn');
      }
      return out;
    },
  };
  return ctx;
};

/** The pod template a group's service is described by: its top controller's, else its first member's. */
export const templateOf = (g: Group): { w: WorkloadObject; t: PodTemplate } | undefined => {
  for (const w of [g.top, ...g.members]) if (w?.template) return { w, t: w.template };
  return undefined;
};

export const groupsIn = (ctx: K8sRead, namespace: string): Group[] => {
  return [...ctx.groups.values()].filter((g) => g.namespace === namespace && g.service);
};
