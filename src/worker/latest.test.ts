import { describe, expect, it } from 'vitest';
import { latestWins } from './latest';

/** A call whose answer the test gives when it wants. */
const controlled = () => {
  const calls: { arg: string; answer(v: string): void }[] = [];
  const run = (arg: string) =>
    new Promise<string>((resolve) => {
      calls.push({ arg, answer: resolve });
    });
  return { calls, run };
};

describe('latestWins (DESIGN.md: previews are latest-wins, a stale one is never computed to the end)', () => {
  it('runs one request at a time; of those made meanwhile only the newest runs, the others resolve to undefined', async () => {
    const { calls, run } = controlled();
    const latest = latestWins(run);
    const a = latest('a');
    const b = latest('b');
    const c = latest('c');
    const d = latest('d');
    expect(calls.map((x) => x.arg)).toEqual(['a']);
    await expect(b).resolves.toBeUndefined();
    await expect(c).resolves.toBeUndefined();
    calls[0]?.answer('A');
    await expect(a).resolves.toBe('A');
    await expect.poll(() => calls.map((x) => x.arg)).toEqual(['a', 'd']);
    calls[1]?.answer('D');
    await expect(d).resolves.toBe('D');
    // Idle again: the next request runs at once.
    const e = latest('e');
    expect(calls.map((x) => x.arg)).toEqual(['a', 'd', 'e']);
    calls[2]?.answer('E');
    await expect(e).resolves.toBe('E');
  });

  it('passes a failure on and still runs the held request', async () => {
    const calls: string[] = [];
    const latest = latestWins(async (arg: string) => {
      calls.push(arg);
      if (arg === 'bad') throw new Error('no such segment');
      return arg.toUpperCase();
    });
    const bad = latest('bad');
    const good = latest('good');
    await expect(bad).rejects.toThrow('no such segment');
    await expect(good).resolves.toBe('GOOD');
    expect(calls).toEqual(['bad', 'good']);
  });
});
