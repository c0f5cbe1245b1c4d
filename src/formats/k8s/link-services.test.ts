import { describe, expect, it } from 'vitest';
import { computeConnlist } from '../../analysis/connlist';
import { formatConnlistReference } from '../../analysis/connlist-txt';
import { importFiles } from '../../import/index';

// A Service selects the pods of its namespace whose labels match its selector, wherever they were
// declared (kubernetes.io/docs/concepts/services-networking/service), and an Ingress backend names a
// Service of its own namespace (…/ingress, "Ingress rules"): a directory split into one file per object
// must read as the same cluster as one file holding them all.

const DEPLOYMENT = {
  name: 'deployment.yaml',
  text: `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: web, ports: [{ name: http, containerPort: 8080 }, { containerPort: 9090 }] }] }
`,
};
const SERVICES = {
  name: 'services.yaml',
  text: `apiVersion: v1
kind: Service
metadata: { name: web-svc, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: http }] }
---
apiVersion: v1
kind: Service
metadata: { name: web-admin, namespace: shop }
spec: { type: NodePort, selector: { app: web }, ports: [{ port: 9090, targetPort: 9090 }] }
`,
};
const INGRESS = {
  name: 'ingress.yaml',
  text: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop }
spec:
  rules: [{ http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web-svc, port: { number: 80 } } } }] } }]
`,
};

const txt = (files: { name: string; text: string }[]) => {
  const r = computeConnlist(importFiles(files).workspace, { sharedRanges: true, ingressControllers: true });
  return formatConnlistReference(r).split('\n');
};

describe('Services and Ingresses across files', () => {
  it('an Ingress routing to a Service of another file, which selects a Deployment of a third, exposes the routed pod port', () => {
    const r = importFiles([DEPLOYMENT, SERVICES, INGRESS]);
    const web = r.workspace.services.find((s) => s.id === 'k8s:shop/web');
    expect(web?.exposed).toBe(true);
    // Service port 80 → the pod's named port http (8080) is routed; the NodePort publishes 9090.
    expect(web?.ports).toEqual([
      { port: 8080, protocol: 'TCP', name: 'http', routed: ['Ingress shop/web'] },
      { port: 9090, protocol: 'TCP', published: true },
    ]);
    expect(web?.extra?.aliases).toEqual(['web-svc', 'web-admin']);
    // What travelled between the files is gone once they are linked.
    expect(r.workspace.extra?.k8sPending).toBeUndefined();
  });

  it('reads the same as one file holding every object', () => {
    const one = { name: 'all.yaml', text: [DEPLOYMENT, SERVICES, INGRESS].map((f) => f.text).join('---\n') };
    const split = txt([DEPLOYMENT, SERVICES, INGRESS]);
    expect(split).toEqual(txt([one]));
    expect(split.filter((l) => l.startsWith('{'))).toEqual([
      '{ingress-nginx} => shop/web[Deployment] : TCP 8080',
      '{openshift-ingress-operator} => shop/web[Deployment] : TCP 8080',
    ]);
  });
});
