// Transit gateway route tables as a reviewer meets them: prod and dev share a gateway but their tables keep them apart.
import { expect, test } from '@playwright/test';
import { drawnCalls, openSampleBand, selectBrokenCall } from './helpers';

const SAMPLE =
  'AWS transit gateway route tables — prod and dev kept apart, shared services reachable (AWS CLI + flow-log calls)';
const TITLE = 'Transit gateway route tables: prod and dev isolated, shared services reachable (sample)';

test('opens the transit gateway sample: calls between prod and dev are broken by their route tables, calls to shared services are not', async ({
  page,
}) => {
  await openSampleBand(page, SAMPLE, TITLE, 'network');
  await expect
    .poll(() => drawnCalls(page))
    .toEqual([
      'checkout-dev>artifacts allowed',
      'checkout-dev>checkout broken',
      'checkout>checkout-dev broken',
      'checkout>ldap allowed',
    ]);
  // The three VPCs are drawn as segments of the network band, each with its service(s).
  const vpcs = await page.evaluate(() =>
    (window.segscope.cy?.nodes('[kind = "segment"][level = "network"]').map((n) => n.data('label') as string) ?? [])
      .filter((l) => /-vpc/.test(l))
      .map((l) => l.split(' ')[0])
      .sort(),
  );
  expect(vpcs).toEqual(['dev-vpc', 'prod-vpc', 'shared-vpc']);

  // prod's table blackholes dev's range: the explicit isolation route decides, with its file and line.
  await selectBrokenCall(page, 'checkout → checkout-dev');
  await expect(page.getByTestId('call-verdict')).toHaveText('broken: denied at network');
  const network = page.getByTestId('verdict-network');
  await expect(network).toHaveAttribute('data-verdict', 'deny');
  await expect(network).toContainText('transit gateway route table prod-tgw-rt');
  await expect(network).toContainText('to a blackhole');
  await expect(page.getByTestId('source-network')).toHaveText(
    'search-transit-gateway-routes-tgw-rtb-0e70000000000a301.json:15',
  );

  // dev's table has no route to prod at all: no route, no path.
  await selectBrokenCall(page, 'checkout-dev → checkout');
  await expect(network).toContainText('dev-tgw-rt');
  await expect(network).toContainText('no route, no path');

  const state = await page.evaluate(async () => {
    const ws = window.segscope.workspace();
    const id = (name: string) => ws?.services.find((s) => s.name === name)?.id ?? '';
    const pair = async (a: string, b: string, port: number) => {
      const v = await window.segscope.reach(id(a), id(b), port);
      return [v.reachable, v.levels.network.verdict, v.levels.network.rule?.id ?? null];
    };
    const broken = (await window.segscope.analysis()).findings
      .filter((f) => f.id === 'broken-call')
      .map((f) => f.level)
      .sort();
    return {
      tables: ws?.rules.filter((r) => r.type === 'tgw-route-table').length,
      broken,
      ldap: await pair('checkout', 'ldap', 636),
      back: await pair('checkout-dev', 'checkout', 8080),
    };
  });
  expect(state).toEqual({
    // three tables described, three tables' routes searched
    tables: 6,
    broken: ['network', 'network'],
    // allowed through the transit gateway, named by the callee's attachment
    ldap: [true, 'allow', 'aws:tgw-attach-0e72000000000c201'],
    back: [false, 'deny', 'aws:tgw-rtb-0e71000000000b301:routes'],
  });
});

test('the same estate from a Terraform state draws the same calls, broken by the same route tables', async ({
  page,
}) => {
  await openSampleBand(
    page,
    'AWS transit gateway route tables (Terraform state)',
    'Transit gateway route tables, Terraform state (sample)',
    'network',
  );
  await expect
    .poll(() => drawnCalls(page))
    .toEqual([
      'checkout-dev>artifacts allowed',
      'checkout-dev>checkout broken',
      'checkout>checkout-dev broken',
      'checkout>ldap allowed',
    ]);
  await selectBrokenCall(page, 'checkout → checkout-dev');
  const network = page.getByTestId('verdict-network');
  await expect(network).toHaveAttribute('data-verdict', 'deny');
  await expect(network).toContainText('transit gateway route table prod-tgw-rt');
  await expect(network).toContainText('to a blackhole');
  // The aws_ec2_transit_gateway_route resource that blackholes dev's range (its values, line 599).
  await expect(page.getByTestId('source-network')).toHaveText('tgw-route-tables.json:599');
});
