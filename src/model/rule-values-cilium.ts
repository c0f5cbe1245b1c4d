// The values of a native-format Cilium rule that decide what it lets through, held to what the Cilium reader writes.
//
// The policy engine (analysis/levels/policy-cilium.ts) trusts these shapes: an entry's `section` decides
// Allow or Deny, a peer that names nothing it knows matches nothing (so a deny rule would quietly stop
// denying), `defaultDeny` decides whether the rule closes a direction. Anything the reader
// (formats/k8s/cilium-policy.ts) would not have written is refused, never read as something wider.
import { isValidNet } from './cidr';
import type { RuleValueIssue } from './rule-values';
import { CILIUM_ENTITIES } from './types';

type Path = (string | number)[];

const SECTIONS = ['ingress', 'egress', 'ingressDeny', 'egressDeny'] as const;
const PEER_FIELDS = ['endpoints', 'entity', 'cidr', 'fqdn', 'nodes'] as const;
const PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ANY'];
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCidr = (v: unknown): boolean => typeof v === 'string' && isValidNet(v, false);
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');
const issue = (path: Path, message: string): RuleValueIssue[] => [{ path, message }];

/** A label selector as the readers write it: string label values, known operators, string values. */
export const labelSelectorIssues = (sel: unknown, at: Path): RuleValueIssue[] => {
  if (!isRecord(sel)) return issue(at, 'is not a label selector');
  const out: RuleValueIssue[] = [];
  const ml = sel.matchLabels;
  if (ml !== undefined && (!isRecord(ml) || Object.values(ml).some((v) => typeof v !== 'string')))
    out.push(...issue([...at, 'matchLabels'], 'is not a map of label keys to string values'));
  const exprs = sel.matchExpressions;
  if (exprs !== undefined && !Array.isArray(exprs)) out.push(...issue([...at, 'matchExpressions'], 'is not a list'));
  else
    (exprs ?? []).forEach((x: unknown, i: number) => {
      const ok =
        isRecord(x) &&
        typeof x.key === 'string' &&
        OPERATORS.includes(x.operator as string) &&
        (x.values === undefined || isStrings(x.values));
      if (!ok) out.push(...issue([...at, 'matchExpressions', i], `is not a key, ${OPERATORS.join('/')} and values`));
    });
  return out;
};

/** One L3 peer: exactly one field, each as the reader writes it. */
const peerIssues = (p: unknown, at: Path): RuleValueIssue[] => {
  if (!isRecord(p)) return issue(at, 'is not a peer');
  const fields = PEER_FIELDS.filter((f) => p[f] !== undefined);
  if (fields.length !== 1) return issue(at, `a peer names exactly one of ${PEER_FIELDS.join(', ')}`);
  const f = fields[0] as (typeof PEER_FIELDS)[number];
  const v = p[f];
  if (f === 'endpoints' || f === 'nodes') return labelSelectorIssues(v, [...at, f]);
  if (f === 'entity')
    return (CILIUM_ENTITIES as readonly unknown[]).includes(v)
      ? []
      : issue([...at, f], `${JSON.stringify(v)} is not one of ${CILIUM_ENTITIES.join(', ')}`);
  if (!isRecord(v)) return issue([...at, f], `is not a ${f === 'cidr' ? 'CIDR set' : 'DNS name match'}`);
  if (f === 'fqdn')
    return (typeof v.matchName === 'string' || typeof v.matchPattern === 'string') &&
      ['matchName', 'matchPattern'].every((k) => v[k] === undefined || typeof v[k] === 'string')
      ? []
      : issue([...at, f], 'has no matchName or matchPattern string');
  if (!isCidr(v.cidr)) return issue([...at, f, 'cidr'], `${JSON.stringify(v.cidr)} is not a CIDR`);
  if (v.except === undefined) return [];
  if (!Array.isArray(v.except)) return issue([...at, f, 'except'], 'is not a list of CIDRs');
  return v.except.flatMap((x: unknown, i: number) =>
    isCidr(x) ? [] : issue([...at, f, 'except', i], `${JSON.stringify(x)} is not a CIDR`),
  );
};

const isPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

/** One `toPorts` port: a protocol Cilium knows, a port 1–65535 (the reader writes none for every port), a range or a name. */
const portIssues = (p: unknown, at: Path): RuleValueIssue[] => {
  if (!isRecord(p)) return issue(at, 'is not a port');
  const out: RuleValueIssue[] = [];
  if (!PROTOCOLS.includes(p.protocol as string))
    out.push(...issue([...at, 'protocol'], `${JSON.stringify(p.protocol)} is not ${PROTOCOLS.join(', ')}`));
  if (p.port !== undefined && !isPort(p.port))
    out.push(...issue([...at, 'port'], `${JSON.stringify(p.port)} is not a port number from 1 to 65535`));
  if (p.endPort !== undefined && !(isPort(p.endPort) && isPort(p.port) && p.endPort >= p.port))
    out.push(...issue([...at, 'endPort'], `${JSON.stringify(p.endPort)} is not a port number ≥ port`));
  if (p.namedPort !== undefined && (typeof p.namedPort !== 'string' || p.namedPort === '' || p.port !== undefined))
    out.push(...issue([...at, 'namedPort'], `${JSON.stringify(p.namedPort)} is not a port name (without a port)`));
  return out;
};

/** One entry of a section: its own section and index, list-valued peers, ports and L7 names. */
const entryIssues = (e: unknown, section: (typeof SECTIONS)[number], i: number): RuleValueIssue[] => {
  const at: Path = [section, i];
  if (!isRecord(e)) return issue(at, 'is not a rule entry');
  // The section an entry names decides whether it allows or denies: it must be the one it is in.
  if (e.section !== section) return issue([...at, 'section'], `${JSON.stringify(e.section)} is not "${section}"`);
  const out: RuleValueIssue[] = [];
  if (!Number.isInteger(e.index) || (e.index as number) < 0)
    out.push(...issue([...at, 'index'], `${JSON.stringify(e.index)} is not an index`));
  for (const key of ['peers', 'ports'] as const) {
    const v = e[key];
    if (v === undefined) continue;
    if (!Array.isArray(v)) out.push(...issue([...at, key], 'is not a list'));
    else
      v.forEach((x: unknown, j: number) => {
        out.push(...(key === 'peers' ? peerIssues : portIssues)(x, [...at, key, j]));
      });
  }
  if (e.l7 !== undefined && !isStrings(e.l7)) out.push(...issue([...at, 'l7'], 'is not a list of names'));
  return out;
};

/** A Cilium rule's sections, selectors and default deny, as the Cilium reader writes them. */
export const ciliumPolicyIssues = (r: Record<string, unknown>): RuleValueIssue[] => {
  const out: RuleValueIssue[] = [];
  for (const section of SECTIONS) {
    const entries = r[section];
    if (!Array.isArray(entries)) out.push(...issue([section], 'is not a list'));
    else
      entries.forEach((e: unknown, i: number) => {
        out.push(...entryIssues(e, section, i));
      });
  }
  const dd = r.defaultDeny;
  if (!isRecord(dd) || typeof dd.ingress !== 'boolean' || typeof dd.egress !== 'boolean')
    out.push(...issue(['defaultDeny'], 'is not { ingress: true|false, egress: true|false }'));
  for (const key of ['endpointSelector', 'nodeSelector'])
    if (r[key] !== undefined) out.push(...labelSelectorIssues(r[key], [key]));
  return out;
};
