// `npm run bench [-- --sizes 1000,5000,10000 --out FILE]`: the app measured in headless Chromium at each size.
//
// Builds the app once (into bench-results/dist, so a concurrent `vite preview` of dist/ is left
// alone), serves it with `vite preview`, and per size: generates the topology (src/gen), loads it
// through `window.segscope.load` in a fresh browser context, and measures import + analysis, first
// render, hover-delta latency (when `preview` exists), drag and pan/zoom frame times, long tasks
// and heap; then mounts the same elements with bare cytoscape (same positions, same viewport) on a
// page of its own and reports our overhead as a ratio. Also times `segscope check` on the same file
// and runs bench/analysis.ts and bench/connlist.ts when they exist. Writes JSON and prints a table.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
// @ts-expect-error plain ESM helper shared with the e2e setup
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { toNative } from '../src/formats/native/write';
import { generateTopology } from '../src/gen/generate';
import { type Move, randomMoves } from '../src/gen/moves';
import type { Workspace } from '../src/model/types';
import { type BenchResults, type SizeResult, targetsFor, toMarkdown } from './report';
import { startStaticServer } from './server';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROBE = join(ROOT, 'bench', 'probe.js');
const VIEWPORT = { width: 1600, height: 1000 };
/** Wall-clock bound of the mouse drag (moves stop early when frames take seconds). */
const DRAG_BUDGET_MS = 12_000;

interface Args {
  sizes: number[];
  out: string;
  markdown?: string;
  skipBuild: boolean;
  /** Also measure the cytoscape options and the what-limits-it variants (slower). */
  variants: boolean;
  /** CPU profiles of the main thread per phase, on an unminified build (bench-results/profiles). */
  profile: boolean;
  moves: number;
  /** Run bench/analysis.ts, connlist.ts and synthesize.ts per size (Node only; minutes at 5,000 services). */
  nodeBenches: boolean;
}

const parseArgs = (argv: string[]): Args => {
  const args: Args = {
    sizes: [1000, 5000, 10000],
    out: join(ROOT, 'bench-results', 'bench.json'),
    skipBuild: false,
    variants: false,
    profile: false,
    moves: 50,
    nodeBenches: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--sizes') {
      args.sizes = value()
        .split(',')
        .map((s) => Number(s.trim()))
        .filter((n) => Number.isInteger(n) && n >= 6);
    } else if (a === '--out') args.out = resolve(value());
    else if (a === '--markdown') args.markdown = resolve(value());
    else if (a === '--skip-build') args.skipBuild = true;
    else if (a === '--variants') args.variants = true;
    else if (a === '--profile') args.profile = true;
    else if (a === '--moves') args.moves = Number(value());
    else if (a === '--skip-node-benches') args.nodeBenches = false;
    else
      throw new Error(
        `unknown option ${a}; usage: npm run bench -- [--sizes 1000,5000] [--out FILE] [--markdown FILE] [--skip-build] [--variants] [--profile] [--moves 50] [--skip-node-benches]`,
      );
  }
  if (args.sizes.length === 0) throw new Error('--sizes needs service counts ≥ 6, comma-separated');
  return args;
};

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const round = (x: number | null | undefined, digits = 0): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits));

const freePort = (): Promise<number> =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

/** A promise that gives up after `ms` (a hung page must not hang the bench). */
const within = async <T>(ms: number, what: string, p: Promise<T>): Promise<T> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>((_, rej) => {
        timer = setTimeout(() => rej(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    // A pending timer would keep the process alive long after the bench is done.
    clearTimeout(timer);
  }
};

const build = (outDir: string, minify: boolean): number => {
  const t = performance.now();
  const flags = ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'];
  // Unminified for profiles, so they name our functions and cytoscape's.
  if (!minify) flags.push('--minify', 'false');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), ...flags.slice(1)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
  return performance.now() - t;
};

const startPreview = async (outDir: string): Promise<{ url: string; proc: ChildProcess }> => {
  const port = await freePort();
  // Vite itself, not through npx: one process to stop, with no pipe left open to keep the bench alive.
  const proc = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'preview',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
      '--outDir',
      outDir,
    ],
    { cwd: ROOT, stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return { url, proc };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill();
  throw new Error('vite preview did not start');
};

const newPage = async (browser: Browser): Promise<{ context: BrowserContext; page: Page }> => {
  // A fresh context each time: IndexedDB autosave would otherwise restore the previous workspace.
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript({ path: PROBE });
  const page = await context.newPage();
  return { context, page };
};

/** Main-thread heap after a forced garbage collection (the engine worker's heap is not included). */
const heapAfterGc = async (context: BrowserContext, page: Page): Promise<number | null> => {
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
    await cdp.detach();
    return used === undefined ? null : used / 1048576;
  } catch {
    return null;
  }
};

