// Calico rule entries and their entity matches (nets, selectors, service accounts, ports), validated as the API server would.

import { arr, type Manifest, meta, optionalList, type Path, rec } from '../../import/manifests';
import { diagnostic, pointer } from '../../import/text';
import { isValidNet } from '../../model/cidr';
import { parseCalicoSelector } from '../../model/selector';
import type { CalicoAction, CalicoEntityRule, CalicoRuleEntry, Diagnostic, Rule } from '../../model/types';

export const ACTIONS: CalicoAction[] = ['Allow', 'Deny', 'Pass', 'Log'];

export interface CalicoContext {
  file: string;
  rules: Rule[];
  diagnostics: Diagnostic[];
  /** Rule ids already used in this file. */
  ids?: Set<string>;
}

/** Collects the problems of one object; the object is skipped when any is an error (as the API server would). */
export class Problems {
  errors = 0;
  constructor(
    private readonly m: Manifest,
    private readonly ctx: CalicoContext,
  ) {}
  add(sub: Path, message: string, severity: Diagnostic['severity'] = 'error', at?: { line: number; column: number }) {
    if (severity === 'error') this.errors++;
    const path = pointer([...this.m.path, ...sub]);
    this.ctx.diagnostics.push(diagnostic(this.ctx.file, at ?? this.m.at(sub), message, severity, path));
  }
}

export const label = (m: Manifest): string => {
  const { name, namespace } = meta(m);
  return `${m.kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`;
};

/** Validate a selector string at `sub`; a bad one is an error pointing into the string. */
export const checkSelector = (
  m: Manifest,
  p: Problems,
  sub: Path,
  value: unknown,
  what: string,
): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    p.add(sub, `${label(m)}: ${what} must be a string`);
    return undefined;
  }
  const r = parseCalicoSelector(value);
  if (!r.ok) {
    p.add(
      sub,
      `${label(m)}: bad ${what} "${value}": ${r.error} (at character ${r.offset + 1}); the policy is skipped`,
      'error',
      m.atChar(sub, r.offset),
    );
    return undefined;
  }
  return value;
};

/**
 * https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#rule — `protocol` is one of
 * TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite (any case) or an integer 1–255. A name outside those would match
 * nothing, so a Deny naming it would silently let traffic through: it is an error, as the API server says.
 */
const CALICO_PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'udplite']);
export const isCalicoProtocol = (v: unknown): boolean =>
  (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 255) ||
  (typeof v === 'string' &&
    (CALICO_PROTOCOLS.has(v.toLowerCase()) || (/^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 255)));

export const readPorts = (m: Manifest, p: Problems, sub: Path, value: unknown): (number | string)[] | undefined => {
  const list = optionalList(value, () => p.add(sub, `${label(m)}: ports must be a list`));
  if (!list) return undefined;
  const out: (number | string)[] = [];
  list.forEach((v, i) => {
    const ok =
      (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535) ||
      (typeof v === 'string' &&
        (/^\d+:\d+$/.test(v)
          ? Number(v.split(':')[0]) <= Number(v.split(':')[1]) && Number(v.split(':')[1]) <= 65535
          : /^\d+$/.test(v)
            ? Number(v) <= 65535
            : /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(v)));
    if (!ok)
      p.add([...sub, i], `${label(m)}: port ${JSON.stringify(v)} is not a port, a range "from:to" or a port name`);
    else out.push(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v);
  });
  return out;
};

export const readNets = (m: Manifest, p: Problems, sub: Path, value: unknown): string[] | undefined => {
  const list = optionalList(value, () => p.add(sub, `${label(m)}: nets must be a list of CIDRs`));
  if (!list) return undefined;
  const out: string[] = [];
  list.forEach((v, i) => {
    if (typeof v === 'string' && isValidNet(v, true)) out.push(v);
    else p.add([...sub, i], `${label(m)}: ${JSON.stringify(v)} is not a CIDR`);
  });
  return out;
};

