import { describe, expect, it } from 'vitest';
import type { Severity } from '../model/types';
import { filterFindingGroups, groupFindings, severityCounts } from './finding-groups';
import { seg, svc, ws } from './testing/build';
import type { Finding, FindingId } from './types';

const w = ws({
  services: [
    svc('s:a', { group: ['group:1'], overlay: ['overlay:o'] }),
    svc('s:b', { group: ['group:1'] }),
    svc('s:c', { group: ['group:2'] }),
    svc('s:d', { overlay: ['overlay:o'] }),
    svc('s:e'),
  ],
  segments: [
    seg('group:1', 'group', { name: 'sg-app' }),
    seg('group:2', 'group', { name: 'sg-db' }),
    seg('overlay:o', 'overlay', { name: 'front' }),
  ],
});

const f = (
  id: FindingId,
  key: string,
  severity: Severity,
  services: string[],
  segments: string[] = [],
  level?: Finding['level'],
): Finding => ({ id, key, severity, services, segments, message: key, ...(level ? { level } : {}) });

const findings: Finding[] = [
  f('broken-call', 'b1', 'error', ['s:a', 's:c'], [], 'group'),
  f('broken-call', 'b2', 'error', ['s:b', 's:c'], [], 'group'),
  f('broken-call', 'b3', 'error', ['s:c', 's:a'], [], 'group'),
  f('broken-call', 'b4', 'error', ['s:d', 's:c'], [], 'group'),
  f('broken-call', 'b5', 'error', ['s:a', 's:d'], [], 'overlay'),
  f('quota', 'q1', 'error', [], ['group:2'], 'group'),
  f('quota', 'q2', 'warn', [], ['group:1'], 'group'),
  f('quota', 'q3', 'warn', [], ['group:1'], 'group'),
  f('excess-reach', 'x1', 'info', ['s:a']),
  f('excess-reach', 'x2', 'info', ['s:d']),
  f('excess-reach', 'x3', 'info', ['s:e']),
  f('single-mechanism', 'm1', 'warn', []),
];

/** A compact picture of the grouping: rule [severity] summary, then each subgroup's label and keys. */
const shape = (groups: ReturnType<typeof groupFindings>) =>
  groups.map((g) => [
    `${g.rule} [${g.severity}] ${g.summary}`,
    g.subgroups.map((s) => `${s.label} (${s.kind}, ${s.severity}): ${s.findings.map((x) => x.key).join(' ')}`),
  ]);

describe('groupFindings (DESIGN.md "Findings grouped by rule, then segment or segment pair, with counts")', () => {
  it('groups by rule, then by segment pair or segment; errors first, quota before broken calls', () => {
    expect(shape(groupFindings(findings, w, 'group'))).toEqual([
      ['quota [error] 3 limits across 2 segments', ['sg-db (segment, error): q1', 'sg-app (segment, warn): q2 q3']],
      [
        'broken-call [error] 5 calls across 4 segment pairs',
        [
          'sg-app → sg-db (pair, error): b1 b2',
          'front → front (pair, error): b5',
          'no group segment → sg-db (pair, error): b4',
          'sg-db → sg-app (pair, error): b3',
        ],
      ],
      ['single-mechanism [warn] 1 finding', ['no segment (none, warn): m1']],
      // Services without a level go to their segment in the fallback (focused) band, else their first level.
      [
        'excess-reach [info] 3 findings across 2 segments',
        ['front (segment, info): x2', 'no segment (none, info): x3', 'sg-app (segment, info): x1'],
      ],
    ]);
  });

  it('the fallback level decides where findings without a level go', () => {
    const g = groupFindings(findings, w, 'overlay').find((x) => x.rule === 'excess-reach');
    expect(g?.subgroups.map((s) => `${s.label}: ${s.findings.map((x) => x.key).join(' ')}`)).toEqual([
      'front: x1 x2',
      'no segment: x3',
    ]);
  });

  it('grouped counts add up to the ungrouped total, also after filtering', () => {
    const groups = groupFindings(findings, w, 'group');
    const total = (gs: typeof groups) => gs.reduce((n, g) => n + g.count, 0);
    const inSubs = (gs: typeof groups) =>
      gs.reduce((n, g) => n + g.subgroups.reduce((m, s) => m + s.findings.length, 0), 0);
    expect([total(groups), inSubs(groups)]).toEqual([findings.length, findings.length]);
    const warn = filterFindingGroups(groups, { severity: 'warn' });
    expect(shape(warn)).toEqual([
      ['quota [warn] 2 limits across 1 segment', ['sg-app (segment, warn): q2 q3']],
      ['single-mechanism [warn] 1 finding', ['no segment (none, warn): m1']],
    ]);
    expect(total(warn)).toBe(findings.filter((x) => x.severity === 'warn').length);
    const overlay = filterFindingGroups(groups, { level: 'overlay' });
    expect(shape(overlay)).toEqual([
      ['broken-call [error] 1 call across 1 segment pair', ['front → front (pair, error): b5']],
    ]);
    expect(shape(filterFindingGroups(groups, { rule: 'quota', severity: 'error' }))).toEqual([
      ['quota [error] 1 limit across 1 segment', ['sg-db (segment, error): q1']],
    ]);
    expect(filterFindingGroups(groups, { rule: 'hub' })).toEqual([]);
  });

  it('keeps every subject a reveal needs', () => {
    const [, broken] = groupFindings(findings, w, 'group');
    expect(broken?.subgroups[0]).toMatchObject({
      key: 'group:1>group:2',
      level: 'group',
      segments: ['group:1', 'group:2'],
    });
  });

  it('says severities in words', () => {
    expect(severityCounts({ error: 2, warn: 1, info: 0 })).toBe('2 errors · 1 warning');
    expect(severityCounts({ error: 0, warn: 0, info: 1200 })).toBe('1,200 info');
  });

  it('groups 10,000 findings in one pass', () => {
    const many: Finding[] = Array.from({ length: 10_000 }, (_, i) =>
      f('broken-call', `k${i}`, 'error', [i % 2 ? 's:a' : 's:b', 's:c'], [], 'group'),
    );
    const [g] = groupFindings(many, w, 'group');
    expect(g?.summary).toBe('10,000 calls across 1 segment pair');
  });
});