type Json = Record<string, unknown>;

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** The functions that took the most self time, "name (file:line)". */
export const topSelfTime = (profile: CpuProfile, count = 15): { fn: string; ms: number }[] => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)?.callFrame;
    if (!f) return;
    const key = `${f.functionName || '(anonymous)'} (${f.url.split('/').pop() || '-'}:${f.lineNumber + 1})`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms) }));
};

/** Profile one phase of a page when asked to; the profile file goes to bench-results/profiles. */
const profiled = async <T>(
  context: BrowserContext,
  page: Page,
  on: boolean,
  name: string,
  into: Json,
  run: () => Promise<T>,
): Promise<T> => {
  if (!on) return run();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    await cdp.detach();
    const dir = join(ROOT, 'bench-results', 'profiles');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    into[name] = topSelfTime(profile);
  }
};

/**
 * The engine worker's CPU profiler, reached through the page's DevTools session (Playwright opens
 * none for dedicated workers): the worker's target is auto-attached and spoken to in messages.
 */
const workerProfiler = async (context: BrowserContext, page: Page) => {
  const cdp = await context.newCDPSession(page);
  let session: string | undefined;
  let seq = 0;
  const waiting = new Map<number, (v: Json) => void>();
  cdp.on('Target.attachedToTarget', (e: Json) => {
    if ((e.targetInfo as Json).type === 'worker') session = e.sessionId as string;
  });
  cdp.on('Target.receivedMessageFromTarget', (e: Json) => {
    const m = JSON.parse(e.message as string) as { id?: number; result?: Json; error?: Json };
    if (m.id !== undefined) waiting.get(m.id)?.(m.result ?? m.error ?? {});
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const send = (method: string, params: Json = {}): Promise<Json> =>
    new Promise((resolve) => {
      if (!session) return resolve({});
      const id = ++seq;
      waiting.set(id, resolve);
      void cdp.send('Target.sendMessageToTarget', {
        sessionId: session,
        message: JSON.stringify({ id, method, params }),
      });
    });
  return {
    start: async () => {
      await send('Profiler.enable');
      await send('Profiler.setSamplingInterval', { interval: 1000 });
      await send('Profiler.start');
    },
    /** Stop, write the profile to bench-results/profiles and put its top functions in `into[name]`. */
    stop: async (name: string, into: Json) => {
      const { profile } = (await send('Profiler.stop')) as { profile?: CpuProfile };
      if (!profile) return;
      const dir = join(ROOT, 'bench-results', 'profiles');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      into[name] = topSelfTime(profile);
    },
  };
};

const evaluate = <T>(page: Page, expr: string, ms: number, what: string): Promise<T> =>
  within(ms, what, page.evaluate(expr) as Promise<T>);

/** A real drag with the mouse: press on a service node, move over segments of its band, Escape, release. */
const drag = async (page: Page): Promise<Json> => {
  let setup = await evaluate<Json>(page, 'window.__bench.dragSetup()', 60_000, 'drag setup');
  // At fit a large estate shows folded units: click them open as a person would (a VPC cell, then a
  // summary segment inside it) until services are drawn.
  const opened: Json[] = [];
  for (let k = 0; k < 4 && setup.expand; k++) {
    const at = setup.expand as { x: number; y: number };
    await page.mouse.click(at.x, at.y);
    const settled = await evaluate<Json>(page, 'window.__bench.settled()', 120_000, 'expand');
    opened.push({ unit: setup.unit, kind: setup.kind, ms: settled.ms });
    setup = await evaluate<Json>(page, 'window.__bench.dragSetup()', 60_000, 'drag setup');
  }
  if (opened.length > 0) setup = { ...setup, expanded: true };
  if (setup.error || setup.expand) return { error: String(setup.error ?? 'opening units showed no service'), opened };
  await evaluate(page, 'window.__bench.frame()', 30_000, 'frame');
  const start = setup.start as { x: number; y: number };
  const targets = setup.targets as { x: number; y: number }[];
  await evaluate(page, 'window.__bench.startFrames()', 10_000, 'frames');
  const t = performance.now();
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + 12, start.y + 8, { steps: 4 });
  const ghost = await evaluate<boolean>(page, 'window.__bench.ghostVisible()', 10_000, 'ghost');
  const path = targets.length > 0 ? targets : [{ x: start.x + 200, y: start.y + 120 }];
  let moves = 0;
  let at = { x: start.x + 12, y: start.y + 8 };
  // Step by step towards each target, then hover over it a moment with small moves, as a person
  // deciding would. Bounded in time: a drag that takes seconds per frame must not stall the bench.
  const budgetEnd = performance.now() + DRAG_BUDGET_MS;
  for (const p of [...path, start]) {
    for (let k = 1; k <= 25 && performance.now() < budgetEnd; k++, moves++) {
      await page.mouse.move(at.x + ((p.x - at.x) * k) / 25, at.y + ((p.y - at.y) * k) / 25);
    }
    for (let k = 0; k < 6 && performance.now() < budgetEnd; k++, moves++) {
      await page.mouse.move(p.x + (k % 2 ? 3 : -3), p.y + (k % 3) - 1);
    }
    at = p;
  }
  await page.keyboard.press('Escape');
  await page.mouse.up();
  const frames = await evaluate<Json>(page, 'window.__bench.stopFrames()', 10_000, 'frames');
  // Close what was opened (the later probes start from the overview at fit, as before).
  await evaluate(page, `window.__bench.closeUnits(${JSON.stringify(opened.map((o) => o.unit))})`, 120_000, 'close');
  return {
    service: setup.service,
    level: setup.level,
    zoom: setup.zoom,
    expanded: setup.expanded === true,
    opened,
    targets: targets.length,
    moves,
    dragStarted: ghost,
    wallMs: round(performance.now() - t),
    frames,
  };
};

/**
 * What a person does after looking: open a summary and close it, reveal a service, select one and
 * open the Move dialog typing at once, drop a move and undo it. Each with its long tasks.
 */
const interact = async (page: Page, moves: Move[]): Promise<Json> => {
  const out: Json = {};
  const attempt = async (name: string, run: () => Promise<unknown>) => {
    try {
      out[name] = await run();
    } catch (e) {
      out[name] = { error: (e as Error).message };
    }
  };
  await attempt('expand', () => evaluate(page, 'window.__bench.expand()', 5 * 60_000, 'expand'));
  const first = moves[0];
  await attempt('reveal', () =>
    evaluate(page, `window.__bench.reveal(${JSON.stringify(first?.service ?? '')})`, 5 * 60_000, 'reveal'),
  );
  await attempt('moveDialog', () => moveDialog(page));
  const drop = moves[1] ?? first;
  await attempt('drop', () => evaluate(page, `window.__bench.drop(${JSON.stringify(drop)})`, 10 * 60_000, 'drop'));
  await attempt('undo', () => evaluate(page, 'window.__bench.undo()', 10 * 60_000, 'undo'));
  return out;
};

/** The keys a person types into the Move dialog's filter right after pressing M. */
const TYPED = 'checkout';

/**
 * Select a service through a finding as a person does (findings are grouped by rule, then by segment
 * pair: open the broken-call group, its first pair unless already open, click a call), press M and
 * type at once: how soon the dialog was there, and what the filter got.
 */
const moveDialog = async (page: Page): Promise<Json> => {
  const group = page.locator('[data-testid="finding-group"][data-rule="broken-call"]');
  await group.click({ timeout: 30_000 });
  const item = group.locator('xpath=..');
  const pair = item.getByTestId('finding-subgroup').first();
  if ((await pair.getAttribute('aria-expanded', { timeout: 30_000 })) !== 'true') await pair.click({ timeout: 30_000 });
  await item.locator('[data-testid="finding"][data-finding="broken-call"]').first().click({ timeout: 30_000 });
  await page.getByTestId('move-to').waitFor({ timeout: 30_000 });
  await evaluate(page, 'window.__bench.watchMoveDialog()', 10_000, 'watch');
  const t = performance.now();
  await page.keyboard.press('m');
  await page.keyboard.type(TYPED, { delay: 0 });
  const search = page.getByTestId('move-search');
  await search.waitFor({ timeout: 60_000 });
  const value = await search.inputValue();
  const rec = await evaluate<Json>(
    page,
    '(() => { const r = window.__bench.moveDialog; r.stop(); return { keyAt: r.keyAt, openAt: r.openAt }; })()',
    10_000,
    'dialog',
  );
  const wallMs = performance.now() - t;
  await page.keyboard.press('Escape');
  const keyAt = rec.keyAt as number | null;
  const openAt = rec.openAt as number | null;
  return {
    openMs: keyAt !== null && openAt !== null ? round(openAt - keyAt) : null,
    typed: TYPED,
    got: value,
    allKeys: value === TYPED,
    wallMs: round(wallMs),
  };
};

const measureApp = async (
  browser: Browser,
  appUrl: string,
  name: string,
  text: string,
  moves: Move[],
  profile: boolean,
) => {
  const { context, page } = await newPage(browser);
  const profiles: Json = {};
  const size = name.replace(/\D+/g, '');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    const worker = profile ? await workerProfiler(context, page) : undefined;
    await page.goto(appUrl);
    await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 120_000 });
    await page.evaluate((t) => {
      (window as unknown as { __bench: { text: string } }).__bench.text = t;
    }, text);
    await worker?.start();
    const load = await profiled(context, page, profile, `${size}-load`, profiles, () =>
      evaluate<Json>(page, `window.__bench.load(${JSON.stringify(name)})`, 15 * 60_000, 'load'),
    );
    await worker?.stop(`${size}-load-worker`, profiles);
    const heapMB = await heapAfterGc(context, page);
    const canvas = await evaluate<Json>(page, 'window.__bench.canvasBox()', 10_000, 'canvas');
    const drawn = await evaluate<string>(page, 'window.__bench.exportElements()', 120_000, 'elements');
    const panZoom = await profiled(context, page, profile, `${size}-panzoom`, profiles, () =>
      evaluate<Json>(page, 'window.__bench.panZoom(120, null, 8000)', 5 * 60_000, 'pan/zoom'),
    );
    const hasPreview = await evaluate<boolean>(page, "typeof window.segscope.preview === 'function'", 10_000, 'hook');
    const preview = hasPreview
      ? await evaluate<Json>(page, `window.__bench.preview(${JSON.stringify(moves)})`, 10 * 60_000, 'preview')
      : null;
    let dragResult: Json;
    try {
      dragResult = await profiled(context, page, profile, `${size}-drag`, profiles, () => drag(page));
    } catch (e) {
      dragResult = { error: (e as Error).message };
    }
    const interactions = await interact(page, moves as Move[]);
    return {
      load,
      heapMB: round(heapMB, 1),
      canvas,
      drawn,
      panZoom,
      preview,
      drag: dragResult,
      ...interactions,
      pageErrors: errors,
      ...(profile ? { profiles } : {}),
    };
  } finally {
    await context.close();
  }
};

