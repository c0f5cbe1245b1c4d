import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze';
import { toNative } from '../formats/native/write';
import { importFiles } from '../import/index';
import { LEVELS, type Segment, type Workspace } from '../model/types';
import { generateTopology } from './generate';

const segById = (ws: Workspace) => new Map(ws.segments.map((s) => [s.id, s]));
const kindOf = (s: Segment | undefined) => s?.attributes?.kind;

describe('generateTopology', () => {
  it('gives the same estate for the same seed and another for another seed', () => {
    const a = generateTopology({ services: 300, segments: 90, seed: 5 });
    const b = generateTopology({ services: 300, segments: 90, seed: 5 });
    const c = generateTopology({ services: 300, segments: 90, seed: 6 });
    expect(toNative(b.workspace)).toBe(toNative(a.workspace));
    expect(b.facts).toEqual(a.facts);
    expect(toNative(c.workspace)).not.toBe(toNative(a.workspace));
  });

  it.each([
    { services: 6, segments: 24, calls: 12 },
    { services: 200, segments: 60, calls: 600 },
    { services: 1000, segments: 250, calls: 3000 },
    { services: 1000, segments: 600, calls: 2000 },
    { services: 5000, segments: 1200, calls: 15000 },
  ])('honours $services services, $segments segments, $calls calls', ({ services, segments, calls }) => {
    const { workspace: ws } = generateTopology({ services, segments, calls, seed: 3 });
    expect(ws.services.length).toBe(services);
    expect(ws.calls.length).toBe(calls);
    // Segments come in team-sized steps (about seven each): within 3 % or 8 of the target.
    expect(Math.abs(ws.segments.length - segments)).toBeLessThanOrEqual(Math.max(8, Math.ceil(segments * 0.03)));
    expect(new Set(ws.services.map((s) => s.id)).size).toBe(services);
    expect(new Set(ws.segments.map((s) => s.id)).size).toBe(ws.segments.length);
    expect(new Set(ws.calls.map((c) => `${c.from}>${c.to}`)).size).toBe(calls);
  });

  it.each([500, 2000])(
    'puts at least a fifth of the calls on the top hundredth of %i services (power law)',
    (services) => {
      const { workspace: ws } = generateTopology({ services, seed: 11 });
      const inDegree = new Map<string, number>();
      for (const c of ws.calls) inDegree.set(c.to, (inDegree.get(c.to) ?? 0) + 1);
      const top = [...inDegree.values()]
        .sort((x, y) => y - x)
        .slice(0, Math.ceil(services / 100))
        .reduce((x, y) => x + y, 0);
      expect(top / ws.calls.length).toBeGreaterThanOrEqual(0.2);
    },
  );

  it('populates all six levels with hierarchy, and every reference resolves', () => {
    const { workspace: ws } = generateTopology({ services: 400, segments: 120, seed: 2 });
    const byId = segById(ws);
    for (const level of LEVELS) {
      expect(ws.segments.filter((s) => s.level === level).length, level).toBeGreaterThan(0);
      for (const s of ws.services) expect(s.memberships[level]?.length ?? 0, `${s.id} ${level}`).toBeGreaterThan(0);
    }
    const parentKind = (kind: string) =>
      new Set(ws.segments.filter((s) => kindOf(s) === kind).map((s) => kindOf(byId.get(s.parent ?? ''))));
    expect(parentKind('ou')).toEqual(new Set(['organization']));
    expect(parentKind('account')).toEqual(new Set(['ou']));
    expect(parentKind('vpc')).toEqual(new Set(['account']));
    expect(parentKind('subnet')).toEqual(new Set(['vpc']));
    expect(parentKind('security-group')).toEqual(new Set(['vpc']));
    expect(parentKind('iam-role')).toEqual(new Set(['account']));
    expect(parentKind('label-set')).toEqual(new Set(['namespace']));
    for (const s of ws.services) {
      for (const [level, ids] of Object.entries(s.memberships)) {
        for (const id of ids ?? []) expect(byId.get(id)?.level, `${s.id} → ${id}`).toBe(level);
      }
    }
    const ids = new Set(ws.services.map((s) => s.id));
    for (const c of ws.calls) expect(ids.has(c.from) && ids.has(c.to)).toBe(true);
  });

  it('reads back through the native importer without an error and without losing anything', () => {
    const { workspace: ws } = generateTopology({ services: 300, segments: 90, seed: 4 });
    const { workspace, report } = importFiles([{ name: 'generated.segscope.json', text: toNative(ws) }]);
    const errors = [...report.diagnostics, ...report.files.flatMap((f) => f.diagnostics)].filter(
      (d) => d.severity === 'error',
    );
    expect(errors).toEqual([]);
    expect(workspace.services.length).toBe(ws.services.length);
    expect(workspace.segments.length).toBe(ws.segments.length);
    expect(workspace.calls.length).toBe(ws.calls.length);
    expect(workspace.rules.length).toBe(ws.rules.length);
  });

  describe('against the analysis', () => {
    const { workspace: ws, facts } = generateTopology({ services: 800, segments: 220, calls: 2400, seed: 9 });
    const analysis = analyze(ws);

    it('breaks exactly the calls the generator left without an allowing rule: a few, at several levels', () => {
      const broken = analysis.calls.filter((c) => c.class === 'broken').map((c) => c.index);
      expect(broken).toEqual(facts.brokenCalls);
      expect(broken.length).toBeGreaterThan(0);
      expect(broken.length).toBeLessThanOrEqual(ws.calls.length * 0.03);
      const levels = new Set(analysis.calls.flatMap((c) => c.deniedBy));
      for (const level of ['group', 'policy', 'role'] as const) expect(levels.has(level), level).toBe(true);
    });

    it('puts some groups near (≥ 80 %) and some over the inbound-rules quota, exactly those it says', () => {
      const uses = analysis.quotas.filter((q) => q.quota === 'aws.inbound-rules-per-group');
      const at = (state: string) =>
        uses
          .filter((q) => q.state === state)
          .map((q) => q.subject.id)
          .sort();
      expect(at('warn')).toEqual(facts.groupsNearQuota);
      expect(at('error')).toEqual(facts.groupsOverQuota);
      expect(facts.groupsNearQuota.length).toBeGreaterThan(0);
      expect(facts.groupsOverQuota.length).toBeGreaterThan(0);
    });

    it('makes hubs: the services with their own group are the most called', () => {
      const found = new Set(analysis.hubs.map((h) => h.service));
      for (const hub of facts.hubs) expect(found.has(hub), hub).toBe(true);
    });
  });
});
