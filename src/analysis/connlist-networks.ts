// Which network each workload of a connectivity list is on (the cluster's pod network, a primary user-defined
// network, secondary networks), and the reference layout's per-network sections built from it.
import { SECONDARY_KIND, type Segment, type Service, UDN_KIND, type Workspace } from '../model/types';
import type { Connection } from './connlist';

/** A workload's primary network (none: the cluster's pod network) and the secondary networks it attaches to. */
export interface WorkloadNetworks {
  primary?: { kind: 'UDN' | 'CUDN'; name: string };
  secondary: string[];
}

/** The primary user-defined network over a segment: itself or the nearest ancestor of that kind. */
const primaryOf = (segments: ReadonlyMap<string, Segment>, id: string): Segment | undefined => {
  const seen = new Set<string>();
  for (let s = segments.get(id); s && !seen.has(s.id); s = s.parent ? segments.get(s.parent) : undefined) {
    seen.add(s.id);
    if (s.attributes?.kind === UDN_KIND) return s;
  }
  return undefined;
};

/**
 * The networks of each named workload, or undefined when the workspace has no user-defined or secondary
 * network (then every workload is on the pod network and the layout has no sections). OVN-Kubernetes names
 * a namespace's UserDefinedNetwork after the namespace (the reference prints `primary UDN blue` for a UDN
 * `blue-network` in namespace blue); a ClusterUserDefinedNetwork goes by its own name.
 */
export const workloadNetworks = (
  ws: Workspace,
  services: readonly Service[],
  names: readonly string[],
): Record<string, WorkloadNetworks> | undefined => {
  const kinds = new Set([UDN_KIND, SECONDARY_KIND]);
  if (!ws.segments.some((s) => s.level === 'network' && kinds.has(String(s.attributes?.kind)))) return undefined;
  const segments = new Map(ws.segments.map((s) => [s.id, s]));
  const out: Record<string, WorkloadNetworks> = {};
  services.forEach((svc, i) => {
    const entry: WorkloadNetworks = { secondary: [] };
    for (const id of svc.memberships.network ?? []) {
      const seg = segments.get(id);
      if (seg?.attributes?.kind === SECONDARY_KIND) {
        entry.secondary.push(seg.name);
        continue;
      }
      const udn = primaryOf(segments, id);
      if (!udn || entry.primary) continue;
      entry.primary =
        udn.attributes?.via === 'ClusterUserDefinedNetwork'
          ? { kind: 'CUDN', name: udn.name }
          : { kind: 'UDN', name: svc.namespace ?? udn.name.split('/')[0] ?? udn.name };
    }
    entry.secondary.sort();
    out[names[i] as string] = entry;
  });
  return out;
};

/** One section of the layout: its network (undefined: the pod network) and its connections. */
export interface NetworkSection {
  kind?: 'UDN' | 'CUDN' | 'NAD';
  name?: string;
  connections: Connection[];
}

/**
 * The connections grouped as the reference analyzer groups them: by the network that carries them. A pair
 * (or an address range and a workload) on one primary user-defined network goes to that network; two
 * workloads on different primaries can meet only on a secondary network they share; the rest is the pod
 * network. Sections in the reference's order: pod network, UDNs, CUDNs, then NADs, each by name.
 */
export const networkSections = (
  connections: readonly Connection[],
  networks: Readonly<Record<string, WorkloadNetworks>>,
): NetworkSection[] => {
  const pod: NetworkSection = { connections: [] };
  const byKey = new Map<string, NetworkSection>();
  const section = (kind: 'UDN' | 'CUDN' | 'NAD', name: string): NetworkSection => {
    const key = `${kind}\u0000${name}`;
    const s = byKey.get(key) ?? { kind, name, connections: [] };
    byKey.set(key, s);
    return s;
  };
  for (const c of connections) {
    const a = networks[c.from];
    const b = networks[c.to];
    const pa = a?.primary;
    const pb = b?.primary;
    const samePrimary = !a || !b || (pa?.kind === pb?.kind && pa?.name === pb?.name);
    if (samePrimary) {
      const p = pa ?? pb;
      (p ? section(p.kind, p.name) : pod).connections.push(c);
      continue;
    }
    const shared = a.secondary.find((n) => b.secondary.includes(n));
    (shared ? section('NAD', shared) : pod).connections.push(c);
  }
  const order = { UDN: 0, CUDN: 1, NAD: 2 } as const;
  const rest = [...byKey.values()].sort((x, y) =>
    x.kind === y.kind
      ? (x.name as string) < (y.name as string)
        ? -1
        : 1
      : order[x.kind ?? 'UDN'] - order[y.kind ?? 'UDN'],
  );
  return [pod, ...rest];
};
