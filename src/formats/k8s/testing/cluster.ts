// Test builders for a Kubernetes cluster as manifest text (namespaces, Deployments) and its import with every diagnostic.
import { importFiles } from '../../../import/index';
import type { Diagnostic, Workspace } from '../../../model/types';

type Labels = Record<string, string>;

/** Flow-style YAML (JSON is YAML) keeps each manifest's line count fixed, so tests can name lines. */
const flow = (v: unknown): string => JSON.stringify(v);

/** A Namespace: 3 lines. */
export const namespace = (name: string, labels?: Labels): string =>
  `apiVersion: v1
kind: Namespace
metadata: ${flow({ name, ...(labels ? { labels } : {}) })}
`;

export interface DeploymentSpec {
  name: string;
  namespace: string;
  /** The pod labels, which the selector matches too: `{ app: name }` unless given. */
  labels?: Labels;
  /** Container ports as the API writes them (`{ name?, containerPort, protocol? }`). */
  ports?: readonly Record<string, string | number>[];
  serviceAccountName?: string;
  container?: string;
  image?: string;
}

/** A Deployment of one container: 8 lines. */
export const deployment = (d: DeploymentSpec): string => {
  const labels = d.labels ?? { app: d.name };
  const container = { name: d.container ?? 'c', image: d.image ?? 'i', ...(d.ports ? { ports: d.ports } : {}) };
  const spec = {
    ...(d.serviceAccountName ? { serviceAccountName: d.serviceAccountName } : {}),
    containers: [container],
  };
  return `apiVersion: apps/v1
kind: Deployment
metadata: ${flow({ name: d.name, namespace: d.namespace })}
spec:
  selector: { matchLabels: ${flow(labels)} }
  template:
    metadata: { labels: ${flow(labels)} }
    spec: ${flow(spec)}
`;
};

/** A Service of type ExternalName (a peer outside the cluster, named by DNS): 4 lines. */
export const externalName = (name: string, namespace: string, host: string): string =>
  `apiVersion: v1
kind: Service
metadata: ${flow({ name, namespace })}
spec: ${flow({ type: 'ExternalName', externalName: host })}
`;

/** A CiliumNetworkPolicy in shop: db (app=db) accepts web (app=web) on TCP 5432, ingress only. 8 lines. */
export const CNP_DB_FROM_WEB = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: db, namespace: shop }
spec:
  endpointSelector: { matchLabels: { app: db } }
  ingress:
    - fromEndpoints: [{ matchLabels: { app: web } }]
      toPorts: [{ ports: [{ port: "5432", protocol: TCP }] }]
`;

/** Manifests as one multi-document file. */
export const manifests = (...docs: string[]): string => docs.join('---\n');

/** Import one file, keeping the diagnostics of the file and of the whole import. */
export const loadManifests = (
  text: string,
  name = 'cluster.yaml',
): { workspace: Workspace; diagnostics: Diagnostic[] } => {
  const r = importFiles([{ name, text }]);
  return {
    workspace: r.workspace,
    diagnostics: [...r.report.files.flatMap((f) => f.diagnostics), ...r.report.diagnostics],
  };
};
