// Address ranges of the connectivity list: CIDRs as ranges, their names, and the cuts of the outside address space.
import ipaddr from 'ipaddr.js';
import type { Rule, Workspace } from '../model/types';
import { parseCidr } from './net';

export interface AddressRange {
  v6: boolean;
  lo: bigint;
  hi: bigint;
}

const bits = (v6: boolean): bigint => (v6 ? 128n : 32n);
const maxOf = (v6: boolean): bigint => (1n << bits(v6)) - 1n;

const toBig = (bytes: number[]): bigint => bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);

export const fromBig = (n: bigint, v6: boolean): string => {
  const len = v6 ? 16 : 4;
  const bytes = new Array<number>(len);
  let x = n;
  for (let i = len - 1; i >= 0; i--) {
    bytes[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  const a = ipaddr.fromByteArray(bytes);
  return v6 ? (a as ipaddr.IPv6).toRFC5952String() : a.toString();
};

/** The addresses of a CIDR (host bits ignored, as the API servers mask them); undefined when not a CIDR. */
export const cidrRange = (cidr: string): AddressRange | undefined => {
  const c = parseCidr(cidr);
  if (!c) return undefined;
  const v6 = c[0].kind() === 'ipv6';
  const host = bits(v6) - BigInt(c[1]);
  const lo = (toBig(c[0].toByteArray()) >> host) << host;
  return { v6, lo, hi: lo + (1n << host) - 1n };
};

/** `10.0.0.0-10.255.255.255`: how K8s connectivity analyzers print an address range, whatever its shape. */
export const rangeName = (r: AddressRange): string => `${fromBig(r.lo, r.v6)}-${fromBig(r.hi, r.v6)}`;

/** The range a name of `rangeName` stands for; undefined for any other text (a workload name). */
export const parseRangeName = (name: string): AddressRange | undefined => {
  const dash = name.indexOf('-');
  if (dash < 0 || name.indexOf('-', dash + 1) >= 0) return undefined;
  const a = name.slice(0, dash);
  const b = name.slice(dash + 1);
  if (!ipaddr.isValid(a) || !ipaddr.isValid(b)) return undefined;
  const x = ipaddr.parse(a);
  const y = ipaddr.parse(b);
  if (x.kind() !== y.kind()) return undefined;
  const r = { v6: x.kind() === 'ipv6', lo: toBig(x.toByteArray()), hi: toBig(y.toByteArray()) };
  return r.lo <= r.hi ? r : undefined;
};

/**
 * The whole address space of each family cut at every boundary of the given CIDRs, so every CIDR is a
 * union of whole pieces and any address of a piece stands for all of it. IPv4 is always there (the
 * 0.0.0.0/0 everyone can be reached from); IPv6 only when some CIDR is IPv6.
 */
export const splitAddressSpace = (cidrs: Iterable<string>): AddressRange[] => {
  const cuts = { v4: new Set<bigint>([0n]), v6: new Set<bigint>([0n]) };
  let anyV6 = false;
  for (const text of cidrs) {
    const r = cidrRange(text);
    if (!r) continue;
    anyV6 ||= r.v6;
    const set = r.v6 ? cuts.v6 : cuts.v4;
    set.add(r.lo);
    if (r.hi < maxOf(r.v6)) set.add(r.hi + 1n);
  }
  const out: AddressRange[] = [];
  for (const v6 of anyV6 ? [false, true] : [false]) {
    const starts = [...(v6 ? cuts.v6 : cuts.v4)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    starts.forEach((lo, i) => {
      const next = starts[i + 1];
      out.push({ v6, lo, hi: next === undefined ? maxOf(v6) : next - 1n });
    });
  }
  return out;
};

/** CIDRs that can decide traffic from outside sources (ingress side) and to outside destinations (egress side). */
export const referencedCidrs = (rules: readonly Rule[]): { sources: string[]; destinations: string[] } => {
  const sources = new Set<string>();
  const destinations = new Set<string>();
  const both = (c: string) => {
    sources.add(c);
    destinations.add(c);
  };
  for (const r of rules) {
    switch (r.type) {
      case 'k8s-network-policy':
        if (r.networks) break;
        for (const [dir, set] of [
          [r.ingress, sources],
          [r.egress, destinations],
        ] as const) {
          for (const e of dir ?? []) {
            for (const p of e.peers ?? []) {
              if (!p.ipBlock) continue;
              set.add(p.ipBlock.cidr);
              for (const x of p.ipBlock.except ?? []) set.add(x);
            }
          }
        }
        break;
      case 'calico-policy':
        // An ingress rule's source and an egress rule's destination are the remote side.
        for (const e of r.ingress ?? [])
          for (const c of [...(e.source?.nets ?? []), ...(e.source?.notNets ?? [])]) sources.add(c);
        for (const e of r.egress ?? []) {
          for (const c of [...(e.destination?.nets ?? []), ...(e.destination?.notNets ?? [])]) destinations.add(c);
        }
        break;
      case 'calico-network-set':
        for (const c of r.nets) both(c);
        break;
      case 'admin-network-policy':
        for (const [dir, set] of [
          [r.ingress, sources],
          [r.egress, destinations],
        ] as const) {
          for (const e of dir) for (const p of e.peers) for (const c of p.networks ?? []) set.add(c);
        }
        break;
      case 'sg-permission':
        if (r.peer.kind === 'cidr') (r.direction === 'ingress' ? sources : destinations).add(r.peer.cidr);
        break;
      case 'prefix-list':
        for (const c of r.cidrs) both(c);
        break;
      default:
        break;
    }
  }
  return { sources: [...sources], destinations: [...destinations] };
};

/**
 * CIDRs of the AWS network level that decide traffic to and from outside addresses, for both sides: the
 * VPCs' (inside one, an address is local; outside all, it is reached through a gateway), and, where
 * network ACLs are loaded, the subnets' (traffic inside one crosses no ACL) and the ACL entries'; where
 * route tables are loaded, their routes' destinations (the most specific route decides the way out).
 */
export const awsNetworkCidrs = (ws: Workspace): string[] => {
  const out = new Set<string>();
  const acls = ws.rules.some((r) => r.type === 'network-acl');
  for (const s of ws.segments) {
    const kind = s.attributes?.kind;
    if (kind === 'vpc' || (acls && kind === 'subnet')) for (const c of s.cidrs ?? []) out.add(c);
  }
  for (const r of ws.rules) {
    if (r.type === 'network-acl') for (const e of r.entries) out.add(e.cidr);
    if (r.type === 'route-table') for (const e of r.routes) out.add(e.destination);
  }
  return [...out];
};
