// `npx tsx scripts/vpc-peer.ts BUNDLE.json REPORT.txt [--verbose]` or `--suite EXAMPLES_DIR`: connlist against a VPC analyzer's endpoint connectivity.
//
// The reference, np-guard/vpc-network-config-analyzer, reads a cloud-resource-collector bundle and prints
// "Endpoint connectivity for VPC …" lines `SRC => DST : CONN`, a network interface as `name[private IP]`,
// the outside as `Public Internet (all ranges)` or `Public Internet CIDR,…` over its list of public
// ranges, CONN as `All Connections` or `protocol: TCP src-ports: … dst-ports: …` (`*` when the ACLs drop
// the response). Its AWS cases are pkg/awsvpc/examples/input/input_<case>.json with the reports in
// pkg/awsvpc/examples/out/analysis_out/<case>_all_vpcs_.txt. This maps both outputs onto the same terms —
// instances by private address, the outside address by address inside those public ranges, TCP and UDP
// ports — and counts the reference lines segscope reproduces and the segscope lines the reference has no
// line for. A line with source ports S and no `*` is checked with `--ephemeral-ports S` (segscope lists a
// connection when every port of the ephemeral range gets its response). The cases are not in this
// repository; see docs/connlist.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeConnlist, type Ports } from '../src/analysis/connlist';
import { withEphemeralFlag } from '../src/cli/io';
import { importFiles } from '../src/import/index';

type Span = [number, number];
type Conns = Map<string, Span[]>;
type Ep = { ip: string } | { outside: Span[] };

/** The reference's default list of public IPv4 ranges (what it calls the public internet). */
const PUBLIC = [
  '1.0.0.0-9.255.255.255',
  '11.0.0.0-100.63.255.255',
  '100.128.0.0-126.255.255.255',
  '128.0.0.0-169.253.255.255',
  '169.255.0.0-172.15.255.255',
  '172.32.0.0-191.255.255.255',
  '192.0.1.0/24',
  '192.0.3.0-192.88.98.255',
  '192.88.100.0-192.167.255.255',
  '192.169.0.0-198.17.255.255',
  '198.20.0.0-198.51.99.255',
  '198.51.101.0-203.0.112.255',
  '203.0.114.0-223.255.255.255',
];

const ip4 = (t: string): number => t.split('.').reduce((n, b) => n * 256 + Number(b), 0);
/** `a.b.c.d/n` or `FIRST-LAST` as an inclusive span of IPv4 numbers (IPv6 is not in the reference's cases). */
export const span = (t: string): Span => {
  if (t.includes('/')) {
    const [a, n] = t.split('/');
    const size = 2 ** (32 - Number(n));
    const lo = Math.floor(ip4(a as string) / size) * size;
    return [lo, lo + size - 1];
  }
  const [a, b] = t.split('-');
  return [ip4(a as string), ip4(b as string)];
};
const PUB = PUBLIC.map(span);
const ALL: Span[] = [[1, 65535]];

const ports = (t: string): Span[] =>
  t.split(',').map((p) => {
    const [lo, hi] = p.split('-');
    return [Number(lo), Number(hi ?? lo)];
  });
const add = (m: Conns, proto: string, s: Span[]) => m.set(proto, [...(m.get(proto) ?? []), ...s]);
/** A canonical text of a connection set (ports merged, port 0 dropped), for equality. */
const key = (m: Conns | undefined): string =>
  [...(m ?? new Map<string, Span[]>())]
    .map(([p, s]): [string, Span[]] => {
      const out: Span[] = [];
      for (const [a, b] of s.map(([a, b]): Span => [Math.max(1, a), b]).sort((x, y) => x[0] - y[0])) {
        const last = out[out.length - 1];
        if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
        else if (b >= a) out.push([a, b]);
      }
      return [p, out];
    })
    .filter(([, s]) => s.length > 0)
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([p, s]) => `${p} ${s.map(([a, b]) => `${a}-${b}`).join(',')}`)
    .join('; ');

