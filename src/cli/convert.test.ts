import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writerNamed } from '../formats/registry';
import type { FormatWriter } from '../formats/types';
import { importFiles } from '../import/index';
import { convert, printFiles } from './convert';
import { readInputs } from './io';
import { COMMANDS, main } from './main';
import { fakeIo } from './testing';

const TIERS = 'public/samples/calico/tiers.yaml';
const COMPOSE = 'public/samples/compose';
/** What the exporter writes for these arguments, computed the way the command does. */
const expected = (format: string, paths: string[]) =>
  (writerNamed(format) as FormatWriter).write(importFiles(readInputs(paths).files).workspace);

describe('segscope convert', () => {
  it('is registered with the other commands', () => {
    expect(COMMANDS.convert?.usage).toBe(
      'segscope convert FILE... --to native|compose|k8s|calico|aws-sg|terraform [--out DIR] [--check]',
    );
  });

  it('prints a single file as it is, notes on stderr', async () => {
    const { io, out, err } = fakeIo();
    expect(await convert([TIERS, '--to', 'calico'], io)).toBe(0);
    expect(out).toEqual([expected('calico', [TIERS]).files[0]?.text]);
    expect(err).toEqual([]);
    const k8s = fakeIo();
    expect(await convert(['public/samples/k8s/shop.yaml', '--to=k8s'], k8s.io)).toBe(0);
    expect(k8s.err).toEqual(expected('k8s', ['public/samples/k8s/shop.yaml']).notes.map((n) => `note: ${n}`));
  });

  it('prints several YAML files each after a "# file:" line', async () => {
    const { io, out } = fakeIo();
    expect(await convert([COMPOSE, '--to', 'compose'], io)).toBe(0);
    const files = expected('compose', [COMPOSE]).files;
    expect(out).toEqual([files.map((f) => `# file: ${f.name}\n${f.text}`).join('')]);
    expect((out[0] ?? '').match(/^# file: .*$/gm)).toEqual([
      '# file: sock-shop.yml',
      '# file: v1-proxy-app-db.yml',
      '# file: v2-front-back.yml',
      '# file: voting-app.yml',
    ]);
  });

  it('prints several JSON files as one object of name → file text', async () => {
    const { io, out } = fakeIo();
    expect(await convert(['public/samples/aws/describe-instances.json', '--to', 'aws-sg'], io)).toBe(0);
    const printed = JSON.parse(out[0] ?? '') as Record<string, string>;
    expect(Object.keys(printed)).toEqual(['describe-security-groups.json', 'describe-instances.json']);
    expect(JSON.parse(printed['describe-instances.json'] ?? '').Reservations).toHaveLength(2);
  });

  it('writes the files into --out and prints their paths', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'segscope-convert-')), 'out');
    const { io, out } = fakeIo();
    expect(await convert([COMPOSE, '--to', 'compose', '--out', dir], io)).toBe(0);
    const files = expected('compose', [COMPOSE]).files;
    expect(out).toEqual(files.map((f) => join(dir, f.name)));
    expect(readdirSync(dir).sort()).toEqual(files.map((f) => f.name).sort());
    for (const f of files) expect(readFileSync(join(dir, f.name), 'utf8')).toBe(f.text);
  });

  it.each([
    [
      ['--to', 'yaml', TIERS],
      2,
      'segscope convert: unknown format "yaml"; expected one of native, compose, k8s, calico, aws-sg, terraform',
    ],
    [['--to', 'k8s', 'no/such/file.yaml'], 2, 'segscope convert: cannot read no/such/file.yaml: ENOENT'],
    [['--to', 'calico', `${COMPOSE}/voting-app.yml`], 1, 'segscope convert: nothing to write as calico'],
  ])('exits %#: %j', async (args, code, message) => {
    const { io, err } = fakeIo();
    expect(await convert(args, io)).toBe(code);
    expect(err.at(-1)).toBe(message);
  });

  it('reports usage errors through main with exit 2', async () => {
    const { io, err } = fakeIo();
    expect(await main(['convert', TIERS], io)).toBe(2);
    expect(err[0]).toMatch(/^segscope convert: --to is required: one of native, compose/);
    const bad = fakeIo();
    expect(await main(['convert', TIERS, '--to', 'k8s', '--json'], bad.io)).toBe(2);
    expect(bad.err[0]).toMatch(/^segscope convert: unknown option --json/);
  });

  it('prints import errors and warnings with their position, and still converts the valid rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segscope-convert-'));
    const path = join(dir, 'compose.yml');
    writeFileSync(path, 'services:\n  web:\n    image: nginx\n    links: [nope]\n');
    const { io, out, err } = fakeIo();
    expect(await convert([path, '--to', 'compose'], io)).toBe(0);
    expect(err).toEqual([`${path}:4:13: error: service "web" links to unknown service "nope"`]);
    expect(out[0]).toContain('  web:\n    image: nginx\n');
  });

  it('printFiles: one file as is; JSON formats as an object; others with # file: lines', () => {
    const one = [{ name: 'a.yaml', text: 'a: 1\n' }];
    const two = [...one, { name: 'b.yaml', text: 'b: 2' }];
    expect(printFiles('yaml', one)).toBe('a: 1\n');
    expect(printFiles('yaml', two)).toBe('# file: a.yaml\na: 1\n# file: b.yaml\nb: 2\n');
    expect(printFiles('json', two)).toBe('{\n  "a.yaml": "a: 1\\n",\n  "b.yaml": "b: 2"\n}\n');
  });
});

