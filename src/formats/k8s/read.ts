// Reader for Kubernetes manifests: workloads, Services, Ingress, ServiceAccounts, Namespaces, NetworkPolicies (+ Calico in the same file).
import { get, loadManifests, meta, str } from '../../import/manifests';
import { type ParsedFile, parseFile } from '../../import/parse';
import type { FileInput, FormatReader, ReadResult } from '../../import/types';
import { isCalicoApiVersion } from '../calico/conventions';
import { checkCalicoTiers, readCalicoManifest } from '../calico/read';
import { checkAdminPolicies } from './admin-policy';
import { buildCalls } from './calls';
import { collect } from './collect';
import { createK8sRead } from './context';
import { detectK8s } from './detect';
import { readIngresses } from './ingresses';
import { resolveIstioTargets } from './istio-policy';
import { readPolicies } from './network-policy';
import { buildSegmentsAndMemberships } from './segments';
import { readK8sServices } from './services';
import { buildServices, groupWorkloads } from './workloads';

export { findHostRefs, type HostRef } from './calls';
export { linkK8s, linkPolicyMemberships } from './link';

const read = (file: FileInput, parsed: ParsedFile = parseFile(file)): ReadResult => {
  const loaded = loadManifests(file, parsed);
  const ctx = createK8sRead(file, loaded.diagnostics);
  for (const m of loaded.manifests) {
    const cn = str(get(m.value, 'metadata', 'clusterName'));
    if (cn && !ctx.clusterName) ctx.clusterName = cn;
    if (isCalicoApiVersion(m.apiVersion)) {
      // Calico objects in a Kubernetes file: read by the Calico reader into the same rules.
      readCalicoManifest(m, ctx.calico);
      if (m.kind === 'NetworkPolicy' || m.kind === 'NetworkSet') ctx.ns(meta(m).namespace ?? 'default');
      continue;
    }
    collect(ctx, m);
  }
  checkCalicoTiers(ctx.calico);
  groupWorkloads(ctx);
  buildServices(ctx);
  readK8sServices(ctx);
  resolveIstioTargets(ctx);
  readIngresses(ctx);
  readPolicies(ctx);
  ctx.fragment.rules.push(...checkAdminPolicies(ctx, ctx.adminPolicies));
  buildSegmentsAndMemberships(ctx);
  buildCalls(ctx);
  return { fragment: ctx.fragment, diagnostics: ctx.diagnostics };
};

export const k8sReader: FormatReader = {
  id: 'k8s',
  label: 'Kubernetes manifest',
  detect: detectK8s,
  read,
};
