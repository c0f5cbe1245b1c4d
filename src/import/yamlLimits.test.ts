// YAML limits: aliases, nesting, expansion and long strings refused at the place they are crossed.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { type CST, Parser, parseDocument } from 'yaml';
import { formatNouns } from '../formats/registry';
import { importFiles } from './index';
import { composedAliasProblem, yamlWithAliases } from './testing/yamlAliasReference';
import { readableSizes } from './text';
import { parseYaml } from './yaml';
import {
  documentProblem,
  MAX_ALIAS_DEPTH,
  MAX_ALIASES,
  MAX_FLOW_STRING,
  MAX_NESTING,
  type YamlLimits,
} from './yamlLimits';

const where = (name: string, text: string) =>
  parseYaml(name, text).diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`);

describe('YAML limits (DESIGN.md: alias bombs and huge inputs are refused with a located error)', () => {
  it('refuses aliases of one big anchor repeated until the document would be 800,000 nodes, at the alias that crossed the line', () => {
    const env = Array.from({ length: 2000 }, (_, i) => `  K${i}: v${i}`).join('\n');
    const lines = ['x-env: &env', env, 'services:'];
    for (let i = 0; i < 400; i++) lines.push(`  s${i}:\n    image: x\n    environment: *env`);
    const [first, ...rest] = where('wide.yaml', `${lines.join('\n')}\n`);
    expect(rest).toEqual([]);
    // 2,000 own pairs + 4,000 scalars…; the 50th alias passes 200,000 nodes: line 2002 + 3 × 49 + 3.
    expect(first).toBe(
      `${2002 + 3 * 49 + 3}:18 error YAML document 1 not loaded: aliases expand the document to more than 200,000 nodes`,
    );
  });

  it(`refuses aliases nested more than ${MAX_ALIAS_DEPTH} deep`, () => {
    const lines = ['a0: &a0 x'];
    for (let i = 1; i <= MAX_ALIAS_DEPTH + 1; i++) lines.push(`a${i}: &a${i} [*a${i - 1}]`);
    expect(where('deep.yaml', lines.join('\n'))).toEqual([
      `${MAX_ALIAS_DEPTH + 2}:12 error YAML document 1 not loaded: aliases nested more than ${MAX_ALIAS_DEPTH} deep`,
    ]);
  });

  it(`refuses more than ${MAX_ALIASES} aliases`, () => {
    const text = `a: &a x\nb: [${Array(MAX_ALIASES + 1)
      .fill('*a')
      .join(', ')}]\n`;
    expect(where('many.yaml', text)).toEqual([
      `2:${5 + 4 * MAX_ALIASES} error YAML document 1 not loaded: more than 10,000 aliases`,
    ]);
  });

  it(`refuses collections nested more than ${MAX_NESTING} deep, flow or block, at the one that crossed the line`, () => {
    const flow = `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    expect(where('flow.yaml', flow)).toEqual([
      `1:${4 + MAX_NESTING - 1} error YAML document 1 not loaded: collections nested more than ${MAX_NESTING} deep`,
    ]);
    const block = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(where('block.yaml', block)).toEqual([
      `${MAX_NESTING + 1}:${MAX_NESTING + 1} error YAML document 1 not loaded: collections nested more than ${MAX_NESTING} deep`,
    ]);
    // One level less is read.
    const ok = Array.from({ length: MAX_NESTING }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(where('ok.yaml', ok)).toEqual([]);
  });

  it('reads ordinary anchors and merge keys: 200 services sharing one block of settings', () => {
    const lines = ['x-common: &common', '  image: shop/app', '  networks: [back]', 'services:'];
    for (let i = 0; i < 200; i++) lines.push(`  s${i}:`, '    <<: *common');
    lines.push('networks:', '  back: {}');
    const r = importFiles([{ name: 'compose.yaml', text: `${lines.join('\n')}\n` }]);
    expect(r.report.files[0]?.diagnostics).toEqual([]);
    expect(r.workspace.services).toHaveLength(200);
  });

  it('refuses a document holding a quoted string over 1 MiB at its position; the other documents load', () => {
    const big = 'x'.repeat(MAX_FLOW_STRING + 1);
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: a, namespace: shop}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      `data: {k: "${big}"}`,
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: b, namespace: shop}',
      '',
    ].join('\n');
    const r = importFiles([{ name: 'k8s.yaml', text }]);
    expect(r.report.files[0]?.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '7:11 YAML document 2 not loaded: a 1.0 MiB string (strings over 1.0 MiB are read only as block scalars, | or >)',
    ]);
    expect(r.workspace.services.map((s) => s.id)).toEqual(['k8s:shop/a', 'k8s:shop/b']);
  });

  it('a file whose only document is refused is parsed once, and the refusal comes before "not recognised"', () => {
    const parse = vi.spyOn(Parser.prototype, 'parse');
    const text = `description: "${'x'.repeat(MAX_FLOW_STRING + 1)}"\n`;
    const r = importFiles([{ name: 'long.yaml', text }]);
    // Detection found no value in it, and did not parse the file again to look once more.
    expect(parse).toHaveBeenCalledTimes(1);
    parse.mockRestore();
    expect(r.report.files[0]?.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '1:14 YAML document 1 not loaded: a 1.0 MiB string (strings over 1.0 MiB are read only as block scalars, | or >)',
      `1:1 format not recognised: expected ${formatNouns()} file`,
    ]);
  });

  it('reads a block scalar of 2 MiB (a ConfigMap holding a dashboard)', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  d.json: |\n    ${'y'.repeat(2 << 20)}\n`;
    expect(parseYaml('cm.yaml', text).diagnostics).toEqual([]);
  });
});

describe('import size limits (README: 64 MiB per file, 128 MiB per import)', () => {
  it('decides from sizes alone which files to read: none over 64 MiB, and none when the rest pass 128 MiB together', () => {
    const MiB = 1048576;
    expect(readableSizes([10, 64 * MiB, 64 * MiB])).toEqual([false, false, false]);
    expect(readableSizes([10, 64 * MiB, 64 * MiB - 10])).toEqual([true, true, true]);
    // A file over the file limit is refused alone (with its name and size); it does not count against the others.
    expect(readableSizes([10, 65 * MiB, 64 * MiB])).toEqual([true, false, true]);
    expect(readableSizes([2048 * MiB])).toEqual([false]);
  });

  it('refuses a file left unread for its size by name, and loads the other file of the same import', () => {
    const r = importFiles([
      { name: 'huge.json', text: '', unreadBytes: 2048 * 1048576 },
      { name: 'tiny.segscope.json', text: readFileSync('e2e/fixtures/tiny.segscope.json', 'utf8') },
    ]);
    expect(r.report.failed).toBe(false);
    expect(r.report.files.map((f) => [f.name, f.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)])).toEqual(
      [
        ['huge.json', ['1:1 file is 2048.0 MiB; the limit is 64 MiB']],
        ['tiny.segscope.json', []],
      ],
    );
    expect(r.workspace.services.map((s) => s.id)).toEqual(['proxy', 'app', 'db']);
  });

  it('refuses an import whose files pass 128 MiB together before parsing any, naming the limit', () => {
    const big = 'x'.repeat(50 * 1048576);
    const r = importFiles([
      { name: 'a.yaml', text: big },
      { name: 'b.yaml', text: big },
      { name: 'c.yaml', text: big },
    ]);
    expect(r.report.failed).toBe(true);
    expect(r.report.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      'a.yaml:1:1 these 3 files are 150.0 MiB together; one import reads at most 128 MiB (open fewer at a time)',
    ]);
  });
});

describe('Compose reads around syntax errors within the same limits', () => {
  it('a wide alias bomb with a duplicate key is refused, not expanded by the recovery read', () => {
    const env = Array.from({ length: 2000 }, (_, i) => `  K${i}: v${i}`).join('\n');
    const lines = ['x-env: &env', env, 'services:'];
    for (let i = 0; i < 400; i++) lines.push(`  s${i}:\n    image: x\n    environment: *env`);
    lines.push('  s0:\n    image: y');
    const r = importFiles([{ name: 'compose.yaml', text: `${lines.join('\n')}\n` }]);
    expect(r.workspace.services).toEqual([]);
    // Refused before it is composed: the duplicate key further down is never reached.
    expect(r.report.files[0]?.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '2152:18 YAML document 1 not loaded: aliases expand the document to more than 200,000 nodes',
    ]);
  });
});

describe('the YAML limits measured on the syntax tree, before anything is composed', () => {
  const small: YamlLimits = {
    aliases: 5,
    aliasDepth: 1,
    expandedNodes: 8,
    expansionFactor: 1,
    flowString: 8,
    nesting: 100,
  };

  it('refuse exactly what the same limits refuse on the composed document (property, small limits)', () => {
    const refusals = new Map<string, number>();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const text = yamlWithAliases(seed);
        const cst = Array.from(new Parser().parse(text)).find((t) => t.type === 'document') as CST.Document;
        const doc = parseDocument(text, { merge: true });
        const expected = composedAliasProblem(doc, small);
        const got = documentProblem(cst, { ...small, flowString: 1 << 20 });
        const kind = expected ? expected.message.replace(/[\d,]+/g, 'N') : 'read';
        refusals.set(kind, (refusals.get(kind) ?? 0) + 1);
        expect({ text, got }).toEqual({ text, got: expected });
      }),
      { numRuns: Number(process.env.YAML_LIMIT_RUNS ?? 1000), seed: 18 },
    );
    // Every limit is crossed in some documents, and most documents are read.
    expect([...refusals.keys()].sort()).toEqual([
      'aliases expand the document to more than N nodes',
      'aliases nested more than N deep',
      'more than N aliases',
      'read',
    ]);
    for (const n of refusals.values()) expect(n).toBeGreaterThan(10);
  });

  it('refuses an alias inside the node its anchor names (a recursive document) instead of expanding it', () => {
    expect(where('loop.yaml', 'a: &a [x, *a]\n')).toEqual([
      '1:11 error YAML document 1 not loaded: an alias inside the node its anchor names (a recursive document)',
    ]);
  });
});