describe('segscope convert --check: the written files read back with the same connectivity', () => {
  it('on every level the format describes: one line each, exit 0; nothing printed but the check', async () => {
    const { io, out } = fakeIo();
    expect(await convert(['public/samples/k8s/shop.yaml', '--to', 'k8s', '--check'], io)).toBe(0);
    expect(out).toEqual([
      'account: same connectivity',
      'role: same connectivity',
      'network: same connectivity',
      'policy: same connectivity',
      'check: the k8s files read back with the same connectivity on account, role, network, policy',
    ]);
    const compose = fakeIo();
    expect(await convert([COMPOSE, '--to', 'compose', '--check'], compose.io)).toBe(0);
    expect(compose.out).toEqual([
      'overlay: same connectivity',
      'check: the compose files read back with the same connectivity on overlay',
    ]);
  });

  it('what the format cannot carry shows as the connections it changes, exit 1', async () => {
    // The Kubernetes writer leaves admin policies to their own files (its notes say so): written alone,
    // the policy level loses what they decided (storefront and prometheus reach ledger-db only through them).
    const files = ['public/samples/k8s/shop.yaml', 'public/samples/k8s/admin-policies.yaml'];
    const { io, out, err } = fakeIo();
    expect(await convert([...files, '--to', 'k8s', '--check'], io)).toBe(1);
    expect(err.some((e) => /^note: AdminNetworkPolicy, BaselineAdminNetworkPolicy, .* are not written/.test(e))).toBe(
      true,
    );
    expect(out.slice(0, 3)).toEqual([
      'account: same connectivity',
      'role: same connectivity',
      'network: same connectivity',
    ]);
    const policy = (out[3] ?? '').split('\n');
    expect(policy.filter((l) => !l.startsWith('policy: added: '))).toEqual([
      'policy: removed: prometheus => ledger-db : TCP 9100',
      'policy: removed: storefront => ledger-db : TCP 8443',
      'policy: changed: prometheus => gateway : TCP 9100 -> all',
      'policy: changed: storefront => gateway : TCP 8443 -> all',
      'policy: 14 added, 2 removed, 2 changed, 53 unchanged',
    ]);
    expect(out.slice(4)).toEqual(['check: the k8s files do not read back as written (policy differ)']);
  });

  it('with --out the files are written and then checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segscope-check-'));
    const { io, out } = fakeIo();
    expect(await convert([TIERS, '--to', 'calico', '--out', dir, '--check'], io)).toBe(0);
    expect(readdirSync(dir)).toEqual(expected('calico', [TIERS]).files.map((f) => f.name));
    expect(out.slice(1)).toEqual([
      'policy: same connectivity',
      'check: the calico files read back with the same connectivity on policy',
    ]);
  });

  it('a format segscope does not read back (Terraform HCL) cannot be checked: exit 2', async () => {
    const { io, out, err } = fakeIo();
    expect(await convert(['public/samples/aws/describe-instances.json', '--to', 'terraform', '--check'], io)).toBe(2);
    expect(out).toEqual([]);
    expect(err).toEqual([
      'segscope convert: --check reads the files back, and segscope does not read what terraform writes',
    ]);
  });
});