interface Variant {
  name: string;
  appStyle: boolean;
  /**
   * To price what limits rendering: every compound node removed (flat), compounds redrawn as plain
   * boxes of the same size and stacking (boxes: what our own packer could hand cytoscape), or every
   * edge removed.
   */
  transform?: 'flat' | 'boxes' | 'no-edges';
  options: { hideEdgesOnViewport?: boolean; textureOnViewport?: boolean; webgl?: boolean };
}

const VARIANTS: Variant[] = [
  { name: 'bare', appStyle: false, options: {} },
  { name: 'bare+app style', appStyle: true, options: {} },
  { name: 'app style, hideEdgesOnViewport', appStyle: true, options: { hideEdgesOnViewport: true } },
  { name: 'app style, textureOnViewport', appStyle: true, options: { textureOnViewport: true } },
  { name: 'app style, webgl', appStyle: true, options: { webgl: true } },
  { name: 'app style, no compound nodes', appStyle: true, options: {}, transform: 'flat' },
  { name: 'app style, compounds as plain boxes', appStyle: true, options: {}, transform: 'boxes' },
  { name: 'app style, no edges', appStyle: true, options: {}, transform: 'no-edges' },
];

/** Measured in every run: our overhead, and the WebGL renderer on the same elements (DESIGN.md asks where it wins). */
const DEFAULT_VARIANTS = ['bare', 'bare+app style', 'app style, webgl'];

