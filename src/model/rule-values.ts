// The values of native-format rules that decide what a rule lets through, held to what the format readers accept.
import { isValidNet } from './cidr';
import { ciliumPolicyIssues } from './rule-values-cilium';
import { istioIssues } from './rule-values-istio';

/** One value the native schema refuses: where it is under the rule, and why. */
export type RuleValueIssue = { path: (string | number)[]; message: string };

const isCidr = (v: unknown): boolean => typeof v === 'string' && isValidNet(v, false);

/** A security group permission's ports and CIDR, as the AWS reader accepts them (aws/permission.ts). */
export const sgPermissionIssues = (r: Record<string, unknown>): RuleValueIssue[] => {
  const out: RuleValueIssue[] = [];
  if (typeof r.protocol !== 'string') out.push({ path: ['protocol'], message: 'protocol must be a string' });
  for (const key of ['fromPort', 'toPort']) {
    const v = r[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < -1 || v > 65535))
      out.push({ path: [key], message: `${JSON.stringify(v)} is not a port number` });
  }
  const peer = r.peer as Record<string, unknown> | undefined;
  if (peer?.kind === 'cidr' && !isCidr(peer.cidr))
    out.push({ path: ['peer', 'cidr'], message: `${JSON.stringify(peer.cidr)} is not a CIDR` });
  return out;
};

const isPortOrName = (v: unknown): boolean =>
  (typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535);

/** One NetworkPolicy port entry: protocol, port (number or name), endPort ≥ port. */
const portIssues = (p: Record<string, unknown>, at: (string | number)[]): RuleValueIssue[] => {
  const out: RuleValueIssue[] = [];
  if (p?.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(p.protocol as string))
    out.push({ path: [...at, 'protocol'], message: `${JSON.stringify(p.protocol)} is not TCP, UDP or SCTP` });
  const v = p?.port;
  if (v !== undefined && !isPortOrName(v))
    out.push({ path: [...at, 'port'], message: `${JSON.stringify(v)} is not a port number or name` });
  const end = p?.endPort;
  if (
    end !== undefined &&
    (typeof end !== 'number' || typeof v !== 'number' || !Number.isInteger(end) || end < v || end > 65535)
  )
    out.push({ path: [...at, 'endPort'], message: `${JSON.stringify(end)} is not a port number ≥ port` });
  return out;
};

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);

/** A NetworkPolicy's ports and ipBlocks, as the Kubernetes reader accepts them (k8s/network-policy.ts). */
export const networkPolicyIssues = (r: Record<string, unknown>): RuleValueIssue[] => {
  const out: RuleValueIssue[] = [];
  for (const dir of ['ingress', 'egress']) {
    list(r[dir]).forEach((e, i) => {
      list(e?.ports).forEach((p, j) => {
        out.push(...portIssues(p, [dir, i, 'ports', j]));
      });
      list(e?.peers).forEach((peer, j) => {
        const block = peer?.ipBlock as Record<string, unknown> | undefined;
        if (block && !isCidr(block.cidr))
          out.push({
            path: [dir, i, 'peers', j, 'ipBlock', 'cidr'],
            message: `${JSON.stringify(block.cidr)} is not a CIDR`,
          });
      });
    });
  }
  return out;
};

/** The value issues of any rule: only the rule types whose values can widen are checked. */
export const ruleValueIssues = (r: Record<string, unknown>): RuleValueIssue[] =>
  r.type === 'sg-permission'
    ? sgPermissionIssues(r)
    : r.type === 'k8s-network-policy'
      ? networkPolicyIssues(r)
      : r.type === 'cilium-network-policy'
        ? ciliumPolicyIssues(r)
        : r.type === 'istio-authorization' || r.type === 'istio-peer-authentication'
          ? istioIssues(r)
          : [];
