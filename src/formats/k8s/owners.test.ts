import { describe, expect, it } from 'vitest';
import { computeConnlist } from '../../analysis/connlist';
import { formatConnlist } from '../../analysis/connlist-output';
import { formatConnlistReference } from '../../analysis/connlist-txt';
import { importFiles } from '../../import/index';

// Owner references as the API server writes them (GET /api/v1/namespaces/shop/pods: a PodList whose items
// carry metadata.ownerReferences with apiVersion, kind, name, uid, controller, blockOwnerDeletion).
// Kubernetes: https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/ — "a valid
// owner reference consists of the object name and a UID"; ObjectMeta.ownerReferences
// (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/#ObjectMeta) — "If
// this object is managed by a controller, then an entry in this list will point to this controller, with
// the controller field set to true. There cannot be more than one managing controller"; garbage collection
// (https://kubernetes.io/docs/concepts/architecture/garbage-collection/#owners-dependents) keeps a dependent
// while any of its owners lives.

type Ref = { apiVersion?: string; kind?: string; name: string; uid?: string; controller?: boolean };
const ref = (kind: string | undefined, name: string, uid: string, controller?: boolean): Ref => ({
  ...(kind ? { apiVersion: kind === 'Deployment' || kind === 'ReplicaSet' ? 'apps/v1' : 'v1', kind } : {}),
  name,
  uid,
  ...(controller === undefined ? {} : { controller, blockOwnerDeletion: true }),
});
const pod = (name: string, labels: Record<string, string>, ownerReferences: Ref[], ip: string) => ({
  metadata: { name, namespace: 'shop', uid: `pod-${name}`, labels, ownerReferences },
  spec: { serviceAccountName: 'default', containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] },
  status: { phase: 'Running', podIP: ip },
});
const podList = (...items: unknown[]) => ({
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '7' },
  items,
});

