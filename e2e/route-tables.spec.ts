// AWS route tables as a reviewer meets them: a peering is a path only where both subnets route to it.
import { expect, test } from '@playwright/test';
import { drawnCalls, openSampleBand, selectBrokenCall } from './helpers';

const SAMPLE = 'AWS route tables — a peering without a route is no path (AWS CLI + flow-log calls)';

test('opens the route table sample: the calls the route tables leave without a path are drawn broken, with the table that decided', async ({
  page,
}) => {
  await openSampleBand(page, SAMPLE, 'Peered VPCs with route tables (sample)', 'network');
  await expect
    .poll(() => drawnCalls(page))
    .toEqual(['orders>metrics allowed', 'orders>vault broken', 'reports>metrics broken']);

  await selectBrokenCall(page, 'reports → metrics');
  await expect(page.getByTestId('call-verdict')).toHaveText('broken: denied at network');
  const network = page.getByTestId('verdict-network');
  await expect(network).toHaveAttribute('data-verdict', 'deny');
  await expect(network).toContainText('orders-main (orders-batch-1a) has no route for traffic to metrics');
  await expect(page.getByTestId('source-network')).toHaveText('describe-route-tables.json:3');

  await selectBrokenCall(page, 'orders → vault');
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
