import { expect, type Page, test } from '@playwright/test';
import { openApp } from './helpers';

/** Rendered page coordinates of a service node in a band and of a spot inside a target segment. */
const spots = async (page: Page, service: string, level: string, target: string) => {
  const box = await page.getByTestId('graph-canvas').boundingBox();
  const p = await page.evaluate(
    ([s, l, t]) => {
      const cy = window.segscope.cy;
      const n = cy?.nodes(`[kind = "service"][serviceId = "${s}"][level = "${l}"]`).first();
      const bb = cy?.getElementById(`seg:${t}`).renderedBoundingBox();
      return { from: n?.renderedPosition(), to: bb ? { x: bb.x1 + 8, y: bb.y2 - 5 } : undefined };
    },
    [service, level, target],
  );
  if (!box || !p.from || !p.to) throw new Error('node or segment not drawn');
  return { from: { x: box.x + p.from.x, y: box.y + p.from.y }, to: { x: box.x + p.to.x, y: box.y + p.to.y } };
};

const dragTo = async (page: Page, from: { x: number; y: number }, to: { x: number; y: number }) => {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++)
    await page.mouse.move(from.x + ((to.x - from.x) * i) / 10, from.y + ((to.y - from.y) * i) / 10);
};

const groupOf = (page: Page, service: string) =>
  page.evaluate((s) => window.segscope.workspace()?.services.find((x) => x.id === s)?.memberships.group, service);

const callClass = (page: Page, from: string, to: string) =>
  page.evaluate(
    ([f, t]) =>
      window.segscope.cy
        ?.edges('[kind = "call"]')
        .filter((e) => e.data('from') === f && e.data('to') === t)
        .classes(),
    [from, to],
  );

test('drags a service onto a segment that breaks calls, sees them before the drop, drops, undoes, reloads', async ({
  page,
}) => {
  await openApp(page);
  await page.waitForFunction(() => (window.segscope.cy?.edges('.allowed').length ?? 0) > 0);
  const { from, to } = await spots(page, 'catalog', 'group', 'group:sg-batch');
  await dragTo(page, from, to);
  const panel = page.getByTestId('drag-panel');
  await expect(panel).toContainText('Move catalog at group: sg-app → sg-batch');
  await expect(page.getByTestId('delta-broken')).toContainText('web → catalog:8080 — denied at group');
  await expect(page.getByTestId('delta-broken').locator('li')).toHaveCount(3);
  // The target is marked problematic and the calls that would break are drawn as such.
  expect(await page.evaluate(() => window.segscope.cy?.getElementById('seg:group:sg-batch').classes())).toContain(
    'drop-bad',
  );
  expect(await callClass(page, 'web', 'catalog')).toContain('would-break');
  await page.mouse.up();
  await expect(panel).toBeHidden();
  expect(await groupOf(page, 'catalog')).toEqual(['group:sg-batch']);
  await expect.poll(() => callClass(page, 'web', 'catalog')).toContain('broken');
  await expect(page.getByTestId('history-entry')).toHaveText(['move catalog at group: sg-app → sg-batch']);

  await page.keyboard.press('Control+z');
  expect(await groupOf(page, 'catalog')).toEqual(['group:sg-app']);
  await expect.poll(() => callClass(page, 'web', 'catalog')).toContain('allowed');
  await page.keyboard.press('Control+Shift+z');
  expect(await groupOf(page, 'catalog')).toEqual(['group:sg-batch']);

  // The edit survives a reload, with its history.
  await page.waitForFunction(() => document.body.dataset.saved !== undefined);
  await page.waitForTimeout(400);
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  expect(await groupOf(page, 'catalog')).toEqual(['group:sg-batch']);
  await expect(page.getByTestId('history-entry')).toHaveText(['move catalog at group: sg-app → sg-batch']);
  await page.getByTestId('undo').click();
  expect(await groupOf(page, 'catalog')).toEqual(['group:sg-app']);
});

test('Escape cancels a drag: nothing changes', async ({ page }) => {
  await openApp(page);
  const { from, to } = await spots(page, 'catalog', 'group', 'group:sg-batch');
  await dragTo(page, from, to);
  await expect(page.getByTestId('drag-panel')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('drag-panel')).toBeHidden();
  await page.mouse.up();
  expect(await groupOf(page, 'catalog')).toEqual(['group:sg-app']);
  await expect(page.getByTestId('history-entry')).toHaveCount(0);
});

test('Shift-drag adds a membership on a multi-membership level', async ({ page }) => {
  await openApp(page);
  const { from, to } = await spots(page, 'catalog', 'group', 'group:sg-batch');
  await page.keyboard.down('Shift');
  await dragTo(page, from, to);
  await expect(page.getByTestId('drag-panel')).toContainText('Add catalog at group');
  await page.mouse.up();
  await page.keyboard.up('Shift');
  expect(await groupOf(page, 'catalog')).toEqual(['group:sg-app', 'group:sg-batch']);
});

test('keyboard: select, M, pick a segment, see the same delta, confirm', async ({ page }) => {
  await openApp(page);
  await page.evaluate(() => {
    window.segscope.cy?.nodes('[serviceId = "catalog"][level = "group"]').first().emit('tap');
  });
  await expect(page.getByTestId('inspector')).toContainText('catalog');
  await page.keyboard.press('m');
  const dialog = page.getByTestId('move-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('move-level')).toHaveValue('group');
  await page.getByTestId('move-search').fill('batch');
  await page.getByTestId('move-candidate').filter({ hasText: 'sg-batch' }).click();
  await expect(dialog.getByTestId('delta-broken').locator('li')).toHaveCount(3);
  await expect(dialog.getByTestId('delta-broken')).toContainText('web → catalog:8080 — denied at group');
  await page.getByTestId('move-confirm').click();
  await expect(dialog).toBeHidden();
  expect(await groupOf(page, 'catalog')).toEqual(['group:sg-batch']);
  await expect(page.getByTestId('history-entry')).toHaveText(['move catalog at group: sg-app → sg-batch']);
});

test('window.segscope.preview and move give what the drag shows', async ({ page }) => {
  await openApp(page);
  const m = { service: 'catalog', level: 'group' as const, from: 'group:sg-app', to: 'group:sg-batch' };
  const delta = await page.evaluate((mv) => window.segscope.preview(mv), m);
  expect(delta.brokenCalls.map((c) => `${c.from}>${c.to}`).sort()).toEqual([
    'catalog>cache',
    'catalog>search',
    'web>catalog',
  ]);
  expect(delta.restoredCalls).toEqual([]);
  expect(await page.evaluate((mv) => window.segscope.move(mv), m)).toBe(true);
  const analysis = await page.evaluate(() => window.segscope.analysis());
  expect(analysis.calls.filter((c) => c.class === 'broken').length).toBe(5);
  expect(await page.evaluate(() => window.segscope.undo())).toBe(true);
  expect(await groupOf(page, 'catalog')).toEqual(['group:sg-app']);
});