const load = (...docs: unknown[]) => {
  const r = importFiles(docs.map((d, i) => ({ name: `f${i}.json`, text: `${JSON.stringify(d, null, 2)}\n` })));
  const diagnostics = [...r.report.files.flatMap((f) => f.diagnostics), ...r.report.diagnostics];
  return {
    ws: r.workspace,
    workloads: r.workspace.services.map((s) => `${s.id} ${String(s.extra?.k8sKind)} ×${s.replicas}`),
    where: diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.message}`),
  };
};

const hash = '7c9b6d5f4';
const web = { app: 'web', 'pod-template-hash': hash };

describe('owner references: the workload that owns a pod, as Kubernetes resolves it', () => {
  it('the controller owner wins over owners listed before it (an operator-added non-controller owner)', () => {
    const { workloads, where } = load(
      podList(
        pod(
          'web-7c9b6d5f4-a1',
          web,
          [ref('ConfigMap', 'web-lock', 'cm-1', false), ref('ReplicaSet', `web-${hash}`, 'rs-1', true)],
          '10.1.0.1',
        ),
        pod(
          'web-7c9b6d5f4-b2',
          web,
          [ref('ConfigMap', 'web-lock', 'cm-1', false), ref('ReplicaSet', `web-${hash}`, 'rs-1', true)],
          '10.1.0.2',
        ),
      ),
    );
    // ReplicaSet → Deployment: the ReplicaSet is not in the list, its Deployment is its name minus the hash.
    expect(workloads).toEqual(['k8s:shop/web Deployment ×2']);
    expect(where).toEqual([]);
  });

  it('no owner is the controller: the only owner is the workload', () => {
    const { workloads, where } = load(
      podList(
        pod('batch-a', { app: 'batch' }, [ref('ReplicaSet', 'batch', 'rs-b')], '10.1.0.3'),
        pod('batch-b', { app: 'batch' }, [ref('ReplicaSet', 'batch', 'rs-b', false)], '10.1.0.4'),
      ),
    );
    expect(workloads).toEqual(['k8s:shop/batch ReplicaSet ×2']);
    expect(where).toEqual([]);
  });

  it('several owners, none the controller, that lead to one workload (ReplicaSet and its Deployment): that workload', () => {
    const { workloads } = load(
      podList(
        pod(
          'web-7c9b6d5f4-a1',
          web,
          [ref('ReplicaSet', `web-${hash}`, 'rs-1', false), ref('Deployment', 'web', 'dep-1', false)],
          '10.1.0.1',
        ),
      ),
    );
    expect(workloads).toEqual(['k8s:shop/web Deployment ×1']);
  });

  it('several owners, none the controller, that are different workloads: no workload manages the pod, it is its own', () => {
    const { workloads, where } = load(
      podList(
        pod(
          'shared-1',
          { app: 'shared' },
          [ref('StatefulSet', 'alpha', 'ss-a', false), ref('StatefulSet', 'beta', 'ss-b', false)],
          '10.1.0.5',
        ),
        pod('alpha-0', { app: 'alpha' }, [ref('StatefulSet', 'alpha', 'ss-a', true)], '10.1.0.6'),
      ),
    );
    expect(workloads).toEqual(['k8s:shop/shared-1 Pod ×1', 'k8s:shop/alpha StatefulSet ×1']);
    expect(where).toEqual([
      'f0.json:16:9 info Pod shop/shared-1 has 2 owners (StatefulSet alpha, StatefulSet beta) and none is its controller; read as a workload of its own',
    ]);
  });

  it('references sharing a uid are one owner: a reference without kind joins the one with a kind (uid is the identity)', () => {
    const { workloads, where } = load(
      podList(
        pod('web-7c9b6d5f4-a1', web, [ref('ReplicaSet', `web-${hash}`, 'rs-1', true)], '10.1.0.1'),
        pod('web-7c9b6d5f4-b2', web, [ref(undefined, `web-${hash}`, 'rs-1', true)], '10.1.0.2'),
        // The same owner twice, under the old and the current API group: one owner, not two.
        pod(
          'web-7c9b6d5f4-c3',
          web,
          [
            { ...ref('ReplicaSet', `web-${hash}`, 'rs-1'), apiVersion: 'extensions/v1beta1' },
            ref('ReplicaSet', `web-${hash}`, 'rs-1'),
          ],
          '10.1.0.3',
        ),
      ),
    );
    expect(workloads).toEqual(['k8s:shop/web Deployment ×3']);
    expect(where).toEqual([
      `f0.json:57:11 warn Pod shop/web-7c9b6d5f4-b2: owner reference "web-${hash}" has no kind (the API requires one); grouped with the other objects owned by "web-${hash}"`,
    ]);
  });

  it('a uid names the file’s object even when the reference’s name is stale: its ReplicaSet, then its Deployment', () => {
    // `kubectl get rs,pods -o json`: one List whose items carry their kind.
    const list = {
      kind: 'List',
      apiVersion: 'v1',
      items: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: `web-${hash}`,
            namespace: 'shop',
            uid: 'rs-1',
            ownerReferences: [ref('Deployment', 'web', 'dep-1', true)],
          },
          spec: {
            replicas: 2,
            template: { metadata: { labels: web }, spec: { containers: [{ name: 'c', image: 'x' }] } },
          },
        },
        { apiVersion: 'v1', kind: 'Pod', ...pod('p1', web, [ref(undefined, 'web-old', 'rs-1', true)], '10.1.0.1') },
      ],
    };
    const { workloads } = load(list);
    expect(workloads).toEqual(['k8s:shop/web Deployment ×1']);
  });

  it('owners that share a name across kinds are different workloads (a Deployment and a StatefulSet both "db")', () => {
    const { ws, workloads } = load(
      podList(
        pod(
          `db-${hash}-x1`,
          { app: 'db', 'pod-template-hash': hash },
          [ref('ReplicaSet', `db-${hash}`, 'rs-db', true)],
          '10.1.0.7',
        ),
        pod('db-0', { app: 'db-sts' }, [ref('StatefulSet', 'db', 'ss-db', true)], '10.1.0.8'),
        pod('db-1', { app: 'db-sts' }, [ref('StatefulSet', 'db', 'ss-db', true)], '10.1.0.9'),
      ),
    );
    expect(workloads).toEqual(['k8s:shop/db Deployment ×1', 'k8s:shop/statefulset/db StatefulSet ×2']);
    expect(ws.services.map((s) => s.addresses)).toEqual([['10.1.0.7'], ['10.1.0.8', '10.1.0.9']]);
  });

  it('more than one controller (the API refuses it): the first is used, with a warning at the second', () => {
    const { workloads, where } = load(
      podList(
        pod(
          'odd',
          { app: 'odd' },
          [ref('ReplicaSet', 'one', 'u1', true), ref('ReplicaSet', 'two', 'u2', true)],
          '10.1.0.10',
        ),
      ),
    );
    expect(workloads).toEqual(['k8s:shop/one ReplicaSet ×1']);
    expect(where).toEqual([
      'f0.json:25:11 warn Pod shop/odd: more than one owner reference is the controller (the API allows one); the first, ReplicaSet "one", is used',
    ]);
  });

  it('connlist lists the workload once: pods whose references share a uid are one peer', () => {
    const { ws } = load(
      podList(
        pod('web-7c9b6d5f4-a1', web, [ref('ReplicaSet', `web-${hash}`, 'rs-1', true)], '10.1.0.1'),
        pod('web-7c9b6d5f4-b2', web, [ref(undefined, `web-${hash}`, 'rs-1', true)], '10.1.0.2'),
        pod('client', { app: 'client' }, [], '10.1.0.20'),
      ),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web-in', namespace: 'shop' },
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 80 }] }],
        },
      },
    );
    const result = computeConnlist(ws);
    expect(result.workloads).toEqual(['shop/client', 'shop/web']);
    expect(formatConnlist(result).split('\n')).toContain('shop/client => shop/web : TCP 80');
    expect(
      formatConnlist(result)
        .split('\n')
        .filter((l) => l.endsWith('=> shop/web : TCP 80') || l.includes('=> shop/web :')),
    ).toEqual(['shop/client => shop/web : TCP 80']);
  });

  it('one uid given two names by references with a kind is a copied uid: each reference names its own owner, with a warning', () => {
    // An object's name never changes (kubernetes.io/docs/concepts/overview/working-with-objects/names/) and a
    // uid is one object's, so DaemonSets "agents" and "agents-analyzer" under one uid are two objects whose
    // manifests share a copied uid (the reference analyzer's core_pods_without_host_ip has four such pairs).
    const { workloads, where } = load(
      podList(
        pod('agents-x1', { app: 'a' }, [ref('DaemonSet', 'agents', 'ds-1', true)], '10.1.0.1'),
        pod('agents-x2', { app: 'a' }, [ref('DaemonSet', 'agents', 'ds-1', true)], '10.1.0.2'),
        pod('analyzer-y1', { app: 'b' }, [ref('DaemonSet', 'agents-analyzer', 'ds-1', true)], '10.1.0.3'),
      ),
    );
    expect(workloads).toEqual(['k8s:shop/agents DaemonSet ×2', 'k8s:shop/agents-analyzer DaemonSet ×1']);
    expect(where).toEqual([
      "f0.json:17:11 warn owner references name 2 objects (DaemonSet agents, DaemonSet agents-analyzer) with the one uid ds-1; a uid is one object's, so each is read by its kind and name",
    ]);
  });

  it('--format txt names pods of a ReplicaSet whose Deployment is only inferred by that ReplicaSet, as the reference prints them', () => {
    // np-guard netpol-analyzer names a Pod by its controller owner reference (PodFromCoreObject: the
    // reference with controller: true), so a live-cluster dump prints `shop/web-7c9b6d5f4[ReplicaSet]`.
    const { ws } = load(
      podList(
        pod('web-7c9b6d5f4-a1', web, [ref('ReplicaSet', `web-${hash}`, 'rs-1', true)], '10.1.0.1'),
        pod('web-7c9b6d5f4-b2', web, [ref('ReplicaSet', `web-${hash}`, 'rs-1', true)], '10.1.0.2'),
        pod('db-0', { app: 'db' }, [ref('StatefulSet', 'db', 'ss-1', true)], '10.1.0.3'),
      ),
    );
    const result = computeConnlist(ws);
    expect(result.workloads).toEqual(['shop/db', 'shop/web']);
    expect(formatConnlistReference(result).split('\n')).toEqual([
      '0.0.0.0-255.255.255.255 => shop/db[StatefulSet] : All Connections',
      '0.0.0.0-255.255.255.255 => shop/web-7c9b6d5f4[ReplicaSet] : All Connections',
      'shop/db[StatefulSet] => 0.0.0.0-255.255.255.255 : All Connections',
      'shop/db[StatefulSet] => shop/web-7c9b6d5f4[ReplicaSet] : All Connections',
      'shop/web-7c9b6d5f4[ReplicaSet] => 0.0.0.0-255.255.255.255 : All Connections',
      'shop/web-7c9b6d5f4[ReplicaSet] => shop/db[StatefulSet] : All Connections',
    ]);
  });

  it('--format txt: the same when that ReplicaSet is in the file beside its pods (the reference reads it as a workload of its own name)', () => {
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `web-${hash}`,
        namespace: 'shop',
        uid: 'rs-1',
        ownerReferences: [ref('Deployment', 'web', 'dep-1', true)],
      },
      spec: { replicas: 1, template: { metadata: { labels: web }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    };
    const pods = podList(pod('web-7c9b6d5f4-a1', web, [ref('ReplicaSet', `web-${hash}`, 'rs-1', true)], '10.1.0.1'));
    const { ws, workloads } = load({ kind: 'List', apiVersion: 'v1', items: [rs, ...pods.items] });
    expect(workloads).toEqual(['k8s:shop/web Deployment ×undefined']);
    expect(formatConnlistReference(computeConnlist(ws)).split('\n')).toEqual([
      '0.0.0.0-255.255.255.255 => shop/web-7c9b6d5f4[ReplicaSet] : All Connections',
      'shop/web-7c9b6d5f4[ReplicaSet] => 0.0.0.0-255.255.255.255 : All Connections',
    ]);
  });
});
