import { describe, expect, it } from 'vitest';
import { levelVerdict } from '../../analysis/testing/verdict';
import { importFiles } from '../../import/index';

// Real API output, as the API server and kubectl write it.
// Collections: https://kubernetes.io/docs/reference/using-api/api-concepts/#collections — a list request
// answers a typed list (`PodList`, `DeploymentList`, …) whose items carry neither kind nor apiVersion; the
// list's kind names them. `kubectl get … -o yaml` writes `kind: List` with items that carry their own.

const load = (name: string, text: string) => {
  const r = importFiles([{ name, text }]);
  const diagnostics = [...r.report.files.flatMap((f) => f.diagnostics), ...r.report.diagnostics];
  return { ws: r.workspace, where: diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`) };
};
const ids = (ws: ReturnType<typeof load>['ws']) => ws.services.map((s) => s.id);
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

const pod = (name: string, ns: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: ns, labels, ...extra },
  spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] },
  status: { podIP: '10.1.0.1' },
});

describe('typed lists: the list kind names its items (API collections)', () => {
  it('a PodList as GET /api/v1/pods returns it: every item is a Pod', () => {
    const text = json({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '1' },
      items: [pod('web-1', 'shop', { app: 'web' }), pod('db-1', 'shop', { app: 'db' })],
    });
    const { ws, where } = load('pods.json', text);
    expect(where).toEqual([]);
    expect(ids(ws)).toEqual(['k8s:shop/web-1', 'k8s:shop/db-1']);
    expect(ws.services.map((s) => s.extra?.k8sKind)).toEqual(['Pod', 'Pod']);
  });

  it('DeploymentList (apps/v1), NamespaceList and a NetworkPolicyList that decides a verdict', () => {
    const deployments = json({
      kind: 'DeploymentList',
      apiVersion: 'apps/v1',
      items: ['web', 'db'].map((app) => ({
        metadata: { name: app, namespace: 'shop' },
        spec: { template: { metadata: { labels: { app } }, spec: { containers: [{ name: app, image: app }] } } },
      })),
    });
    const namespaces = json({
      kind: 'NamespaceList',
      apiVersion: 'v1',
      items: [{ metadata: { name: 'shop', labels: { team: 'shop' } } }],
    });
    const policies = json({
      kind: 'NetworkPolicyList',
      apiVersion: 'networking.k8s.io/v1',
      items: [
        {
          metadata: { name: 'db-deny-all', namespace: 'shop' },
          spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] },
        },
      ],
    });
    const r = importFiles([
      { name: 'deployments.json', text: deployments },
      { name: 'namespaces.json', text: namespaces },
      { name: 'policies.json', text: policies },
    ]);
    expect(r.report.files.map((f) => [f.name, f.format, f.diagnostics.length])).toEqual([
      ['deployments.json', 'k8s', 0],
      ['namespaces.json', 'k8s', 0],
      ['policies.json', 'k8s', 0],
    ]);
    expect(ids(r.workspace)).toEqual(['k8s:shop/web', 'k8s:shop/db']);
    // https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic
    expect(levelVerdict(r.workspace, 'k8s:shop/web', 'k8s:shop/db', 'policy', 5432)).toEqual({
      verdict: 'deny',
      rule: 'k8s:shop/netpol/db-deny-all',
    });
  });

  it('kind: List as kubectl get -o yaml writes it; an item without kind is an error at that item, the rest loads', () => {
    const text = [
      'apiVersion: v1', //                1
      'kind: List', //                     2
      'items:', //                         3
      '- apiVersion: v1', //               4
      '  kind: Pod', //                    5
      '  metadata: {name: a, namespace: n}', // 6
      '- apiVersion: v1', //               7
      '  metadata: {name: b, namespace: n}', // 8
      '- just a string', //                9
      'metadata: {resourceVersion: ""}', // 10
      '',
    ].join('\n');
    const { ws, where } = load('all.yaml', text);
    expect(ids(ws)).toEqual(['k8s:n/a']);
    expect(where).toEqual([
      '7:3 error List item 1 has no kind (the items of a List carry their own); skipped',
      '9:3 error List item 2 is not a Kubernetes object; skipped',
    ]);
  });

  it('a damaged item of a PodList is reported at its own line and column; its siblings load', () => {
    const text = [
      '{', //                                               1
      '  "kind": "PodList", "apiVersion": "v1",', //        2
      '  "items": [', //                                    3
      '    {"metadata": {"name": "a", "namespace": "n"}},', // 4
      '    42,', //                                         5
      '    {"metadata": {"name": "c", "namespace": "n"}}', // 6
      '  ]', //                                             7
      '}', //                                               8
      '',
    ].join('\n');
    const { ws, where } = load('pods.json', text);
    expect(ids(ws)).toEqual(['k8s:n/a', 'k8s:n/c']);
    expect(where).toEqual(['5:5 error PodList item 1 is not a Kubernetes object; skipped']);
  });
});

describe('owners: static pods and references without kind', () => {
  const node = { apiVersion: 'v1', kind: 'Node', name: 'minikube', uid: 'u', controller: true };
  // https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/ — the kubelet runs a static pod
  // and posts a mirror pod owned by its Node (annotation kubernetes.io/config.mirror).
  it('mirror pods owned by a Node are each their own workload, named after the pod', () => {
    const text = json({
      kind: 'PodList',
      apiVersion: 'v1',
      items: ['etcd', 'kube-apiserver', 'kube-scheduler'].map((c) =>
        pod(
          `${c}-minikube`,
          'kube-system',
          { component: c, tier: 'control-plane' },
          { annotations: { 'kubernetes.io/config.mirror': 'abc' }, ownerReferences: [node] },
        ),
      ),
    });
    const { ws, where } = load('pods.json', text);
    expect(where).toEqual([]);
    expect(ids(ws)).toEqual([
      'k8s:kube-system/etcd-minikube',
      'k8s:kube-system/kube-apiserver-minikube',
      'k8s:kube-system/kube-scheduler-minikube',
    ]);
    expect(ws.services.map((s) => [s.extra?.k8sKind, s.replicas, s.labels?.component])).toEqual([
      ['Pod', 1, 'etcd'],
      ['Pod', 1, 'kube-apiserver'],
      ['Pod', 1, 'kube-scheduler'],
    ]);
  });

  it('pods whose owner reference has no kind are grouped by owner name, with a warning at the reference', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      ...['x1', 'x2'].flatMap((n) => [
        '- apiVersion: v1',
        '  kind: Pod',
        '  metadata:',
        `    name: cog-${n}`,
        '    namespace: default',
        '    labels: {app: cog}',
        '    ownerReferences:',
        '    - {name: cog, uid: u, controller: true}',
      ]),
      '',
    ].join('\n');
    const { ws, where } = load('pods.yaml', text);
    expect(ids(ws)).toEqual(['k8s:default/cog']);
    expect(ws.services[0]?.replicas).toBe(2);
    expect(where).toEqual([
      '11:7 warn Pod default/cog-x1: owner reference "cog" has no kind (the API requires one); grouped with the other objects owned by "cog"',
      '19:7 warn Pod default/cog-x2: owner reference "cog" has no kind (the API requires one); grouped with the other objects owned by "cog"',
    ]);
  });
});
