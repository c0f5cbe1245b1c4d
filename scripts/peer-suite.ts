// `npx tsx scripts/peer-suite.ts NETPOL_ANALYZER_CHECKOUT [--case NAME]`: segscope connlist against every published case of the reference analyzer.
//
// The reference, np-guard/netpol-analyzer, keeps each case's manifests in tests/<case>/ and the output of
// `k8snetpolicy list` in test_outputs/connlist/<case>_connlist_output.txt (older cases:
// tests/<case>/connlist_output.txt). For each case that has both, this runs `segscope connlist --format txt`
// on the directory and compares the lines as sets (the reference sorts them; so does segscope), each line
// read in any of the reference's layouts (see `canonicalLine`). It prints one line per case (exact, or how
// many lines each side lacks) and the totals; exit 1 when any differs.
// The suite is not in this repository (its size and licence); clone it next to it to run this.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALL, type ConnSet, connSet, EMPTY, formatConnSet, isEmpty, subtract, union } from '../src/analysis/connset';
import { connlist } from '../src/cli/connlist';
import type { Io } from '../src/cli/io';
import type { Protocol } from '../src/model/types';

export interface CaseResult {
  name: string;
  /** Lines the reference prints that segscope does not, and the reverse. */
  missing: string[];
  extra: string[];
  /** segscope's stderr (import errors and warnings) when it printed nothing. */
  error?: string;
}

/**
 * `TCP 80,UDP 53,5353-5354` (a bare range belongs to the protocol before it) as a set; undefined if not that
 * shape. A port name (`TCP dns-tcp-local`) is a named port the destination does not declare, which the
 * reference prints unresolved: by the NetworkPolicy API a named port matches only a port of that name on the
 * pod (https://kubernetes.io/docs/concepts/services-networking/network-policies/), so it adds nothing.
 */
