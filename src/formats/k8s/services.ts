// Pass 3 of reading a Kubernetes file: Services select workloads (aliases, exposure, ExternalName).
import { arr, get } from '../../import/manifests';
import { matchLabelSelector } from '../../model/selector';
import type { Protocol, Service } from '../../model/types';
import { groupsIn, type K8sRead, type K8sServiceObject } from './context';
import { serviceId } from './conventions';
import { keepService } from './pending';

/** Cloud annotations that make a LoadBalancer internal (not reachable from the internet). */
const INTERNAL_LB_ANNOTATIONS: [string, RegExp][] = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', /^(true|0\.0\.0\.0\/0)$/i],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
  ['networking.gke.io/load-balancer-type', /^internal$/i],
  ['cloud.google.com/load-balancer-type', /^internal$/i],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', /^true$/i],
  ['service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', /^private$/i],
];

/** An ExternalName Service is a DNS alias for something outside the cluster: an external service. */
const readExternalName = (ctx: K8sRead, s: K8sServiceObject, externalName: string): void => {
  const service: Service = {
    id: serviceId(s.namespace, s.name),
    name: s.name,
    kind: 'external',
    namespace: s.namespace,
    memberships: {},
    source: [s.m.source()],
    extra: { k8sKind: 'Service', externalName },
  };
  if (ctx.fragment.services.some((x) => x.id === service.id)) {
    ctx.diag(
      s.m,
      ['metadata', 'name'],
      `ExternalName Service ${s.namespace}/${s.name} has the name of a workload; not imported as an external service`,
      'warn',
    );
    return;
  }
  ctx.fragment.services.push(service);
  s.targets.push({ kind: 'Service', name: s.name, namespace: s.namespace, members: [], service, serviceAccount: '' });
};

/** Services: the workloads each selects (its targets), alias names, and exposure by type or external IPs. */
export const readK8sServices = (ctx: K8sRead): void => {
  for (const s of ctx.k8sServices.values()) {
    if (s.externalName) {
      readExternalName(ctx, s, s.externalName);
      continue;
    }
    if (!s.selector) {
      ctx.diag(
        s.m,
        ['spec'],
        `Service ${s.namespace}/${s.name} has no selector; its endpoints are managed outside the manifests and not modelled`,
        'info',
      );
      continue;
    }
    const sel = s.selector;
    s.targets = groupsIn(ctx, s.namespace).filter((g) =>
      matchLabelSelector({ matchLabels: sel }, g.service?.labels ?? {}),
    );
    const internal = INTERNAL_LB_ANNOTATIONS.some(([k, re]) => {
      const v = get(s.m.value, 'metadata', 'annotations', k);
      return typeof v === 'string' && re.test(v);
    });
    const exposed =
      (s.type === 'LoadBalancer' && !internal) ||
      s.type === 'NodePort' ||
      (arr(get(s.m.value, 'spec', 'externalIPs'))?.length ?? 0) > 0;
    // Workloads of the other files read with this one may be its targets too (settled when they are linked).
    keepService(ctx, s, exposed);
    if (s.targets.length === 0) {
      const text = Object.entries(sel)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      ctx.diag(
        s.m,
        ['spec', 'selector'],
        `Service ${s.namespace}/${s.name} selects no workload in this file (selector ${text})`,
        'warn',
      );
      continue;
    }
    for (const g of s.targets) {
      const svc = g.service as Service;
      if (s.name !== svc.name) {
        svc.extra = svc.extra ?? {};
        const extra = svc.extra;
        const aliases = (extra.aliases as string[] | undefined) ?? [];
        if (!aliases.includes(s.name)) aliases.push(s.name);
        extra.aliases = aliases;
      }
      if (exposed) {
        svc.exposed = true;
        for (const sp of s.ports) {
          const target = resolveTargetPort(svc, sp.targetPort, sp.protocol);
          const cp = svc.ports?.find((p) => p.port === target && (p.protocol ?? 'TCP') === sp.protocol);
          if (cp) cp.published = true;
        }
      }
    }
  }
};

export const resolveTargetPort = (svc: Service, target: number | string, protocol: Protocol): number | undefined => {
  if (typeof target === 'number') return target;
  return svc.ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol)?.port;
};
