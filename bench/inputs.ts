// Hostile and huge inputs: time and peak memory of reading + analysing each, one fresh process per case.
// Run: npx tsx bench/inputs.ts [--case NAME]   (prints JSON; `npm run bench` runs it once)
//
// Each case is generated here, written to bench-results/inputs/, then read by a child process
// that does what the app's worker does (importFiles, then analyze when something loaded) and
// reports wall time and its peak resident memory, so one case's garbage never inflates another's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIR = join(ROOT, 'bench-results', 'inputs');

/** One anchored block of 2,000 variables aliased by 400 services: 45 KB that expand to 800,000 nodes. */
const aliasBomb = (): string => {
  const env = Array.from({ length: 2000 }, (_, i) => `  K${i}: v${i}`).join('\n');
  const lines = ['x-env: &env', env, 'services:'];
  for (let i = 0; i < 400; i++) lines.push(`  s${i}:\n    image: x\n    environment: *env`);
  return `${lines.join('\n')}\n`;
};

/** The same bomb written in flow style: the anchored variables and the 400 services each one `{…}` line. */
const aliasBombFlow = (): string => {
  const env = Array.from({ length: 2000 }, (_, i) => `K${i}: v${i}`).join(', ');
  const services = Array.from({ length: 400 }, (_, i) => `s${i}: {image: x, environment: *env}`).join(', ');
  return `x-env: &env {${env}}\nservices: {${services}}\n`;
};

/** "Billion laughs": ten levels of ten aliases each, 10^10 strings when expanded. */
const billionLaughs = (): string => {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  lines.push('services: *a9');
  return `${lines.join('\n')}\n`;
};

/** One YAML document whose only content is a 20 MB double-quoted string. */
const longString = (): string => `description: "${'lorem ipsum '.repeat(Math.ceil((20 * 2 ** 20) / 12))}"\n`;

/** `aws ec2 describe-security-groups` with 36,000 groups, each with ingress from a CIDR and from a peer group. */
const manyGroups = (n = 36_000): string => {
  const groups = [];
  for (let i = 0; i < n; i++) {
    const id = `sg-${i.toString(16).padStart(17, '0')}`;
    const peer = `sg-${((i * 7919) % n).toString(16).padStart(17, '0')}`;
    groups.push({
      Description: `group ${i}`,
      GroupName: `group-${i}`,
      IpPermissions: [
        {
          FromPort: 443,
          IpProtocol: 'tcp',
          IpRanges: [{ CidrIp: `10.${(i >> 8) & 255}.${i & 255}.0/24` }],
          Ipv6Ranges: [],
          PrefixListIds: [],
          ToPort: 443,
          UserIdGroupPairs: [],
        },
        {
          FromPort: 5432,
          IpProtocol: 'tcp',
          IpRanges: [],
          Ipv6Ranges: [],
          PrefixListIds: [],
          ToPort: 5432,
          UserIdGroupPairs: [{ GroupId: peer, UserId: '123456789012' }],
        },
      ],
      OwnerId: '123456789012',
      GroupId: id,
      IpPermissionsEgress: [
        {
          IpProtocol: '-1',
          IpRanges: [{ CidrIp: '0.0.0.0/0' }],
          Ipv6Ranges: [],
          PrefixListIds: [],
          UserIdGroupPairs: [],
        },
      ],
      VpcId: `vpc-${(i % 40).toString(16).padStart(17, '0')}`,
    });
  }
  return JSON.stringify({ SecurityGroups: groups }, null, 4);
};

export const CASES: Record<string, { file: string; make: () => string }> = {
  aliasBomb: { file: 'alias-bomb.yaml', make: aliasBomb },
  aliasBombFlow: { file: 'alias-bomb-flow.yaml', make: aliasBombFlow },
  billionLaughs: { file: 'billion-laughs.yaml', make: billionLaughs },
  longString20MB: { file: 'long-string.yaml', make: longString },
  awsGroups36k: { file: 'describe-security-groups-36k.json', make: manyGroups },
};

const round = (x: number) => Math.round(x);

/** Child: read one file as the worker does and report time and memory. */
const measure = async (name: string) => {
  const { importFiles } = await import('../src/import/index');
  const { analyze } = await import('../src/analysis/analyze');
  const path = join(DIR, CASES[name]?.file ?? name);
  const text = readFileSync(path, 'utf8');
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { workspace, report } = importFiles([{ name: CASES[name]?.file ?? name, text }]);
  const importMs = performance.now() - t0;
  let analyzeMs: number | null = null;
  if (!report.failed) {
    const t1 = performance.now();
    analyze(workspace);
    analyzeMs = performance.now() - t1;
  }
  const cpuFirst = process.cpuUsage(cpu0);
  const totalMs = round(performance.now() - t0);
  // The app's worker has read files before (the sample at start): the same import again, warm,
  // best of 3. Only for quick cases, so the 36,000-group file is not read again.
  let warm: { ms: number; cpuMs: number } | null = null;
  for (let i = 0; i < 3 && importMs < 5000; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    importFiles([{ name: CASES[name]?.file ?? name, text }]);
    const d = process.cpuUsage(c);
    const ms = round(performance.now() - t);
    const cpuMs = round((d.user + d.system) / 1000);
    warm = warm && warm.cpuMs <= cpuMs ? warm : { ms, cpuMs };
  }
  const diagnostics = [...report.files.flatMap((f) => f.diagnostics), ...report.diagnostics];
  const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
  const out = {
    fileMB: Math.round((text.length / 2 ** 20) * 10) / 10,
    totalMs,
    // CPU time of this process: on a shared machine the wall time above also counts waiting.
    cpuMs: round((cpuFirst.user + cpuFirst.system) / 1000),
    importMs: round(importMs),
    analyzeMs: analyzeMs === null ? null : round(analyzeMs),
    /** Best of 3 imports of the same file after the first. */
    warmImportMs: warm?.ms ?? null,
    warmImportCpuMs: warm?.cpuMs ?? null,
    failed: report.failed,
    services: workspace.services.length,
    segments: workspace.segments.length,
    rules: workspace.rules.length,
    firstDiagnostic: first ? `${first.file}:${first.line}:${first.column} ${first.message}`.slice(0, 200) : null,
    rssBeforeMB: round(rssBefore / 2 ** 20),
    peakRssMB: round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
};

const main = async () => {
  const argv = process.argv.slice(2);
  const one = argv[argv.indexOf('--case') + 1];
  if (argv.includes('--child') && one) return measure(one);
  mkdirSync(DIR, { recursive: true });
  const results: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(CASES)) {
    if (argv.includes('--case') && name !== one) continue;
    writeFileSync(join(DIR, c.file), c.make());
    const r = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=4096',
        join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        fileURLToPath(import.meta.url),
        '--child',
        '--case',
        name,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 10 * 60_000, maxBuffer: 1 << 24 },
    );
    try {
      results[name] = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
    } catch {
      results[name] = { error: `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}: ${(r.stderr ?? '').slice(-400)}` };
    }
    process.stderr.write(`inputs: ${name} ${JSON.stringify(results[name])}\n`);
  }
  process.stdout.write(`${JSON.stringify({ inputs: results }, null, 2)}\n`);
};

void main();