const portsSet = (text: string): ConnSet | undefined => {
  if (text === 'All Connections') return ALL;
  if (text === 'No Connections') return EMPTY;
  if (text.startsWith('All but: ')) {
    const lacks = portsSet(text.slice('All but: '.length));
    return lacks && subtract(ALL, lacks);
  }
  let set = EMPTY;
  let proto: Protocol | undefined;
  for (const part of text.split(',')) {
    const named = /^(?:(TCP|UDP|SCTP) )?[a-z][a-z0-9-]*$/.exec(part.trim());
    if (named) {
      proto = (named[1] as Protocol | undefined) ?? proto;
      continue;
    }
    const m = /^(?:(TCP|UDP|SCTP) )?(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (m?.[1]) proto = m[1] as Protocol;
    if (!m || !proto) return undefined;
    set = union(set, connSet(proto, Number(m[2]), Number(m[3] ?? m[2])));
  }
  return set;
};

/**
 * One output line as the reference means it, whatever its version printed: newer versions mark address
 * ranges `[External]` and prefix a primary user-defined network's namespace `ns[udn]/`; a set is printed
 * `All but: UDP 5353` or, in older versions, as the ranges it holds. Names are kept as printed. A line that
 * allows nothing is '' (not a connection).
 */
export const canonicalLine = (line: string): string => {
  const l = line.replace(/\[External\]/g, '').replace(/([\w.-]+)\[udn\]\//g, '$1/');
  const m = /^(.*) => (.*) : (.*)$/.exec(l);
  const set = m ? portsSet(m[3] as string) : undefined;
  if (!m || !set) return l;
  // Nothing allowed (only unresolved named ports): not a connection, as a pair segscope does not list.
  if (isEmpty(set)) return '';
  const ports = formatConnSet(set);
  return `${m[1]} => ${m[2]} : ${ports === 'all' ? 'all' : ports.join(',')}`;
};

const IPV4_RANGE = /^(\d+)\.(\d+)\.(\d+)\.(\d+)-(\d+)\.(\d+)\.(\d+)\.(\d+)$/;
const LINE = /^(.*) => (.*) : (.*)$/;
const ipText = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
/** An IPv4 range `a.b.c.d-e.f.g.h` as its first and last address, or undefined. */
const rangeOf = (name: string): [number, number] | undefined => {
  const m = IPV4_RANGE.exec(name)?.slice(1).map(Number);
  const ip = (o: number[]) => o.reduce((n, x) => n * 256 + x, 0);
  return m ? [ip(m.slice(0, 4)), ip(m.slice(4))] : undefined;
};

/**
 * Canonical lines of two outputs with every address range split at the boundaries either output cuts at.
 * Versions of the reference cut the outside address space differently (once for both directions, or
 * sources at ingress-rule CIDRs and destinations at egress-rule ones): the same connections, printed in
 * finer or coarser ranges, then read as the same lines.
 */
export const refinedLines = (a: readonly string[], b: readonly string[]): [string[], string[]] => {
  const cuts = new Set<number>();
  for (const l of [...a, ...b]) {
    const m = LINE.exec(l);
    for (const end of m ? [m[1] as string, m[2] as string] : []) {
      const r = rangeOf(end);
      if (r) cuts.add(r[0]).add(r[1] + 1);
    }
  }
  const sorted = [...cuts].sort((x, y) => x - y);
  const split = (end: string): string[] => {
    const r = rangeOf(end);
    if (!r) return [end];
    const starts = [r[0], ...sorted.filter((c) => c > r[0] && c <= r[1])];
    return starts.map((lo, i) => `${ipText(lo)}-${ipText((starts[i + 1] ?? r[1] + 1) - 1)}`);
  };
  const refine = (ls: readonly string[]) =>
    ls.flatMap((l) => {
      const m = LINE.exec(l);
      if (!m) return [l];
      return split(m[1] as string).flatMap((f) => split(m[2] as string).map((t) => `${f} => ${t} : ${m[3]}`));
    });
  return [refine(a), refine(b)];
};

/** What the newest layout prints in place of an empty pod-network section (conns_formatter_txt.go). */
const EMPTY_POD_NETWORK = [
  'all input workloads are configured with (C)UDN as their primary network interface',
  'All connections are not allowed for the workloads in the pod-network',
];

/**
 * The connection lines of an output: newer versions' per-network section headers (`Permitted connectivity
 * analyzed in primary UDN green:`, earlier `entire-cluster-cudn[cluster-udn]:`), the note of an empty
 * pod-network section and their closing "Workload-to-Networks Mapping:" (which network each workload is
 * on) are left out.
 */
const lines = (text: string) => {
  const all = text.split('\n').map((l) => l.trimEnd());
  const end = all.indexOf('Workload-to-Networks Mapping:');
  return (end < 0 ? all : all.slice(0, end)).filter(
    (l) =>
      l !== '' &&
      !l.startsWith('Permitted connectivity analyzed in ') &&
      !/^\S+\[(?:cluster-)?udn\]:$/.test(l) &&
      !EMPTY_POD_NETWORK.includes(l),
  );
};

/** The published cases of a checkout: [case name, manifests dir, expected output file]. */
export const publishedCases = (root: string): [string, string, string][] => {
  const tests = join(root, 'tests');
  const out: [string, string, string][] = [];
  for (const name of readdirSync(tests).sort()) {
    const dir = join(tests, name);
    if (!statSync(dir).isDirectory()) continue;
    const expected = [
      join(root, 'test_outputs', 'connlist', `${name}_connlist_output.txt`),
      join(dir, 'connlist_output.txt'),
    ].find((f) => existsSync(f));
    if (expected) out.push([name, dir, expected]);
  }
  return out;
};

/** One case: segscope's txt lines against the published ones. */
export const runCase = async (name: string, dir: string, expectedFile: string): Promise<CaseResult> => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t) };
  try {
    // The reference treats hostNetwork pods as pods (it never looks at the field): one of the two readings
    // Kubernetes allows (network-policies, "NetworkPolicy and hostNetwork pods").
    await connlist([dir, '--format', 'txt', '--host-network', 'pod'], io);
  } catch (e) {
    err.push((e as Error).message);
  }
  const ours = lines(out.join('\n'));
  const theirs = lines(readFileSync(expectedFile, 'utf8'));
  // Compared by meaning: canonical lines (a line that allows nothing dropped), ranges cut alike.
  const [oursKeys, theirKeys] = refinedLines(
    ours.map(canonicalLine).filter((l) => l !== ''),
    theirs.map(canonicalLine).filter((l) => l !== ''),
  ).map((ls) => new Set(ls));
  const result: CaseResult = {
    name,
    missing: [...(theirKeys as Set<string>)].filter((l) => !oursKeys?.has(l)),
    extra: [...(oursKeys as Set<string>)].filter((l) => !theirKeys?.has(l)),
  };
  if (ours.length === 0 && err.length > 0) result.error = err.join('\n').slice(0, 500);
  return result;
};

const main = async () => {
  const [root, ...rest] = process.argv.slice(2);
  if (!root) {
    process.stderr.write('usage: npx tsx scripts/peer-suite.ts NETPOL_ANALYZER_CHECKOUT [--case NAME]\n');
    process.exit(2);
  }
  const only = rest[rest.indexOf('--case') + 1];
  let exact = 0;
  let total = 0;
  for (const [name, dir, expected] of publishedCases(root)) {
    if (rest.includes('--case') && name !== only) continue;
    const r = await runCase(name, dir, expected);
    total++;
    if (r.missing.length === 0 && r.extra.length === 0) exact++;
    process.stdout.write(
      r.missing.length === 0 && r.extra.length === 0
        ? `exact   ${name}\n`
        : `differs ${name}: ${r.missing.length} published lines missing, ${r.extra.length} extra${r.error ? ` (${r.error.split('\n')[0]})` : ''}\n`,
    );
  }
  process.stdout.write(`${exact} of ${total} published cases exact\n`);
  process.exitCode = exact === total ? 0 : 1;
};

if (process.argv[1]?.endsWith('peer-suite.ts')) void main();
