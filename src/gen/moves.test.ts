import { describe, expect, it } from 'vitest';
import { generateTopology } from './generate';
import { randomMoves } from './moves';

describe('randomMoves', () => {
  const { workspace: ws } = generateTopology({ services: 200, segments: 60, seed: 1 });
  const segs = new Map(ws.segments.map((s) => [s.id, s]));

  it('moves a service from one of its segments to another of the same level and kind', () => {
    const moves = randomMoves(ws, 50, 3);
    expect(moves.length).toBe(50);
    for (const m of moves) {
      const svc = ws.services.find((s) => s.id === m.service);
      expect(svc?.memberships[m.level]).toContain(m.from);
      expect(svc?.memberships[m.level]).not.toContain(m.to);
      expect(segs.get(m.to)?.level).toBe(m.level);
      expect(segs.get(m.to)?.attributes?.kind).toBe(segs.get(m.from)?.attributes?.kind);
    }
  });

  it('is seeded', () => {
    expect(randomMoves(ws, 20, 8)).toEqual(randomMoves(ws, 20, 8));
    expect(randomMoves(ws, 20, 8)).not.toEqual(randomMoves(ws, 20, 9));
  });

  it('stays inside the same kind, and gives none when no segment of that kind is free', () => {
    const one = {
      ...ws,
      services: ws.services.slice(0, 1),
      segments: ws.segments.filter((s) => s.level === 'account'),
    };
    one.services = one.services.map((s) => ({ ...s, memberships: { account: s.memberships.account ?? [] } }));
    const accounts = new Set(one.segments.filter((s) => s.attributes?.kind === 'account').map((s) => s.id));
    const moves = randomMoves(one, 5, 1);
    expect(moves.length).toBe(5);
    expect(moves.every((m) => accounts.has(m.to))).toBe(true);
    const lone = { ...one, segments: one.segments.filter((s) => one.services[0]?.memberships.account?.includes(s.id)) };
    expect(randomMoves(lone, 5, 1)).toEqual([]);
  });
});
