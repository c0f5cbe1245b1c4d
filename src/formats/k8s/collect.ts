// Pass 1 of reading a Kubernetes file: each object by kind into the reading context (workloads, Services, policies…).
import { arr, get, isRecord, type Manifest, meta, type Path, rec, str } from '../../import/manifests';
import type { Protocol } from '../../model/types';
import { isAdminPolicy, readAdminPolicy } from './admin-policy';
import { isCiliumPolicy, readCiliumPolicy } from './cilium-policy';
import { type K8sRead, type K8sServiceObject, type PodTemplate, PROTOCOLS } from './context';
import { WORKLOAD_KINDS } from './conventions';
import { isIstioSecurity, readIstioPolicy } from './istio-policy';
import { isKubevirtWorkload, kubevirtPodLabels, kubevirtTemplatePath } from './kubevirt';
import { readNetworkPolicy } from './network-policy';
import { isNetworkObject, readMultiNetworkPolicy } from './networks';
import { readNode } from './nodes';
import { ownerRefsOf } from './owners';

/** Kinds that exist in every cluster but say nothing about segmentation: read, reported as ignored. */
const IGNORED_KINDS = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ControllerRevision',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'Endpoints',
  'EndpointSlice',
  'Event',
  'HorizontalPodAutoscaler',
  'IngressClass',
  'Lease',
  'LimitRange',
  'MutatingWebhookConfiguration',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'PodDisruptionBudget',
  'PodTemplate',
  'PriorityClass',
  'ResourceQuota',
  'Role',
  'RoleBinding',
  'RuntimeClass',
  'Secret',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VerticalPodAutoscaler',
  'VolumeAttachment',
]);

/** Objects read whole, whatever their namespace: nodes, networks, cluster and mesh policies; false for the rest. */
const collectPolicyOrNetwork = (ctx: K8sRead, m: Manifest): boolean => {
  if (m.kind === 'Node' && m.apiVersion === 'v1') {
    readNode(ctx, m);
    return true;
  }
  if (isNetworkObject(m)) {
    ctx.networkObjects.push(m);
    return true;
  }
  if (m.kind === 'MultiNetworkPolicy' && m.apiVersion.startsWith('k8s.cni.cncf.io/')) {
    readMultiNetworkPolicy(ctx, m);
    return true;
  }
  if (isCiliumPolicy(m)) {
    ctx.fragment.rules.push(...readCiliumPolicy(ctx, m));
    return true;
  }
  if (isIstioSecurity(m)) {
    const rule = readIstioPolicy(ctx, m);
    if (rule) ctx.fragment.rules.push(rule);
    return true;
  }
  if (isAdminPolicy(m)) {
    const rule = readAdminPolicy(ctx, m);
    if (rule) ctx.adminPolicies.push({ rule, m });
    return true;
  }
  return false;
};

export const collect = (ctx: K8sRead, m: Manifest): void => {
  const { name } = meta(m);
  if (collectPolicyOrNetwork(ctx, m)) return;
  if (IGNORED_KINDS.has(m.kind)) {
    ctx.diag(m, [], `${m.kind}${name ? ` ${name}` : ''} is not used for segmentation; ignored`, 'info');
    return;
  }
  const handled =
    WORKLOAD_KINDS.has(m.kind) ||
    isKubevirtWorkload(m) ||
    ['Namespace', 'Service', 'ServiceAccount', 'NetworkPolicy', 'Ingress', 'ConfigMap', 'Route'].includes(m.kind);
  if (!handled || (m.kind === 'Route' && !m.apiVersion.startsWith('route.openshift.io/'))) {
    ctx.diag(m, ['kind'], `unknown kind "${m.kind}"${m.apiVersion ? ` (${m.apiVersion})` : ''}; skipped`, 'warn');
    return;
  }
  if (!name) {
    ctx.diag(m, ['metadata'], `${m.kind} without metadata.name; skipped`);
    return;
  }
  const namespace = meta(m).namespace ?? 'default';
  if (m.kind === 'Namespace') {
    const labels = ctx.labels(m, ['metadata', 'labels'], get(m.value, 'metadata', 'labels'));
    const prev = ctx.namespaces.get(name);
    if (prev?.m) {
      ctx.diag(m, ['metadata', 'name'], `duplicate Namespace ${name}; the later one is skipped`, 'warn');
      return;
    }
    ctx.namespaces.set(name, { labels, m });
    return;
  }
  ctx.ns(namespace);
  collectNamespaced(ctx, m, name, namespace);
};

