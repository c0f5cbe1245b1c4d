// Overview first, readable at every size (issue 14, DESIGN.md "What a person sees"): focus follows
// the data, labels are never drawn under 11 px, nothing covers the band, search + Enter and the
// strips reveal what they name.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { generateTopology } from '../src/gen/generate';
import { type Point, segmentHits } from '../src/graph/geometry';
import { openApp } from './helpers';

test.use({ viewport: { width: 1280, height: 720 } });

const file = (path: string) => ({ name: path.split('/').pop() as string, text: readFileSync(path, 'utf8') });

/** The drawn band lies inside the canvas (framed), and how much of the canvas it uses. */
const framing = (page: Page) =>
  page.evaluate(() => {
    const cy = window.segscope.cy;
    if (!cy) return null;
    const bb = cy.elements().renderedBoundingBox({ includeLabels: false });
    return {
      inside: bb.x1 >= -1 && bb.y1 >= -1 && bb.x2 <= cy.width() + 1 && bb.y2 <= cy.height() + 1,
      share: Math.max(bb.w / cy.width(), bb.h / cy.height()),
    };
  });

/** Every node label cytoscape would draw now, per its own rule, with its size on screen. */
const drawnLabels = (page: Page) =>
  page.evaluate(() => {
    const cy = window.segscope.cy;
    const r = (cy as unknown as { renderer(): { eleTextBiggerThanMin(e: unknown): boolean } }).renderer();
    const zoom = cy?.zoom() ?? 1;
    return (cy?.elements().filter((e) => !!e.data('label')) ?? []).map((e) => {
      const el = e as unknown as { pstyle(n: string): { pfValue: number } };
      return {
        kind: e.data('kind') as string,
        px: el.pstyle('font-size').pfValue * zoom,
        min: el.pstyle('min-zoomed-font-size').pfValue,
        drawn: r.eleTextBiggerThanMin(e),
      };
    });
  });

test('after importing a Compose file the overlay band is focused and framed', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles('public/samples/compose/voting-app.yml');
  await expect(page.getByTestId('workspace-name')).not.toHaveText('Shop estate (sample)');
  await expect.poll(() => page.evaluate(() => window.segscope.focus())).toBe('overlay');
  await expect(page.getByTestId('focused-band')).toHaveAttribute('data-level', 'overlay');
  await expect(page.getByTestId('focus-overlay')).toHaveAttribute('aria-pressed', 'true');
  const f = await framing(page);
  expect(f?.inside).toBe(true);
  expect(f?.share).toBeGreaterThan(0.5);
  // The bands without data are one-line "no data" strips.
  await expect(page.getByTestId('strip-counts-group')).toHaveText('no data');
});

test('after importing Kubernetes files the policy band is focused and framed', async ({ page }) => {
  await openApp(page);
  await page.evaluate((f) => window.segscope.load(f), [file('public/samples/k8s/shop.yaml')]);
  await expect.poll(() => page.evaluate(() => window.segscope.focus())).toBe('policy');
  const f = await framing(page);
  expect(f?.inside).toBe(true);
  expect(f?.share).toBeGreaterThan(0.5);
  expect(await page.evaluate(() => window.segscope.cy?.nodes('[kind = "service"]').length)).toBeGreaterThan(0);
});

test('at fit on 1280×720 no drawn label is under 11 px, and the sample’s service names are drawn', async ({ page }) => {
  await openApp(page);
  await page.evaluate(() => window.segscope.analysis());
  await page.getByTestId('fit').click();
  const labels = await drawnLabels(page);
  expect(labels.length).toBeGreaterThan(0);
  for (const l of labels) {
    expect(l.min).toBeGreaterThanOrEqual(11);
    if (l.drawn) expect(l.px).toBeGreaterThanOrEqual(11);
  }
  const services = labels.filter((l) => l.kind === 'service');
  expect(services.length).toBeGreaterThan(0);
  expect(services.every((l) => l.drawn)).toBe(true);
  expect(labels.filter((l) => l.kind === 'segment').every((l) => l.drawn)).toBe(true);
  // Zoomed out to 0.6 (13 px × 0.6 = 7.8 px), cytoscape's own rule (its zoom rounded up to a power
  // of two) would still draw service labels; ours hides them.
  await page.evaluate(() => {
    window.segscope.cy?.zoom(0.6);
  });
  const small = await drawnLabels(page);
  expect(small.filter((l) => l.kind === 'service').some((l) => l.drawn)).toBe(false);
  for (const l of small) if (l.drawn) expect(l.px).toBeGreaterThanOrEqual(11);
});

test('no service node of the focused band is covered by a panel or control', async ({ page }) => {
  for (const load of [null, 'public/samples/compose/voting-app.yml', 'public/samples/k8s/shop.yaml']) {
    await openApp(page);
    if (load) await page.evaluate((f) => window.segscope.load(f), [file(load)]);
    await page.waitForTimeout(300);
    const covered = await page.evaluate(() => {
      const cy = window.segscope.cy;
      const box = cy?.container()?.getBoundingClientRect();
      if (!cy || !box) return ['no canvas'];
      return cy
        .nodes('[kind = "service"]')
        .filter((n) => {
          const p = n.renderedPosition();
          const hit = document.elementFromPoint(box.left + p.x, box.top + p.y);
          return !hit || !cy.container()?.contains(hit);
        })
        .map((n) => n.data('serviceId') as string);
    });
    expect(covered).toEqual([]);
  }
});

