// `npx tsx bench/phases.ts [--sizes 1000,5000] [--url URL] [--profile] [--out FILE]`: the main thread's long tasks
// during a load, the verdicts landing, an expand and a collapse, a drop and an undo (issue 15: none over 50 ms at
// 1,000 services, 100 ms at 5,000), per phase, without the rest of `npm run bench` (minutes cheaper).
//
// Serves an unminified build of this tree (bench-results/dist-phases) unless --url names a running app (e.g. a
// preview of another build, to compare the two in the same minutes). With --profile, each phase runs under the
// CDP sampling profiler and every long run of samples (a task) is named by its heaviest frames.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CDPSession, chromium, type Page } from '@playwright/test';
// @ts-expect-error plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { toNative } from '../src/formats/native/write';
import { generateTopology } from '../src/gen/generate';
import { randomMoves } from '../src/gen/moves';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
type Json = Record<string, unknown>;

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; parent?: number }[];
  samples: number[];
  timeDeltas: number[];
}

/** The heaviest frames (inclusive, and self) of each long task the page saw, from samples in its time span. */
export const taskFrames = (profile: CpuProfile, markAt: number, tasks: { start: number; duration: number }[]) => {
  const parent = new Map<number, number>();
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  for (const n of profile.nodes as { id: number; children?: number[] }[])
    for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id: number) => {
    const f = frames.get(id);
    if (!f) return '?';
    const file = f.url.split('/').pop() ?? '';
    return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
  };
  // Sample times in ms since the profile started; the mark's first sample gives the page clock's offset.
  const times: number[] = [];
  let t = 0;
  for (const d of profile.timeDeltas) {
    t += d / 1000;
    times.push(t);
  }
  const marked = profile.samples.findIndex((id) => {
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n))
      if (frames.get(n)?.functionName === '__phaseMark') return true;
    return false;
  });
  if (marked < 0) return [];
  const offset = (times[marked] as number) - markAt;
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([fn, ms]) => `${Math.round(ms)} ${fn}`);
  return tasks.map((task) => {
    const self = new Map<string, number>();
    const incl = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const at = (times[i] as number) - offset;
      if (at < task.start || at > task.start + task.duration) return;
      const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      const s = name(id);
      self.set(s, (self.get(s) ?? 0) + dt);
      const seen = new Set<string>();
      for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
        const k = name(n);
        if (k.startsWith('(root)') || seen.has(k)) continue;
        seen.add(k);
        incl.set(k, (incl.get(k) ?? 0) + dt);
      }
    });
    return {
      at: Math.round(task.start - markAt),
      ms: Math.round(task.duration),
      inclusive: top(incl, 16),
      self: top(self, 8),
    };
  });
};