/** A namespaced object with a name: service accounts, config maps, Services, NetworkPolicies, Ingress/Route, workloads. */
const collectNamespaced = (ctx: K8sRead, m: Manifest, name: string, namespace: string): void => {
  switch (m.kind) {
    case 'ServiceAccount':
      if (ctx.serviceAccounts.has(`${namespace}/${name}`)) {
        ctx.diag(
          m,
          ['metadata', 'name'],
          `duplicate ServiceAccount ${namespace}/${name}; the later one is skipped`,
          'warn',
        );
      } else ctx.serviceAccounts.set(`${namespace}/${name}`, m);
      return;
    case 'ConfigMap':
      ctx.configMaps.set(`${namespace}/${name}`, m);
      ctx.diag(m, [], `ConfigMap ${namespace}/${name}: only read for environment values that name services`, 'info');
      return;
    case 'Service':
      collectService(ctx, m, name, namespace);
      return;
    case 'NetworkPolicy': {
      const rule = readNetworkPolicy(ctx, m, name, namespace);
      if (rule) ctx.policies.push({ rule, m });
      return;
    }
    case 'Ingress':
    case 'Route':
      ctx.ingresses.push(m);
      return;
    default:
      collectWorkload(ctx, m, name, namespace);
  }
};

export const collectWorkload = (ctx: K8sRead, m: Manifest, name: string, namespace: string): void => {
  const key = `${namespace}/${m.kind}/${name}`;
  if (ctx.workloadKeys.has(key)) {
    ctx.diag(m, ['metadata', 'name'], `duplicate ${m.kind} ${namespace}/${name}; the later one is skipped`, 'warn');
    return;
  }
  ctx.workloadKeys.add(key);
  const kubevirt = isKubevirtWorkload(m);
  const templatePath: Path = kubevirt
    ? kubevirtTemplatePath(m)
    : m.kind === 'Pod'
      ? []
      : m.kind === 'CronJob'
        ? ['spec', 'jobTemplate', 'spec', 'template']
        : ['spec', 'template'];
  const tpl = templatePath.length === 0 ? m.value : get(m.value, ...templatePath);
  let template: PodTemplate | undefined;
  if (isRecord(tpl) && (templatePath.length === 0 || isRecord(tpl.spec) || isRecord(tpl.metadata))) {
    const labels = ctx.labels(m, [...templatePath, 'metadata', 'labels'], get(tpl, 'metadata', 'labels'));
    template = {
      labels: kubevirt ? kubevirtPodLabels(m, name, labels) : labels,
      spec: rec(tpl.spec) ?? {},
      specPath: [...templatePath, 'spec'],
    };
  } else if (m.kind !== 'Pod' || tpl === undefined) {
    ctx.diag(m, ['spec'], `${m.kind} ${namespace}/${name} has no pod template; read without labels or ports`, 'warn');
  }
  const owners = ownerRefsOf(ctx, m, namespace);
  ctx.workloads.push({
    m,
    kind: m.kind,
    name,
    namespace,
    ...(template ? { template } : {}),
    ...(owners.length > 0 ? { owners } : {}),
  });
};

export const collectService = (ctx: K8sRead, m: Manifest, name: string, namespace: string): void => {
  const key = `${namespace}/${name}`;
  if (ctx.k8sServices.has(key)) {
    ctx.diag(m, ['metadata', 'name'], `duplicate Service ${key}; the later one is skipped`, 'warn');
    return;
  }
  const spec = rec(m.value.spec) ?? {};
  const type = str(spec.type) ?? 'ClusterIP';
  const rawSel = rec(spec.selector);
  const selector = rawSel && Object.keys(rawSel).length > 0 ? ctx.labels(m, ['spec', 'selector'], rawSel) : undefined;
  const ports: K8sServiceObject['ports'] = [];
  (arr(spec.ports) ?? []).forEach((p, i) => {
    const port = get(p, 'port');
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      ctx.diag(
        m,
        ['spec', 'ports', i, 'port'],
        `Service ${key}: port ${JSON.stringify(port)} is not a port number; skipped`,
      );
      return;
    }
    const tp = get(p, 'targetPort');
    const targetPort =
      typeof tp === 'number' ? tp : typeof tp === 'string' && tp !== '' ? (/^\d+$/.test(tp) ? Number(tp) : tp) : port;
    // https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec: targetPort
    // is 1–65535 or an IANA_SVC_NAME, protocol TCP, UDP or SCTP; anything else is left out, never guessed.
    if (typeof targetPort === 'number' && (!Number.isInteger(targetPort) || targetPort < 1 || targetPort > 65535)) {
      ctx.diag(
        m,
        ['spec', 'ports', i, 'targetPort'],
        `Service ${key}: targetPort ${JSON.stringify(tp)} is not a port number; skipped`,
      );
      return;
    }
    const proto = get(p, 'protocol') ?? 'TCP';
    if (!PROTOCOLS.includes(proto as Protocol)) {
      ctx.diag(
        m,
        ['spec', 'ports', i, 'protocol'],
        `Service ${key}: protocol ${JSON.stringify(proto)} is not TCP, UDP or SCTP; skipped`,
      );
      return;
    }
    const pname = str(get(p, 'name'));
    ports.push({
      port,
      targetPort,
      protocol: proto as Protocol,
      ...(pname ? { name: pname } : {}),
    });
  });
  const externalName = type === 'ExternalName' ? str(spec.externalName) : undefined;
  ctx.k8sServices.set(key, {
    m,
    name,
    namespace,
    type,
    ...(selector ? { selector } : {}),
    ports,
    targets: [],
    ...(externalName ? { externalName } : {}),
  });
};
