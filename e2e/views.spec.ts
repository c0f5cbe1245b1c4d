import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { generateWorkspace } from '../src/analysis/testing/generate';
import { openApp } from './helpers';

const sample = JSON.parse(readFileSync('public/samples/shop-estate.segscope.json', 'utf8'));

test('a group over its rule quota gets quota-error and a badge with the figures', async ({ page }) => {
  await openApp(page);
  const tight = { ...sample, name: 'Tight quota', quotas: { 'aws.inbound-rules-per-group': 3 } };
  await page.evaluate((t) => window.segscope.load([{ name: 'tight.json', text: t }]), JSON.stringify(tight));
  await page.waitForFunction(() => (window.segscope.cy?.nodes('.quota-error').length ?? 0) > 0);
  const state = await page.evaluate(() => ({
    errors: window.segscope.cy?.nodes('.quota-error').map((n) => n.data('segmentId')),
    label: window.segscope.cy?.getElementById('seg:group:sg-app').data('label'),
  }));
  expect(state.errors).toEqual(['group:sg-app']);
  expect(state.label).toBe('sg-app ▲ 4/3 rules');
  const analysis = await page.evaluate(() => window.segscope.analysis());
  const q = analysis.findings.find((f) => f.id === 'quota' && f.segments.includes('group:sg-app'));
  expect(q?.severity).toBe('error');
});

test('search highlights the matching service and brings it into view', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('search').fill('payments');
  await page.waitForFunction(() => (window.segscope.cy?.nodes('.match').length ?? 0) > 0);
  await page.waitForTimeout(400); // the fit animation
  const r = await page.evaluate(() => {
    const cy = window.segscope.cy;
    const m = cy?.nodes('.match');
    const services = [...new Set(m?.map((n) => n.data('serviceId') ?? n.data('segmentId')))];
    const p = m?.nodes('[kind = "service"]').first().renderedPosition();
    return { services, p, w: cy?.width(), h: cy?.height(), zoom: cy?.zoom() };
  });
  expect(r.services).toEqual(['payments', 'policy:k8s:ns:shop:app=payments']);
  expect(r.p?.x).toBeGreaterThan(0);
  expect(r.p?.x).toBeLessThan(r.w ?? 0);
  expect(r.p?.y).toBeGreaterThan(0);
  expect(r.p?.y).toBeLessThan(r.h ?? 0);
});

test('a large topology collapses bands to segment summaries that expand on click', async ({ page }) => {
  await openApp(page);
  const ws = generateWorkspace({ services: 2000, calls: 5000, seed: 7 });
  await page.evaluate((t) => window.segscope.load([{ name: 'big.json', text: t }]), JSON.stringify(ws));
  await page.waitForFunction(() => window.segscope.workspace()?.services.length === 2000);
  const count = () => page.evaluate(() => window.segscope.cy?.elements().length ?? 0);
  const collapsed = await page.evaluate(() =>
    window.segscope.cy?.nodes('[kind = "band"][?collapsed]').map((n) => n.data('level')),
  );
  expect(collapsed).toEqual(['account', 'role', 'network', 'group', 'policy', 'overlay']);
  const before = await count();
  expect(await page.evaluate(() => window.segscope.cy?.nodes('[kind = "service"]').length)).toBe(0);
  const seg = await page.evaluate(() => {
    const n = window.segscope.cy?.nodes('.summary[level = "group"]').first();
    n?.emit('tap');
    return { id: n?.data('segmentId'), members: n?.data('members') };
  });
  await expect.poll(count).toBeGreaterThan(before);
  const shown = await page.evaluate(
    (id) => window.segscope.cy?.nodes(`[kind = "service"][segmentId = "${id}"]`).length,
    seg.id,
  );
  expect(shown).toBe(seg.members);
  await page.evaluate((id) => {
    window.segscope.cy?.getElementById(`seg:${id}`).emit('tap');
  }, seg.id);
  await expect.poll(count).toBe(before);
});

test('the scope filter shows one account only', async ({ page }) => {
  await openApp(page);
  const all = await page.evaluate(() => window.segscope.cy?.nodes('[kind = "service"]').length ?? 0);
  await page.getByTestId('view-menu').click();
  await page.getByTestId('scope').selectOption({ label: 'account prod-data' });
  await expect
    .poll(() =>
      page.evaluate(() =>
        [...new Set(window.segscope.cy?.nodes('[kind = "service"]').map((n) => n.data('serviceId')))].sort(),
      ),
    )
    .toEqual(['cache', 'db-orders', 'db-users']);
  await page.getByTestId('scope').selectOption('');
  await expect.poll(() => page.evaluate(() => window.segscope.cy?.nodes('[kind = "service"]').length)).toBe(all);
});

test('dark theme, zoom controls and PNG/SVG export of the view', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('view-menu').click();
  await page.getByTestId('theme').click();
  await expect(page.locator('.app')).toHaveClass(/dark/);
  // The whole shell, canvas included, turns dark: light labels never sit on white.
  expect(await page.locator('.app').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(13, 17, 23)');
  const bg = await page.evaluate(() => window.segscope.cy?.nodes('[kind = "band"]').first().style('background-color'));
  expect(bg).toBe('rgb(22,27,34)');
  const z0 = await page.evaluate(() => window.segscope.cy?.zoom() ?? 0);
  await page.getByTestId('zoom-in').click();
  expect(await page.evaluate(() => window.segscope.cy?.zoom() ?? 0)).toBeCloseTo(z0 * 1.25, 5);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').selectOption('png')]);
  expect(png.suggestedFilename()).toBe('shop-estate-sample.png');
  expect(
    readFileSync(await png.path())
      .subarray(1, 4)
      .toString(),
  ).toBe('PNG');
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').selectOption('svg')]);
  const text = readFileSync(await svg.path(), 'utf8');
  expect(text).toContain('<svg');
  expect(text).toContain('payments');
});

test('panning and zooming the drawn graph restyles nothing (cytoscape ≥ 3.35: no per-frame style churn on compounds)', async ({
  page,
}) => {
  await openApp(page);
  const restyled = await page.evaluate(async () => {
    const cy = window.segscope.cy;
    if (!cy) return -1;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    await frame();
    let styled = 0;
    cy.on('style', () => {
      styled++;
    });
    for (let i = 0; i < 8; i++) {
      cy.panBy({ x: 9, y: 4 });
      await frame();
      cy.zoom({ level: cy.zoom() * 1.05, renderedPosition: { x: 100, y: 100 } });
      await frame();
    }
    return styled;
  });
  expect(restyled).toBe(0);
});
