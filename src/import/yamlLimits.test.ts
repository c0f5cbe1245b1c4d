import { describe, expect, it } from 'vitest';
import { importFiles } from './index';
import { parseYaml } from './yaml';
import { MAX_ALIAS_DEPTH, MAX_ALIASES, MAX_FLOW_STRING } from './yamlLimits';

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

  it('reads a block scalar of 2 MiB (a ConfigMap holding a dashboard)', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  d.json: |\n    ${'y'.repeat(2 << 20)}\n`;
    expect(parseYaml('cm.yaml', text).diagnostics).toEqual([]);
  });
});

describe('import size limits (README: 64 MiB per file, 128 MiB per import)', () => {
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
    expect(r.report.files[0]?.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '3203:3 invalid YAML: Map keys must be unique',
      '2152:18 YAML document 1 not loaded: aliases expand the document to more than 200,000 nodes',
    ]);
  });
});
