// `segscope reach FILE... --from A --to B [--port P] [--protocol tcp|udp|sctp] [--json]`: each level's verdict and rule.

import ipaddr from 'ipaddr.js';
import { buildIndex } from '../analysis/context';
import { evaluatePair, findService } from '../analysis/reach';
import type { PairVerdict } from '../analysis/types';
import { importFiles } from '../import/index';
import { LEVELS, type Level, type Protocol, type Service, type Workspace } from '../model/types';
import { type Command, type Io, parseFlags, readFilesOrReport, settingsFlags, UsageError } from './io';

/** One level in the stable JSON of `reach --json` (documented in the README). */
export interface ReachLevel {
  verdict: 'allow' | 'deny' | 'open';
  reason: string;
  rule?: { id: string; type: string; summary: string };
  source?: { file: string; line: number; column: number };
  fix?: string;
}

export interface ReachResult {
  from: string;
  to: string;
  port?: number;
  protocol?: Protocol;
  reachable: boolean;
  levels: Record<Level, ReachLevel>;
}

export const reachResult = (v: PairVerdict): ReachResult => {
  const levels = {} as Record<Level, ReachLevel>;
  for (const l of LEVELS) {
    const lv = v.levels[l];
    const out: ReachLevel = { verdict: lv.verdict, reason: lv.reason };
    if (lv.rule) {
      out.rule = { id: lv.rule.id, type: lv.rule.type, summary: lv.rule.summary };
      if (lv.rule.source) out.source = lv.rule.source;
    }
    if (lv.fix && lv.verdict === 'deny') out.fix = lv.fix;
    levels[l] = out;
  }
  const r: ReachResult = { from: v.from, to: v.to, reachable: v.reachable, levels };
  if (v.port !== undefined) {
    r.port = v.port;
    r.protocol = v.protocol ?? 'TCP';
  }
  // Key order as documented: from, to, port, protocol, reachable, levels.
  return {
    from: r.from,
    to: r.to,
    ...(r.port !== undefined ? { port: r.port, protocol: r.protocol } : {}),
    reachable: r.reachable,
    levels: r.levels,
  };
};

export const formatReach = (r: ReachResult, names: { from: string; to: string }): string => {
  const target = `${names.from} → ${names.to}${r.port !== undefined ? `:${r.port}/${r.protocol}` : ''}`;
  const denied = LEVELS.filter((l) => r.levels[l].verdict === 'deny');
  const out = [`${target}: ${r.reachable ? 'reachable' : `not reachable (denied at ${denied.join(', ')})`}`];
  const width = Math.max(...LEVELS.map((l) => l.length));
  for (const l of LEVELS) {
    const lv = r.levels[l];
    out.push(`  ${l.padEnd(width)}  ${lv.verdict.padEnd(5)}  ${lv.reason}`);
    const pad = ' '.repeat(width + 11);
    if (lv.rule) {
      const at = lv.source ? ` (${lv.source.file}:${lv.source.line}:${lv.source.column})` : '';
      out.push(`${pad}rule: ${lv.rule.summary} [${lv.rule.id}]${at}`);
    }
    if (lv.fix) out.push(`${pad}fix: ${lv.fix}`);
  }
  return out.join('\n');
};

const PROTOCOLS: Record<string, Protocol> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

/**
 * An end given as an IP address names the service that holds it; an address that no service is named by
 * or holds is an outside peer known only by that address, judged as `connlist` judges its address ranges
 * (CIDR rules, and on AWS the VPC, the subnet's ACL and the gateways its address leads to).
 */
export const withOutsideAddresses = (ws: Workspace, ends: readonly string[]): Workspace => {
  const extra: Service[] = [];
  for (const text of ends) {
    if (!ipaddr.isValid(text) || extra.some((s) => s.name === text)) continue;
    if (ws.services.some((s) => s.id === text || s.name === text || (s.addresses ?? []).includes(text))) continue;
    extra.push({ id: `address:${text}`, name: text, kind: 'external', addresses: [text], memberships: {} });
  }
  return extra.length === 0 ? ws : { ...ws, services: [...ws.services, ...extra] };
};

export const reachCommandRun: Command = (args: string[], io: Io) => {
  const valued = ['from', 'to', 'port', 'protocol', 'ephemeral-ports', 'cilium-enforcement'];
  const { positional, flags } = parseFlags(args, valued);
  const known = ['json', ...valued];
  const unknown = Object.keys(flags).filter((f) => !known.includes(f));
  if (unknown.length > 0) throw new UsageError(`unknown option --${unknown[0]}`);
  if (typeof flags.from !== 'string' || typeof flags.to !== 'string')
    throw new UsageError('--from and --to are required');
  let port: number | undefined;
  if (flags.port !== undefined) {
    port = Number(flags.port);
    if (typeof flags.port !== 'string' || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new UsageError('--port takes a port number 1-65535');
    }
  }
  let protocol: Protocol | undefined;
  if (flags.protocol !== undefined) {
    protocol = typeof flags.protocol === 'string' ? PROTOCOLS[flags.protocol.toLowerCase()] : undefined;
    if (!protocol) throw new UsageError('--protocol takes tcp, udp or sctp');
    if (port === undefined) throw new UsageError('--protocol needs --port');
  }
  const settings = settingsFlags(flags);
  if (positional.length === 0) throw new UsageError('name at least one FILE or directory');
  const files = readFilesOrReport('reach', positional, io);
  if (!files) return 2;
  const imported = importFiles(files);
  const { report } = imported;
  const workspace = settings.apply(imported.workspace);
  if (report.failed) {
    for (const d of [...report.files.flatMap((f) => f.diagnostics), ...report.diagnostics]) {
      io.err(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
    }
    io.err('segscope reach: nothing could be read');
    return 2;
  }
  const ix = buildIndex(withOutsideAddresses(workspace, [flags.from, flags.to]));
  const ends: number[] = [];
  for (const [flag, text] of [
    ['--from', flags.from],
    ['--to', flags.to],
  ] as const) {
    const holder = ipaddr.isValid(text) ? ix.services.filter((s) => (s.addresses ?? []).includes(text)) : [];
    const hit = findService(ix, holder.length === 1 ? (holder[0] as Service).id : text);
    if (!hit.ok) {
      io.err(`segscope reach: ${flag} ${hit.message}`);
      if (hit.candidates.length > 0) io.err(`candidates:\n${hit.candidates.map((c) => `  ${c}`).join('\n')}`);
      return 2;
    }
    ends.push(hit.index);
  }
  const [a, b] = ends as [number, number];
  const result = reachResult(evaluatePair(ix, a, b, port, protocol).verdict);
  const names = { from: ix.services[a]?.name ?? result.from, to: ix.services[b]?.name ?? result.to };
  io.out(flags.json ? JSON.stringify(result, null, 2) : formatReach(result, names));
  return 0;
};

export const reachCommand = {
  run: reachCommandRun,
  usage:
    'segscope reach FILE... --from A --to B [--port P] [--protocol tcp|udp|sctp] [--ephemeral-ports 1024-65535] [--cilium-enforcement default|always|never] [--json]',
};