const args = (() => {
  const a = process.argv.slice(2);
  const get = (k: string) => {
    const i = a.indexOf(k);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return {
    sizes: (get('--sizes') ?? '1000,5000').split(',').map(Number),
    url: get('--url'),
    profile: a.includes('--profile'),
    /** Trace the main thread's tasks: their CPU time (thread time), which load on the machine does not stretch. */
    trace: a.includes('--trace'),
    out: resolve(get('--out') ?? join(ROOT, 'bench-results', 'phases.json')),
    port: Number(get('--port') ?? 4813),
  };
})();

const serve = async (): Promise<{ url: string; stop(): void }> => {
  if (args.url) return { url: args.url, stop: () => undefined };
  const out = join(ROOT, 'bench-results', 'dist-phases');
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const b = spawnSync(
    process.execPath,
    [vite, 'build', '--outDir', out, '--emptyOutDir', '--minify', 'false', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (b.status !== 0) throw new Error(b.stderr);
  const proc = spawn(
    process.execPath,
    [vite, 'preview', '--host', '127.0.0.1', '--port', String(args.port), '--strictPort', '--outDir', out],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${args.port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return { url, stop: () => proc.kill() };
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill();
  throw new Error('preview did not start');
};

const profiled = async <T>(
  page: Page,
  cdp: CDPSession,
  run: () => Promise<T>,
): Promise<{ result: T; runs?: unknown }> => {
  if (!args.profile) return { result: await run() };
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  try {
    // A mark the profile can find: its first sample tells the profile's clock from the page's.
    const markAt = (await page.evaluate(
      '(() => { const t = performance.now(); (function __phaseMark() { while (performance.now() - t < 8); })(); return t; })()',
    )) as number;
    const from = (await page.evaluate('window.__bench.longTasks.length')) as number;
    const result = await run();
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    const tasks = (await page.evaluate(`window.__bench.longTasks.slice(${from})`)) as {
      start: number;
      duration: number;
    }[];
    return {
      result,
      runs: taskFrames(
        profile,
        markAt,
        tasks.filter((x) => x.start > markAt + 8),
      ),
    };
  } catch (e) {
    await cdp.send('Profiler.stop').catch(() => undefined);
    throw e;
  }
};

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number; type?: string } };
}

/** What a trace event inside a task did, for a reader: the function a FunctionCall ran, the event dispatched. */
const eventName = (e: TraceEvent): string => {
  const d = e.args?.data;
  if (e.name === 'FunctionCall' && d)
    return `${d.functionName || '(anonymous)'} ${(d.url ?? '').split('/').pop()}:${(d.lineNumber ?? 0) + 1}`;
  if (e.name === 'EventDispatch' && d?.type) return `event ${d.type}`;
  return e.name;
};

/**
 * The page's main-thread tasks while `run` runs, from a Chrome trace: wall time and thread (CPU) time
 * of each. Under load the wall time of a task stretches with the time its thread waits for a core;
 * its CPU time is the work the task holds the main thread for, the part this code decides.
 */
const traced = async <T>(cdp: CDPSession, run: () => Promise<T>): Promise<{ result: T; tasks?: Json }> => {
  if (!args.trace) return { result: await run() };
  const events: TraceEvent[] = [];
  const collect = (e: { value: object[] }) => {
    events.push(...(e.value as TraceEvent[]));
  };
  cdp.on('Tracing.dataCollected', collect);
  await cdp.send('Tracing.start', {
    // devtools.timeline names what each task ran (FunctionCall, EventDispatch, Layout, …).
    categories: 'toplevel,__metadata,devtools.timeline',
    transferMode: 'ReportEvents',
  } as never);
  const result = await run();
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const runs = (m: TraceEvent) =>
    events.filter((e) => e.ph === 'X' && e.pid === m.pid && e.tid === m.tid && /RunTask/.test(e.name));
  const main = mains.map((m) => ({ m, n: runs(m).length })).sort((a, b) => b.n - a.n)[0]?.m;
  if (!main) return { result, tasks: { error: 'no renderer main thread in the trace' } };
  const inner = events.filter(
    (e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && !/RunTask/.test(e.name) && (e.tdur ?? 0) > 0,
  );
  const r1 = (x: number) => Math.round(x * 10) / 10;
  /** The heaviest things a task ran (CPU ms, nested ones counted in their parents too). */
  const within = (t: TraceEvent) => {
    const by = new Map<string, number>();
    for (const e of inner)
      if (e.ts >= t.ts && e.ts < t.ts + (t.dur ?? 0))
        by.set(eventName(e), (by.get(eventName(e)) ?? 0) + (e.tdur ?? 0) / 1000);
    return [...by]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([n, ms]) => `${r1(ms)} ${n}`);
  };
  const start = Math.min(...runs(main).map((e) => e.ts));
  const tasks = runs(main).map((e) => ({
    e,
    at: Math.round((e.ts - start) / 1000),
    wall: (e.dur ?? 0) / 1000,
    cpu: (e.tdur ?? 0) / 1000,
  }));
  const byCpu = [...tasks].sort((a, b) => b.cpu - a.cpu);
  return {
    result,
    tasks: {
      count: tasks.length,
      maxCpuMs: r1(byCpu[0]?.cpu ?? 0),
      maxWallMs: r1(Math.max(0, ...tasks.map((t) => t.wall))),
      over50Cpu: tasks.filter((t) => t.cpu > 50).length,
      over100Cpu: tasks.filter((t) => t.cpu > 100).length,
      over50Wall: tasks.filter((t) => t.wall > 50).length,
      top: byCpu.slice(0, 6).map((t) => `${r1(t.cpu)} cpu / ${r1(t.wall)} wall`),
      /** The longest tasks by CPU, when each started (ms into the phase) and what ran in it. */
      named: byCpu.slice(0, 6).map((t) => ({ at: t.at, cpu: r1(t.cpu), wall: r1(t.wall), ran: within(t.e) })),
    },
  };
};

const main = async () => {
  const server = await serve();
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
  const out: Json[] = [];
  try {
    for (const services of args.sizes) {
      const topology = generateTopology({
        services,
        segments: Math.max(250, Math.round(services / 4)),
        calls: services * 3,
        seed: 42,
      });
      const text = toNative(topology.workspace);
      const moves = randomMoves(topology.workspace, 3, 7);
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      await context.addInitScript({ path: join(ROOT, 'bench', 'probe.js') });
      const page: Page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.url);
      await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 120_000 });
      await page.evaluate((t) => {
        (window as unknown as { __bench: { text: string } }).__bench.text = t;
      }, text);
      const cdp = await context.newCDPSession(page);
      const row: Json = { services, loadAverage: loadavg().map((x) => Number(x.toFixed(2))) };
      const phase = async (name: string, expr: string) => {
        const { result: inner, tasks } = await traced(cdp, () =>
          profiled(page, cdp, () => page.evaluate(expr) as Promise<Json>),
        );
        const { result, runs } = inner;
        row[name] = { ...result, ...(runs ? { profile: runs } : {}), ...(tasks ? { mainTasks: tasks } : {}) };
        process.stderr.write(`phases: ${services} ${name} done\n`);
      };
      await phase(
        'load',
        `window.__bench.load(${JSON.stringify(`generated-${services}.segscope.json`)}).then((l) => ({ longTasks: l.longTasks, verdictLongTasks: l.verdictLongTasks, importAnalysisMs: l.importAnalysisMs, firstRenderMs: l.firstRenderMs, readableMs: l.readableMs, frameGapMaxMs: l.frameGapMaxMs, drawMs: l.drawMs, nodes: l.nodes, edges: l.edges, overviewUnits: l.overviewUnits, all: window.__bench.longTasks.filter((t) => t.start >= l.t.t0).map((t) => Math.round(t.duration)) }))`,
      );
      await phase('expand', 'window.__bench.expand()');
      await phase('drop', `window.__bench.drop(${JSON.stringify(moves[1])})`);
      await phase('undo', 'window.__bench.undo()');
      row.pageErrors = errors;
      out.push(row);
      writeFileSync(args.out, `${JSON.stringify(out, null, 2)}\n`);
      await context.close();
    }
  } finally {
    await browser.close();
    server.stop();
  }
  const brief = out.map((r) => {
    const lt = (x: unknown) => ((x as Json)?.longTasks as Json | undefined)?.maxMs;
    const e = r.expand as Json;
    return {
      services: r.services,
      load: r.loadAverage,
      loadMax: lt(r.load),
      verdictMax: ((r.load as Json).verdictLongTasks as Json)?.maxMs,
      expandMax: (e?.expand as Json)?.longTasks && ((e.expand as Json).longTasks as Json).maxMs,
      collapseMax: (e?.collapse as Json)?.longTasks && ((e.collapse as Json).longTasks as Json).maxMs,
      dropMax: lt(r.drop),
      undoMax: lt(r.undo),
      cpu: Object.fromEntries(
        ['load', 'expand', 'drop', 'undo'].map((k) => {
          const t = (r[k] as Json | undefined)?.mainTasks as Json | undefined;
          return [
            k,
            t
              ? { maxCpuMs: t.maxCpuMs, over50Cpu: t.over50Cpu, over100Cpu: t.over100Cpu, maxWallMs: t.maxWallMs }
              : null,
          ];
        }),
      ),
    };
  });
  process.stdout.write(`${JSON.stringify(brief)}\nFigures: ${args.out}\n`);
};

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
});
