import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyze, summarizeAnalysis } from '../analysis/analyze';
import { applyMove } from '../analysis/delta';
import { toNative } from '../formats/native/write';
import { generateTopology } from '../gen/generate';
import { randomMoves } from '../gen/moves';
import { bandSummaries, bestFocus, rememberStripCounts } from '../graph/strips';
import type { MoveCommand } from '../model/commands';
import { EngineCore, type Progress } from './core';

const sample = readFileSync('public/samples/shop-estate.segscope.json', 'utf8');
const files = [{ name: 'shop.json', text: sample }];

/** An engine with the sample loaded, as the page records an import. */
const loaded = (core: EngineCore) => {
  const { workspace, importId } = core.importFiles(files);
  core.recordImport(importId, 'open shop.json');
  return workspace;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('EngineCore', () => {
  it('answers the analysis without per-call detail and gives one call’s verdict when asked', () => {
    const core = new EngineCore();
    const full = analyze(loaded(core));
    const summary = core.analyze();
    expect(summary.calls).toHaveLength(full.calls.length);
    expect(summary.calls.some((c) => 'verdict' in c)).toBe(false);
    expect(summary.calls.map((c) => `${c.index}:${c.class}:${c.deniedBy.join(',')}`)).toEqual(
      full.calls.map((c) => `${c.index}:${c.class}:${c.deniedBy.join(',')}`),
    );
    expect(summary.findings).toEqual(full.findings);
    const broken = full.calls.find((c) => c.class === 'broken');
    expect(broken).toBeDefined();
    expect(core.callVerdict(broken?.index ?? -1)).toEqual(broken);
    expect(core.callVerdict(10_000)).toBeNull();
  });

  // A drop is recorded as a move; its analysis is the move's what-if (delta.ts), which equals a full analysis.
  it('analyses a recorded move incrementally: equal to a full analysis, untouched calls keep their verdicts', () => {
    const core = new EngineCore();
    const ws = loaded(core);
    const before = analyze(ws);
    core.analyze();
    const svc = ws.services.find(
      (s) => (s.memberships.group?.length ?? 0) > 0 && ws.calls.some((c) => c.from === s.id),
    );
    const from = svc?.memberships.group?.[0] ?? '';
    const to = ws.segments.find((x) => x.level === 'group' && !svc?.memberships.group?.includes(x.id))?.id ?? '';
    const move: MoveCommand = { type: 'moveService', service: svc?.id ?? '', level: 'group', from, to };
    const untouched = before.calls.find((c) => c.from !== move.service && c.to !== move.service);
    const touched = before.calls.find((c) => c.from === move.service);
    const kept = core.callVerdict(untouched?.index ?? -1);
    const old = core.callVerdict(touched?.index ?? -1);
    expect(kept && old).toBeTruthy();
    core.record(move);
    expect(core.analyze()).toEqual(summarizeAnalysis(analyze(applyMove(ws, move))));
    // The same object: the verdict was kept, not computed again by a whole new analysis.
    expect(core.callVerdict(untouched?.index ?? -1)).toBe(kept);
    expect(core.callVerdict(touched?.index ?? -1)).not.toBe(old);
    // Undo returns to the workspace before the move, whose analysis is still known.
    core.undo();
    expect(core.callVerdict(touched?.index ?? -1)).toBe(old);
    expect(core.analyze()).toEqual(summarizeAnalysis(before));
  });

  it('takes a dropped move’s analysis from its preview when the drag previewed that move last', () => {
    const core = new EngineCore();
    const ws = loaded(core);
    core.analyze();
    // A move that breaks a call: the preview hands out the broken call's new verdict.
    let found: { move: MoveCommand; delta: ReturnType<EngineCore['preview']> } | undefined;
    for (const m of randomMoves(ws, 40, 5)) {
      const move: MoveCommand = { type: 'moveService', ...m };
      const delta = core.preview(move);
      if (delta.brokenCalls.length === 0) continue;
      // The newest preview, as the hovered target is right before a drop.
      found = { move, delta };
      break;
    }
    expect(found).toBeDefined();
    const { move, delta } = found as { move: MoveCommand; delta: ReturnType<EngineCore['preview']> };
    const broken = delta.brokenCalls[0];
    core.record(move);
    // The very object the preview computed: the drop's analysis was not computed again.
    expect(core.callVerdict(broken?.index ?? -1)).toBe(broken);
    expect(core.analyze()).toEqual(summarizeAnalysis(analyze(applyMove(ws, move))));
  });

  it('reports the progress of an analysis that takes longer than 300 ms, rising to the end (DESIGN.md: long work shows progress)', () => {
    let now = 0;
    // Every reading of the clock is 100 ms later: the analysis "takes" hundreds of ms.
    vi.spyOn(performance, 'now').mockImplementation(() => {
      now += 100;
      return now;
    });
    const seen: Progress[] = [];
    const core = new EngineCore({ progress: (p) => seen.push(p) });
    loaded(core);
    core.analyze();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p) => p.task === 'analysis' && p.services === 15)).toBe(true);
    const fractions = seen.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBeGreaterThan(0.5);
    expect(fractions.at(-1)).toBeLessThanOrEqual(1);
  });

  it('reports no progress for a short analysis', () => {
    const seen: Progress[] = [];
    const core = new EngineCore({ progress: (p) => seen.push(p) });
    loaded(core);
    core.analyze();
    expect(seen).toEqual([]);
  });

  // The autosave has the worker write a load's workspace (src/store/persist.ts): the one just recorded, never another.
  it('writes the workspace of the load it just recorded under the number the page gives, and refuses otherwise', async () => {
    const written: [number, unknown][] = [];
    const core = new EngineCore({
      writeWorkspace: async (key, ws) => {
        written.push([key, ws]);
      },
    });
    const ws = loaded(core);
    await core.persist(3);
    expect(written).toHaveLength(1);
    expect(written[0]?.[0]).toBe(3);
    expect(JSON.stringify(written[0]?.[1])).toBe(JSON.stringify(ws));
    // A load recorded from a workspace the page holds (New, a setting) is written too.
    const empty = { segscope: 1 as const, name: 'New workspace', services: [], segments: [], calls: [], rules: [] };
    core.record({ type: 'load', workspace: empty, label: 'New' });
    await core.persist(4);
    expect(written[1]).toEqual([4, empty]);
    // After an undo, an edit or a failed record the current workspace is not a load just made: refused, nothing written.
    core.undo();
    await expect(core.persist(5)).rejects.toThrow('no load');
    expect(() => core.recordImport(99, 'gone')).toThrow('no longer kept');
    await expect(core.persist(6)).rejects.toThrow('no load');
    expect(written).toHaveLength(2);
    await expect(new EngineCore().persist(1)).rejects.toThrow('does not write');
  });

  // The page's render of a new workspace takes the strips' counts from the import answer (load-actions.ts).
  it('answers an import with the strips’ counts the page would count, which the page then uses as its own', () => {
    const estate = generateTopology({ services: 300, segments: 80, calls: 900, seed: 7 }).workspace;
    const answer = structuredClone(new EngineCore().importFiles([{ name: 'e.json', text: toNative(estate) }]));
    const { workspace, strips } = answer;
    if (!strips) throw new Error('no strip counts');
    expect(strips.bases).toHaveLength(6);
    const counted = bandSummaries(structuredClone(workspace), null, null);
    const focus = bestFocus(structuredClone(workspace));
    expect(counted.some((b) => b.crossing > 0 && b.chips.length > 1)).toBe(true);
    rememberStripCounts(workspace, strips);
    expect(bandSummaries(workspace, null, null)).toEqual(counted);
    expect(bestFocus(workspace)).toBe(focus);
    // Taken as they are, not counted again: a changed count shows.
    const other = structuredClone(workspace);
    rememberStripCounts(other, {
      bases: strips.bases.map((b) => ({ ...b, crossing: b.crossing + 1000 })),
      populated: [0, 0, 0, 0, 0, 9999],
    });
    expect(bandSummaries(other, null, null).map((b) => b.crossing)).toEqual(counted.map((b) => b.crossing + 1000));
    expect(bestFocus(other)).toBe('overlay');
    // A failed import has none.
    expect(new EngineCore().importFiles([{ name: 'x.json', text: '{' }]).strips).toBeUndefined();
  });
});
