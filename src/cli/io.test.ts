// Reading FILE/DIR arguments (sizes are looked at before a file is read) and the settings flags.
import { copyFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFiles } from '../import/index';
import { emptyWorkspace } from '../model/types';
import { readInputs, settingsFlags, UsageError } from './io';

const dir = mkdtempSync(join(tmpdir(), 'segscope-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readInputs (README: 64 MiB per file, 128 MiB per import)', () => {
  it('leaves a file over 64 MiB unread (sparse here: nothing is allocated) and reads the rest of the folder', () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 65 * 1048576);
    copyFileSync('e2e/fixtures/tiny.segscope.json', join(dir, 'tiny.segscope.json'));
    writeFileSync(join(dir, 'notes.txt'), 'not an input');
    const inputs = readInputs([dir]);
    expect(inputs.skipped).toEqual([expect.stringMatching(/notes\.txt$/)]);
    expect(inputs.files.map((f) => [f.name.split('/').at(-1), f.text.length > 0, f.unreadBytes])).toEqual([
      ['big.json', false, 65 * 1048576],
      ['tiny.segscope.json', true, undefined],
    ]);
    const { report } = importFiles(inputs.files);
    expect(report.files.map((f) => f.diagnostics.map((d) => d.message))).toEqual([
      ['file is 65.0 MiB; the limit is 64 MiB'],
      [],
    ]);
  });

  it('reads none of three files that pass 128 MiB together; the import refuses them before parsing', () => {
    const paths = ['a', 'b', 'c'].map((n) => {
      const p = join(dir, `${n}.yaml`);
      writeFileSync(p, '');
      truncateSync(p, 50 * 1048576);
      return p;
    });
    const inputs = readInputs(paths);
    expect(inputs.files.map((f) => [f.text, f.unreadBytes])).toEqual(paths.map(() => ['', 50 * 1048576]));
    expect(importFiles(inputs.files).report.diagnostics.map((d) => d.message)).toEqual([
      'these 3 files are 150.0 MiB together; one import reads at most 128 MiB (open fewer at a time)',
    ]);
  });
});

describe('settingsFlags: --cilium-enforcement and --ephemeral-ports of check, reach and connlist', () => {
  const ws = emptyWorkspace();
  it('puts both into the workspace settings, and leaves a workspace without flags as it was', () => {
    const both = settingsFlags({ 'cilium-enforcement': 'always', 'ephemeral-ports': '32768-60999' });
    expect(both.apply(ws).settings).toEqual({
      ephemeralPorts: { from: 32768, to: 60999 },
      ciliumPolicyEnforcement: 'always',
    });
    expect(settingsFlags({ json: true }).apply(ws)).toBe(ws);
  });
  it('the Cilium mode is checked first, then the range', () => {
    expect(() => settingsFlags({ 'cilium-enforcement': 'sometimes', 'ephemeral-ports': 'x' })).toThrow(
      new UsageError('--cilium-enforcement takes default, always, never'),
    );
    expect(() => settingsFlags({ 'ephemeral-ports': true })).toThrow(
      '--ephemeral-ports: --ephemeral-ports needs a range',
    );
  });
});
