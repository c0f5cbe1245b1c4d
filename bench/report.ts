// The bench's figures: their JSON shape, DESIGN.md's targets per size, and the Markdown tables printed at the end.

type Json = Record<string, unknown>;

export interface Targets {
  /** The DESIGN.md row these targets come from. */
  row: string;
  importAnalysisMs: number;
  /** The first readable view (DESIGN.md), held against `load.readableMs` (and `firstRenderMs`). */
  firstRenderMs: number;
  hoverP95Ms: number;
  /** null: no drag figure in DESIGN.md at this size (pan/zoom ≥ 30 fps instead). */
  dragFrameP95Ms: number | null;
  /** Pan/zoom frame p95 for ≥ 30 fps (10,000 services). */
  panZoomFrameP95Ms: number | null;
  /** The longest main-thread task allowed outside drawing. */
  longTaskMs: number;
}

export interface SizeResult {
  services: number;
  /** Load average when this size started (other work on the machine inflates browser figures). */
  loadAverage: number[];
  segments: number;
  calls: number;
  rules: number;
  fileMB: number;
  generateMs: number;
  facts: Json;
  targets: Targets;
  app: Json;
  bare: Json[];
  cli: Json;
  /** The same analysis and what-if moves in Node (no browser). */
  engine: Json;
  /** The worker's analysis / the same in Node, in this run. */
  ratios: Json;
  analysisBench: Json | null;
  connlistBench: Json | null;
  synthesizeBench: Json | null;
  wallMs: number;
}

export interface BenchResults {
  startedAt: string;
  commit: string | null;
  machine: Json;
  buildMs: number | null;
  sizes: SizeResult[];
  totalMs: number;
}

/** DESIGN.md's performance table; a size between rows gets the next row up. */
export const targetsFor = (services: number): Targets => {
  if (services <= 1000) {
    return {
      row: '1,000 services',
      importAnalysisMs: 1000,
      firstRenderMs: 2000,
      hoverP95Ms: 50,
      dragFrameP95Ms: 33,
      panZoomFrameP95Ms: null,
      longTaskMs: 50,
    };
  }
  if (services <= 5000) {
    return {
      row: '5,000 services',
      importAnalysisMs: 3000,
      firstRenderMs: 3000,
      hoverP95Ms: 100,
      dragFrameP95Ms: 50,
      panZoomFrameP95Ms: null,
      longTaskMs: 100,
    };
  }
  return {
    row: '10,000 services',
    importAnalysisMs: 6000,
    firstRenderMs: 5000,
    hoverP95Ms: 150,
    dragFrameP95Ms: null,
    panZoomFrameP95Ms: 1000 / 30,
    longTaskMs: 100,
  };
};

/** A figure deep in the JSON, or undefined. */
export const at = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Json)[k] : undefined), o);