interface Elements {
  nodes?: { data: Record<string, unknown> }[];
  edges?: { data: Record<string, unknown> }[];
}

/** Remove every compound node (and its edges): the leaves stay where they were, top-level. */
const withoutCompounds = (elements: Elements): void => {
  const parents = new Set<unknown>((elements.nodes ?? []).map((n) => n.data.parent).filter((p) => p !== undefined));
  elements.nodes = (elements.nodes ?? []).filter((n) => !parents.has(n.data.id));
  for (const n of elements.nodes) delete n.data.parent;
  elements.edges = (elements.edges ?? []).filter((e) => !parents.has(e.data.source) && !parents.has(e.data.target));
};

type Boxes = Record<string, { w: number; h: number; depth: number }>;

/** Compounds become ordinary nodes of their drawn size, stacked by depth under the leaves and edges. */
const asPlainBoxes = (elements: Elements, boxes: Boxes, style: unknown[]): unknown[] => {
  for (const n of elements.nodes ?? []) {
    delete n.data.parent;
    const box = boxes[n.data.id as string];
    if (box) Object.assign(n.data, { __w: box.w, __h: box.h, __z: box.depth });
  }
  return [
    ...style,
    { selector: 'node, edge', style: { 'z-index-compare': 'manual', 'z-index': 100 } },
    { selector: 'node[__w]', style: { width: 'data(__w)', height: 'data(__h)', 'z-index': 'data(__z)', padding: 0 } },
    { selector: 'edge', style: { 'z-index': 90 } },
  ];
};