test('search + Enter selects the best match and frames it with its label readable', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('focus-overlay').click();
  await page.getByTestId('search').fill('checkout');
  await page.getByTestId('search').press('Enter');
  await expect(page.getByTestId('inspector')).toContainText('checkout');
  await page.waitForTimeout(400); // the framing animation
  const r = await page.evaluate(() => {
    const cy = window.segscope.cy;
    const n = cy?.nodes('[kind = "service"][serviceId = "checkout"]').first();
    if (!cy || !n) return null;
    const p = n.renderedPosition();
    return {
      px: (n as unknown as { pstyle(k: string): { pfValue: number } }).pstyle('font-size').pfValue * cy.zoom(),
      inView: p.x > 0 && p.y > 0 && p.x < cy.width() && p.y < cy.height(),
      share: n.renderedWidth() / cy.width(),
    };
  });
  expect(r?.inView).toBe(true);
  expect(r?.px).toBeGreaterThanOrEqual(11);
  // Never one node filling the canvas.
  expect(r?.share).toBeLessThanOrEqual(0.26);
});

test('strips show counts; clicking a strip focuses its band; clicking a chip reveals the segment', async ({ page }) => {
  await openApp(page);
  // Short counts, so the chips get the room (lead feedback: chips before the long summary).
  await expect(page.getByTestId('strip-counts-account')).toHaveText('2 seg · 15 svc · 4 calls · 1 broken');
  await expect(page.getByTestId('strip-focus-account')).toHaveAttribute(
    'title',
    /2 segments · 15 services · 1 broken; 4 calls between its segments, 1 of them broken/,
  );
  // Every chip that fits is shown: both accounts at 1280×720, and no "+N more".
  await expect(page.getByTestId('strip-account').getByTestId('strip-chip')).toHaveText([
    /^prod-core 12 ★ 1 broken$/,
    /^prod-data 3 1 broken$/,
  ]);
  await expect(page.getByTestId('strip-more-account')).toHaveCount(0);
  // What the figures count is in the chip's tooltip.
  await expect(page.getByTestId('strip-account').getByTestId('strip-chip').first()).toHaveAttribute(
    'title',
    'prod-core: 12 services; ★ holds a hub (a service many others call); 1 broken call between segments of this level with an end in it',
  );
  await page.getByTestId('strip-focus-network').click();
  await expect.poll(() => page.evaluate(() => window.segscope.focus())).toBe('network');
  await expect(page.getByTestId('strip-network')).toHaveCount(0);
  await expect(page.getByTestId('strip-group')).toBeVisible();
  // Keyboard: a chip is a button; Enter on it reveals its segment in its band.
  const chip = page.getByTestId('strip-group').getByTestId('strip-chip').first();
  const segment = (await chip.getAttribute('data-segment')) as string;
  expect(segment).toMatch(/^group:/);
  await chip.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => window.segscope.focus())).toBe('group');
  await page.waitForTimeout(400);
  const seg = await page.evaluate((id) => {
    const cy = window.segscope.cy;
    const bb = cy?.getElementById(`seg:${id}`).renderedBoundingBox({ includeLabels: false });
    return cy && bb ? bb.x1 >= 0 && bb.y1 >= 0 && bb.x2 <= cy.width() && bb.y2 <= cy.height() : false;
  }, segment);
  expect(seg).toBe(true);
});

test('reveal at scale: a service inside a folded summary is expanded and framed readably', async ({ page }) => {
  await openApp(page);
  const ws = generateTopology({ services: 1000, calls: 3000, seed: 11 }).workspace;
  await page.evaluate((t) => window.segscope.load([{ name: 'g.json', text: t }]), JSON.stringify(ws));
  await page.waitForFunction(() => (window.segscope.cy?.nodes('.summary, .folded').length ?? 0) > 0);
  const target = ws.services[500]?.id as string;
  expect(await page.evaluate((id) => window.segscope.reveal(id), target)).toBe(true);
  const r = await page.evaluate((id) => {
    const cy = window.segscope.cy;
    const n = cy?.nodes(`[kind = "service"][serviceId = "${id}"]`).first();
    if (!cy || !n || n.empty()) return null;
    const p = n.renderedPosition();
    return {
      px: (n as unknown as { pstyle(k: string): { pfValue: number } }).pstyle('font-size').pfValue * cy.zoom(),
      inView: p.x > 0 && p.y > 0 && p.x < cy.width() && p.y < cy.height(),
      share: n.renderedWidth() / cy.width(),
      selected: cy.nodes('.highlight').map((x) => x.data('serviceId')),
    };
  }, target);
  expect(r?.inView).toBe(true);
  expect(r?.px).toBeGreaterThanOrEqual(11);
  expect(r?.share).toBeLessThanOrEqual(0.26);
  expect(r?.selected).toContain(target);
});

