// Native-format Istio rules held to what the Kubernetes reader accepts (k8s/istio-policy.ts): a value it refuses is never read wider.
import { isValidNet } from './cidr';
import type { RuleValueIssue } from './rule-values';

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
const isPort = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
const isStrings = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
const MODES = ['STRICT', 'PERMISSIVE', 'DISABLE'];

/** An AuthorizationPolicy's action, rules, ports and ipBlocks; a PeerAuthentication's modes and ports. */
export const istioIssues = (r: Record<string, unknown>): RuleValueIssue[] => {
  const out: RuleValueIssue[] = [];
  const bad = (path: (string | number)[], v: unknown, what: string) =>
    out.push({ path, message: `${JSON.stringify(v)} is not ${what}` });
  if (r.type === 'istio-peer-authentication') {
    if (r.mode !== undefined && !MODES.includes(r.mode as string))
      bad(['mode'], r.mode, 'STRICT, PERMISSIVE or DISABLE');
    list(r.ports).forEach((p, i) => {
      if (!isPort(p?.port)) bad(['ports', i, 'port'], p?.port, 'a port number');
      if (!MODES.includes(p?.mode as string)) bad(['ports', i, 'mode'], p?.mode, 'STRICT, PERMISSIVE or DISABLE');
    });
    return out;
  }
  if (!['ALLOW', 'DENY', 'CUSTOM', 'AUDIT'].includes(r.action as string))
    bad(['action'], r.action, 'ALLOW, DENY, CUSTOM or AUDIT');
  if (r.rules !== undefined && !Array.isArray(r.rules)) bad(['rules'], r.rules, 'a list');
  list(r.rules).forEach((e, i) => {
    list(e?.from).forEach((s, j) => {
      for (const k of ['principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'ipBlocks', 'notIpBlocks'])
        if (!isStrings(s?.[k])) bad(['rules', i, 'from', j, k], s?.[k], 'a list of strings');
      for (const k of ['ipBlocks', 'notIpBlocks'])
        list(s?.[k]).forEach((b, n) => {
          if (typeof b !== 'string' || !isValidNet(b, true))
            bad(['rules', i, 'from', j, k, n], b, 'an address or CIDR');
        });
    });
    list(e?.conditions).forEach((c, j) => {
      if (!['source.ip', 'source.namespace', 'source.principal', 'destination.port'].includes(c?.key as string))
        bad(['rules', i, 'conditions', j, 'key'], c?.key, 'a modelled condition key');
      for (const k of ['values', 'notValues']) {
        if (!isStrings(c?.[k])) bad(['rules', i, 'conditions', j, k], c?.[k], 'a list of strings');
        const vs = Array.isArray(c?.[k]) ? (c[k] as unknown[]) : [];
        vs.forEach((v, n) => {
          const ok =
            c?.key === 'destination.port'
              ? isPort(Number(v)) && /^\d+$/.test(String(v))
              : c?.key !== 'source.ip' || (typeof v === 'string' && isValidNet(v, true));
          if (!ok)
            bad(
              ['rules', i, 'conditions', j, k, n],
              v,
              c?.key === 'destination.port' ? 'a port' : 'an address or CIDR',
            );
        });
      }
    });
    list(e?.to).forEach((o, j) => {
      for (const k of ['ports', 'notPorts'])
        list(o?.[k]).forEach((p, n) => {
          if (!isPort(p)) bad(['rules', i, 'to', j, k, n], p, 'a port number');
        });
    });
  });
  return out;
};
