// In-page probes for `npm run bench`, injected before the page's own scripts: worker message times, long tasks, frames.
//
// Plain browser JavaScript on purpose: functions handed to page.evaluate from TypeScript run through
// esbuild, which may add helpers the page does not have. The bench calls these by name instead.
(() => {
  const B = {
    posts: [],
    /** Answers of the engine worker: when each was handled, what copying it in cost, the worker's own times. */
    messages: [],
    /** Slices of large answers (src/worker/parts.ts), each handled as a task of its own. */
    parts: [],
    /** Progress the worker reported (src/worker/core.ts). */
    progress: [],
    longTasks: [],
    renders: [],
    text: null,
  };
  window.__bench = B;

  // The engine worker: when each request left and each answer arrived, what copying it in cost (the
  // page reads event.data lazily: the first read deserializes), and the worker's own start and end
  // (epoch times, turned into this page's clock).
  const NativeWorker = window.Worker;
  const pageTime = (epoch) => (typeof epoch === 'number' ? epoch - performance.timeOrigin : null);
  if (NativeWorker) {
    window.Worker = class BenchWorker extends NativeWorker {
      constructor(url, options) {
        super(url, options);
        this.addEventListener('message', (e) => {
          const at = performance.now();
          const d = e.data;
          const decodeMs = performance.now() - at;
          if (!d || typeof d !== 'object') return;
          if ('part' in d) B.parts.push({ id: d.id, at, decodeMs });
          else if ('progress' in d) B.progress.push({ at, fraction: d.progress.fraction });
          else if ('ok' in d)
            B.messages.push({
              id: d.id,
              at,
              decodeMs,
              started: pageTime(d.timing?.started),
              done: pageTime(d.timing?.done),
            });
        });
      }
      postMessage(msg, transfer) {
        if (msg && typeof msg === 'object') B.posts.push({ id: msg.id, method: msg.method, at: performance.now() });
        return transfer === undefined ? super.postMessage(msg) : super.postMessage(msg, transfer);
      }
    };
  }

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    B.longTasksUnsupported = true;
  }

  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  B.frame = frame;

  /** Long tasks that started in [from, to). */
  B.tasks = (from, to) => {
    const xs = B.longTasks.filter((t) => t.start >= from && t.start < to);
    return {
      count: xs.length,
      maxMs: xs.reduce((m, t) => Math.max(m, t.duration), 0),
      totalMs: xs.reduce((s, t) => s + t.duration, 0),
    };
  };

  B.heap = () =>
    performance.memory
      ? { usedMB: performance.memory.usedJSHeapSize / 1048576, totalMB: performance.memory.totalJSHeapSize / 1048576 }
      : null;

  const watchRenders = (cy) => {
    if (B.watched === cy) return;
    B.watched = cy;
    cy.on('render', () => B.renders.push(performance.now()));
  };
  const firstAfter = (list, t) => list.find((x) => x >= t);

  /** Load B.text through the test hook and time each phase; returns plain figures. */
  B.load = async (name) => {
    const hook = window.segscope;
    watchRenders(hook.cy);
    const text = B.text;
    B.text = null;
    const posts0 = B.posts.length;
    // Every frame painted during the load: when the first readable view was on screen, and how long the page froze.
    const frames = [];
    let loading = true;
    const loop = (now) => {
      frames.push(now);
      if (loading) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    const t0 = performance.now();
    const report = await hook.load([{ name, text }]);
    const t1 = performance.now();
    const cy = hook.cy;
    watchRenders(cy);
    const nodesAtLoad = cy.nodes().length;
    const edgesAtLoad = cy.edges().length;
    const analysis = await hook.analysis();
    const t2 = performance.now();
    // Two frames so the render after the verdicts landed has happened and been painted.
    await frame();
    await frame();
    await sleep(50);
    await frame();
    const t3 = performance.now();
    loading = false;
    const posts = B.posts.slice(posts0);
    const reply = (method) => {
      const p = posts.find((x) => x.method === method);
      const m = p ? B.messages.find((x) => x.id === p.id && x.at >= p.at) : undefined;
      if (!p || !m) return null;
      const parts = B.parts.filter((x) => x.id === p.id && x.at >= p.at);
      const decodes = [m.decodeMs, ...parts.map((x) => x.decodeMs)];
      return {
        sent: p.at,
        arrived: m.at,
        /** Copying the answer in, all parts together, and the longest single part (one task). */
        decodeMs: decodes.reduce((a, b) => a + b, 0),
        decodeMaxMs: Math.max(...decodes),
        parts: parts.length,
        /** In the worker: waiting behind earlier requests, computing, and from done to handled here. */
        queueMs: m.started === null ? null : m.started - p.at,
        computeMs: m.started === null ? null : m.done - m.started,
        deliveryMs: m.done === null ? null : m.at - m.done,
      };
    };
    const imp = reply('importFiles');
    const ana = reply('analyze');
    // The band is fed to cytoscape over frames (src/graph/feeder.ts) and load() resolves once all of
    // it is in: the first render after the import answer is the first frame of the new band.
    const firstRender = firstAfter(B.renders, imp ? imp.arrived + imp.decodeMs : t1);
    const verdictRender = ana ? firstAfter(B.renders, ana.arrived + ana.decodeMs) : undefined;
    const diag = [...(report.diagnostics || []), ...(report.files || []).flatMap((f) => f.diagnostics || [])];
    return {
      failed: !!report.failed,
      errors: diag.filter((d) => d.severity === 'error').length,
      t: { t0, t1, t2, t3 },
      importWorkerMs: imp ? imp.arrived - imp.sent : null,
      importComputeMs: imp ? imp.computeMs : null,
      importDecodeMs: imp ? imp.decodeMs : null,
      importDecodeMaxMs: imp ? imp.decodeMaxMs : null,
      /** From the import answer (decoded) to load() resolving: the store update and the synchronous draw. */
      drawMs: imp ? t1 - (imp.arrived + imp.decodeMs) : null,
      loadMs: t1 - t0,
      /** Request sent → answer handled on this page: what the app waits for. */
      analysisWorkerMs: ana ? ana.arrived - ana.sent : null,
      /** Of which: waiting behind the import, computing in the worker, and from done to handled here. */
      analysisQueueMs: ana ? ana.queueMs : null,
      analysisComputeMs: ana ? ana.computeMs : null,
      analysisDeliveryMs: ana ? ana.deliveryMs : null,
      analysisDecodeMs: ana ? ana.decodeMs : null,
      analysisDecodeMaxMs: ana ? ana.decodeMaxMs : null,
      analysisParts: ana ? ana.parts : null,
      /** Progress reports the worker sent during this load, and when the first one came. */
      progressEvents: B.progress.filter((x) => x.at >= t0 && x.at <= t2).length,
      firstProgressMs: (() => {
        const first = B.progress.find((x) => x.at >= t0);
        return first && first.at <= t2 ? first.at - t0 : null;
      })(),
      importAnalysisMs: t2 - t0,
      firstRenderMs: firstRender !== undefined ? firstRender - t0 : null,
      /** The first frame painted after the first render: the overview a person can read. */
      readableMs: (() => {
        const f = firstRender === undefined ? undefined : frames.find((x) => x >= firstRender);
        return f === undefined ? null : f - t0;
      })(),
      /** The longest gap between two painted frames during the load: how long the page stood still. */
      frameGapMaxMs: frames.reduce((m, x, i) => (i === 0 ? 0 : Math.max(m, x - frames[i - 1])), 0),
      verdictRenderMs: verdictRender !== undefined ? verdictRender - t0 : null,
      /** Our render alone: from the decoded import answer to the first frame cytoscape drew. */
      renderOnlyMs: imp && firstRender !== undefined ? firstRender - (imp.arrived + imp.decodeMs) : null,
      longTasks: B.tasks(t0, t3),
      /** Long tasks from the analysis answer on: the verdicts landing (store, panels, the redraw). */
      verdictLongTasks: ana ? B.tasks(ana.arrived - 2, t3) : null,
      nodesAtLoad,
      edgesAtLoad,
      ...overviewFigures(cy),
      nodes: cy.nodes().length,
      edges: cy.edges().length,
      serviceNodes: cy.nodes('[kind = "service"]').length,
      findings: analysis.findings.length,
      brokenCalls: analysis.calls.filter((c) => c.class === 'broken').length,
    };
  };

  /**
   * What the overview at fit shows (issue 14): how many summary units (folded cells) are drawn, and
   * the smallest label cytoscape draws, on screen (never under 11 px), with how many are hidden.
   */
  const overviewFigures = (cy) => {
    const r = cy.renderer();
    const zoom = cy.zoom();
    const labelled = cy.elements().filter((e) => !!e.data('label'));
    const drawn = labelled.filter((e) => r.eleTextBiggerThanMin(e));
    const px = drawn.map((e) => e.pstyle('font-size').pfValue * zoom);
    return {
      overviewUnits: cy.nodes('.summary, .folded').length,
      overviewLabelsDrawn: drawn.length,
      overviewLabelsHidden: labelled.length - drawn.length,
      overviewMinLabelPx: px.length ? Math.min(...px) : null,
    };
  };

  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p) => (s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] : null);
    return { n: s.length, p50: q(0.5), p95: q(0.95), max: s.length ? s[s.length - 1] : null };
  };
  B.stats = stats;

  /**
   * Pan for half the frames, then zoom in and out around the centre; frame intervals of each. Each
   * half stops early after budgetMs / 2, so a graph that draws a frame in seconds cannot stall the bench.
   */
  B.panZoom = async (frames, cyOverride, budgetMs = 12000) => {
    const cy = cyOverride || window.segscope.cy;
    const zoom0 = cy.zoom();
    const pan0 = { ...cy.pan() };
    const centre = { x: cy.width() / 2, y: cy.height() / 2 };
    const phase = async (n, step) => {
      const gaps = [];
      const begin = await frame();
      let last = begin;
      for (let i = 0; i < n && last - begin < budgetMs / 2; i++) {
        step(i);
        const now = await frame();
        gaps.push(now - last);
        last = now;
      }
      return gaps;
    };
    await frame();
    const start = performance.now();
    const pan = await phase(Math.ceil(frames / 2), (i) => cy.panBy({ x: i % 40 < 20 ? 7 : -7, y: i % 2 ? 4 : -4 }));
    const zoom = await phase(Math.floor(frames / 2), (i) =>
      cy.zoom({ level: cy.zoom() * (i % 30 < 15 ? 1.04 : 1 / 1.04), renderedPosition: centre }),
    );
    const end = performance.now();
    cy.viewport({ zoom: zoom0, pan: pan0 });
    await frame();
    return { pan: stats(pan), zoom: stats(zoom), all: stats([...pan, ...zoom]), longTasks: B.tasks(start, end) };
  };

  /** Time the what-if preview for each move, one after another (stopping after budgetMs). */
  B.preview = async (moves, budgetMs = 60000) => {
    const hook = window.segscope;
    if (typeof hook.preview !== 'function') return null;
    const times = [];
    const worker = [];
    const decode = [];
    let failures = 0;
    let firstError = null;
    const start = performance.now();
    for (const m of moves) {
      if (performance.now() - start > budgetMs) break;
      const posts0 = B.posts.length;
      const t = performance.now();
      try {
        await hook.preview(m);
      } catch (e) {
        failures++;
        firstError = firstError || String(e?.message ?? e);
      }
      times.push(performance.now() - t);
      // The engine's share: request sent → answer arrived, and decoding the answer.
      const post = B.posts.slice(posts0).find((p) => p.method === 'preview');
      const reply = post ? B.messages.find((x) => x.id === post.id && x.at >= post.at) : undefined;
      if (post && reply) {
        worker.push(reply.at - post.at);
        decode.push(reply.decodeMs);
      }
    }
    return {
      first: times[0] ?? null,
      ...stats(times.slice(1)),
      worker: stats(worker.slice(1)),
      decode: stats(decode.slice(1)),
      failures,
      firstError,
      longTasks: B.tasks(start, performance.now()),
    };
  };

  const countOf = (testId) => document.querySelectorAll(`[data-testid="${testId}"]`).length;

  /**
   * Time something the page does until the analysis it asks for has landed and two frames are drawn:
   * the long tasks on the way, and when the History panel showed the change (`historyTestId` count
   * grew; null when the panel is folded away).
   */
  const timedChange = async (run, historyTestId) => {
    const hook = window.segscope;
    const before = countOf(historyTestId);
    let historyAt = null;
    const seen = () => {
      if (historyAt === null && countOf(historyTestId) > before) historyAt = performance.now();
    };
    const observer = new MutationObserver(seen);
    observer.observe(document.body, { childList: true, subtree: true });
    const t0 = performance.now();
    const result = await run(hook);
    const t1 = performance.now();
    await hook.analysis();
    const t2 = performance.now();
    await frame();
    await frame();
    const t3 = performance.now();
    observer.disconnect();
    seen();
    return {
      result,
      /** The action itself returned (the store updated and whatever it draws synchronously). */
      actionMs: t1 - t0,
      /** Until the analysis of the new workspace was there. */
      analysisMs: t2 - t0,
      historyMs: historyAt === null ? null : historyAt - t0,
      totalMs: t3 - t0,
      longTasks: B.tasks(t0, t3),
    };
  };

  /** A drop, as the drag controller makes it: the move applied through the store (window.segscope.move). */
  B.drop = (move) => timedChange((hook) => hook.move(move), 'history-entry');

  /** Undo of the last edit. */
  B.undo = () => timedChange((hook) => hook.undo(), 'history-undone');

  /**
   * Expand a segment drawn as a summary, and collapse it again: with the app's own hook when it has
   * one (a promise resolved when drawn), else by tapping the summary as a click does. Long tasks of both.
   */
  B.expand = async () => {
    const hook = window.segscope;
    const cy = hook.cy;
    // The biggest unit drawn folded (a summary segment, or a VPC / account / bucket cell at scale).
    const summaries = cy.nodes('.summary, .folded').filter((n) => n.visible());
    if (summaries.length === 0) return { error: 'no unit drawn as a summary' };
    const target = summaries.max((n) => n.data('members') || 0).ele || summaries[0];
    const id = target.data('unit') ?? target.data('segmentId');
    const members = target.data('members') ?? null;
    const viaHook = typeof hook.expand === 'function' && typeof hook.collapse === 'function';
    const step = async (open) => {
      const t0 = performance.now();
      if (viaHook) await (open ? hook.expand(id) : hook.collapse(id));
      else cy.getElementById(target.id()).emit('tap');
      await frame();
      await frame();
      const t1 = performance.now();
      return { ms: t1 - t0, elements: cy.elements().length, longTasks: B.tasks(t0, t1) };
    };
    const expand = await step(true);
    // What opening it showed: units inside it (still folded) and services drawn.
    const shown = { units: cy.nodes('.summary, .folded').length, services: cy.nodes('[kind = "service"]').length };
    const collapse = await step(false);
    return {
      segment: id,
      unit: target.hasClass('summary') ? 'segment' : 'container',
      members,
      viaHook,
      expand,
      shown,
      collapse,
    };
  };

  /** Bring a service into view with the app's reveal hook, when it has one. */
  B.reveal = async (serviceId) => {
    const hook = window.segscope;
    if (typeof hook.reveal !== 'function') return null;
    const t0 = performance.now();
    await hook.reveal(serviceId);
    await frame();
    const t1 = performance.now();
    return { service: serviceId, ms: t1 - t0, longTasks: B.tasks(t0, t1) };
  };

  /** Mark when the Move dialog appears and when its filter got each character (for the keyboard probe). */
  B.watchMoveDialog = () => {
    const rec = { keyAt: null, openAt: null, values: [] };
    B.moveDialog = rec;
    window.addEventListener(
      'keydown',
      (e) => {
        if (e.key.toLowerCase() === 'm' && rec.keyAt === null) rec.keyAt = performance.now();
      },
      { capture: true },
    );
    const observer = new MutationObserver(() => {
      if (rec.openAt === null && document.querySelector('[data-testid="move-search"]')) rec.openAt = performance.now();
    });
    observer.observe(document.body, { childList: true, subtree: true });
    rec.stop = () => observer.disconnect();
  };

  /** Record frame timestamps until B.stopFrames(). */
  B.startFrames = () => {
    const rec = { stamps: [], running: true, start: performance.now() };
    B.recording = rec;
    const loop = (now) => {
      rec.stamps.push(now);
      if (rec.running) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  };
  B.stopFrames = () => {
    const rec = B.recording;
    if (!rec) return null;
    rec.running = false;
    const gaps = [];
    for (let i = 1; i < rec.stamps.length; i++) gaps.push(rec.stamps[i] - rec.stamps[i - 1]);
    return { ...stats(gaps), longTasks: B.tasks(rec.start, performance.now()) };
  };

  /** Page coordinates of a model position. */
  const toPage = (cy, rendered) => {
    const box = cy.container().getBoundingClientRect();
    return { x: box.left + rendered.x, y: box.top + rendered.y };
  };
  const onScreen = (cy, p) => p.x > 10 && p.y > 10 && p.x < cy.width() - 10 && p.y < cy.height() - 10;

  /** Until the drawn element count held for a few frames (a click's redraw is fed in frames), at most `ms`. */
  B.settled = async (ms = 20_000) => {
    const cy = window.segscope.cy;
    const t0 = performance.now();
    let last = -1;
    let same = 0;
    while (same < 4 && performance.now() - t0 < ms) {
      await frame();
      const n = cy.elements().length;
      same = n === last ? same + 1 : 0;
      last = n;
    }
    return { ms: performance.now() - t0, elements: last };
  };

  /**
   * Get a service node ready to drag: while the view shows no service, the unit to open is named
   * (a summary segment, preferably a security group, else the smallest folded VPC/account/bucket cell
   * holding services) and centred, for the bench to click it open as a person would; then the view
   * zooms onto a service. Returns where to press and segments to drag over.
   */
  B.dragSetup = () => {
    const cy = window.segscope.cy;
    const services = cy.nodes('[kind = "service"]').filter((n) => n.visible());
    if (services.length === 0) {
      const visible = (sel) => cy.nodes(sel).filter((n) => n.visible());
      const groups = visible('[kind = "segment"].summary').filter((n) => n.data('level') === 'group');
      const summaries = groups.length ? groups : visible('[kind = "segment"].summary');
      const cells = visible('.folded').filter((n) => (n.data('members') || 0) > 0);
      if (summaries.length === 0 && cells.length === 0)
        return { error: 'no service node, no summary and no folded unit to open' };
      // A summary opens onto its services; a cell may open onto further units, so the smallest is
      // the quickest way down to services (the bench opens at most a few in turn).
      const target = summaries.length
        ? summaries.max((n) => n.data('members') || n.degree()).ele
        : cells.min((n) => n.data('members') || 0).ele;
      cy.zoom(1);
      cy.center(target);
      return {
        expand: toPage(cy, target.renderedPosition()),
        unit: target.data('unit') ?? target.data('segmentId') ?? target.id(),
        kind: target.hasClass('summary') ? 'segment' : 'container',
      };
    }
    // A service whose band has other segments near it, so the drag passes over real targets.
    const byLevel = (level) => cy.nodes('[kind = "segment"]').filter((n) => n.data('level') === level && n.visible());
    let best = null;
    for (const n of services.toArray().slice(0, 400)) {
      const others = byLevel(n.data('level')).filter(
        (s) => s.data('segmentId') !== n.data('segmentId') && s.isChildless() === false,
      );
      if (others.length >= 2) {
        best = n;
        break;
      }
    }
    const node = best || services[0];
    for (const zoom of [1, 0.6, 0.35, 0.2]) {
      cy.zoom(zoom);
      cy.center(node);
      const targets = byLevel(node.data('level'))
        .filter((s) => s.data('segmentId') !== node.data('segmentId'))
        .filter((s) => !s.ancestors().some((a) => a.id() === node.id()))
        .map((s) => s.renderedPosition())
        .filter((p) => onScreen(cy, p))
        .slice(0, 3);
      if (targets.length >= 1 || zoom === 0.2) {
        return {
          service: node.data('serviceId'),
          level: node.data('level'),
          zoom,
          start: toPage(cy, node.renderedPosition()),
          targets: targets.map((p) => toPage(cy, p)),
        };
      }
    }
    return { error: 'unreachable' };
  };

  /** Collapse units the drag probe opened, innermost first, with the app's hook (cleanup, not measured). */
  B.closeUnits = async (ids) => {
    const hook = window.segscope;
    if (typeof hook.collapse !== 'function') return;
    for (const id of [...ids].reverse()) await hook.collapse(id);
    await B.settled();
  };

  B.ghostVisible = () => {
    const g = document.querySelector('[data-testid="drag-ghost"]');
    return !!g && !g.hidden;
  };

  B.canvasBox = () => {
    const cy = window.segscope.cy;
    const box = cy.container().getBoundingClientRect();
    return { width: box.width, height: box.height, zoom: cy.zoom(), pan: cy.pan() };
  };

  /** The drawn elements and stylesheet, for the bare-cytoscape comparison. */
  B.exportElements = () => {
    const cy = window.segscope.cy;
    const json = cy.json();
    // Compound sizes and depths, so the bench can redraw compounds as plain boxes of the same size.
    const boxes = {};
    cy.nodes(':parent').forEach((n) => {
      boxes[n.id()] = { w: n.width(), h: n.height(), depth: n.ancestors().length };
    });
    return JSON.stringify({ elements: json.elements, style: cy.style().json(), boxes });
  };
})();