test('the inspector’s call peers: a click selects the peer and reveals it, readable, where it was folded away', async ({
  page,
}) => {
  await openApp(page);
  const ws = generateTopology({ services: 1000, calls: 3000, seed: 11 }).workspace;
  await page.evaluate((t) => window.segscope.load([{ name: 'g.json', text: t }]), JSON.stringify(ws));
  await page.waitForFunction(() => (window.segscope.cy?.nodes('.summary, .folded').length ?? 0) > 0);
  // A caller whose peer is in another segment of the focused band, so the peer starts folded away.
  const focus = await page.evaluate(() => window.segscope.focus());
  const seg = (id: string) => ws.services.find((s) => s.id === id)?.memberships[focus]?.[0];
  const call = ws.calls.find((c) => seg(c.from) && seg(c.to) && seg(c.from) !== seg(c.to)) as {
    from: string;
    to: string;
  };
  expect(await page.evaluate((id) => window.segscope.reveal(id), call.from)).toBe(true);
  const peer = page
    .getByTestId('inspector-peer')
    .and(page.locator(`[data-service="${call.to}"]`))
    .first();
  const before = await page.evaluate(() => window.segscope.revealed());
  await peer.click();
  await expect.poll(() => page.evaluate(() => window.segscope.selection().serviceId)).toBe(call.to);
  await expect.poll(() => page.evaluate(() => window.segscope.revealed())).toBeGreaterThan(before);
  const r = await page.evaluate((id) => {
    const cy = window.segscope.cy;
    const n = cy?.nodes(`[kind = "service"][serviceId = "${id}"]`).first();
    if (!cy || !n || n.empty()) return null;
    const p = n.renderedPosition();
    return {
      px: (n as unknown as { pstyle(k: string): { pfValue: number } }).pstyle('font-size').pfValue * cy.zoom(),
      inView: p.x > 0 && p.y > 0 && p.x < cy.width() && p.y < cy.height(),
      highlighted: n.hasClass('highlight'),
    };
  }, call.to);
  expect(r?.inView).toBe(true);
  expect(r?.px).toBeGreaterThanOrEqual(11);
  expect(r?.highlighted).toBe(true);
  // The inspector now speaks of the peer.
  await expect(page.getByTestId('inspector').locator('h2')).toHaveText(
    ws.services.find((s) => s.id === call.to)?.name as string,
  );
});

test('a call crossing a service it does not join is bent around it, else drawn under it (DESIGN.md "Call edges route around")', async ({
  page,
}) => {
  await openApp(page);
  await page.waitForFunction(() => (window.segscope.cy?.edges('.call').length ?? 0) > 0);
  // The drawn geometry from the page; the crossing test is the app's own (src/graph/geometry.ts).
  const drawing = await page.evaluate(() => {
    const cy = window.segscope.cy;
    if (!cy) return null;
    const z = (e: unknown) => (e as { pstyle(n: string): { value: number } }).pstyle('z-index').value;
    const opacity = (e: unknown) => (e as { pstyle(n: string): { value: number } }).pstyle('background-opacity').value;
    const services = cy.nodes('[kind = "service"]').map((s) => {
      const b = s.boundingBox({ includeLabels: false, includeOverlays: false });
      return {
        id: s.id(),
        z: z(s),
        opaque: opacity(s) >= 1,
        inner: { x1: b.x1 + 2, y1: b.y1 + 2, x2: b.x2 - 2, y2: b.y2 - 2 },
      };
    });
    const calls = cy.edges('.call').map((e) => ({
      id: e.id(),
      z: z(e),
      ends: [e.source().id(), e.target().id()],
      straight: [e.source().position(), e.target().position()],
      path: [e.sourceEndpoint(), ...(e.hasClass('routed') ? (e.segmentPoints() ?? []) : []), e.targetEndpoint()],
    }));
    return { services, calls, routed: cy.edges('.call.routed').length };
  });
  if (!drawing) throw new Error('no graph drawn');
  let straight = 0;
  let drawn = 0;
  const over: string[] = [];
  for (const e of drawing.calls) {
    for (const s of drawing.services) {
      if (e.ends.includes(s.id)) continue;
      const [p, q] = e.straight as [Point, Point];
      if (segmentHits(p, q, s.inner)) straight++;
      if (!e.path.some((pt, i) => i > 0 && segmentHits(e.path[i - 1] as Point, pt, s.inner))) continue;
      drawn++;
      // What still crosses is drawn under the service, which is opaque: it never looks like it passes through.
      if (e.z >= s.z || !s.opaque) over.push(`${e.id} over ${s.id}`);
    }
  }
  const r = { straight, drawn, over, routed: drawing.routed };
  expect(r?.over).toEqual([]);
  // Bending takes calls off services they would cross straight.
  expect(r?.routed).toBeGreaterThan(0);
  expect(r?.drawn).toBeLessThan(r?.straight ?? 0);
});
