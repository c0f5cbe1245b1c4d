// What a security group permission may say (EC2 IpPermission, Terraform's rules): anything else is refused, never read wider.
import { isValidNet } from '../../model/cidr';
import type { Obj } from './builder';

/**
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html — IpProtocol is `tcp`,
 * `udp`, `icmp`, `icmpv6`, `-1` (all) or a protocol number; for TCP and UDP, FromPort/ToPort are the
 * port range (0–65535, both required); for ICMP they are the type and code (-1 = all). Terraform also
 * writes `all` for -1. `sctp` is accepted as the name of protocol 132.
 */
const NAMED = new Set(['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', '-1']);
const PORTED = new Set(['tcp', 'udp', 'sctp', '6', '17', '132']);
const ICMP = new Set(['icmp', 'icmpv6', '1', '58']);

export interface PermissionKeys {
  protocol: string;
  from: string;
  to: string;
}

export type CheckedPermission =
  | { ok: true; protocol: string; fromPort?: number; toPort?: number }
  | { ok: false; key: string; message: string };

const shown = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

const protocolOf = (raw: unknown, allowAll: boolean): string | undefined => {
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= -1 && raw <= 255 ? String(raw) : undefined;
  if (typeof raw !== 'string') return undefined;
  const p = raw.trim().toLowerCase();
  if (allowAll && p === 'all') return '-1';
  if (NAMED.has(p)) return p;
  return /^\d{1,3}$/.test(p) && Number(p) <= 255 ? String(Number(p)) : undefined;
};

/** A permission's protocol and ports, or the key whose value the schema does not allow. */
export const checkPermission = (o: Obj, keys: PermissionKeys, allowAll = false): CheckedPermission => {
  const raw = o[keys.protocol];
  const protocol = protocolOf(raw, allowAll);
  if (protocol === undefined) {
    return {
      ok: false,
      key: keys.protocol,
      message:
        raw === undefined || raw === null
          ? `no ${keys.protocol}`
          : `${keys.protocol} ${shown(raw)} is not tcp, udp, icmp, icmpv6, -1 or a protocol number (0–255)`,
    };
  }
  const [lo, hi, what] = PORTED.has(protocol)
    ? [0, 65535, 'a port number (0–65535)']
    : ICMP.has(protocol)
      ? [-1, 255, 'an ICMP type or code (-1–255)']
      : [-1, 65535, 'a number'];
  const ports: Record<string, number | undefined> = {};
  for (const key of [keys.from, keys.to]) {
    const v = o[key];
    if (v === undefined || v === null) {
      if (PORTED.has(protocol)) return { ok: false, key, message: `${protocol} needs ${keys.from} and ${keys.to}` };
      continue;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
      return { ok: false, key, message: `${key} ${shown(v)} is not ${what}` };
    ports[key] = v;
  }
  const fromPort = ports[keys.from];
  const toPort = ports[keys.to];
  if (PORTED.has(protocol) && fromPort !== undefined && toPort !== undefined && fromPort > toPort)
    return { ok: false, key: keys.to, message: `${keys.to} ${toPort} is below ${keys.from} ${fromPort}` };
  return {
    ok: true,
    protocol,
    ...(fromPort !== undefined ? { fromPort } : {}),
    ...(toPort !== undefined ? { toPort } : {}),
  };
};

/** A CIDR of the family the key names (`CidrIp`/`cidr_blocks` IPv4, `CidrIpv6`/`ipv6_cidr_blocks` IPv6). */
export const isCidrOf = (v: unknown, v6: boolean): v is string =>
  typeof v === 'string' && v.includes(':') === v6 && isValidNet(v, false);
