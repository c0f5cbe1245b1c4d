// Which workload a Kubernetes object belongs to, from its owner references, resolved as the API defines them.
//
// https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/: "A valid owner
// reference consists of the object name and a UID" — the uid is the owner's identity, so references that
// share a uid are one owner whatever else they say. ObjectMeta.ownerReferences
// (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/#ObjectMeta): "If this
// object is managed by a controller, then an entry in this list will point to this controller, with the
// controller field set to true. There cannot be more than one managing controller." The garbage collector
// (https://kubernetes.io/docs/concepts/architecture/garbage-collection/#owners-dependents) keeps a dependent
// while any owner lives; the workload it runs under is its managing controller, or its only owner.
import { arr, get, isRecord, type Manifest, str } from '../../import/manifests';
import { UNKNOWN_OWNER_KIND } from '../../model/types';
import type { K8sRead, OwnerRef, WorkloadObject } from './context';

/**
 * The references that can name an object's workload: its controller when it has one, else every owner.
 * A Node is never a workload: a static pod's mirror is owned by its Node (`kubernetes.io/config.mirror`,
 * https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/), the kubelet runs it alone, so it
 * is a workload of its own. A reference without `kind` (the API requires one) still names the owner.
 */
export const ownerRefsOf = (ctx: K8sRead, m: Manifest, namespace: string): OwnerRef[] => {
  const refs: (OwnerRef & { controller: boolean })[] = [];
  (arr(get(m.value, 'metadata', 'ownerReferences')) ?? []).forEach((r, at) => {
    const name = isRecord(r) ? str(r.name) : undefined;
    if (!isRecord(r) || !name) return;
    const kind = str(r.kind);
    const uid = str(r.uid);
    refs.push({ name, at, controller: r.controller === true, ...(kind ? { kind } : {}), ...(uid ? { uid } : {}) });
  });
  const controllers = refs.filter((r) => r.controller);
  const what = `${m.kind} ${namespace}/${str(get(m.value, 'metadata', 'name'))}`;
  if (controllers.length > 1)
    ctx.diag(
      m,
      ['metadata', 'ownerReferences', controllers[1]?.at ?? 0],
      `${what}: more than one owner reference is the controller (the API allows one); the first, ${controllers[0]?.kind ?? ''} "${controllers[0]?.name}", is used`,
      'warn',
    );
  const chosen = controllers.length > 0 ? controllers.slice(0, 1) : refs;
  const owners = chosen.filter((r) => r.kind !== 'Node').map(({ controller: _, ...r }) => r);
  for (const r of owners)
    if (!r.kind)
      ctx.diag(
        m,
        ['metadata', 'ownerReferences', r.at],
        `${what}: owner reference "${r.name}" has no kind (the API requires one); grouped with the other objects owned by "${r.name}"`,
        'warn',
      );
  return owners;
};

type Top = { kind: string; name: string };

/**
 * The owner each uid of the references names, where the references agree. A uid is one object's and an
 * object's name never changes (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/),
 * so references with a kind that give one uid two names (or kinds) are copies with a stale uid, as in
 * hand-edited manifests: that uid identifies nothing, each reference names its owner by kind and name
 * (as np-guard's netpol-analyzer reads them), and a warning says so.
 */
const referencedUids = (ctx: K8sRead): Map<string, Top> => {
  const named = new Map<string, { top: Top; others: Set<string>; w: WorkloadObject; at: number }>();
  for (const w of ctx.workloads)
    for (const r of w.owners ?? []) {
      if (!r.uid || !r.kind) continue;
      const seen = named.get(r.uid);
      if (!seen) named.set(r.uid, { top: r as Top, others: new Set([`${r.kind} ${r.name}`]), w, at: r.at });
      else seen.others.add(`${r.kind} ${r.name}`);
    }
  const out = new Map<string, Top>();
  for (const [uid, { top, others, w, at }] of named) {
    if (others.size === 1) {
      out.set(uid, top);
      continue;
    }
    ctx.diag(
      w.m,
      ['metadata', 'ownerReferences', at],
      `owner references name ${others.size} objects (${[...others].join(', ')}) with the one uid ${uid}; a uid is one object's, so each is read by its kind and name`,
      'warn',
    );
  }
  return out;
};

/**
 * The top controller of every workload object of a file: owner references followed up (ReplicaSet →
 * Deployment, Job → CronJob), an owner identified by its uid first (the file's objects' `metadata.uid`,
 * then any reference with a kind carrying that uid), else by kind and name. An object with several owners
 * and no controller belongs to them when they all lead to one workload, else it is a workload of its own.
 */
export const topControllers = (ctx: K8sRead): Map<WorkloadObject, Top> => {
  const byKey = new Map(ctx.workloads.map((w) => [`${w.namespace}/${w.kind}/${w.name}`, w]));
  const byUid = new Map<string, Top>();
  for (const w of ctx.workloads) {
    const uid = str(get(w.m.value, 'metadata', 'uid'));
    if (uid && !byUid.has(uid)) byUid.set(uid, { kind: w.kind, name: w.name });
  }
  for (const [uid, top] of referencedUids(ctx)) if (!byUid.has(uid)) byUid.set(uid, top);
  const owner = (r: OwnerRef): Top =>
    (r.uid ? byUid.get(r.uid) : undefined) ?? { kind: r.kind ?? UNKNOWN_OWNER_KIND, name: r.name };

  const tops = new Map<WorkloadObject, Top>();
  const topOf = (w: WorkloadObject, hops: number): Top => {
    const known = tops.get(w);
    if (known) return known;
    const self = { kind: w.kind, name: w.name };
    const found = new Map<string, Top>();
    for (const r of hops < 10 ? (w.owners ?? []) : []) {
      const t = topOfOwner(w, owner(r), hops);
      found.set(`${t.kind}/${t.name}`, t);
    }
    const top = found.size === 1 ? ([...found.values()][0] ?? self) : self;
    if (found.size > 1)
      ctx.diag(
        w.m,
        ['metadata', 'ownerReferences'],
        `${w.kind} ${w.namespace}/${w.name} has ${found.size} owners (${[...found.values()].map((t) => `${t.kind} ${t.name}`).join(', ')}) and none is its controller; read as a workload of its own`,
        'info',
      );
    tops.set(w, top);
    return top;
  };
  const topOfOwner = (w: WorkloadObject, o: Top, hops: number): Top => {
    const obj = byKey.get(`${w.namespace}/${o.kind}/${o.name}`);
    if (obj) return topOf(obj, hops + 1);
    // A ReplicaSet that is not in the file: its Deployment is its name minus the pod-template-hash.
    const hash =
      w.template?.labels['pod-template-hash'] ?? str(get(w.m.value, 'metadata', 'labels', 'pod-template-hash'));
    if (o.kind === 'ReplicaSet' && hash && o.name.endsWith(`-${hash}`)) {
      const dep = o.name.slice(0, -hash.length - 1);
      const depObj = byKey.get(`${w.namespace}/Deployment/${dep}`);
      return depObj ? topOf(depObj, hops + 1) : { kind: 'Deployment', name: dep };
    }
    // A Job that is not in the file, named `<cronjob>-<schedule time>`: its CronJob, when that is.
    const cron = o.kind === 'Job' ? /^(.+)-\d+$/.exec(o.name)?.[1] : undefined;
    const cronObj = cron ? byKey.get(`${w.namespace}/CronJob/${cron}`) : undefined;
    if (cronObj) return { kind: cronObj.kind, name: cronObj.name };
    return o;
  };
  for (const w of ctx.workloads) topOf(w, 0);
  return tops;
};
