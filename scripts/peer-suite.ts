// `npx tsx scripts/peer-suite.ts NETPOL_ANALYZER_CHECKOUT [--case NAME]`: segscope connlist against every published case of the reference analyzer.
//
// The reference, np-guard/netpol-analyzer, keeps each case's manifests in tests/<case>/ and the output of
// `k8snetpolicy list` in test_outputs/connlist/<case>_connlist_output.txt (older cases:
// tests/<case>/connlist_output.txt). For each case that has both, this runs `segscope connlist --format txt`
// on the directory and compares the lines as sets (the reference sorts them; so does segscope). It prints
// one line per case (exact, or how many lines each side lacks) and the totals; exit 1 when any differs.
// The suite is not in this repository (its size and licence); clone it next to it to run this.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connlist } from '../src/cli/connlist';
import type { Io } from '../src/cli/io';

export interface CaseResult {
  name: string;
  /** Lines the reference prints that segscope does not, and the reverse. */
  missing: string[];
  extra: string[];
  /** segscope's stderr (import errors and warnings) when it printed nothing. */
  error?: string;
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');

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
    await connlist([dir, '--format', 'txt'], io);
  } catch (e) {
    err.push((e as Error).message);
  }
  const ours = new Set(lines(out.join('\n')));
  const theirs = new Set(lines(readFileSync(expectedFile, 'utf8')));
  const result: CaseResult = {
    name,
    missing: [...theirs].filter((l) => !ours.has(l)),
    extra: [...ours].filter((l) => !theirs.has(l)),
  };
  if (ours.size === 0 && err.length > 0) result.error = err.join('\n').slice(0, 500);
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
