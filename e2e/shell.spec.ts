// The shell around the canvas (DESIGN.md "Nothing covers the data"): one toolbar row at 1280 px with a
// tooltip on every control, folded legend and map, collapsible side panels, the what-if docked right.
import { expect, type Page, test } from '@playwright/test';
import { focusBand, openApp } from './helpers';

test.use({ viewport: { width: 1280, height: 720 } });

/** Page boxes of every visible control of the toolbar. */
const toolbarControls = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.toolbar button, .toolbar select, .toolbar input')]
      .filter((e) => e.offsetParent !== null)
      .map((e) => {
        const r = e.getBoundingClientRect();
        return {
          id: e.dataset.testid ?? e.textContent ?? e.tagName,
          top: r.top,
          bottom: r.bottom,
          left: r.left,
          right: r.right,
          title: e.getAttribute('title') ?? '',
          label: e.getAttribute('aria-label') ?? '',
        };
      }),
  );

test('the toolbar is one row at 1280×720 and every control says what it does', async ({ page }) => {
  await openApp(page);
  const controls = await toolbarControls(page);
  expect(controls.map((c) => c.id)).toEqual(
    expect.arrayContaining(['open', 'samples', 'focus-account', 'focus-overlay', 'search', 'undo', 'redo', 'export']),
  );
  expect(controls.length).toBeGreaterThanOrEqual(15);
  // One row: every control's vertical centre lies inside every other control's vertical extent.
  for (const a of controls)
    for (const b of controls) {
      const mid = (a.top + a.bottom) / 2;
      expect(mid, `${a.id} beside ${b.id}`).toBeGreaterThan(b.top);
      expect(mid, `${a.id} beside ${b.id}`).toBeLessThan(b.bottom);
    }
  for (const c of controls) {
    expect(c.right, `${c.id} inside the window`).toBeLessThanOrEqual(1280);
    expect(c.title.trim(), `${c.id} has a tooltip`).not.toBe('');
    expect(c.label.trim(), `${c.id} has an accessible name`).not.toBe('');
  }
  // The View menu holds the rest, each with its tooltip too.
  await page.getByTestId('view-menu').click();
  for (const id of ['scope', 'show-excess', 'theme', 'new']) {
    const el = page.getByTestId(id);
    await expect(el).toBeVisible();
    expect(await el.getAttribute('aria-label')).toBeTruthy();
  }
  expect(await page.getByTestId('scope').getAttribute('title')).toBeTruthy();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('view-menu-popover')).toBeHidden();
});

test('the workspace name is readable whole in the toolbar row at 1280×720, not only in its tooltip', async ({
  page,
}) => {
  await openApp(page);
  const name = page.getByTestId('workspace-name');
  await expect(name).toHaveText('Shop estate (sample)');
  const box = await name.evaluate((e) => {
    const r = e.getBoundingClientRect();
    const toolbar = (e.closest('.toolbar') as HTMLElement).getBoundingClientRect();
    return { scroll: e.scrollWidth, client: e.clientWidth, top: r.top, bottom: r.bottom, toolbar };
  });
  // Nothing of it is cut: its text is as wide as its box, inside the one-row toolbar.
  expect(box.scroll).toBeLessThanOrEqual(box.client);
  expect(box.client).toBeGreaterThan(100);
  expect(box.top).toBeGreaterThanOrEqual(box.toolbar.top);
  expect(box.bottom).toBeLessThanOrEqual(box.toolbar.bottom);
  // A name too long for the row is cut at its end, and the row still ends inside the window.
  await name.evaluate((e) => {
    e.textContent = 'Shop VPC from a collector bundle, second account (sample)';
  });
  const right = await page.getByTestId('toggle-right').evaluate((e) => e.getBoundingClientRect().right);
  expect(right).toBeLessThanOrEqual(1280);
});

