import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { drawnServices, openApp } from './helpers';

const sample = JSON.parse(readFileSync('public/samples/shop-estate.segscope.json', 'utf8')) as {
  services: { id: string; memberships: Record<string, string[]> }[];
};

test('opens with the sample: the focused band draws every membership, the five others are strips', async ({ page }) => {
  await openApp(page);
  const focus = await page.evaluate(() => window.segscope.focus());
  // Only the focused band is drawn in the canvas (DESIGN.md: focus + context); the others are strips.
  const expected = sample.services
    .flatMap((s) => (s.memberships[focus] ?? []).map((id) => `${focus}|${s.id}|${id}`))
    .sort();
  expect(expected.length).toBeGreaterThan(0);
  expect(await drawnServices(page)).toEqual(expected);
  for (const level of ['account', 'role', 'network', 'group', 'policy', 'overlay']) {
    if (level === focus) await expect(page.getByTestId(`strip-${level}`)).toHaveCount(0);
    else await expect(page.getByTestId(`strip-${level}`)).toBeVisible();
  }
  // Each service node is drawn inside its segment's box.
  const misplaced = await page.evaluate(() =>
    window.segscope.cy
      ?.nodes('[kind = "service"]')
      .filter((n) => {
        const a = n.boundingBox({ includeLabels: false });
        const b = window.segscope.cy
          ?.getElementById(`seg:${n.data('segmentId')}`)
          .boundingBox({ includeLabels: false });
        return !b || a.x1 < b.x1 || a.y1 < b.y1 || a.x2 > b.x2 || a.y2 > b.y2;
      })
      .map((n) => n.id()),
  );
  expect(misplaced).toEqual([]);
  await expect(page.getByTestId('workspace-name')).toHaveText('Shop estate (sample)');
});

test('loads a second native file through the file picker and it replaces the first', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles('e2e/fixtures/tiny.segscope.json');
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
  const ws = await page.evaluate(() => window.segscope.workspace());
  expect(ws?.services.map((s) => s.id)).toEqual(['proxy', 'app', 'db']);
  expect(await drawnServices(page)).toEqual([
    'overlay|app|overlay:tiny_back',
    'overlay|app|overlay:tiny_front',
    'overlay|db|overlay:tiny_back',
    'overlay|proxy|overlay:tiny_front',
  ]);
  // Levels without data show an honest one-line "no data" strip.
  expect(await page.evaluate(() => window.segscope.focus())).toBe('overlay');
  for (const level of ['account', 'role', 'network', 'group', 'policy'])
    await expect(page.getByTestId(`strip-counts-${level}`)).toHaveText('no data');
  await expect(page.getByTestId('import-file')).toContainText('tiny.segscope.json');
});

test('Ctrl+O opens the file picker as Open… does (src/ui/actions/openFiles.ts), and the chosen file loads', async ({
  page,
}) => {
  await openApp(page);
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Control+o');
  await (await chooser).setFiles('e2e/fixtures/tiny.segscope.json');
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
  expect(await page.evaluate(() => window.segscope.workspace()?.services.map((s) => s.id))).toEqual([
    'proxy',
    'app',
    'db',
  ]);
  // The toolbar's button runs the same action.
  const again = page.waitForEvent('filechooser');
  await page.getByTestId('open').click();
  expect((await again).isMultiple()).toBe(true);
});

test('a malformed file is reported with line and column and the workspace stays', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles({
    name: 'broken.segscope.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{\n  "segscope": 1,\n  "services": [\n    { "id": "a", }\n'),
  });
  await expect(page.getByTestId('import-report')).toContainText('failed — previous workspace kept');
  await expect(page.getByTestId('diagnostic').first()).toContainText('broken.segscope.json:4:18');
  await expect(page.getByTestId('workspace-name')).toHaveText('Shop estate (sample)');
  const count = await page.evaluate(() => window.segscope.workspace()?.services.length);
  expect(count).toBe(15);
});

test('window.segscope.load returns the import report and workspace() the loaded workspace', async ({ page }) => {
  await openApp(page);
  const text = readFileSync('e2e/fixtures/tiny.segscope.json', 'utf8');
  const report = await page.evaluate((t) => window.segscope.load([{ name: 'tiny.json', text: t }]), text);
  expect(report.failed).toBe(false);
  expect(report.files[0]).toMatchObject({ name: 'tiny.json', format: 'native', services: 3, segments: 2, calls: 2 });
  const ws = await page.evaluate(() => window.segscope.workspace());
  expect(ws).toEqual(JSON.parse(text));
});

test('the focus switch draws the chosen band with its calls', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('focus-group').click();
  const callLevels = () =>
    page.evaluate(() => [...new Set(window.segscope.cy?.edges('[kind = "call"]').map((e) => e.data('level')))]);
  await expect.poll(callLevels).toEqual(['group']);
  await page.getByTestId('focus-overlay').click();
  await expect.poll(callLevels).toEqual(['overlay']);
  await expect(page.getByTestId('focus-overlay')).toHaveAttribute('aria-pressed', 'true');
  expect(await page.evaluate(() => window.segscope.focus())).toBe('overlay');
});

test('selecting a service highlights it in the band, marks its segment in every strip, the inspector lists them', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('focus-group').click();
  await expect.poll(() => page.evaluate(() => window.segscope.focus())).toBe('group');
  const pos = await page.evaluate(() => {
    const cy = window.segscope.cy;
    const n = cy?.nodes('[kind = "service"][serviceId = "auth"][level = "group"]').first();
    return n?.renderedPosition();
  });
  expect(pos).toBeTruthy();
  const box = await page.getByTestId('graph-canvas').boundingBox();
  await page.mouse.click((box?.x ?? 0) + (pos?.x ?? 0), (box?.y ?? 0) + (pos?.y ?? 0));
  await expect(page.getByTestId('inspector')).toContainText('auth');
  await expect(page.getByTestId('membership-group')).toHaveText('sg-app');
  await expect(page.getByTestId('membership-overlay')).toHaveText('shop_front, shop_back');
  expect(await page.evaluate(() => window.segscope.cy?.nodes('.highlight').map((n) => n.data('serviceId')))).toEqual([
    'auth',
  ]);
  // In every other band, the chips holding auth are marked.
  const marked = await page
    .locator('[data-testid="strip-chip"].holds-selection')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-segment')).sort());
  const auth = sample.services.find((s) => s.id === 'auth');
  for (const level of ['account', 'role', 'network', 'policy', 'overlay'])
    for (const id of auth?.memberships[level] ?? []) expect(marked).toContain(id);
});

test('the page makes no request beyond its own origin', async ({ page }) => {
  const foreign: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:' && url.protocol !== 'blob:')
      foreign.push(r.url());
  });
  await openApp(page);
  await page.getByTestId('focus-policy').click();
  expect(foreign).toEqual([]);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("default-src 'self'");
});

test('reload restores the autosaved workspace', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles('e2e/fixtures/tiny.segscope.json');
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
});
