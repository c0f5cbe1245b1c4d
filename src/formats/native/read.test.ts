import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../import/index';
import { toNative } from './write';

const SAMPLE = 'public/samples/shop-estate.segscope.json';
const sampleText = readFileSync(SAMPLE, 'utf8');

describe('native format', () => {
  it('round-trips the sample byte for byte', () => {
    const { workspace, report } = importFiles([{ name: 'shop.json', text: sampleText }]);
    expect(report.failed).toBe(false);
    expect(report.files[0]?.diagnostics).toEqual([]);
    expect(toNative(workspace)).toBe(sampleText);
  });

  it('keeps unknown keys and key order at every depth', () => {
    const text = `${JSON.stringify(
      {
        segscope: 1,
        'x-team': { owner: 'sre' },
        segments: [{ id: 'overlay:a', level: 'overlay', name: 'a', colour: 'red' }],
        services: [
          { name: 'web', id: 'web', kind: 'service', memberships: { overlay: ['overlay:a'] }, 'x-note': [1, 2] },
        ],
        calls: [],
        rules: [],
        futureField: true,
      },
      null,
      2,
    )}\n`;
    const { workspace } = importFiles([{ name: 'w.json', text }]);
    expect(toNative(workspace)).toBe(text);
    expect(toNative(importFiles([{ name: 'again.json', text: toNative(workspace) }]).workspace)).toBe(text);
  });

  it('reports malformed JSON with line and column and loads nothing', () => {
    const text = '{\n  "segscope": 1,\n  "services": [\n    { "id": "a", }\n  ]\n}\n';
    const { report } = importFiles([{ name: 'bad.json', text }]);
    expect(report.failed).toBe(true);
    const d = report.files[0]?.diagnostics[0];
    expect(d).toMatchObject({ file: 'bad.json', line: 4, column: 18, severity: 'error' });
    expect(d?.message).toMatch(/invalid JSON/);
  });

  it('skips an invalid item with its path and line, and loads the valid rest', () => {
    const text = [
      '{',
      '  "segscope": 1,',
      '  "segments": [{ "id": "overlay:a", "level": "overlay", "name": "a" }],',
      '  "services": [',
      '    { "id": "ok", "name": "ok", "kind": "service", "memberships": { "overlay": ["overlay:a"] } },',
      '    { "id": "bad", "name": "bad", "kind": "spaceship", "memberships": {} }',
      '  ],',
      '  "calls": [{ "from": "ok", "to": "ghost", "origin": "declared" }],',
      '  "rules": []',
      '}',
    ].join('\n');
    const { workspace, report } = importFiles([{ name: 'w.json', text }]);
    expect(report.failed).toBe(false);
    expect(workspace.services.map((s) => s.id)).toEqual(['ok']);
    expect(workspace.calls).toEqual([]);
    const diags = report.files[0]?.diagnostics ?? [];
    expect(diags).toHaveLength(2);
    expect(diags[0]).toMatchObject({ line: 6, path: '/services/1/kind', severity: 'error' });
    expect(diags[0]?.message).toMatch(/services\[1\] skipped: kind/);
    expect(diags[1]).toMatchObject({ line: 8, path: '/calls/0/to' });
    expect(diags[1]?.message).toMatch(/unknown service "ghost"/);
  });

  it('reports a membership naming an unknown segment at its line', () => {
    const text =
      '{\n"segscope": 1,\n"segments": [],\n"services": [{"id": "a", "name": "a", "kind": "service",\n "memberships": {"group": [\n"group:nope"]}}]\n}';
    const { workspace, report } = importFiles([{ name: 'm.json', text }]);
    expect(workspace.services[0]?.memberships.group).toEqual([]);
    expect(report.files[0]?.diagnostics[0]).toMatchObject({
      line: 6,
      column: 1,
      path: '/services/0/memberships/group/0',
    });
  });

  it('a wrong top-level field costs that field only: the services and segments still load (found by npm run fuzz)', () => {
    const text =
      '{"segscope": 1, "name": null, "rules": "list",\n "services": [{"id": "a", "name": "a", "kind": "service", "memberships": {}}], "segments": []}';
    const { workspace, report } = importFiles([{ name: 'w.json', text }]);
    expect(workspace.services.map((s) => s.id)).toEqual(['a']);
    expect(report.files[0]?.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '1:17 "name" ignored: name: Invalid input: expected string, received null',
      '1:31 "rules" ignored: rules: Invalid input: expected array, received string',
    ]);
  });

  it('rejects a file that is not a workspace of version 1', () => {
    const { report } = importFiles([{ name: 'v2.json', text: '{"segscope": 2, "services": [], "segments": []}' }]);
    expect(report.failed).toBe(true);
    expect(report.files[0]?.diagnostics[0]?.message).toMatch(/not a segscope workspace: segscope/);
  });

  it('treats a __proto__ key as data, never as a prototype', () => {
    const text = '{"segscope": 1, "__proto__": {"polluted": true}, "services": [], "segments": []}';
    const { workspace } = importFiles([{ name: 'p.json', text }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(workspace)).toBe(Object.prototype);
    expect(toNative(workspace)).toContain('"__proto__"');
  });

  it('refuses a file over the size limit with a clear message', () => {
    const big = `{"segscope": 1, "pad": "${'x'.repeat(64 * 1024 * 1024 + 1)}"}`;
    const { report } = importFiles([{ name: 'huge.json', text: big }]);
    expect(report.failed).toBe(true);
    expect(report.files[0]?.diagnostics[0]?.message).toMatch(/the limit is 64 MiB/);
  });

  it('says when a file is in no known format', () => {
    const { report } = importFiles([{ name: 'notes.json', text: '{"hello": "world"}' }]);
    expect(report.files[0]?.format).toBe('unknown');
    expect(report.files[0]?.diagnostics[0]?.message).toMatch(/format not recognised/);
  });
});
