// The after-the-fact consequence of an action agrees with the what-if that previewed it (for moves, where both exist).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze';
import { previewMove } from '../analysis/delta';
import type { QuotaUse } from '../analysis/types';
import { randomMoves } from '../gen/moves';
import { importFiles } from '../import/index';
import { applyCommand } from '../model/commands';
import { analysisDelta, type Consequence } from './consequence';

const ws = importFiles([
  { name: 'shop-estate.segscope.json', text: readFileSync('public/samples/shop-estate.segscope.json', 'utf8') },
]).workspace;

const summary = (d: Consequence) => ({
  broken: d.brokenCalls.map((c) => c.index).sort(),
  restored: d.restoredCalls.map((c) => c.index).sort(),
  added: d.findingsAdded.map((f) => f.key).sort(),
  removed: d.findingsRemoved.map((f) => f.key).sort(),
  changed: d.findingsChanged.map((f) => f.after.key).sort(),
  quota: d.quota.map((q) => `${q.quota} ${q.subject.id} ${q.before}→${q.after}`).sort(),
});

describe('analysisDelta', () => {
  it('says what the what-if said, for every random move on the shop estate', () => {
    const before = analyze(ws);
    const moves = randomMoves(ws, 12, 21);
    expect(moves.length).toBeGreaterThan(5);
    for (const m of moves) {
      const after = analyze(applyCommand(ws, { type: 'moveService', ...m }));
      expect(summary(analysisDelta(before, after))).toEqual(summary(previewMove(ws, before, m)));
    }
  });

  it('is empty between an analysis and itself', () => {
    const a = analyze(ws);
    const d = analysisDelta(a, a);
    // Every list of the what-if panel's shape, and each of them empty.
    expect(Object.keys(d)).toHaveLength(8);
    expect(Object.entries(d).filter(([, list]) => list.length > 0)).toEqual([]);
  });

  it('counts a segment and a service that share an id as two quota subjects, as the what-if does', () => {
    // A Compose project's segment and a service can both be "shop": their figures are two different quotas uses.
    const a = analyze(ws);
    const use = (kind: QuotaUse['subject']['kind'], used: number): QuotaUse => ({
      quota: 'rules-per-group',
      label: 'rules',
      subject: { kind, id: 'shop' },
      used,
      limit: 60,
      state: 'ok',
    });
    const d = analysisDelta(
      { ...a, quotas: [use('segment', 3), use('service', 5)] },
      { ...a, quotas: [use('segment', 4), use('service', 7)] },
    );
    expect(d.quota.map((q) => `${q.subject.kind} ${q.subject.id} ${q.before}→${q.after}`)).toEqual([
      'segment shop 3→4',
      'service shop 5→7',
    ]);
  });
});
