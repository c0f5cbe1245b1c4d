// The text layout of Kubernetes connectivity analyzers (np-guard netpol-analyzer `list --output txt`), for `connlist --format txt`.
import type { Protocol } from '../model/types';
import type { Connection, Connlist, Ports } from './connlist';
import { type NetworkSection, networkSections, type WorkloadNetworks } from './connlist-networks';
import { connlistTextChunks } from './connlist-output';
import { parseRangeName } from './connlist-ranges';
import { ALL, type ConnSet, connSet, EMPTY, PROTOCOLS, subtract, union } from './connset';

/**
 * The layout of the Kubernetes connectivity analyzers' text output (np-guard netpol-analyzer `list`):
 * `ns/name[Kind] => ns/name[Kind] : TCP 8080,UDP 53`, `All Connections` for everything.
 */
export const formatConnlistReference = (
  r: Connlist & {
    kinds: Record<string, string>;
    podControllers?: Record<string, string>;
    networks?: Readonly<Record<string, WorkloadNetworks>>;
  },
): string => {
  const name = (n: string) => referenceName(n, r.kinds, r.networks, r.podControllers);
  return r.connections.map((c) => `${name(c.from)} => ${name(c.to)} : ${referencePorts(c.ports)}`).join('\n');
};

/** `ns/name[Kind]`; a workload on a namespace's primary UserDefinedNetwork as `ns[udn]/name[Kind]`. */
const referenceName = (
  n: string,
  kinds: Record<string, string>,
  networks?: Readonly<Record<string, WorkloadNetworks>>,
  podControllers?: Record<string, string>,
): string => {
  const named = podControllers?.[n] ?? (kinds[n] !== undefined && !n.endsWith(']') ? `${n}[${kinds[n]}]` : n);
  return networks?.[n]?.primary?.kind === 'UDN' ? named.replace(/^([^/]+)\//, '$1[udn]/') : named;
};

const SECTION = 'Permitted connectivity analyzed in ';
const SECTION_KIND = { UDN: 'primary UDN', CUDN: 'primary CUDN', NAD: 'secondary NAD' } as const;

/**
 * The reference layout of a cluster with user-defined or secondary networks (np-guard netpol-analyzer
 * conns_formatter_txt.go): the pod network's lines under `Permitted connectivity analyzed in Pod network:`
 * (or why it has none), then one section per network — `primary UDN <namespace>`, `primary CUDN <name>`,
 * `secondary NAD <name>`, each by name — and the closing `Workload-to-Networks Mapping:`, one line per
 * workload: its primary network (`pod_network`, `<ns>[udn]`, `<name>[cluster-udn]`), then its secondary
 * ones (`<name>[nad]`). In pieces of whole lines, as `connlistTextChunks`.
 */
export function* referenceSectionChunks(
  r: Connlist & { kinds: Record<string, string>; podControllers?: Record<string, string>; workloads: string[] },
  networks: Readonly<Record<string, WorkloadNetworks>>,
): Generator<string> {
  const sections = networkSections(r.connections, networks);
  const [pod, ...rest] = sections as [NetworkSection, ...NetworkSection[]];
  const lines = (s: NetworkSection) =>
    connlistTextChunks({ connections: s.connections }, (part) =>
      formatConnlistReference({
        connections: part.connections,
        kinds: r.kinds,
        podControllers: r.podControllers,
        networks,
      }),
    );
  if (rest.length > 0) {
    yield `${SECTION}Pod network:`;
    if (pod.connections.length === 0) {
      const onPod = r.workloads.some((w) => !networks[w]?.primary);
      yield onPod
        ? 'All connections are not allowed for the workloads in the pod-network'
        : 'all input workloads are configured with (C)UDN as their primary network interface';
    }
  }
  yield* lines(pod);
  for (const s of rest) {
    yield `\n${SECTION}${SECTION_KIND[s.kind ?? 'UDN']} ${s.name}:`;
    yield* lines(s);
  }
  yield '\nWorkload-to-Networks Mapping:';
  const mapping = r.workloads.map((w) => {
    const n = networks[w] ?? { secondary: [] };
    const primary = !n.primary
      ? 'pod_network'
      : `${n.primary.name}${n.primary.kind === 'UDN' ? '[udn]' : '[cluster-udn]'}`;
    return `${referenceName(w, r.kinds, networks, r.podControllers)}: ${[primary, ...n.secondary.map((x) => `${x}[nad]`)].join(',')}`;
  });
  yield mapping.sort().join('\n');
}

/**
 * The lines of the reference layout and how many were left out: that layout's address space is IPv4
 * (`0.0.0.0-255.255.255.255`; the reference analyzer warns about IPv6 networks and CIDRs and ignores
 * them), so a line to or from an IPv6 range is not printed in it. The other layouts keep them.
 */
export const referenceConnections = (connections: readonly Connection[]): { kept: Connection[]; ipv6: number } => {
  const v6 = (name: string) => parseRangeName(name)?.v6 === true;
  const kept = connections.filter((c) => !v6(c.from) && !v6(c.to));
  return { kept, ipv6: connections.length - kept.length };
};

/** `All Connections`; ports grouped by protocol; a set holding every protocol as `All but: <what it lacks>`, as those analyzers print it. */
const referencePorts = (ports: Ports): string => {
  if (ports === 'all') return 'All Connections';
  let set: ConnSet = EMPTY;
  for (const text of ports) {
    const m = /^(TCP|UDP|SCTP) (\d+)(?:-(\d+))?$/.exec(text);
    if (m) set = union(set, connSet(m[1] as Protocol, Number(m[2]), Number(m[3] ?? m[2])));
  }
  // The shorter of the two texts: what the set holds, or what it lacks.
  const lacks = subtract(ALL, set);
  const ranges = (x: ConnSet) => PROTOCOLS.reduce((n, p) => n + x[p].length, 0);
  if (PROTOCOLS.every((p) => set[p].length > 0) && ranges(lacks) < ranges(set)) return `All but: ${byProtocol(lacks)}`;
  return byProtocol(set);
};

/** Protocols in the reference's (alphabetical) order. */
const REFERENCE_ORDER: readonly Protocol[] = ['SCTP', 'TCP', 'UDP'];

/** `SCTP 9003,TCP 8080,UDP 80,5000-6000`: each protocol once, its ports and ranges after it. */
const byProtocol = (set: ConnSet): string =>
  REFERENCE_ORDER.filter((p) => set[p].length > 0)
    .map((p) => `${p} ${set[p].map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',')}`)
    .join(',');
