// The ports of a Cilium rule (`toPorts`): protocols, numbers, names and ranges, and the L7 rules named on them.
import { arr, get, type Path, rec } from '../../import/manifests';
import type { CiliumPort } from '../../model/types';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ANY'] as const;
const OTHER_PROTOCOLS = ['ICMP', 'ICMPV6', 'VRRP', 'IGMP'];

/** Where a rule's problems go: errors skip the policy (as the agent refuses it), warnings do not. */
export interface Reporter {
  err(sub: Path, message: string): void;
  warn(sub: Path, message: string): void;
}

const readPort = (r: Reporter, at: Path, p: unknown): CiliumPort | undefined => {
  const rawProto = get(p, 'protocol') ?? 'ANY';
  const proto = typeof rawProto === 'string' ? rawProto.toUpperCase() : rawProto;
  if (typeof proto === 'string' && OTHER_PROTOCOLS.includes(proto)) {
    r.warn([...at, 'protocol'], `protocol ${proto} is not modelled: this port covers no TCP, UDP or SCTP port`);
    return undefined;
  }
  if (!(PROTOCOLS as readonly unknown[]).includes(proto)) {
    r.err([...at, 'protocol'], `protocol ${JSON.stringify(rawProto)} is not TCP, UDP, SCTP or ANY`);
    return undefined;
  }
  const protocol = proto as CiliumPort['protocol'];
  const raw = get(p, 'port');
  if (raw === undefined || raw === 0 || raw === '0') return { protocol };
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
  if (n === undefined) {
    if (typeof raw === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(raw)) return { protocol, namedPort: raw };
    r.err([...at, 'port'], `port ${JSON.stringify(raw)} is not a number from 0 to 65535 or a port name`);
    return undefined;
  }
  if (!Number.isInteger(n) || n > 65535) {
    r.err([...at, 'port'], `port ${JSON.stringify(raw)} is not a number from 0 to 65535`);
    return undefined;
  }
  const end = get(p, 'endPort');
  if (end === undefined || end === 0) return { protocol, port: n };
  if (typeof end !== 'number' || !Number.isInteger(end) || end < n || end > 65535) {
    r.err([...at, 'endPort'], `endPort ${JSON.stringify(end)} is not a port from ${n} to 65535`);
    return undefined;
  }
  return { protocol, port: n, endPort: end };
};

/** `toPorts`: the ports (ANY = TCP, UDP and SCTP; no port or 0 = every port), and the L7 rules on them. */
export const readCiliumPorts = (r: Reporter, sub: Path, value: unknown, l7: string[]): CiliumPort[] | undefined => {
  const list = arr(value);
  if (!list) {
    r.err(sub, 'toPorts must be a list');
    return [];
  }
  const out: CiliumPort[] = [];
  let everyPort = false;
  list.forEach((pr, i) => {
    const at: Path = [...sub, i];
    const rules = rec(get(pr, 'rules'));
    for (const k of Object.keys(rules ?? {})) if (!l7.includes(k)) l7.push(k);
    for (const k of ['serverNames', 'terminatingTLS', 'originatingTLS', 'listener'])
      if (get(pr, k) !== undefined && !l7.includes(k)) l7.push(k);
    const ports = arr(get(pr, 'ports'));
    if (!ports || ports.length === 0) {
      everyPort = true;
      return;
    }
    ports.forEach((p, j) => {
      const port = readPort(r, [...at, 'ports', j], p);
      if (port) out.push(port);
    });
  });
  return everyPort ? undefined : out;
};