test('legend and map are folded to corner buttons by default; the side panels fold away', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('legend')).toHaveCount(0);
  await expect(page.getByTestId('minimap')).toHaveCount(0);
  await page.getByTestId('legend-toggle').click();
  await expect(page.getByTestId('legend')).toContainText('★ hub');
  await page.getByTestId('legend-toggle').click();
  await expect(page.getByTestId('legend')).toHaveCount(0);
  await page.getByTestId('minimap-toggle').click();
  await expect(page.getByTestId('minimap')).toBeVisible();

  const width = async () => (await page.getByTestId('graph-canvas').boundingBox())?.width ?? 0;
  const full = await width();
  await page.getByTestId('toggle-left').click();
  await expect(page.getByTestId('left-panel')).toHaveCount(0);
  await expect.poll(width).toBeGreaterThan(full + 200);
  await page.getByTestId('toggle-right').click();
  await expect(page.getByTestId('right-panel')).toHaveCount(0);
  await expect.poll(width).toBe(1280);
  // The cytoscape canvas follows its container.
  await expect.poll(() => page.evaluate(() => window.segscope.cy?.width())).toBe(1280);
  await page.getByTestId('toggle-left').click();
  await expect(page.getByTestId('findings')).toBeVisible();
});

const boxOf = async (page: Page, testid: string) => {
  const b = await page.getByTestId(testid).boundingBox();
  if (!b) throw new Error(`${testid} not drawn`);
  return b;
};

test('during a real mouse drag at 1280×720 the what-if sits in the right panel, clear of the canvas', async ({
  page,
}) => {
  await openApp(page);
  await page.waitForFunction(() => (window.segscope.cy?.edges('.allowed').length ?? 0) > 0);
  const canvas = await boxOf(page, 'graph-canvas');
  const p = await page.evaluate(() => {
    const cy = window.segscope.cy;
    const n = cy?.nodes('[kind = "service"][serviceId = "catalog"][level = "group"]').first();
    const bb = cy?.getElementById('seg:group:sg-batch').renderedBoundingBox();
    return { from: n?.renderedPosition(), to: bb ? { x: bb.x1 + 8, y: bb.y2 - 5 } : undefined };
  });
  if (!p.from || !p.to) throw new Error('catalog or sg-batch not drawn');
  const from = { x: canvas.x + p.from.x, y: canvas.y + p.from.y };
  const to = { x: canvas.x + p.to.x, y: canvas.y + p.to.y };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++)
    await page.mouse.move(from.x + ((to.x - from.x) * i) / 10, from.y + ((to.y - from.y) * i) / 10);
  await expect(page.getByTestId('delta-broken')).toContainText('web → catalog:8080');
  const panel = await boxOf(page, 'drag-panel');
  const right = await boxOf(page, 'right-panel');
  const now = await boxOf(page, 'graph-canvas');
  expect(panel.x).toBeGreaterThanOrEqual(right.x);
  expect(panel.x + panel.width).toBeLessThanOrEqual(right.x + right.width + 0.5);
  expect(panel.x).toBeGreaterThanOrEqual(now.x + now.width);
  // The drag panel is the element actually on top at its centre (nothing else covers it).
  const top = await page.evaluate(
    ({ x, y }) => document.elementFromPoint(x, y)?.closest('[data-testid="drag-panel"]') !== null,
    { x: panel.x + panel.width / 2, y: panel.y + Math.min(20, panel.height / 2) },
  );
  expect(top).toBe(true);
  await page.keyboard.press('Escape');
  await page.mouse.up();
  await expect(page.getByTestId('drag-panel')).toHaveCount(0);
});

test('a drag shows the right panel even when it was folded away', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('toggle-right').click();
  await expect(page.getByTestId('right-panel')).toHaveCount(0);
  const canvas = await boxOf(page, 'graph-canvas');
  const from = await page.evaluate(() =>
    window.segscope.cy?.nodes('[kind = "service"][serviceId = "catalog"][level = "group"]').first().renderedPosition(),
  );
  if (!from) throw new Error('catalog not drawn');
  await page.mouse.move(canvas.x + from.x, canvas.y + from.y);
  await page.mouse.down();
  await page.mouse.move(canvas.x + from.x + 20, canvas.y + from.y + 10, { steps: 4 });
  await expect(page.getByTestId('right-panel').getByTestId('drag-panel')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.mouse.up();
  await expect(page.getByTestId('right-panel')).toHaveCount(0);
});

