import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

test('the change plan lists the moves with the calls they break, as Markdown and JSON', async ({ page }) => {
  await openApp(page);
  await page.evaluate(() =>
    window.segscope.move({ service: 'catalog', level: 'group', from: 'group:sg-app', to: 'group:sg-batch' }),
  );
  const [md] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').selectOption('plan-md')]);
  expect(md.suggestedFilename()).toBe('shop-estate-sample-change-plan.md');
  const text = readFileSync(await md.path(), 'utf8');
  expect(text).toContain('## 1. move catalog at group: sg-app → sg-batch');
  expect(text).toMatch(/web → catalog:8080 \(denied at group/);
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export').selectOption('plan-json'),
  ]);
  const plan = JSON.parse(readFileSync(await json.path(), 'utf8'));
  expect(plan.steps).toHaveLength(1);
  expect(plan.steps[0].memberships).toEqual([{ service: 'catalog', level: 'group', from: 'sg-app', to: 'sg-batch' }]);
});

test('segments are renamed and merged from the inspector, and undo brings them back', async ({ page }) => {
  await openApp(page);
  await page.evaluate(() => {
    window.segscope.cy?.getElementById('seg:group:sg-batch').emit('tap');
  });
  const inspector = page.getByTestId('segment-inspector');
  await expect(inspector).toContainText('3 members');
  await page.getByTestId('segment-name').fill('sg-workers');
  await page.getByTestId('segment-rename').click();
  await expect
    .poll(() => page.evaluate(() => window.segscope.cy?.getElementById('seg:group:sg-batch').data('label')))
    .toBe('sg-workers · 3 · 1 broken');
  await page.getByTestId('segment-target').selectOption({ label: 'sg-app' });
  await page.getByTestId('segment-merge').click();
  const groups = await page.evaluate(
    () => window.segscope.workspace()?.services.find((s) => s.id === 'orders')?.memberships.group,
  );
  expect(groups).toEqual(['group:sg-app']);
  expect(await page.evaluate(() => window.segscope.cy?.getElementById('seg:group:sg-batch').length)).toBe(0);
  await expect(page.getByTestId('history-entry')).toHaveText([
    'rename sg-batch to sg-workers',
    'merge sg-workers into sg-app',
  ]);
  await page.getByTestId('undo').click();
  expect(await page.evaluate(() => window.segscope.cy?.getElementById('seg:group:sg-batch').length)).toBe(1);
});

test('New starts an empty workspace without asking, and Undo brings the previous one back (README: opening is undoable)', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('view-menu').click();
  await page.getByTestId('new').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('New workspace');
  expect(await page.evaluate(() => window.segscope.cy?.nodes().length)).toBe(0);
  await expect(page.getByTestId('focused-band')).toContainText('no data for this level');
  await expect(page.getByTestId('history-entry').last()).toHaveText('open New');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Shop estate (sample)');
  expect(await page.evaluate(() => window.segscope.workspace()?.services.length)).toBe(15);
});

test('a drop updates the strips of the other bands at once, and undo puts them back (counted from the workspace before)', async ({
  page,
}) => {
  await openApp(page);
  const counts = page.getByTestId('strip-counts-account');
  const chips = page.getByTestId('strip-account').getByTestId('strip-chip');
  await expect(counts).toHaveText('2 seg · 15 svc · 4 calls · 1 broken');
  // orders leaves prod-core for prod-data: checkout → orders, orders → auth and orders → inventory now
  // cross accounts, orders → db-orders no longer does (4 − 1 + 3 = 6); the analysis finds none broken.
  await page.evaluate(() =>
    window.segscope.move({
      service: 'orders',
      level: 'account',
      from: 'account:111111111111',
      to: 'account:222222222222',
    }),
  );
  await expect(counts).toHaveText('2 seg · 15 svc · 6 calls');
  await expect(chips).toHaveText([/^prod-core 11 ★$/, /^prod-data 4$/]);
  await page.getByTestId('undo').click();
  await expect(counts).toHaveText('2 seg · 15 svc · 4 calls · 1 broken');
  await expect(chips).toHaveText([/^prod-core 12 ★ 1 broken$/, /^prod-data 3 1 broken$/]);
});
