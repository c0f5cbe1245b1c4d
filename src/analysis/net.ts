// Address arithmetic for the analysis (ipaddr.js): CIDR containment, overlap and size, with parse caches.
import ipaddr from 'ipaddr.js';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Addr, number];

const addrCache = new Map<string, Addr | null>();
const cidrCache = new Map<string, Cidr | null>();
const LIMIT = 50000;

const remember = <T>(cache: Map<string, T>, key: string, value: T): T => {
  if (cache.size >= LIMIT) cache.clear();
  cache.set(key, value);
  return value;
};

/** An address, IPv4-mapped IPv6 folded to IPv4 so `::ffff:10.0.0.1` meets `10.0.0.0/8`. */
export const parseAddress = (text: string): Addr | null => {
  const hit = addrCache.get(text);
  if (hit !== undefined) return hit;
  let a: Addr | null = null;
  try {
    a = ipaddr.parse(text.trim());
    if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
  } catch {
    a = null;
  }
  return remember(addrCache, text, a);
};

/** A CIDR; a bare address counts as a host route (/32, /128). */
export const parseCidr = (text: string): Cidr | null => {
  const hit = cidrCache.get(text);
  if (hit !== undefined) return hit;
  let c: Cidr | null = null;
  try {
    if (text.includes('/')) c = ipaddr.parseCIDR(text.trim());
    else {
      const a = ipaddr.parse(text.trim());
      c = [a, a.kind() === 'ipv4' ? 32 : 128];
    }
  } catch {
    c = null;
  }
  return remember(cidrCache, text, c);
};

export const isValidCidr = (text: string): boolean => parseCidr(text) !== null;

/** True when the CIDR is a whole address family (0.0.0.0/0, ::/0). */
export const isAnyCidr = (text: string): boolean => parseCidr(text)?.[1] === 0;

export const cidrContains = (cidr: string, address: string): boolean => {
  const c = parseCidr(cidr);
  const a = parseAddress(address);
  if (!c || !a || c[0].kind() !== a.kind()) return false;
  return a.match(c);
};

/** Some address of the list lies in the CIDR. */
export const cidrContainsAny = (cidr: string, addresses: readonly string[]): boolean =>
  addresses.some((a) => cidrContains(cidr, a));

/**
 * A CIDR meets a service: one of its addresses lies in it. A service whose address is not known meets
 * only a whole address family (0.0.0.0/0, ::/0), which holds every address it could have.
 */
export const cidrMeets = (cidr: string, addresses: readonly string[]): boolean =>
  addresses.length === 0 ? isAnyCidr(cidr) : cidrContainsAny(cidr, addresses);

export const cidrsOverlap = (x: string, y: string): boolean => {
  const a = parseCidr(x);
  const b = parseCidr(y);
  if (!a || !b || a[0].kind() !== b[0].kind()) return false;
  const bits = Math.min(a[1], b[1]);
  return a[0].match(b[0], bits);
};

/** Number of addresses in the CIDR (IPv6 sizes beyond 2^53 are approximate, which is fine for quotas). */
export const cidrSize = (cidr: string): number => {
  const c = parseCidr(cidr);
  if (!c) return 0;
  return 2 ** ((c[0].kind() === 'ipv4' ? 32 : 128) - c[1]);
};
