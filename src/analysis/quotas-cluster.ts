// Quotas of clusters and hosts: pods per node, services and pods per cluster, kube-proxy's iptables size,
// Docker networks per host, bridge ports, overlay tasks, Weave peers, VLAN ids.
import type { Service } from '../model/types';
import { kindOf, membershipOf } from './core';
import { type Counter, isPod, subjectIds } from './quotas-counter';
import { tallyOf } from './tally';

// Pods per node and services and pods per cluster, summed over the pods (a what-if patches the moved one's).
const CLUSTER_DEFAULT = 'cluster:default';
export const podTally = tallyOf('services', (ix, i) => {
  if (!isPod(ix, i)) return [];
  const s = ix.services[i] as Service;
  const replicas = s.replicas ?? 1;
  const cluster = ix.memoFn('quotas.cluster', (j) =>
    membershipOf(ix.services[j] as never, 'account')
      .map((id) => ix.nearest(id, ['cluster']))
      .find((c) => c !== undefined),
  )(i)?.id;
  const key = cluster ?? CLUSTER_DEFAULT;
  const host = s.placement?.host;
  return [
    ...(host !== undefined ? ([[`node\u0000${host}`, replicas]] as const) : []),
    [`services\u0000${key}`, 1],
    [`pods\u0000${key}`, replicas],
  ];
});

/** The tally's entries with `prefix`, as [subject, sum] (the prefix cut). */
const entriesOf = (sum: ReadonlyMap<string, number>, prefix: string): [string, number][] => {
  const out: [string, number][] = [];
  for (const [k, v] of sum) if (k.startsWith(prefix)) out.push([k.slice(prefix.length), v]);
  return out;
};

/** Kubernetes: pods per node, services and pods per cluster, kube-proxy iptables size. */
export const kubernetesQuotas = ({ ix, want, use }: Counter) => {
  const { sum } = podTally.of(ix);
  for (const [host, n] of entriesOf(sum, 'node\u0000').sort()) {
    const id = subjectIds.node(host);
    if (want(id)) use('k8s.pods-per-node', 'workspace', id, n, 'account');
  }
  const pods = new Map(entriesOf(sum, 'pods\u0000'));
  for (const [id, services] of entriesOf(sum, 'services\u0000').sort()) {
    if (!want(id)) continue;
    // Pods outside any cluster segment count in the workspace's default cluster.
    const kind = id !== CLUSTER_DEFAULT ? 'segment' : 'workspace';
    use('k8s.services', kind, id, services, 'account');
    use('k8s.pods', kind, id, pods.get(id) ?? 0, 'account');
    use('iptables.services', kind, id, services, 'account');
  }
};

// Compose networks per host (or project): one key per host and network, counted by the services on it.
export const networkTally = tallyOf('services', (ix, i) => {
  const s = ix.services[i] as Service;
  const key = s.placement?.host
    ? subjectIds.host(s.placement.host)
    : s.namespace !== undefined
      ? subjectIds.project(s.namespace)
      : undefined;
  if (!key) return [];
  const nets = ix.memoFn('quotas.compose-networks', (j) =>
    membershipOf(ix.services[j] as never, 'overlay').filter((id) => kindOf(ix.segments.get(id)) === 'compose-network'),
  )(i);
  return [...new Set(nets)].map((n) => [`${key}\u0000${n}`, 1] as const);
});

/** Docker: user-defined networks per host, bridge ports, swarm overlay tasks, Weave peers; VLAN ids. */
export const overlayQuotas = ({ ix, want, use, segs, byKind }: Counter) => {
  const networksPerHost = new Map<string, number>();
  for (const k of networkTally.of(ix).n.keys()) {
    const key = k.slice(0, k.indexOf('\u0000'));
    networksPerHost.set(key, (networksPerHost.get(key) ?? 0) + 1);
  }
  for (const [key, n] of [...networksPerHost].sort()) {
    if (want(key)) use('docker.networks-per-host', 'workspace', key, n, 'overlay');
  }
  for (const s of segs) {
    if (s.level !== 'overlay' || !want(s.id)) continue;
    const kind = kindOf(s);
    const members = ix.members.get(s.id) ?? [];
    const tasks = members.reduce((n, i) => n + (ix.services[i]?.replicas ?? 1), 0);
    if (kind === 'compose-network' || kind === 'bridge') {
      if (s.attributes?.driver === 'overlay') use('docker.overlay-tasks', 'segment', s.id, tasks, 'overlay');
      else use('docker.bridge-ports', 'segment', s.id, tasks, 'overlay');
    } else if (kind === 'overlay') use('docker.overlay-tasks', 'segment', s.id, tasks, 'overlay');
    else if (kind === 'weave') use('weave.connections', 'segment', s.id, members.length, 'overlay');
  }
  const vlans = byKind('vlan').length;
  if (vlans > 0 && want(subjectIds.workspace)) use('vlan.ids', 'workspace', subjectIds.workspace, vlans, 'network');
};