export const readEntity = (m: Manifest, p: Problems, sub: Path, value: unknown): CalicoEntityRule | undefined => {
  if (value === undefined || value === null) return undefined;
  const e = rec(value);
  if (!e) {
    p.add(sub, `${label(m)}: ${String(sub[sub.length - 1])} must be a map`);
    return undefined;
  }
  const out: CalicoEntityRule = {};
  const nets = readNets(m, p, [...sub, 'nets'], e.nets);
  if (nets) out.nets = nets;
  const notNets = readNets(m, p, [...sub, 'notNets'], e.notNets);
  if (notNets) out.notNets = notNets;
  for (const key of ['selector', 'notSelector', 'namespaceSelector'] as const) {
    const s = checkSelector(m, p, [...sub, key], e[key], key);
    if (s !== undefined && s !== '') out[key] = s;
  }
  if (e.serviceAccounts !== undefined && e.serviceAccounts !== null) {
    const sa = rec(e.serviceAccounts);
    if (!sa) p.add([...sub, 'serviceAccounts'], `${label(m)}: serviceAccounts must be a map`);
    else {
      const names = arr(sa.names)?.filter((n): n is string => typeof n === 'string');
      const selector = checkSelector(
        m,
        p,
        [...sub, 'serviceAccounts', 'selector'],
        sa.selector,
        'serviceAccounts selector',
      );
      out.serviceAccounts = {
        ...(names ? { names } : {}),
        ...(selector !== undefined && selector !== '' ? { selector } : {}),
      };
    }
  }
  const ports = readPorts(m, p, [...sub, 'ports'], e.ports);
  if (ports) out.ports = ports;
  const notPorts = readPorts(m, p, [...sub, 'notPorts'], e.notPorts);
  if (notPorts) out.notPorts = notPorts;
  if (e.services !== undefined) {
    p.add(
      [...sub, 'services'],
      `${label(m)}: matching by Kubernetes Service (services:) is not analysed; this rule entry is read without it`,
      'warn',
    );
  }
  return out;
};

export const readRuleEntries = (
  m: Manifest,
  p: Problems,
  dir: 'ingress' | 'egress',
  value: unknown,
): CalicoRuleEntry[] | undefined => {
  const list = optionalList(value, () => p.add(['spec', dir], `${label(m)}: ${dir} must be a list of rules`));
  if (!list) return undefined;
  const out: CalicoRuleEntry[] = [];
  list.forEach((raw, i) => {
    const sub: Path = ['spec', dir, i];
    const r = rec(raw);
    if (!r) {
      p.add(sub, `${label(m)}: ${dir} rule ${i + 1} must be a map`);
      return;
    }
    const action = r.action;
    if (typeof action !== 'string' || !ACTIONS.includes(action as CalicoAction)) {
      p.add(
        [...sub, 'action'],
        `${label(m)}: ${dir} rule ${i + 1} has ${action === undefined ? 'no action' : `action ${JSON.stringify(action)}`}; expected Allow, Deny, Pass or Log`,
      );
      return;
    }
    const entry: CalicoRuleEntry = { action: action as CalicoAction };
    for (const key of ['protocol', 'notProtocol'] as const) {
      const v = r[key];
      if (v === undefined || v === null) continue;
      if (isCalicoProtocol(v)) entry[key] = String(v);
      else
        p.add(
          [...sub, key],
          `${label(m)}: ${key} ${JSON.stringify(v)} is not TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a protocol number (1–255)`,
        );
    }
    const source = readEntity(m, p, [...sub, 'source'], r.source);
    if (source) entry.source = source;
    const destination = readEntity(m, p, [...sub, 'destination'], r.destination);
    if (destination) entry.destination = destination;
    if (r.http !== undefined) {
      p.add(
        [...sub, 'http'],
        `${label(m)}: HTTP matching is not analysed; the rule is read as if it matched all requests`,
        'warn',
      );
    }
    if (r.ipVersion !== undefined && r.ipVersion !== 4 && r.ipVersion !== 6) {
      p.add([...sub, 'ipVersion'], `${label(m)}: ipVersion must be 4 or 6`);
    }
    out.push(entry);
  });
  return out;
};
