// The left panel as DESIGN.md "Findings grouped" describes it: Top problems first, findings by rule then segment
// (pair) with counts that add up, a rule filter, and every click revealing its subject in the graph.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { generateTopology } from '../src/gen/generate';
import { openApp } from './helpers';

const sample = JSON.parse(readFileSync('public/samples/shop-estate.segscope.json', 'utf8'));

const load = async (page: Page, files: { name: string; text: string }[]) => {
  await page.evaluate((f) => window.segscope.load(f), files);
  await page.evaluate(() => window.segscope.analysis());
  await expect(page.getByTestId('findings-total')).toBeVisible();
};

/** The sum of the group headers' counts, the panel's total, and the analysis' number of findings. */
const totals = (page: Page) =>
  page.evaluate(async () => {
    const groups = [...document.querySelectorAll<HTMLElement>('[data-testid="finding-group"]')];
    return {
      grouped: groups.reduce((n, g) => n + Number(g.dataset.count), 0),
      shown: Number(document.querySelector<HTMLElement>('[data-testid="findings-total"]')?.dataset.count),
      ungrouped: (await window.segscope.analysis()).findings.length,
      rules: groups.map((g) => g.dataset.rule),
    };
  });

test('grouped findings add up to the ungrouped total, and a group opens to segments that add up to it', async ({
  page,
}) => {
  await openApp(page);
  await expect(page.getByTestId('finding-group').first()).toBeVisible();
  const t = await totals(page);
  expect(t.grouped).toBe(t.ungrouped);
  expect(t.shown).toBe(t.ungrouped);
  // Errors first; each rule once.
  expect(t.rules[0]).toBe('broken-call');
  expect(new Set(t.rules).size).toBe(t.rules.length);
  const group = page.locator('[data-testid="finding-group"][data-rule="shared-failure-domain"]');
  await group.click();
  const subs = await page
    .getByTestId('finding-subgroup')
    .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.count)));
  expect(subs.reduce((a, b) => a + b, 0)).toBe(Number(await group.getAttribute('data-count')));
  // A rule filter keeps one group whose count is the rule's findings.
  await page.getByTestId('findings-rule').selectOption('excess-reach');
  const analysis = await page.evaluate(() => window.segscope.analysis());
  await expect(page.getByTestId('finding-group')).toHaveCount(1);
  await expect(page.getByTestId('finding-group')).toHaveAttribute(
    'data-count',
    String(analysis.findings.filter((f) => f.id === 'excess-reach').length),
  );
});

test('on a generated 1,000-service estate the grouped count equals the ungrouped total', async ({ page }) => {
  await openApp(page);
  const ws = generateTopology({ services: 1000, calls: 3000, seed: 11 }).workspace;
  await load(page, [{ name: 'gen-1000.json', text: JSON.stringify(ws) }]);
  const t = await totals(page);
  expect(t.ungrouped).toBeGreaterThan(100);
  expect(t.grouped).toBe(t.ungrouped);
  expect(t.shown).toBe(t.ungrouped);
  const broken = page.locator('[data-testid="finding-group"][data-rule="broken-call"]');
  await expect(broken).toContainText(/broken-call · [\d,]+ calls across [\d,]+ segment pairs/);
});

test('Top problems shows the segment over its quota first, and a click on it reveals it', async ({ page }) => {
  await openApp(page);
  await load(page, [
    { name: 'tight.json', text: JSON.stringify({ ...sample, quotas: { 'aws.inbound-rules-per-group': 3 } }) },
  ]);
  const first = page.getByTestId('top-problem').first();
  await expect(first).toHaveAttribute('data-kind', 'quota');
  await expect(first).toHaveText('▲ sg-app: 4 of 3 inbound rules (133 %)');
  // The quota group comes before the broken calls: errors of quotas are not buried.
  await expect(page.getByTestId('finding-group').first()).toHaveAttribute('data-rule', 'quota');
  await page.evaluate(() => window.segscope.analysis());
  await page.evaluate(() => {
    window.segscope.cy?.zoom(4);
    window.segscope.cy?.pan({ x: 0, y: 0 });
  });
  expect(await visible(page, '[kind = "segment"][segmentId = "group:sg-app"]')).toBe(false);
  await first.click();
  await expect.poll(() => visible(page, '[kind = "segment"][segmentId = "group:sg-app"]')).toBe(true);
});

/** Whether the first node matching a selector is drawn with its centre inside the canvas. */
const visible = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const cy = window.segscope.cy;
    const n = cy?.nodes(sel).first();
    if (!cy || !n || n.empty()) return false;
    const p = n.renderedPosition();
    return p.x > 0 && p.y > 0 && p.x < cy.width() && p.y < cy.height();
  }, selector);

test('clicking a finding reveals its subject in the canvas', async ({ page }) => {
  await openApp(page);
  // Start far from the subject: zoomed in on a corner, once the drawing is settled (a drawing still being
  // built in tasks, or the re-plan when the verdicts land, fits the band anew).
  await page.evaluate(() => window.segscope.analysis());
  await page.evaluate(() => {
    window.segscope.cy?.zoom(4);
    window.segscope.cy?.pan({ x: 0, y: 0 });
  });
  expect(await visible(page, '[kind = "service"][serviceId = "db-orders"][level = "group"]')).toBe(false);
  await page.locator('[data-testid="finding-group"][data-rule="broken-call"]').click();
  await page.getByTestId('finding').filter({ hasText: 'orders → db-orders' }).click();
  await expect.poll(() => visible(page, '[kind = "service"][serviceId = "db-orders"][level = "group"]')).toBe(true);
  await expect.poll(() => visible(page, '[kind = "service"][serviceId = "orders"][level = "group"]')).toBe(true);
  await expect(page.getByTestId('call-verdict')).toHaveText('broken: denied at group');
});

test('a hub in the Hubs panel is selected and revealed on click', async ({ page }) => {
  await openApp(page);
  await page.evaluate(() => window.segscope.analysis());
  await page.evaluate(() => {
    window.segscope.cy?.zoom(4);
    window.segscope.cy?.pan({ x: 0, y: 0 });
  });
  await page.getByTestId('hub').getByRole('button').click();
  await expect(page.getByTestId('inspector')).toContainText('auth');
  await expect.poll(() => visible(page, '[kind = "service"][serviceId = "auth"][level = "group"]')).toBe(true);
});

test('an AWS export without calls: the group every group admits is a hub, listed with its references', async ({
  page,
}) => {
  await openApp(page);
  const dir = 'e2e/fixtures/aws-bastion';
  await load(
    page,
    readdirSync(dir).map((f) => ({ name: f, text: readFileSync(`${dir}/${f}`, 'utf8') })),
  );
  const analysis = await page.evaluate(() => window.segscope.analysis());
  expect(analysis.calls).toEqual([]);
  expect(analysis.findings.filter((f) => f.id === 'hub').map((f) => f.message)).toEqual([
    'Security group bastion-sg is a hub of the group level: 8 other groups reference it (100 % of all), which costs 8 rules on those groups.',
  ]);
  await expect(page.getByTestId('group-hub')).toHaveText(['★ bastion-sg8 groups (100 %)8']);
  await expect(page.getByTestId('top-problem').first()).toHaveText('★ bastion-sg: referenced by 8 groups, 8 rules');
  await page.getByTestId('group-hub').getByRole('button').click();
  await expect(page.getByTestId('segment-inspector')).toContainText('bastion-sg');
});
