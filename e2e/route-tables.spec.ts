// AWS route tables as a reviewer meets them: a peering is a path only where both subnets route to it.
import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

const SAMPLE = 'AWS route tables — a peering without a route is no path (AWS CLI + flow-log calls)';

test('opens the route table sample: the calls the route tables leave without a path are drawn broken, with the table that decided', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('samples').selectOption({ label: SAMPLE });
  await expect(page.getByTestId('workspace-name')).toHaveText('Peered VPCs with route tables (sample)');
  await page.getByTestId('focus-network').click();
  await page.waitForFunction(() => window.segscope.focus() === 'network');
  const names = await page.evaluate(() =>
    Object.fromEntries((window.segscope.workspace()?.services ?? []).map((s) => [s.id, s.name])),
  );
  const drawn = () =>
    page.evaluate(
      (n) =>
        window.segscope.cy
          ?.edges('[kind = "call"]')
          .map((e) => `${n[e.data('from')]}>${n[e.data('to')]} ${e.hasClass('broken') ? 'broken' : 'allowed'}`)
          .sort(),
      names,
    );
  await expect.poll(drawn).toEqual(['orders>metrics allowed', 'orders>vault broken', 'reports>metrics broken']);

  await page.locator('[data-testid="finding-group"][data-rule="broken-call"]').click();
  await page.locator('[data-testid="finding"][data-finding="broken-call"]', { hasText: 'reports → metrics' }).click();
  await expect(page.getByTestId('call-verdict')).toHaveText('broken: denied at network');
  const network = page.getByTestId('verdict-network');
  await expect(network).toHaveAttribute('data-verdict', 'deny');
  await expect(network).toContainText('orders-main (orders-batch-1a) has no route for traffic to metrics');
  await expect(page.getByTestId('source-network')).toHaveText('describe-route-tables.json:3');

  await page.locator('[data-testid="finding"][data-finding="broken-call"]', { hasText: 'orders → vault' }).click();
  await expect(network).toContainText('which is a blackhole');
  await expect(page.getByTestId('source-network')).toHaveText('describe-route-tables.json:60');

  const reach = await page.evaluate(async () => {
    const ws = window.segscope.workspace();
    const id = (name: string) => ws?.services.find((s) => s.name === name)?.id ?? '';
    const v = await window.segscope.reach(id('orders'), id('metrics'), 9090);
    return [v.reachable, v.levels.network.verdict, v.levels.network.rule?.id];
  });
  expect(reach).toEqual([true, 'allow', 'aws:pcx-0f1e2d3c4b5a60033']);
});
