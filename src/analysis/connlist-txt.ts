// The text layout of Kubernetes connectivity analyzers (np-guard netpol-analyzer `list --output txt`), for `connlist --format txt`.
import type { Protocol } from '../model/types';
import type { Connection, Connlist, Ports } from './connlist';
import { parseRangeName } from './connlist-ranges';
import { ALL, type ConnSet, connSet, EMPTY, PROTOCOLS, subtract, union } from './connset';

/**
 * The layout of the Kubernetes connectivity analyzers' text output (np-guard netpol-analyzer `list`):
 * `ns/name[Kind] => ns/name[Kind] : TCP 8080,UDP 53`, `All Connections` for everything.
 */
export const formatConnlistReference = (
  r: Connlist & { kinds: Record<string, string>; podControllers?: Record<string, string> },
): string => {
  const name = (n: string) =>
    r.podControllers?.[n] ?? (r.kinds[n] !== undefined && !n.endsWith(']') ? `${n}[${r.kinds[n]}]` : n);
  return r.connections.map((c) => `${name(c.from)} => ${name(c.to)} : ${referencePorts(c.ports)}`).join('\n');
};

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
