// The line-by-line look for alias bombs: it refuses only what the exact measure on the syntax tree refuses.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { type CST, Parser, parseDocument } from 'yaml';
import { importFiles } from './index';
import { documentProblem, YAML_LIMITS, type YamlLimits } from './yamlLimits';
import { quickAliasRefusal } from './yamlPrescan';

/** The bench's bomb (bench/inputs.ts): 2,000 variables anchored once, aliased by 400 services. */
const bomb = (): string => {
  const env = Array.from({ length: 2000 }, (_, i) => `  K${i}: v${i}`).join('\n');
  const lines = ['x-env: &env', env, 'services:'];
  for (let i = 0; i < 400; i++) lines.push(`  s${i}:\n    image: x\n    environment: *env`);
  return `${lines.join('\n')}\n`;
};

/**
 * Lines of block YAML drawn from a seed: keys, dashes, anchors (some over many lines), aliases,
 * scalars (plain and quoted), flow collections with anchors and aliases inside, block scalars whose
 * content looks like keys, comments, and now and then something outside the subset (escapes, tags,
 * a second document) or a mistake (bad indentation, `a: b: c`, `[a: b: c]`, an unclosed `[`).
 */
const blockYaml = (seed: number): string => {
  let s = seed >>> 0 || 1;
  const rand = (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
  const anchors: string[] = [];
  const lines: string[] = [];
  /** A flow collection on one line: aliases, nested collections, anchors, scalars, pairs and now and then a mistake. */
  const flow = (level: number): string => {
    const items: string[] = [];
    for (let k = rand(7); k > 0; k--) {
      const f = rand(12);
      let item: string;
      if (f < 4 && anchors.length > 0) item = `*${anchors[rand(anchors.length)]}`;
      else if (f < 6 && level < 3) item = flow(level + 1);
      else item = ['v', '"q"', "'s'", 'a b', '"x\\n"', 'k: v', 'k:', '*a0: v', 'a: b: c', '!t v'][rand(10)] as string;
      if (rand(5) === 0 && !item.startsWith('*')) {
        item = `&f${anchors.length} ${item}`;
        anchors.push(`f${anchors.length}`);
      }
      items.push(item);
    }
    const body = items.join(rand(8) === 0 ? ',' : ', ');
    return rand(3) === 0 ? `{${body}}` : rand(30) === 0 ? `[${body}` : `[${body}]`;
  };
  let depth = 0;
  const n = 5 + rand(40);
  for (let i = 0; i < n; i++) {
    const pad = ' '.repeat(2 * depth + (rand(12) === 0 ? 1 : 0));
    const dash = ['', '', '', '- ', '- - '][rand(5)] as string;
    const key = dash !== '' && rand(2) === 0 ? '' : rand(15) === 0 ? '<<: ' : `k${rand(5)}: `;
    const r = rand(20);
    let value: string;
    if (r < 4) {
      value = '';
      depth++;
    } else if (r < 7) {
      // An anchor, often over a block of many pairs (what makes aliases expensive).
      value = `&a${anchors.length}`;
      lines.push(`${pad}${dash}${key}${value}`);
      const inner = ' '.repeat(pad.length + dash.length + key.length - (key ? key.length - 2 : 0) + 2);
      for (let j = rand(3) === 0 ? 0 : rand(25); j > 0; j--) lines.push(`${inner}p${j}: v`);
      anchors.push(`a${anchors.length}`);
      continue;
    } else if (r < 11 && anchors.length > 0) value = `*${anchors[rand(anchors.length)]}`;
    else if (r < 12) value = `&s${i} v`;
    else if (r < 13) {
      value = ['|', '>-', '|+'][rand(3)] as string;
      lines.push(`${pad}${dash}${key}${value}`);
      for (let j = rand(3); j > 0; j--) lines.push(`${pad}  ${['k1: v', '- x', '*a0', '# not a comment'][rand(4)]}`);
      continue;
    } else if (r < 14) value = ['"q"', '[x, y]', '{a: 1}', '!!str t', 'a: b: c', "'s'"][rand(6)] as string;
    else if (r < 15) {
      lines.push(['# comment', '', '---', `${pad}  - continued`, `${pad}  more words`][rand(5)] as string);
      continue;
    } else if (r >= 17) value = rand(4) === 0 ? `&a${anchors.push(`a${anchors.length}`) - 1} ${flow(0)}` : flow(0);
    else value = ['v', 'x1', '-1', 'a b', 'v # c', 'http://h:80'][rand(6)] as string;
    if (key === '' && dash === '') value = value || 'v';
    lines.push(`${pad}${dash}${key}${value}`.trimEnd());
    if (rand(3) === 0) depth = rand(depth + 1);
  }
  return `${lines.join('\n')}\n`;
};

const exactProblem = (text: string, limits: YamlLimits) => {
  const docs = Array.from(new Parser().parse(text)).filter((t): t is CST.Document => t.type === 'document');
  return docs.map((d) => documentProblem(d, limits)).find((p) => p !== undefined);
};

describe('alias bombs in plain block YAML, refused before the library parses them (yamlPrescan.ts)', () => {
  it('refuses the bench bomb with the located error the exact measure gives, without parsing the text', () => {
    const parse = vi.spyOn(Parser.prototype, 'parse');
    const r = importFiles([{ name: 'alias-bomb.yaml', text: bomb() }]);
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
    expect(r.report.failed).toBe(true);
    expect(r.report.files[0]?.diagnostics[0]).toMatchObject({
      file: 'alias-bomb.yaml',
      line: 2152,
      column: 18,
      severity: 'error',
      message: 'YAML document 1 not loaded: aliases expand the document to more than 200,000 nodes',
    });
    expect(exactProblem(bomb(), YAML_LIMITS)?.message).toBe('aliases expand the document to more than 200,000 nodes');
  });

  it('refuses flow-style bombs (`&a [x, …]`, `[*a, …]`, billion laughs) before the library parses them', () => {
    const flowBomb = `a: &a [${Array(50).fill('x').join(', ')}]\nb: [${Array(5000).fill('*a').join(', ')}]\n`;
    const quick = quickAliasRefusal(flowBomb, YAML_LIMITS);
    // Own nodes at most 1 + (5 + 5 + 4 × 49) + (5 + 5 + 4 × 4,999) = 20,213, so the limit is 10× that;
    // 51 nodes an alias: the 3,964th passes it.
    expect(quick).toEqual({ offset: flowBomb.indexOf('\n') + 5 + 3963 * 4, limit: 202_130 });
    expect(exactProblem(flowBomb, YAML_LIMITS)?.message).toBe('aliases expand the document to more than 200,000 nodes');
    const parse = vi.spyOn(Parser.prototype, 'parse');
    const r = importFiles([{ name: 'flow-bomb.yaml', text: flowBomb }]);
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
    expect(r.report.files[0]?.diagnostics[0]).toMatchObject({
      file: 'flow-bomb.yaml',
      line: 2,
      column: 5 + 3963 * 4,
      severity: 'error',
      message: 'YAML document 1 not loaded: aliases expand the document to more than 202,130 nodes',
    });
    // Nested flow anchors (`b: &b [*a, …]`), quoted scalars and flow maps are read too.
    const laughs = [`a0: &a0 ["lol", 'lol', {k: lol}]`];
    for (let i = 1; i < 10; i++)
      laughs.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const text = `${laughs.join('\n')}\nservices: *a9\n`;
    // a0 is at least 6 nodes, a1 61, … a4 61,111: the aliases of a1–a4 add 67,890, the third of a5 passes 200,000.
    expect(quickAliasRefusal(text, YAML_LIMITS)?.offset).toBe(text.indexOf('a5: &a5') + 9 + 2 * 5);
    expect(exactProblem(text, YAML_LIMITS)).toBeDefined();
  });

  it('gives no verdict on what it does not read (escapes, multi-line flow, several documents) nor on ordinary anchors', () => {
    const multiLine = `a: &a [${Array(50).fill('x').join(', ')}]\nb: [${Array(5000).fill('*a').join(',\n  ')}]\n`;
    expect(quickAliasRefusal(multiLine, YAML_LIMITS)).toBeUndefined();
    expect(exactProblem(multiLine, YAML_LIMITS)).toBeDefined();
    const escaped = `a: &a ["x\\n", ${Array(50).fill('x').join(', ')}]\nb: [${Array(5000).fill('*a').join(', ')}]\n`;
    expect(quickAliasRefusal(escaped, YAML_LIMITS)).toBeUndefined();
    const shared = `x-common: &common\n  restart: always\n  ports: ["80:80"]\nservices:\n${Array.from({ length: 200 }, (_, i) => `  s${i}:\n    <<: *common\n    image: "nginx"\n`).join('')}`;
    expect(quickAliasRefusal(shared, YAML_LIMITS)).toBeUndefined();
    expect(quickAliasRefusal(`${bomb()}---\na: 1\n`, YAML_LIMITS)).toBeUndefined();
  });

  it.each([
    ['at most 30 nodes', 30, 0, 400, 50, 10],
    ['at most its own nodes', 6, 1, 1000, 3, 2],
  ])(
    'refuses only documents the syntax tree measure refuses too, or that do not parse (property, %s)',
    (_, expandedNodes, expansionFactor, runs, least, leastInFlow) => {
      const small: YamlLimits = { ...YAML_LIMITS, expandedNodes, expansionFactor };
      let quick = 0;
      let inFlow = 0;
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
          const text = blockYaml(seed);
          const got = quickAliasRefusal(text, small);
          if (!got) return;
          quick++;
          if (text.lastIndexOf('[', got.offset) > text.lastIndexOf('\n', got.offset)) inFlow++;
          const broken = parseDocument(text, { uniqueKeys: false }).errors.length > 0;
          const exact = exactProblem(text, small);
          expect({ text, sound: broken || exact !== undefined }).toEqual({ text, sound: true });
        }),
        { numRuns: Number(process.env.YAML_PRESCAN_RUNS ?? runs), seed: 1807 },
      );
      // The generator reaches the refusal often enough for the property to say something.
      expect(quick).toBeGreaterThanOrEqual(least);
      expect(inFlow).toBeGreaterThanOrEqual(leastInFlow);
    },
    // Each refusal parses its text twice more to check it: seconds, more while other suites run.
    60_000,
  );
});
