import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze';
import { randomWorkspace } from '../analysis/testing/random';
import { applyCommand } from '../model/commands';
import { fixesFor } from './fixes';
import { previewPlan } from './preview';

describe('previewPlan', () => {
  // The fast path (untouched calls keep their verdicts, hubs their betweenness) held to the slow
  // truth: a full analysis of the workspace after the plan.
  it('the analysis after a fix plan equals a full analysis of the workspace after it (property)', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 3, max: 12 }),
        fc.integer({ min: 1, max: 30 }),
        (seed, n, calls) => {
          const w = randomWorkspace(seed, n, calls);
          const a = analyze(w);
          const targets = a.findings.filter((f) => f.id === 'broken-call' || f.id === 'exposed-colocated').slice(0, 3);
          for (const f of targets)
            for (const fix of fixesFor(w, a, f, 2)) {
              const after = fix.commands.reduce(applyCommand, w);
              const d = previewPlan(w, a, fix.commands);
              expect(d.workspace).toEqual(after);
              expect(d.analysis).toEqual(analyze(after));
              checked++;
            }
        },
      ),
      { numRuns: 25 },
    );
    expect(checked).toBeGreaterThan(20);
    // Seconds alone; over 30 s while other suites share the two cores.
  }, 120_000);
});