/** One reference connection as what is allowed statefully when clients use the ephemeral ports `eph`. */
export const referenceConns = (text: string, eph: Span): Conns => {
  const m: Conns = new Map();
  const star = text.trimEnd().endsWith('*');
  const body = text.trimEnd().replace(/\*$/, '').trim();
  if (star) return m;
  if (body === 'All Connections')
    return new Map([
      ['TCP', ALL],
      ['UDP', ALL],
    ]);
  for (const part of body.split(';')) {
    const r = /protocol: (\w+)(?: src-ports: ([\d,-]+))?(?: dst-ports: ([\d,-]+))?/.exec(part);
    if (!r || (r[1] !== 'TCP' && r[1] !== 'UDP')) continue;
    if (r[2] && !ports(r[2]).some(([a, b]) => a <= eph[0] && eph[1] <= b)) continue;
    add(m, r[1], r[3] ? ports(r[3]) : ALL);
  }
  return m;
};

const segscopeConns = (p: Ports): Conns => {
  const m: Conns = new Map();
  if (p === 'all')
    return new Map([
      ['TCP', ALL],
      ['UDP', ALL],
    ]);
  for (const item of p) {
    const [proto, range] = item.split(' ');
    if (proto === 'TCP' || proto === 'UDP') add(m, proto, range ? ports(range) : ALL);
  }
  return m;
};

interface Line {
  src: Ep;
  dst: Ep;
  conns: Conns;
  text: string;
}

const referenceEp = (t: string): Ep => {
  const named = /\[([\d.]+)\]$/.exec(t);
  if (named) return { ip: named[1] as string };
  if (t === 'Public Internet (all ranges)') return { outside: PUB };
  return {
    outside: t
      .replace(/^Public Internet /, '')
      .split(',')
      .map((c) => span(c.trim())),
  };
};

export const referenceLines = (report: string, eph: Span): Line[] =>
  report
    .split('\n')
    .filter((l) => l.includes(' => '))
    .map((l) => {
      const [pair, conn] = l.split(' : ') as [string, string];
      const [s, d] = pair.split(' => ') as [string, string];
      return {
        src: referenceEp(s.trim()),
        dst: referenceEp(d.trim()),
        conns: referenceConns(conn, eph),
        text: l.trimEnd(),
      };
    });

/** segscope's connlist of the bundle, its instances named by private address. */
export const segscopeLines = (bundle: string, eph?: Span): Line[] => {
  const doc = JSON.parse(bundle) as { instances?: Record<string, unknown>[] };
  const ipOf = new Map<string, string>();
  for (const i of doc.instances ?? []) {
    const tags = (i.Tags as { Key: string; Value: string }[] | null) ?? [];
    const nic = (i.NetworkInterfaces as { PrivateIpAddress: string }[] | null)?.[0];
    if (nic) ipOf.set(tags.find((t) => t.Key === 'Name')?.Value ?? (i.InstanceId as string), nic.PrivateIpAddress);
  }
  const { workspace } = importFiles([{ name: 'bundle.json', text: bundle }]);
  const ws = withEphemeralFlag(workspace, eph ? { from: eph[0], to: eph[1] } : undefined);
  const ep = (n: string): Ep | undefined => {
    const ip = ipOf.get(n);
    if (ip) return { ip };
    return /^[\d.]+-[\d.]+$/.test(n) ? { outside: [span(n)] } : undefined;
  };
  return computeConnlist(ws).connections.flatMap((c) => {
    const [src, dst] = [ep(c.from), ep(c.to)];
    return src && dst
      ? [
          {
            src,
            dst,
            conns: segscopeConns(c.ports),
            text: `${c.from} => ${c.to} : ${c.ports === 'all' ? 'all' : c.ports.join(',')}`,
          },
        ]
      : [];
  });
};

export interface Agreement {
  /** Reference lines whose every (address, address) pair has the same set in both. */
  exact: number;
  lines: number;
  differs: string[];
  /** segscope lines with a pair the reference gives nothing. */
  extra: string[];
}

