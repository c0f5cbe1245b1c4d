// Address checks the readers and the native schema share: what the APIs accept as a CIDR, and CIDR containment.
import ipaddr from 'ipaddr.js';

/** A CIDR, or a bare address where the API accepts one (Calico nets treat it as /32 or /128). */
export const isValidNet = (s: string, allowBare: boolean): boolean => {
  if (s.includes(':')) return ipaddr.IPv6.isValidCIDR(s) || (allowBare && ipaddr.IPv6.isValid(s));
  return ipaddr.IPv4.isValidCIDRFourPartDecimal(s) || (allowBare && ipaddr.IPv4.isValidFourPartDecimal(s));
};

/** `a` is a sub-range of `b` (both valid CIDRs), as NetworkPolicy `except` requires. */
export const cidrInside = (a: string, b: string): boolean => {
  try {
    const [addrA, lenA] = ipaddr.parseCIDR(a);
    const [addrB, lenB] = ipaddr.parseCIDR(b);
    return addrA.kind() === addrB.kind() && lenA >= lenB && addrA.match(addrB, lenB);
  } catch {
    return false;
  }
};
