import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, summarizeAnalysis } from '../analysis/analyze';
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
});
