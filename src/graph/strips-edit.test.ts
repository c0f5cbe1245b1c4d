import { describe, expect, it } from 'vitest';
import { generateTopology } from '../gen/generate';
import { randomMoves } from '../gen/moves';
import { applyCommand, type MoveCommand } from '../model/commands';
import type { Workspace } from '../model/types';
import { indexWorkspace } from './bandIndex';
import { bandSummaries, countBases, countPopulated } from './strips';
import { deriveBases, derivePopulated } from './strips-edit';

/** The strips' counts of `ws` from scratch: a copy, so nothing kept for `ws` itself is read. */
const full = (ws: Workspace) => {
  const copy = structuredClone(ws);
  return countBases(copy, null, indexWorkspace(copy));
};

const move = (ws: Workspace, m: Omit<MoveCommand, 'type'>) => applyCommand(ws, { type: 'moveService', ...m });

describe('strips counted from the workspace before an edit (held to a full count)', () => {
  const start = generateTopology({ services: 400, segments: 100, calls: 1200, seed: 11 }).workspace;

  it('80 drops in a row, each counted from the one before, equal the full count after every one', () => {
    let ws = start;
    let bases = full(ws);
    let populated = countPopulated(ws);
    let derived = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const [m] = randomMoves(ws, 1, seed);
      if (!m) continue;
      const next = move(ws, m);
      const got = deriveBases(ws, bases, next);
      expect(got).not.toBeNull();
      expect(got).toEqual(full(next));
      const counted = derivePopulated(ws, populated, next);
      expect(counted).toEqual(countPopulated(structuredClone(next)));
      derived++;
      ws = next;
      bases = got ?? [];
      populated = counted ?? [];
    }
    expect(derived).toBeGreaterThan(60);
  });

  it('a service added to a second segment, then taken out of every one (counts, chips born and gone)', () => {
    const svc = start.services.find((s) => (s.memberships.group?.length ?? 0) === 1);
    const other = start.segments.find((s) => s.level === 'group' && !svc?.memberships.group?.includes(s.id));
    if (!svc || !other) throw new Error('the estate has no such service');
    const from = svc.memberships.group?.[0] as string;
    const added = move(start, { service: svc.id, level: 'group', from: null, to: other.id });
    expect(deriveBases(start, full(start), added)).toEqual(full(added));
    const gone = move(move(added, { service: svc.id, level: 'group', from, to: null }), {
      service: svc.id,
      level: 'group',
      from: other.id,
      to: null,
    });
    expect(deriveBases(added, full(added), gone)).toEqual(full(gone));
    // bestFocus's populated segments: the emptied group is no longer one (when it held only this service).
    expect(derivePopulated(start, countPopulated(start), added)).toEqual(countPopulated(added));
    expect(derivePopulated(added, countPopulated(added), gone)).toEqual(countPopulated(gone));
  });

  it('several edits at once (an undo of three moves) equal the full count; edits of segments are counted anew', () => {
    const moves = randomMoves(start, 3, 99);
    const after = moves.reduce(move, start);
    expect(deriveBases(after, full(after), start)).toEqual(full(start));
    const renamed = { ...after, segments: after.segments.map((s) => ({ ...s })) };
    expect(deriveBases(after, full(after), renamed)).toBeNull();
  });

  it("Docker's host and none networks count as segments only while a container is on them", () => {
    const overlay = (id: string, kind: string) => ({ id, level: 'overlay' as const, name: id, attributes: { kind } });
    const ws = {
      ...start,
      segments: [overlay('overlay:host', 'host'), overlay('overlay:none', 'none'), overlay('overlay:app', 'bridge')],
      services: ['a', 'b'].map((id) => ({ id, name: id, kind: 'service', memberships: { overlay: ['overlay:app'] } })),
      calls: [{ from: 'a', to: 'b' }],
    } as unknown as Workspace;
    const onHost = move(ws, { service: 'a', level: 'overlay', from: 'overlay:app', to: 'overlay:host' });
    const back = move(onHost, { service: 'a', level: 'overlay', from: 'overlay:host', to: 'overlay:none' });
    for (const [before, after] of [
      [ws, onHost],
      [onHost, back],
    ] as const) {
      const got = deriveBases(before, full(before), after);
      expect(got).toEqual(full(after));
    }
    expect(full(onHost).find((b) => b.level === 'overlay')).toMatchObject({ segments: 2, crossing: 1 });
  });

  it('the strips of a drop are derived, not counted: the bands the move leaves alone are the same objects', () => {
    const [m] = randomMoves(start, 1, 5);
    if (!m) throw new Error('no move');
    const next = move(start, m);
    const before = bandSummaries(start, null, null);
    const after = bandSummaries(next, null, null);
    expect(after).toEqual(bandSummaries(structuredClone(next), null, null));
    const untouched = after.filter((b) => b.level !== m.level);
    expect(untouched.every((b, i) => b.chips === before.filter((x) => x.level !== m.level)[i]?.chips)).toBe(true);
  });
});
