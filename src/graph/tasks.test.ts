import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, summarizeAnalysis } from '../analysis/analyze';
import { generateTopology } from '../gen/generate';
import { importFiles } from '../import/index';
import { bandSteps, buildBand } from './elements';
import { drain, TaskRunner } from './tasks';

/** A runner whose tasks run when the test says so. */
const setup = () => {
  const tasks: (() => void)[] = [];
  const runner = new TaskRunner((run) => tasks.push(run));
  const nextTask = () => tasks.shift()?.();
  return { runner, tasks, nextTask };
};

function* counted(log: string[], name: string, steps: number): Generator<void, void> {
  for (let i = 1; i <= steps; i++) {
    log.push(`${name}${i}`);
    if (i < steps) yield;
  }
}

describe('long work in short tasks (DESIGN.md: the main thread never blocks > 50 ms)', () => {
  it('runs one step per task, none in the caller’s task, and answers settled() after the last', async () => {
    const { runner, tasks, nextTask } = setup();
    const log: string[] = [];
    runner.start(counted(log, 'a', 3));
    expect(log).toEqual([]);
    expect(runner.busy).toBe(true);
    let settled = false;
    void runner.settled().then(() => {
      settled = true;
    });
    nextTask();
    expect(log).toEqual(['a1']);
    nextTask();
    expect(log).toEqual(['a1', 'a2']);
    await Promise.resolve();
    expect(settled).toBe(false);
    nextTask();
    expect(log).toEqual(['a1', 'a2', 'a3']);
    expect(tasks).toHaveLength(0);
    expect(runner.busy).toBe(false);
    await Promise.resolve();
    expect(settled).toBe(true);
  });

  it('a newer run abandons the one in progress: its remaining steps never run', () => {
    const { runner, tasks, nextTask } = setup();
    const log: string[] = [];
    runner.start(counted(log, 'old', 3));
    nextTask();
    runner.start(counted(log, 'new', 2));
    while (tasks.length > 0) nextTask();
    expect(log).toEqual(['old1', 'new1', 'new2']);
    expect(runner.busy).toBe(false);
  });

  it('cancel abandons the work and answers whoever waits', async () => {
    const { runner, tasks, nextTask } = setup();
    const log: string[] = [];
    runner.start(counted(log, 'a', 3));
    nextTask();
    const waiting = runner.settled();
    runner.cancel();
    await waiting;
    while (tasks.length > 0) nextTask();
    expect(log).toEqual(['a1']);
    expect(runner.busy).toBe(false);
  });

  it('the band built in steps is the band built at once, with the verdicts (a step per phase)', () => {
    const ws = importFiles([
      { name: 's.json', text: readFileSync('public/samples/shop-estate.segscope.json', 'utf8') },
    ]).workspace;
    const analysis = summarizeAnalysis(analyze(ws));
    const opts = { focus: 'group' as const, analysis, viewport: { w: 900, h: 600 } };
    const steps = bandSteps(ws, opts);
    let yields = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) yields++;
    // Layout, unit figures, nodes, call edges: four tasks at least.
    expect(yields).toBeGreaterThanOrEqual(3);
    const atOnce = buildBand(ws, opts);
    expect(step.value.elements).toEqual(atOnce.elements);
    expect(step.value.elements.some((e) => String(e.classes ?? '').includes('broken'))).toBe(true);
    expect(drain(bandSteps(ws, opts)).elements).toEqual(atOnce.elements);
  });

  it('with a budget, a task takes steps until the budget is spent (at least one), then yields to the page', () => {
    const tasks: (() => void)[] = [];
    let clock = 0;
    const runner = new TaskRunner(
      (run) => tasks.push(run),
      20,
      () => clock,
    );
    const log: string[] = [];
    function* timed(): Generator<void, void> {
      // Steps of 8, 8, 8, 30, 1 ms of the clock.
      for (const [i, ms] of [8, 8, 8, 30, 1].entries()) {
        clock += ms;
        log.push(`s${i + 1}`);
        if (i < 4) yield;
      }
    }
    runner.start(timed());
    expect(log).toEqual([]);
    tasks.shift()?.();
    // 8 + 8 < 20, 24 ≥ 20: the third step ends the task.
    expect(log).toEqual(['s1', 's2', 's3']);
    tasks.shift()?.();
    // A step longer than the budget is a task of its own.
    expect(log).toEqual(['s1', 's2', 's3', 's4']);
    tasks.shift()?.();
    expect(log).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(tasks).toHaveLength(0);
    expect(runner.busy).toBe(false);
  });

  it('a step that starts newer work ends the older work at once, within the same task', () => {
    const tasks: (() => void)[] = [];
    const runner = new TaskRunner(
      (run) => tasks.push(run),
      1000,
      () => 0,
    );
    const log: string[] = [];
    function* older(): Generator<void, void> {
      log.push('old1');
      yield;
      runner.start(counted(log, 'new', 2));
      log.push('old2');
      yield;
      log.push('old3');
    }
    runner.start(older());
    while (tasks.length > 0) tasks.shift()?.();
    expect(log).toEqual(['old1', 'old2', 'new1', 'new2']);
    expect(runner.busy).toBe(false);
  });

  it('a band of 1,000 services laid out in summary: a step per packing tried, in order, equal to the band built at once', () => {
    const ws = generateTopology({ services: 1000, seed: 7 }).workspace;
    const opts = { focus: 'group' as const, viewport: { w: 1400, h: 800 } };
    const steps = bandSteps(ws, opts);
    let yields = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) yields++;
    const atOnce = buildBand(ws, opts);
    expect(atOnce.memo.mode).toBe('summary');
    // The layout search packs the band dozens of times: each packing is a step of its own.
    expect(yields).toBeGreaterThan(20);
    expect(step.value.elements).toEqual(atOnce.elements);
    expect(step.value.memo).toEqual(atOnce.memo);
    // A redraw on the kept layout (a drop, the verdicts) is stepped too and keeps every box where it was.
    const again = drain(bandSteps(ws, { ...opts, memo: atOnce.memo }));
    expect(again.elements).toEqual(atOnce.elements);
  });

  it('a step that throws ends the work: whoever waits is answered, the error reaches the task', async () => {
    const { runner, nextTask } = setup();
    function* failing(): Generator<void, void> {
      yield;
      throw new Error('no band');
    }
    runner.start(failing());
    const waiting = runner.settled();
    nextTask();
    expect(() => nextTask()).toThrow('no band');
    expect(runner.busy).toBe(false);
    await waiting;
  });
});
