// What the written manifests cannot say, known when writing (the reader's conventions, not a read-back): kinds, exposure, networks, ports.
import { examples, formatExtra, type Notes, placeholderImage, sameSet } from '../../export/format';
import type { Workspace } from '../../model/types';
import { guessKind } from '../kinds';
import { namespaceNetworkId, SERVICE_PREFIX } from './conventions';
import type { Workload } from './write-workloads';

/** The container image another format knew for a workload (the writer uses a placeholder without one). */
export const knownImage = (w: Workload): string | undefined =>
  [formatExtra(w.svc, SERVICE_PREFIX).image, formatExtra(w.svc, 'compose:').image].find(
    (i): i is string => typeof i === 'string',
  );

/** The container image written for a workload: the known one, else a placeholder that guesses its kind. */
export const imageOf = (w: Workload): string => knownImage(w) ?? placeholderImage(w.name, w.svc.kind);

/**
 * Say where the reader will give a workload other facts than the workspace has: it guesses the kind from
 * the image (workloads.ts), finds exposure only on a LoadBalancer Service or an Ingress/Route (services.ts,
 * ingresses.ts), puts a pod on its namespace's network only (no attachment or UDN is written), and gives an
 * address without a port the Service's only port (calls.ts).
 */
export const noteUnwritten = (ws: Workspace, workloads: readonly Workload[], notes: Notes): void => {
  for (const w of workloads) {
    if (w.externalName !== undefined) continue;
    const want = (w.svc.memberships.network ?? []).filter((id) => id.includes(':k8s:'));
    const network = namespaceNetworkId(w.namespace);
    if (want.length > 0 && !sameSet(want, [network])) {
      notes.item('network memberships that read back differently', `${w.svc.id} → [${network}]`);
    }
    const kind = guessKind(w.name, imageOf(w), false);
    if (kind !== w.svc.kind) notes.item('kinds that read back differently', `${w.svc.id} → ${kind}`);
    const exposed = w.serviceName !== undefined && (w.svc.exposed === true || routed(w));
    if (exposed !== Boolean(w.svc.exposed)) {
      notes.item('exposure that reads back differently', `${w.svc.id} → ${exposed ? 'exposed' : 'not exposed'}`);
    }
  }
  const byId = new Map(workloads.map((w) => [w.svc.id, w]));
  const gained: string[] = [];
  for (const c of ws.calls) {
    const from = byId.get(c.from);
    const to = byId.get(c.to);
    if (c.port !== undefined || !from || !to || from.externalName !== undefined || to.serviceName === undefined)
      continue;
    const only = to.svc.ports ?? [];
    if (only.length === 1) gained.push(`${c.from} → ${c.to}:${(only[0] as { port: number }).port}`);
  }
  if (gained.length > 0) {
    notes.add(`call(s) without a port read back with the only port of the callee's Service: ${examples(gained)}`);
  }
};

const routed = (w: Workload): boolean => (w.svc.ports ?? []).some((p) => (p.routed ?? []).length > 0);
