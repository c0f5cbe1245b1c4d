import { describe, expect, it } from 'vitest';
import { currentWorkspace, type History, newHistory, record } from '../model/history';
import type { Workspace } from '../model/types';
import { decodeHistory, encodeHistory } from './persist';

const ws = (name: string): Workspace => ({
  segscope: 1,
  name,
  segments: [
    { id: 'sg:a', level: 'group', name: 'sg-a' },
    { id: 'sg:b', level: 'group', name: 'sg-b' },
  ],
  services: [{ id: 'x', name: 'x', kind: 'service', memberships: { group: ['sg:a'] } }],
  calls: [],
  rules: [],
});

describe('autosave record', () => {
  it('stores each workspace once by number and the steps as they are; decoding gives the same history', () => {
    const base = ws('base');
    const other = ws('other');
    let h: History = record(newHistory(base), {
      type: 'moveService',
      service: 'x',
      level: 'group',
      from: 'sg:a',
      to: 'sg:b',
    });
    h = record(h, { type: 'load', workspace: other, label: 'other.json' });
    h = record(h, { type: 'load', workspace: other, label: 'NACL ephemeral ports 1024-65535', setting: true });
    const keys = new Map<Workspace, number>();
    const saved = encodeHistory(h, (w) => {
      if (!keys.has(w)) keys.set(w, keys.size + 1);
      return keys.get(w) as number;
    });
    expect(saved).toEqual({
      base: 1,
      past: [
        { type: 'moveService', service: 'x', level: 'group', from: 'sg:a', to: 'sg:b' },
        { type: 'load', workspace: 2, label: 'other.json' },
        { type: 'load', workspace: 2, label: 'NACL ephemeral ports 1024-65535', setting: true },
      ],
      future: [],
    });
    const back = new Map([...keys].map(([w, k]) => [k, structuredClone(w)]));
    const decoded = decodeHistory(structuredClone(saved), (k) => back.get(k)) as History;
    expect(JSON.stringify(currentWorkspace(decoded))).toBe(JSON.stringify(other));
    expect(decoded.past).toHaveLength(3);
    expect(decoded.past[2]).toMatchObject({ type: 'load', setting: true });
  });

  // The worker writes a load's workspace while the page writes the record naming it (persist.ts): a
  // reload between the two finds the record naming a workspace that never landed.
  it('a record naming a load whose workspace is not stored restores the steps before that load', () => {
    const move = { type: 'moveService' as const, service: 'x', level: 'group' as const, from: 'sg:a', to: 'sg:b' };
    const back = { type: 'moveService' as const, service: 'x', level: 'group' as const, from: 'sg:b', to: 'sg:a' };
    const stored = (k: number) => (k === 1 ? ws('base') : k === 2 ? ws('two') : undefined);
    const lost = decodeHistory(
      {
        base: 1,
        past: [move, { type: 'load', workspace: 7, label: 'lost.json' }, back],
        future: [{ type: 'load', workspace: 2, label: 'two.json' }],
      },
      stored,
    ) as History;
    expect(lost.past).toEqual([move]);
    expect(lost.future).toEqual([]);
    expect(currentWorkspace(lost).services[0]?.memberships.group).toEqual(['sg:b']);
    // Missing among the undone steps: every done step stays, the undone ones up to it too.
    const undone = decodeHistory(
      {
        base: 1,
        past: [move],
        future: [back, { type: 'load', workspace: 2, label: 'two.json' }, { type: 'load', workspace: 7, label: 'x' }],
      },
      stored,
    ) as History;
    expect(undone.past).toEqual([move]);
    expect(undone.future.map((s) => s.type)).toEqual(['moveService', 'load']);
    // Without the base there is nothing to restore.
    expect(decodeHistory({ base: 9, past: [], future: [] }, stored)).toBeUndefined();
  });
});