const num = (o: unknown, path: string): number | null => {
  const v = at(o, path);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

const ms = (v: number | null): string => {
  if (v === null) return 'n/a';
  return v >= 10000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
};

/** A figure with its target: "812 ms ✓ (< 1 s)". */
const vs = (v: number | null, target: number | null): string => {
  if (v === null) return 'n/a';
  if (target === null) return `${ms(v)}${v > 100 ? ' ✗ (usable?)' : ''}`;
  return `${ms(v)} ${v < target ? '✓' : '✗'} (< ${ms(target)})`;
};

const ratio = (a: number | null, b: number | null): string =>
  a === null || b === null || b <= 0 ? 'n/a' : `${(a / b).toFixed(2)}×`;

const bareRun = (s: SizeResult, name: string): Json | undefined =>
  s.bare.find((b) => b.variant === name && !b.error) as Json | undefined;

export const toMarkdown = (r: BenchResults): string => {
  const m = r.machine;
  const lines: string[] = [];
  lines.push(
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGB} GB memory, load average ${(m.loadAverage as number[]).join(' / ')} at start; ${m.chromium}; Node ${m.node}; cytoscape ${m.cytoscape}; commit ${r.commit}.`,
    '',
    '| services · segments · calls (load avg) | import + analysis | first render | first readable view | render with verdicts | hover delta p50 / p95 | drag frame p95 | pan / zoom frame p95 | long tasks during load (count, max) | heap (main thread) | `segscope check` |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const s of r.sizes) {
    const a = s.app;
    const t = s.targets;
    const hover =
      a.preview === null
        ? 'n/a (no preview in the hook)'
        : `${ms(num(a, 'preview.p50'))} / ${vs(num(a, 'preview.p95'), t.hoverP95Ms)}`;
    const drag = at(a, 'drag.error')
      ? `n/a (${String(at(a, 'drag.error'))})`
      : `${vs(num(a, 'drag.frames.p95'), t.dragFrameP95Ms)}${at(a, 'drag.dragStarted') === false ? ' (drag did not start)' : ''}`;
    const cli = at(s.cli, 'available') === false ? 'n/a (no check command)' : ms(num(s.cli, 'ms'));
    const panZoom = `${ms(num(a, 'panZoom.pan.p95'))} / ${ms(num(a, 'panZoom.zoom.p95'))}${t.panZoomFrameP95Ms ? ` (≤ ${Math.round(t.panZoomFrameP95Ms)} ms for 30 fps)` : ''}`;
    lines.push(
      `| ${s.services.toLocaleString('en')} · ${s.segments.toLocaleString('en')} · ${s.calls.toLocaleString('en')} (${s.loadAverage?.[0] ?? '?'}) | ${vs(num(a, 'load.importAnalysisMs'), t.importAnalysisMs)} | ${ms(num(a, 'load.firstRenderMs'))} | ${vs(num(a, 'load.readableMs'), t.firstRenderMs)} | ${ms(num(a, 'load.verdictRenderMs'))} | ${hover} | ${drag} | ${panZoom} | ${num(a, 'load.longTasks.count') ?? 'n/a'}, ${vs(num(a, 'load.longTasks.maxMs'), t.longTaskMs)} | ${num(a, 'heapMB') ?? 'n/a'} MB | ${cli} |`,
    );
  }
  lines.push(
    '',
    'Where the time of a load goes (engine worker vs main thread):',
    '',
    '| services | import in worker | import answer decode (longest part) | store + draw (main) | analysis: request → answer on the page | of which computing in the worker | waiting for the page after done | analysis answer decode (longest part) | analysis in Node | worker / Node (compute / Node) | drawn nodes / edges | longest task once the verdicts landed |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const s of r.sizes) {
    const a = s.app;
    lines.push(
      `| ${s.services.toLocaleString('en')} | ${ms(num(a, 'load.importWorkerMs'))} | ${ms(num(a, 'load.importDecodeMs'))} (${ms(num(a, 'load.importDecodeMaxMs'))}) | ${ms(num(a, 'load.drawMs'))} | ${ms(num(a, 'load.analysisWorkerMs'))} | ${ms(num(a, 'load.analysisComputeMs'))} | ${ms(num(a, 'load.analysisDeliveryMs'))} | ${ms(num(a, 'load.analysisDecodeMs'))} (${ms(num(a, 'load.analysisDecodeMaxMs'))}) | ${ms(num(s.engine, 'analyzeMs'))} | ${num(s.ratios, 'workerNode') ?? 'n/a'}× (${num(s.ratios, 'workerNodeCompute') ?? 'n/a'}×) | ${num(a, 'load.nodes') ?? 'n/a'} / ${num(a, 'load.edges') ?? 'n/a'} | ${vs(num(a, 'load.verdictLongTasks.maxMs'), s.targets.longTaskMs)} |`,
    );
  }
  lines.push(
    '',
    'After the load, as a person goes on (each until the analysis it asks for landed and two frames were drawn):',
    '',
    '| services | overview at fit: units, smallest label drawn | expand / collapse a summary | reveal a service | Move dialog open (keys typed at once kept) | drop: in History / total | undo: in History / total | longest task: expand, drop, undo |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const s of r.sizes) {
    const a = s.app;
    const t = s.targets;
    const overview = `${num(a, 'load.overviewUnits') ?? 'n/a'} units, ${num(a, 'load.overviewMinLabelPx')?.toFixed(1) ?? 'n/a'} px`;
    const dialog = at(a, 'moveDialog.error')
      ? 'failed'
      : `${ms(num(a, 'moveDialog.openMs'))} (${at(a, 'moveDialog.allKeys') === true ? 'all' : `got "${String(at(a, 'moveDialog.got') ?? '')}"`})`;
    const longest = ['expand.expand', 'drop', 'undo']
      .map((k) => vs(num(a, `${k}.longTasks.maxMs`), t.longTaskMs))
      .join(', ');
    lines.push(
      `| ${s.services.toLocaleString('en')} | ${overview} | ${ms(num(a, 'expand.expand.ms'))} / ${ms(num(a, 'expand.collapse.ms'))} | ${at(a, 'reveal') === null ? 'n/a (no hook)' : ms(num(a, 'reveal.ms'))} | ${dialog} | ${ms(num(a, 'drop.historyMs'))} / ${ms(num(a, 'drop.totalMs'))} | ${ms(num(a, 'undo.historyMs'))} / ${ms(num(a, 'undo.totalMs'))} | ${longest} |`,
    );
  }
  lines.push(
    '',
    'Where the hover delta goes (the same moves; the engine in the worker, and in Node without a browser):',
    '',
    '| services | preview in the page p50 / p95 | engine in worker p50 / p95 | answer decode p95 | previewMove in Node p50 / p95 | analysis in Node |',
    '|---|---|---|---|---|---|',
  );
  for (const s of r.sizes) {
    const a = s.app;
    lines.push(
      `| ${s.services.toLocaleString('en')} | ${ms(num(a, 'preview.p50'))} / ${ms(num(a, 'preview.p95'))} | ${ms(num(a, 'preview.worker.p50'))} / ${ms(num(a, 'preview.worker.p95'))} | ${ms(num(a, 'preview.decode.p95'))} | ${ms(num(s.engine, 'preview.p50'))} / ${ms(num(s.engine, 'preview.p95'))} | ${ms(num(s.engine, 'analyzeMs'))} |`,
    );
  }
  lines.push(
    '',
    'Our overhead against bare cytoscape (the same elements, positions and viewport; first frame from data in hand):',
    '',
    '| services | ours: render | bare (default style) | bare + our stylesheet | ratio ours / bare | ratio ours / bare+style | pan p95 ours / bare+style | zoom p95 ours / bare+style |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const s of r.sizes) {
    const ours = num(s.app, 'load.renderOnlyMs');
    const plain = bareRun(s, 'bare');
    const styled = bareRun(s, 'bare+app style');
    const pr = num(plain, 'mount.renderMs');
    const sr = num(styled, 'mount.renderMs');
    lines.push(
      `| ${s.services.toLocaleString('en')} | ${ms(ours)} | ${ms(pr)} | ${ms(sr)} | ${ratio(ours, pr)} | ${ratio(ours, sr)} | ${ms(num(s.app, 'panZoom.pan.p95'))} / ${ms(num(styled, 'panZoom.pan.p95'))} | ${ms(num(s.app, 'panZoom.zoom.p95'))} / ${ms(num(styled, 'panZoom.zoom.p95'))} |`,
    );
  }
  lines.push(
    '',
    'Cytoscape options for large graphs, measured on the same elements with our stylesheet:',
    '',
    '| services | variant | first frame | pan p95 | zoom p95 | heap |',
    '|---|---|---|---|---|---|',
  );
  for (const s of r.sizes) {
    for (const b of s.bare) {
      if (b.error) {
        lines.push(
          `| ${s.services.toLocaleString('en')} | ${b.variant} | failed: ${String(b.error).slice(0, 80)} | | | |`,
        );
        continue;
      }
      const webgl = String(b.variant).includes('webgl') && at(b, 'webglAvailable') === false ? ' (no WebGL here)' : '';
      lines.push(
        `| ${s.services.toLocaleString('en')} | ${b.variant}${webgl} | ${ms(num(b, 'mount.renderMs'))} | ${ms(num(b, 'panZoom.pan.p95'))} | ${ms(num(b, 'panZoom.zoom.p95'))} | ${num(b, 'heapMB') ?? 'n/a'} MB |`,
      );
    }
  }
  const profiled = r.sizes.filter((s) => at(s.app, 'profiles'));
  for (const s of profiled) {
    const profiles = at(s.app, 'profiles') as Record<string, { fn: string; ms: number }[]>;
    for (const [phase, top] of Object.entries(profiles)) {
      lines.push('', `Main-thread profile, ${phase} (self time, top 8):`, '');
      for (const f of top.slice(0, 8)) lines.push(`- ${f.ms} ms ${f.fn}`);
    }
  }
  const scripts = r.sizes.filter((s) => s.analysisBench || s.connlistBench);
  if (scripts.length > 0) {
    lines.push(
      '',
      'Node-side benches (bench/analysis.ts: full analysis, best of 3; bench/connlist.ts):',
      '',
      '| services | analysis best | analysis runs | connlist |',
      '|---|---|---|---|',
    );
    for (const s of scripts) {
      const runs = at(s.analysisBench, 'analyzeMs');
      const connlist = num(s.connlistBench, 'connlistMs') ?? num(s.connlistBench, 'wallMs');
      lines.push(
        `| ${s.services.toLocaleString('en')} | ${ms(num(s.analysisBench, 'analyzeBestMs'))} | ${Array.isArray(runs) ? runs.join(', ') : 'n/a'} | ${ms(connlist)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
};
