import { describe, expect, it } from 'vitest';
import { WRITERS } from '../formats/registry';
import { type Exporter, exporterFor, GEN_FORMATS, GenUsageError, parseGenArgs, planGen } from './cli';

const join = (dir: string, name: string) => `${dir.replace(/\/$/, '')}/${name}`;
const twoFiles: Exporter = () => ({
  files: [
    { name: 'a.yml', text: 'a' },
    { name: 'b.yml', text: 'b' },
  ],
  notes: ['a note'],
});

describe('parseGenArgs', () => {
  it('reads every option, in both spellings', () => {
    expect(
      parseGenArgs(['--services', '300', '--segments=90', '--calls', '500', '--seed', '4', '--format', 'k8s']),
    ).toEqual({ services: 300, segments: 90, calls: 500, seed: 4, format: 'k8s' });
    expect(parseGenArgs(['--services', '10', '--break-rate', '0.05', '--out', 'x/'])).toEqual({
      services: 10,
      breakRate: 0.05,
      format: 'native',
      out: 'x/',
    });
  });

  it.each([
    [[], '--services is required'],
    [['--services', '5'], '--services must be at least 6'],
    [['--services', '1.5'], '--services must be a whole number ≥ 0'],
    [
      ['--services', '100', '--format', 'xml'],
      '--format must be one of native, compose, k8s, calico, aws-sg, terraform',
    ],
    [['--services', '100', '--break-rate', '2'], '--break-rate must be between 0 and 1'],
    [['--services', '100', '--services', '200'], '--services given twice'],
    [['--services', '100', '--colour', 'red'], 'unknown option --colour'],
    [['--services'], '--services needs a value'],
    [['100'], 'unexpected argument "100"'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseGenArgs(argv)).toThrow(new GenUsageError(message));
  });
});

describe('exporterFor', () => {
  it('is the writer of FORMATS named by --format, and none for other names', () => {
    expect(GEN_FORMATS).toEqual(WRITERS.map((w) => w.name));
    for (const w of WRITERS) expect(exporterFor(w.name)).toBe(w.write);
    expect(exporterFor('xml')).toBeUndefined();
  });
});

describe('planGen', () => {
  const native: Exporter = (ws) => ({
    files: [{ name: 'workspace.segscope.json', text: JSON.stringify(ws) }],
    notes: [],
  });

  it('writes one file to standard output, to the --out file, or into the --out directory', () => {
    const args = { services: 20, format: 'native' as const };
    expect(planGen(args, native, false, join).files.map((f) => f.path)).toEqual([null]);
    expect(planGen({ ...args, out: 'g.json' }, native, false, join).files.map((f) => f.path)).toEqual(['g.json']);
    expect(planGen({ ...args, out: 'dir' }, native, true, join).files.map((f) => f.path)).toEqual([
      'dir/workspace.segscope.json',
    ]);
    expect(planGen({ ...args, out: 'new/' }, native, false, join).files.map((f) => f.path)).toEqual([
      'new/workspace.segscope.json',
    ]);
  });

  it('needs a directory for several files and passes the notes on', () => {
    const args = { services: 20, format: 'compose' as const };
    expect(() => planGen(args, twoFiles, false, join)).toThrow(
      new GenUsageError('--format compose writes 2 files: give --out DIR'),
    );
    const plan = planGen({ ...args, out: 'out' }, twoFiles, false, join);
    expect(plan.files).toEqual([
      { path: 'out/a.yml', text: 'a' },
      { path: 'out/b.yml', text: 'b' },
    ]);
    expect(plan.notes).toEqual(['a note']);
    expect(plan.topology.workspace.services.length).toBe(20);
  });
});