test('legend and map open side by side above the zoom row: no control covers another, all on the canvas', async ({
  page,
}) => {
  // 1280×720 (a projector), 1600×1000, and a canvas shorter than the legend (the legend scrolls inside it).
  for (const [width, height] of [
    [1280, 720],
    [1600, 1000],
    [1280, 440],
  ] as const) {
    await page.setViewportSize({ width, height });
    await openApp(page);
    await page.getByTestId('legend-toggle').click();
    await page.getByTestId('minimap-toggle').click();
    await expect(page.getByTestId('minimap')).toBeVisible();
    const ids = ['legend', 'minimap', 'zoom-in', 'zoom-out', 'fit', 'legend-toggle', 'minimap-toggle'];
    const boxes = await Promise.all(ids.map((id) => boxOf(page, id)));
    const canvas = await boxOf(page, 'graph-canvas');
    const overlaps: string[] = [];
    boxes.forEach((a, i) => {
      expect(a.x, `${ids[i]} at ${width}×${height}`).toBeGreaterThanOrEqual(canvas.x);
      expect(a.y, `${ids[i]} at ${width}×${height}`).toBeGreaterThanOrEqual(canvas.y);
      expect(a.x + a.width).toBeLessThanOrEqual(canvas.x + canvas.width + 0.5);
      expect(a.y + a.height).toBeLessThanOrEqual(canvas.y + canvas.height + 0.5);
      boxes.forEach((b, j) => {
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        if (j > i && !apart) overlaps.push(`${ids[i]} × ${ids[j]}`);
      });
    });
    expect(overlaps, `at ${width}×${height}`).toEqual([]);
    // Each zoom button is what a click at its centre reaches.
    for (const id of ['zoom-in', 'zoom-out', 'fit']) {
      const b = await boxOf(page, id);
      const hit = await page.evaluate(
        ({ x, y }) => (document.elementFromPoint(x, y) as HTMLElement | null)?.dataset.testid,
        { x: b.x + b.width / 2, y: b.y + b.height / 2 },
      );
      expect(hit).toBe(id);
    }
    const legend = await page
      .getByTestId('legend')
      .evaluate((e) => ({ scroll: e.scrollHeight, client: e.clientHeight }));
    // Whole at the two screen sizes; on the short canvas it scrolls rather than leave it.
    if (height >= 720) expect(legend.scroll).toBeLessThanOrEqual(legend.client + 1);
    else expect(legend.scroll).toBeGreaterThan(legend.client);
  }
});

/** Pixels of the overview map drawn in its band colour and in its viewport colour (light theme, app.css). */
const mapInk = (page: Page) =>
  page.getByTestId('minimap').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    const near = (i: number, rgb: [number, number, number]) =>
      (d[i + 3] ?? 0) > 0 && rgb.reduce((sum, v, k) => sum + Math.abs((d[i + k] ?? 0) - v), 0) < 60;
    let band = 0;
    let view = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (near(i, [0x09, 0x69, 0xda])) view++;
      else if (near(i, [0xaf, 0xb8, 0xc1])) band++;
    }
    return { band, view };
  });

test('the overview map draws every band of the sample with the viewport; a band with no data is not left showing another', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('minimap-toggle').click();
  for (const level of ['account', 'role', 'network', 'group', 'policy', 'overlay'] as const) {
    await focusBand(page, level);
    // The band's boxes and outline, and the viewport's rectangle (at fit: round the whole band).
    await expect.poll(async () => (await mapInk(page)).band, level).toBeGreaterThan(2000);
    expect((await mapInk(page)).view, level).toBeGreaterThan(300);
  }
  // Zoomed in, the viewport is a smaller rectangle inside the band's picture.
  const fit = (await mapInk(page)).view;
  await page.getByTestId('zoom-in').click();
  await page.getByTestId('zoom-in').click();
  await expect.poll(async () => (await mapInk(page)).view).toBeLessThan(fit * 0.8);
  // A Compose file has no account data: that band draws nothing, not the overlay band seen before.
  await page.getByTestId('samples').selectOption({ label: 'Compose v2: front/back network split' });
  await expect(page.getByTestId('workspace-name')).toContainText('front');
  await focusBand(page, 'overlay');
  await expect.poll(async () => (await mapInk(page)).band).toBeGreaterThan(2000);
  await focusBand(page, 'account');
  await expect.poll(() => mapInk(page)).toEqual({ band: 0, view: 0 });
});
