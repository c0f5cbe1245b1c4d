import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCommand, type Command, CommandError } from './commands';
import {
  currentWorkspace,
  editsSinceLoad,
  type History,
  historyLines,
  MAX_LOADS,
  newHistory,
  record,
  redo,
  type Step,
  undo,
  validHistory,
} from './history';
import type { Workspace } from './types';

const ws = (name: string): Workspace => ({
  segscope: 1,
  name,
  segments: [
    { id: 'sg:a', level: 'group', name: 'sg-a' },
    { id: 'sg:b', level: 'group', name: 'sg-b' },
    { id: 'sg:c', level: 'group', name: 'sg-c' },
  ],
  services: [
    { id: 'x', name: 'x', kind: 'service', memberships: { group: ['sg:a'] } },
    { id: 'y', name: 'y', kind: 'service', memberships: { group: ['sg:b'] } },
  ],
  calls: [],
  rules: [],
});

const move = (service: string, from: string, to: string): Command => ({
  type: 'moveService',
  service,
  level: 'group',
  from,
  to,
});

const groupOf = (h: History, service: string) =>
  currentWorkspace(h).services.find((s) => s.id === service)?.memberships.group;

describe('history', () => {
  it('records, undoes and redoes edits; the same workspace object comes back (no copies)', () => {
    const base = ws('base');
    let h = record(newHistory(base), move('x', 'sg:a', 'sg:b'));
    const after = currentWorkspace(h);
    expect(groupOf(h, 'x')).toEqual(['sg:b']);
    h = undo(h) as History;
    expect(currentWorkspace(h)).toBe(base);
    expect(h.future).toHaveLength(1);
    h = redo(h) as History;
    expect(currentWorkspace(h)).toBe(after);
    expect(undo(newHistory(base))).toBeNull();
    expect(redo(h)).toBeNull();
  });

  it('a new edit after undo drops the undone steps', () => {
    let h = record(newHistory(ws('base')), move('x', 'sg:a', 'sg:b'));
    h = undo(h) as History;
    h = record(h, move('x', 'sg:a', 'sg:c'));
    expect(h.future).toEqual([]);
    expect(groupOf(h, 'x')).toEqual(['sg:c']);
  });

  it('refuses a step that does not apply and leaves the history as it was', () => {
    const h = newHistory(ws('base'));
    expect(() => record(h, move('x', 'sg:b', 'sg:c'))).toThrow(CommandError);
    expect(h.past).toEqual([]);
  });

  it('loading is a step: undo brings back the workspace and its edits from before the load', () => {
    let h = record(newHistory(ws('base')), move('x', 'sg:a', 'sg:b'));
    const edited = currentWorkspace(h);
    h = record(h, { type: 'load', workspace: ws('other'), label: 'other.json' });
    expect(currentWorkspace(h).name).toBe('other');
    h = undo(h) as History;
    expect(currentWorkspace(h)).toBe(edited);
    expect(historyLines(h)).toEqual([
      { label: 'move x at group: sg-a → sg-b', undone: false, load: false },
      { label: 'open other.json', undone: true, load: true },
    ]);
  });

  it('a setting changed from the View menu reads "set …" in the history, a file "open …"', () => {
    let h = record(newHistory(ws('base')), { type: 'load', workspace: ws('other'), label: 'other.json' });
    h = record(h, { type: 'load', workspace: ws('other'), label: 'Cilium policy enforcement always', setting: true });
    expect(historyLines(h).map((l) => l.label)).toEqual(['open other.json', 'set Cilium policy enforcement always']);
  });

  it('the change plan starts at the last load', () => {
    let h = record(newHistory(ws('base')), move('x', 'sg:a', 'sg:b'));
    const other = ws('other');
    h = record(h, { type: 'load', workspace: other, label: 'other.json' });
    h = record(h, move('y', 'sg:b', 'sg:c'));
    expect(editsSinceLoad(h)).toEqual({ base: other, edits: [move('y', 'sg:b', 'sg:c')] });
  });

  it(`keeps at most ${MAX_LOADS} loaded workspaces: the oldest kept load becomes the base`, () => {
    let h = newHistory(ws('base'));
    for (let i = 0; i < MAX_LOADS + 3; i++) h = record(h, { type: 'load', workspace: ws(`w${i}`), label: `w${i}` });
    expect(h.past).toHaveLength(MAX_LOADS - 1);
    expect(h.base.name).toBe('w3');
    expect(currentWorkspace(h).name).toBe(`w${MAX_LOADS + 2}`);
  });

  it('a saved history whose later steps no longer apply keeps the prefix that does', () => {
    const h: History = {
      base: ws('base'),
      past: [move('x', 'sg:a', 'sg:b'), move('x', 'sg:a', 'sg:c'), move('y', 'sg:b', 'sg:a')],
      future: [move('y', 'sg:b', 'sg:c')],
    };
    const { history, dropped } = validHistory(h);
    expect(dropped).toBe(3);
    expect(history.past).toEqual([move('x', 'sg:a', 'sg:b')]);
    expect(history.future).toEqual([]);
  });

  it('any sequence of edits, loads, undos and redos ends in the workspace a plain replay gives', () => {
    const segs = ['sg:a', 'sg:b', 'sg:c'];
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('move' as const),
        svc: fc.constantFrom('x', 'y'),
        to: fc.constantFrom(...segs),
      }),
      fc.record({ kind: fc.constant('load' as const), name: fc.constantFrom('p', 'q') }),
      fc.constant({ kind: 'undo' as const }),
      fc.constant({ kind: 'redo' as const }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let h = newHistory(ws('base'));
        // The reference: a list of states and a cursor.
        const states: Workspace[] = [h.base];
        let at = 0;
        for (const o of ops) {
          if (o.kind === 'undo') {
            const u = undo(h);
            if (u) {
              h = u;
              at--;
            }
          } else if (o.kind === 'redo') {
            const r = redo(h);
            if (r) {
              h = r;
              at++;
            }
          } else {
            const cur = states[at] as Workspace;
            let step: Step;
            if (o.kind === 'load') step = { type: 'load', workspace: ws(o.name), label: o.name };
            else {
              const from = cur.services.find((s) => s.id === o.svc)?.memberships.group?.[0] as string;
              if (from === o.to) continue;
              step = move(o.svc, from, o.to);
            }
            h = record(h, step);
            const next = step.type === 'load' ? step.workspace : applyCommand(cur, step);
            states.length = at + 1;
            states.push(next);
            at++;
          }
          expect(JSON.stringify(currentWorkspace(h))).toBe(JSON.stringify(states[at]));
        }
      }),
      { numRuns: 200, seed: 18 },
    );
  });
});