/** Both outputs cut into atoms (instances, and the public ranges cut at every boundary either side uses). */
export const agreement = (ref: Line[], ours: Line[]): Agreement => {
  const cuts = new Set<number>();
  for (const [a, b] of PUB) cuts.add(a).add(b + 1);
  for (const l of [...ref, ...ours])
    for (const e of [l.src, l.dst]) if ('outside' in e) for (const [a, b] of e.outside) cuts.add(a).add(b + 1);
  const sorted = [...cuts].sort((x, y) => x - y);
  const atoms: Span[] = [];
  sorted.forEach((a, k) => {
    const b = (sorted[k + 1] ?? 0) - 1;
    if (k + 1 < sorted.length && PUB.some(([lo, hi]) => lo <= a && b <= hi)) atoms.push([a, b]);
  });
  const expand = (e: Ep): string[] =>
    'ip' in e
      ? [e.ip]
      : atoms.filter(([a, b]) => e.outside.some(([lo, hi]) => lo <= a && b <= hi)).map(([a]) => `@${a}`);
  const fill = (lines: Line[]) => {
    const m = new Map<string, Conns>();
    for (const l of lines)
      for (const x of expand(l.src))
        for (const y of expand(l.dst)) {
          const k = `${x}>${y}`;
          const c = m.get(k) ?? new Map();
          for (const [p, s] of l.conns) add(c, p, s);
          m.set(k, c);
        }
    return m;
  };
  const [theirs, mine] = [fill(ref), fill(ours)];
  const pairs = (l: Line) => expand(l.src).flatMap((x) => expand(l.dst).map((y) => `${x}>${y}`));
  const same = (k: string) => key(theirs.get(k)) === key(mine.get(k));
  const differs = ref.filter((l) => !pairs(l).every(same)).map((l) => l.text);
  const extra = ours
    .filter((l) => pairs(l).some((k) => key(mine.get(k)) !== '' && key(theirs.get(k)) === ''))
    .map((l) => l.text);
  return { exact: ref.length - differs.length, lines: ref.length, differs, extra };
};

/** A case with the default ephemeral ports, then each un-starred source-port line with its own range. */
export const compareCase = (bundle: string, report: string) => {
  const whole = agreement(referenceLines(report, [1024, 65535]), segscopeLines(bundle));
  const conditional = referenceLines(report, [0, 0])
    .map((l) => /src-ports: (\d+)(?:-(\d+))? /.exec(`${l.text} `))
    .filter((r): r is RegExpExecArray => r !== null && !r.input.trimEnd().endsWith('*'))
    .map((r) => {
      const eph: Span = [Number(r[1]), Number(r[2] ?? r[1])];
      const line = referenceLines(r.input, eph);
      return agreement(line, segscopeLines(bundle, eph)).exact === 1;
    });
  return { whole, conditional: { exact: conditional.filter(Boolean).length, lines: conditional.length } };
};

const main = () => {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const suite = args[args.indexOf('--suite') + 1];
  const cases: [string, string, string][] = args.includes('--suite')
    ? readdirSync(join(suite as string, 'input'))
        .map((f) => /^input_(.*)\.json$/.exec(f)?.[1])
        .filter((c): c is string => c !== undefined)
        .map((c): [string, string, string] => [
          c,
          join(suite as string, 'input', `input_${c}.json`),
          join(suite as string, 'out', 'analysis_out', `${c}_all_vpcs_.txt`),
        ])
        .filter(([, , r]) => existsSync(r))
    : [['case', args[0] as string, args[1] as string]];
  if (!cases[0]?.[1] || !cases[0]?.[2]) {
    process.stderr.write(
      'usage: npx tsx scripts/vpc-peer.ts BUNDLE.json REPORT.txt [--verbose] | --suite EXAMPLES_DIR\n',
    );
    process.exit(2);
  }
  let bad = 0;
  for (const [name, bundle, report] of cases) {
    const { whole, conditional } = compareCase(readFileSync(bundle, 'utf8'), readFileSync(report, 'utf8'));
    bad += whole.differs.length + whole.extra.length + conditional.lines - conditional.exact;
    process.stdout.write(
      `${name}: reference lines reproduced ${whole.exact}/${whole.lines}; segscope lines without a reference line ${whole.extra.length}; source-port lines with their range ${conditional.exact}/${conditional.lines}\n`,
    );
    if (verbose)
      for (const l of [...whole.differs.map((d) => `  differs: ${d}`), ...whole.extra.map((e) => `  extra:   ${e}`)])
        process.stdout.write(`${l}\n`);
  }
  process.exitCode = bad === 0 ? 0 : 1;
};

if (process.argv[1]?.endsWith('vpc-peer.ts')) main();