const measureBare = async (browser: Browser, bareUrl: string, drawn: string, canvas: Json, variant: Variant) => {
  const { context, page } = await newPage(browser);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${bareUrl}/bare.html`);
    const parsed = JSON.parse(drawn) as { elements: Elements; style: unknown[]; boxes: Boxes };
    const { elements } = parsed;
    let style = parsed.style;
    if (variant.transform === 'flat') withoutCompounds(elements);
    if (variant.transform === 'boxes') style = asPlainBoxes(elements, parsed.boxes, style);
    if (variant.transform === 'no-edges') elements.edges = [];
    const spec = JSON.stringify({
      elements,
      style: variant.appStyle ? style : null,
      width: canvas.width,
      height: canvas.height,
      zoom: canvas.zoom,
      pan: canvas.pan,
      options: variant.options,
    });
    await page.evaluate((t) => {
      (window as unknown as { __spec: string }).__spec = t;
    }, spec);
    const webglAvailable = await page.evaluate(() => !!document.createElement('canvas').getContext('webgl2'));
    const mount = await evaluate<Json>(page, 'window.bare.mount(window.__spec)', 10 * 60_000, 'bare mount');
    const panZoom = await evaluate<Json>(
      page,
      'window.__bench.panZoom(120, window.cyBare, 8000)',
      5 * 60_000,
      'pan/zoom',
    );
    const heapMB = await heapAfterGc(context, page);
    return { variant: variant.name, webglAvailable, mount, panZoom, heapMB: round(heapMB, 1), pageErrors: errors };
  } finally {
    await context.close();
  }
};

const timeCli = (file: string): Json => {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'segscope.mjs'), 'check', file, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: 15 * 60_000,
  });
  const ms = performance.now() - t;
  if (/unknown command/.test(r.stderr ?? '')) return { available: false };
  let findings: number | null = null;
  try {
    const out = JSON.parse(r.stdout) as { findings?: unknown[] };
    findings = Array.isArray(out.findings) ? out.findings.length : null;
  } catch {
    // not JSON: reported as is below
  }
  return {
    available: true,
    ms: round(ms),
    exitCode: r.status,
    outputBytes: r.stdout?.length ?? 0,
    findings,
    stderr: (r.stderr ?? '').split('\n').slice(-3).join('\n').slice(0, 500),
  };
};

const quantiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? (s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] as number) : null);
  return { n: s.length, p50: round(q(0.5), 1), p95: round(q(0.95), 1), max: round(s[s.length - 1], 1) };
};

/**
 * The same analysis and what-if moves in Node, on the same workspace: what the engine costs
 * without a browser, a worker or a busy main thread (so the browser figures can be attributed).
 */
const nodeEngine = async (ws: Workspace, moves: Move[]): Promise<Json> => {
  try {
    const { analyze } = await import('../src/analysis/analyze');
    const delta = (await import('../src/analysis/delta')) as {
      previewMove?: (w: Workspace, a: unknown, m: Move) => unknown;
    };
    let t = performance.now();
    const analysis = analyze(ws);
    const analyzeMs = performance.now() - t;
    if (!delta.previewMove) return { analyzeMs: round(analyzeMs) };
    const times: number[] = [];
    for (const m of moves) {
      t = performance.now();
      delta.previewMove(ws, analysis, m);
      times.push(performance.now() - t);
    }
    return { analyzeMs: round(analyzeMs), previewFirstMs: round(times[0], 1), preview: quantiles(times.slice(1)) };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

/**
 * The worker's analysis against the same analysis in Node, in this run: as the app waits for it
 * (request → answer handled on the page) and the computation alone (the worker's own clock).
 */
const ratiosOf = (load: Json, engine: Json): Json => {
  const node = engine.analyzeMs as number | null | undefined;
  const per = (x: unknown) =>
    typeof x === 'number' && typeof node === 'number' && node > 0 ? round(x / node, 2) : null;
  return { workerNode: per(load.analysisWorkerMs), workerNodeCompute: per(load.analysisComputeMs) };
};

/** Run a bench script of another part of the project (when it exists) and keep the JSON it prints. */
const runScript = (script: string, env: Record<string, string>): Json | null => {
  const path = join(ROOT, 'bench', script);
  if (!existsSync(path)) return null;
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 28,
    timeout: 15 * 60_000,
  });
  const wallMs = round(performance.now() - t);
  const start = r.stdout?.indexOf('{') ?? -1;
  try {
    return { wallMs, exitCode: r.status, ...(JSON.parse(r.stdout.slice(start)) as Json) };
  } catch {
    return { wallMs, exitCode: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.slice(-600) };
  }
};

const chromiumVersion = (path: string | undefined): string | null => {
  if (!path) return null;
  const r = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};

const gitCommit = (): string | null => {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};

const main = async () => {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const executablePath = findChromium() as string | undefined;
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    commit: gitCommit(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      memoryGB: round(totalmem() / 2 ** 30, 1),
      freeMemoryGB: round(freemem() / 2 ** 30, 1),
      loadAverage: loadavg().map((x) => round(x, 2) as number),
      node: process.version,
      chromium: chromiumVersion(executablePath),
      cytoscape: (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'cytoscape', 'package.json'), 'utf8')) as Json)
        .version as string,
    },
    buildMs: null,
    sizes: [],
    totalMs: 0,
  };
  const outDir = join(ROOT, 'bench-results', args.profile ? 'dist-profile' : 'dist');
  mkdirSync(dirname(args.out), { recursive: true });
  if (!args.skipBuild || !existsSync(join(outDir, 'index.html'))) {
    log(`building the app (vite build → ${outDir})…`);
    results.buildMs = round(build(outDir, !args.profile));
  }
  const preview = await startPreview(outDir);
  const bare = await startStaticServer(ROOT, outDir);
  const browser = await chromium.launch({
    executablePath,
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
    headless: true,
  });
  try {
    for (const services of args.sizes) {
      const sizeStart = performance.now();
      const segments = Math.max(250, Math.round(services / 4));
      const calls = services * 3;
      log(`${services} services: generating…`);
      const genStart = performance.now();
      const topology = generateTopology({ services, segments, calls, seed: 42 });
      const generateMs = performance.now() - genStart;
      const text = toNative(topology.workspace);
      const file = join(ROOT, 'bench-results', `generated-${services}.segscope.json`);
      writeFileSync(file, text);
      const moves = randomMoves(topology.workspace, args.moves + 1, 7);
      log(`${services} services: the app (load, render, pan/zoom, preview, drag)…`);
      const app = await measureApp(
        browser,
        preview.url,
        `generated-${services}.segscope.json`,
        text,
        moves,
        args.profile,
      );
      const bareRuns: Json[] = [];
      for (const v of args.variants ? VARIANTS : VARIANTS.filter((x) => DEFAULT_VARIANTS.includes(x.name))) {
        log(`${services} services: ${v.name}…`);
        try {
          bareRuns.push(await measureBare(browser, bare.url, app.drawn, app.canvas, v));
        } catch (e) {
          bareRuns.push({ variant: v.name, error: (e as Error).message });
        }
      }
      log(`${services} services: the engine in Node (analysis, what-if moves)…`);
      const engine = await nodeEngine(topology.workspace, moves);
      log(`${services} services: segscope check…`);
      const cli = timeCli(file);
      if (args.nodeBenches) log(`${services} services: bench/analysis.ts, bench/connlist.ts…`);
      const script = (name: string, env: Record<string, string>) => (args.nodeBenches ? runScript(name, env) : null);
      const analysisBench = script('analysis.ts', { SERVICES: String(services), CALLS: String(calls) });
      const connlistBench = script('connlist.ts', {
        WORKLOADS: String(services),
        POLICIES: String(Math.round(services / 2)),
        NAMESPACES: String(Math.max(20, Math.round(services / 50))),
      });
      const synthesizeBench = script('synthesize.ts', { SERVICES: String(services) });
      const { drawn: _drawn, ...appFigures } = app;
      const size: SizeResult = {
        services,
        loadAverage: loadavg().map((x) => round(x, 2) as number),
        segments: topology.workspace.segments.length,
        calls: topology.workspace.calls.length,
        rules: topology.workspace.rules.length,
        fileMB: round(text.length / 1048576, 1) as number,
        generateMs: round(generateMs) as number,
        facts: {
          brokenCalls: topology.facts.brokenCalls.length,
          hubs: topology.facts.hubs.length,
          groupsNearQuota: topology.facts.groupsNearQuota.length,
          groupsOverQuota: topology.facts.groupsOverQuota.length,
        },
        targets: targetsFor(services),
        app: appFigures as unknown as Json,
        bare: bareRuns,
        cli,
        engine,
        ratios: ratiosOf(app.load as Json, engine),
        analysisBench,
        connlistBench,
        synthesizeBench,
        wallMs: round(performance.now() - sizeStart) as number,
      };
      results.sizes.push(size);
      results.totalMs = round(performance.now() - started) as number;
      writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
      log(`${services} services: done in ${Math.round(size.wallMs / 1000)} s`);
    }
  } finally {
    await browser.close();
    await bare.close();
    preview.proc.kill();
  }
  Object.assign(results, { inputs: runScript('inputs.ts', {}) }); // hostile and huge inputs: time, peak memory
  results.totalMs = round(performance.now() - started) as number;
  writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
  const md = toMarkdown(results);
  if (args.markdown) writeFileSync(args.markdown, md);
  process.stdout.write(`${md}\nFigures: ${args.out} (${Math.round(results.totalMs / 1000)} s in all)\n`);
};

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
