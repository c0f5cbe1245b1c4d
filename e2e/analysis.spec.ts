import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

test('a broken call shows in the Findings panel; clicking it names the level and rule in the inspector', async ({
  page,
}) => {
  await openApp(page);
  await page.locator('[data-testid="finding-group"][data-rule="broken-call"]').click();
  const broken = page.locator('[data-testid="finding"][data-finding="broken-call"]', { hasText: 'orders → db-orders' });
  await expect(broken).toBeVisible();
  await broken.click();
  await expect(page.getByTestId('call-verdict')).toHaveText('broken: denied at group');
  const group = page.getByTestId('verdict-group');
  await expect(group).toHaveAttribute('data-verdict', 'deny');
  await expect(group).toContainText('sg-db');
  await expect(page.getByTestId('verdict-network')).toHaveAttribute('data-verdict', 'allow');
  await expect(page.getByTestId('source-network')).toHaveText('describe-vpc-peering-connections.json:3');
});

test('edges, hubs and quota limits carry the classes of the analysis', async ({ page }) => {
  await openApp(page);
  await page.waitForFunction(() => (window.segscope.cy?.edges('.broken').length ?? 0) > 0);
  const state = await page.evaluate(() => {
    const cy = window.segscope.cy;
    const call = (from: string, to: string) =>
      cy
        ?.edges('[kind = "call"]')
        .filter((e) => e.data('from') === from && e.data('to') === to)
        .classes();
    return {
      broken: call('orders', 'db-orders'),
      allowed: call('users', 'db-users'),
      hubs: [...new Set(cy?.nodes('.hub').map((n) => n.data('serviceId')))],
      warn: cy
        ?.nodes('.quota-warn')
        .map((n) => n.data('segmentId'))
        .sort(),
      badge: cy?.getElementById('seg:group:sg-app').data('label'),
      full: cy?.getElementById('seg:group:sg-app').data('full'),
    };
  });
  expect(state.broken).toContain('broken');
  expect(state.allowed).toContain('allowed');
  expect(state.hubs).toEqual(['auth']);
  // Only the focused band is drawn; the network band's subnet is marked once it is focused.
  expect(state.warn).toEqual(['group:sg-app']);
  // One form of marks on every unit (badges.ts): ★ hubs, △ the quota's figures, then broken calls —
  // drawn in the longest form the box holds (titles.ts), whole in the tooltip.
  expect(state.badge).toMatch(/^sg-app · 7 ★.* △ 4\/5/);
  expect(state.full).toBe('sg-app · 7 ★ 1 hub · △ 4/5 rules · 1 broken');
  await page.getByTestId('focus-network').click();
  await expect
    .poll(() => page.evaluate(() => window.segscope.cy?.nodes('.quota-warn').map((n) => n.data('segmentId'))))
    .toEqual(['network:subnet-data']);
  const analysis = await page.evaluate(() => window.segscope.analysis());
  expect(analysis.calls.filter((c) => c.class === 'broken').map((c) => `${c.from}>${c.to}`)).toEqual([
    'web>search',
    'orders>db-orders',
  ]);
});

test('window.segscope.reach gives per-level verdicts with the deciding rule', async ({ page }) => {
  await openApp(page);
  const v = await page.evaluate(() => window.segscope.reach('orders', 'db-orders', 5432));
  expect(v.reachable).toBe(false);
  expect(v.levels.group.verdict).toBe('deny');
  expect(v.levels.network.verdict).toBe('allow');
  expect(v.levels.network.rule?.id).toBe('pcx-core-data');
  const ok = await page.evaluate(() => window.segscope.reach('checkout', 'payments', 8443));
  expect(ok.reachable).toBe(true);
  expect(ok.levels.policy.rule?.id).toBe('k8s:shop/payments-from-checkout');
});

test('the findings filter narrows by level and severity', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('finding-group').first()).toBeVisible();
  await page.getByTestId('findings-severity').selectOption('error');
  await expect(page.getByTestId('finding-group')).toHaveCount(1);
  await page.getByTestId('finding-group').click();
  await expect(page.getByTestId('finding')).toHaveCount(2);
  await page.getByTestId('findings-level').selectOption('overlay');
  await page.getByTestId('finding-group').click();
  await expect(page.getByTestId('finding')).toHaveCount(1);
  await expect(page.getByTestId('finding')).toContainText('web → search');
});

test('the inspector answers for any pair: pick a peer and a port, see each level', async ({ page }) => {
  await openApp(page);
  await page.evaluate(() => {
    window.segscope.cy?.nodes('[serviceId = "orders"][level = "group"]').first().emit('tap');
  });
  await page.getByTestId('pair-peer').selectOption({ label: 'db-users (shop)' });
  await page.getByTestId('pair-port').fill('5432');
  await expect(page.getByTestId('pair-reachable')).toHaveText('not reachable: denied at group');
  await page.getByTestId('pair-peer').selectOption({ label: 'inventory (shop)' });
  await page.getByTestId('pair-port').fill('8080');
  await expect(page.getByTestId('pair-reachable')).toHaveText('reachable');
  await expect(page.getByTestId('pair-verdicts').getByTestId('verdict-group')).toHaveAttribute('data-verdict', 'allow');
});
