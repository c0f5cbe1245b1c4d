// Accessibility: axe-core finds no serious or critical violation on the main screens, in both themes.
import { expect, type Page, test } from '@playwright/test';
import { seriousViolations } from './axe';
import { openApp } from './helpers';

/** Screens in the order a person reaches them, each scanned: what is on screen then must pass. */
const scanMainScreens = async (page: Page) => {
  const found: Record<string, unknown[]> = {};
  found.sample = await seriousViolations(page);
  await page.getByTestId('search').fill('checkout');
  await page.getByTestId('search').press('Enter');
  await expect(page.getByTestId('inspector')).toContainText('checkout');
  found.selected = await seriousViolations(page);
  await page.getByTestId('graph-canvas').focus();
  await page.keyboard.press('m');
  await expect(page.getByTestId('move-dialog')).toBeVisible();
  found.moveDialog = await seriousViolations(page);
  await page.getByTestId('move-candidate').first().click();
  await expect(page.getByTestId('move-dialog')).toContainText(/break|restore|no call|reach/i);
  found.moveDialogDelta = await seriousViolations(page);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('move-dialog')).toHaveCount(0);
  // A real mouse drag: the what-if panel while hovering another segment.
  await page.getByTestId('focus-group').click();
  await page.waitForFunction(() => (window.segscope.cy?.edges('.allowed').length ?? 0) > 0);
  const box = await page.getByTestId('graph-canvas').boundingBox();
  const p = await page.evaluate(() => {
    const cy = window.segscope.cy;
    const n = cy?.nodes('[kind = "service"][serviceId = "catalog"][level = "group"]').first();
    const bb = cy?.getElementById('seg:group:sg-batch').renderedBoundingBox();
    return { from: n?.renderedPosition(), to: bb ? { x: bb.x1 + 8, y: bb.y2 - 5 } : undefined };
  });
  if (!box || !p.from || !p.to) throw new Error('catalog or sg-batch not drawn');
  await page.mouse.move(box.x + p.from.x, box.y + p.from.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++)
    await page.mouse.move(
      box.x + p.from.x + ((p.to.x - p.from.x) * i) / 10,
      box.y + p.from.y + ((p.to.y - p.from.y) * i) / 10,
    );
  await expect(page.getByTestId('drag-panel')).toContainText('web → catalog:8080');
  found.dragPanel = await seriousViolations(page);
  await page.keyboard.press('Escape');
  await page.mouse.up();
  return found;
};

const none = { sample: [], selected: [], moveDialog: [], moveDialogDelta: [], dragPanel: [] };

test('axe: no serious or critical violation on the main screens, light theme', async ({ page }) => {
  await openApp(page);
  expect(await scanMainScreens(page)).toEqual(none);
});

test('axe: no serious or critical violation on the main screens, dark theme', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('view-menu').click();
  await page.getByTestId('theme').click();
  await expect(page.locator('.app.dark')).toHaveCount(1);
  expect(await scanMainScreens(page)).toEqual(none);
});

// WAI-ARIA: role="application" hands every key to the page and turns off a screen reader's reading
// keys inside it, so only the graph canvas (which has keys of its own) is one; the toolbar, panels
// and findings stay a document a screen reader reads and browses as usual.
test('only the graph canvas is an application region; the rest of the page is a document', async ({ page }) => {
  await openApp(page);
  const regions = page.locator('[role="application"]');
  await expect(regions).toHaveCount(1);
  await expect(regions).toHaveAttribute('data-testid', 'graph-canvas');
  expect(await page.locator('.app').getAttribute('role')).toBeNull();
  // The landmarks a screen reader lists: the toolbar's banner and the drawing's main region.
  await expect(page.getByRole('banner')).toHaveCount(1);
  await expect(page.getByRole('main')).toContainText(/group/i);
  await expect(page.getByRole('application')).toHaveAttribute('aria-label', /arrow keys walk the services/);
});
