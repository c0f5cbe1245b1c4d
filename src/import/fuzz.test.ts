// A fixed-seed slice of `npm run fuzz` (bench/fuzz.ts): the same four properties on a few hundred inputs per reader.
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../formats/registry';
import { runFuzz } from './testing/fuzz';
import { FUZZ_TARGETS } from './testing/fuzzTargets';

/**
 * Inputs per reader here, the ~1,000 the fuzzing plan asks of `npm test` (about 18 s of CPU for the six
 * readers, 2–5 ms an input); `npm run fuzz` runs 100,000 per reader.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

describe('reader fuzzing (DESIGN.md: parsers never throw out of the import boundary; fuzz tests prove it)', () => {
  it('has seed files for every reader', () => {
    expect(FUZZ_TARGETS.map((t) => t.id).sort()).toEqual(FORMATS.map((f) => f.id).sort());
  });

  it.each(FUZZ_TARGETS.map((t) => [t.id, t] as const))(
    '%s: never throws, every diagnostic placed, the valid rest loads, no rule widened',
    (_id, target) => {
      const report = runFuzz(target, RUNS, 18);
      expect(report.inputs).toBe(RUNS);
      expect(report.failures.map((f) => `${f.kind}: ${f.message.slice(0, 300)}`)).toEqual([]);
    },
    // A thousand whole imports per reader: up to 5 s alone, 42 s measured at load 28, more while other suites share the cores.
    300_000,
  );
});
