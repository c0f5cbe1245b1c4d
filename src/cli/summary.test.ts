import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';
import { summary } from './summary';
import { fakeIo } from './testing';

const V1 = 'public/samples/compose/v1-proxy-app-db.yml';
const V2 = 'public/samples/compose/v2-front-back.yml';

describe('segscope summary', () => {
  it('prints the documented JSON for Compose samples', async () => {
    const { io, out, err } = fakeIo();
    expect(await summary([V1, V2, '--json'], io)).toBe(0);
    expect(err).toEqual([]);
    expect(JSON.parse(out.join(''))).toEqual({
      files: [
        { name: V1, format: 'compose', services: 4, segments: 1, calls: 4, rules: 3 },
        { name: V2, format: 'compose', services: 5, segments: 2, calls: 6, rules: 0 },
      ],
      services: 9,
      calls: 10,
      rules: 3,
      segments: { account: 0, role: 0, network: 0, group: 0, policy: 0, overlay: 3 },
      diagnostics: [],
    });
  });

  it('prints an aligned table without --json', async () => {
    const { io, out } = fakeIo();
    expect(await summary([V1, V2], io)).toBe(0);
    expect(out.join('').split('\n')).toEqual([
      'FILE                                        FORMAT   SERVICES  SEGMENTS  CALLS  RULES',
      'public/samples/compose/v1-proxy-app-db.yml  compose         4         1      4      3',
      'public/samples/compose/v2-front-back.yml    compose         5         2      6      0',
      '',
      'workspace: 9 services, 10 calls, 3 rules',
      'segments: account 0, role 0, network 0, group 0, policy 0, overlay 3',
    ]);
  });

  it('lists diagnostics as file:line:column and still exits 0 for a file with errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segscope-summary-'));
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(file, 'services:\n  web:\n    image: nginx\n    links: [api]\n');
    const text = fakeIo();
    expect(await summary([file], text.io)).toBe(0);
    expect(text.out.join('').split('\n').slice(-2)).toEqual([
      '1 diagnostic:',
      `${file}:4:13: error: service "web" links to unknown service "api"`,
    ]);
    const json = fakeIo();
    expect(await summary(['--json', file], json.io)).toBe(0);
    expect(JSON.parse(json.out.join('')).diagnostics).toEqual([
      { file, line: 4, column: 13, severity: 'error', message: 'service "web" links to unknown service "api"' },
    ]);
  });

  it('with --fail-on error|warn exits 1 when a diagnostic at that severity exists, like check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segscope-summary-'));
    const broken = join(dir, 'docker-compose.yml');
    writeFileSync(broken, 'services:\n  web:\n    image: nginx\n    links: [api]\n');
    const warned = join(dir, 'other', 'docker-compose.yml');
    mkdirSync(join(dir, 'other'));
    // Both `network_mode` and `networks`: a warning, no error.
    writeFileSync(
      warned,
      'services:\n  web:\n    image: nginx\n    network_mode: host\n    networks: [a]\nnetworks:\n  a: {}\n',
    );
    const run = async (args: string[]) => summary(args, fakeIo().io);
    expect(await run([broken, '--fail-on', 'error'])).toBe(1);
    expect(await run([broken])).toBe(0);
    expect(await run([warned, '--fail-on', 'error'])).toBe(0);
    expect(await run([warned, '--fail-on', 'warn'])).toBe(1);
    expect(await run([V1, V2, '--fail-on', 'warn'])).toBe(0);
    await expect(run([V1, '--fail-on', 'info'])).rejects.toThrow('--fail-on takes error or warn');
  });

  it('reads the .yaml/.yml/.json files under a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segscope-summary-'));
    mkdirSync(join(dir, 'shop'));
    writeFileSync(join(dir, 'shop', 'compose.yaml'), 'services:\n  a: {image: a}\n  b: {image: b, depends_on: [a]}\n');
    writeFileSync(join(dir, 'README.md'), '# not a topology\n');
    const { io, out } = fakeIo();
    expect(await summary([dir, '--json'], io)).toBe(0);
    const s = JSON.parse(out.join(''));
    expect(s.files.map((f: { format: string; services: number }) => [f.format, f.services])).toEqual([['compose', 2]]);
    expect([s.services, s.calls, s.segments.overlay]).toEqual([2, 1, 1]);
  });

  it('exits 2 on a missing file and says which', async () => {
    const { io, out, err } = fakeIo();
    expect(await summary([V1, 'no/such/file.yml'], io)).toBe(2);
    expect(out).toEqual([]);
    expect(err).toEqual(['segscope summary: cannot read no/such/file.yml: ENOENT']);
  });

  it('exits 2 with usage when no file or an unknown option is given', async () => {
    const none = fakeIo();
    expect(await main(['summary'], none.io)).toBe(2);
    expect(none.err.join('')).toBe(
      'segscope summary: name at least one FILE or directory\nusage: segscope summary FILE... [--json] [--fail-on error|warn]',
    );
    const bad = fakeIo();
    expect(await main(['summary', V1, '--yaml'], bad.io)).toBe(2);
    expect(bad.err.join('')).toBe(
      'segscope summary: unknown option --yaml\nusage: segscope summary FILE... [--json] [--fail-on error|warn]',
    );
  });
});
