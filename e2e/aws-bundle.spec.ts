// An AWS collector bundle as a reviewer meets it: one file of SDK shapes reads like the separate CLI exports.
import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

const SAMPLE = 'AWS collector bundle — NACLs, internet gateway, route tables (cloud-resource-collector + AWS CLI)';

test('opens the collector bundle sample: the call the data subnet ACL denies is drawn broken, with the ACL entry that decided', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('samples').selectOption({ label: SAMPLE });
  await expect(page.getByTestId('workspace-name')).toHaveText('Shop VPC from a collector bundle (sample)');
  const files = page.getByTestId('import-file');
  await expect(files).toHaveCount(3);
  await expect(files.filter({ hasText: 'collector-bundle.json' })).toContainText('aws');
  await expect(files.filter({ hasText: 'collector-bundle.json' })).toContainText('4 services');
  await expect(page.getByTestId('diagnostic')).toHaveCount(0);

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
  await expect.poll(drawn).toEqual(['api>orders-db allowed', 'web>api allowed', 'web>orders-db broken']);

  await page.locator('[data-testid="finding-group"][data-rule="broken-call"]').click();
  await page.locator('[data-testid="finding"][data-finding="broken-call"]', { hasText: 'web → orders-db' }).click();
  await expect(page.getByTestId('call-verdict')).toHaveText('broken: denied at network');
  const network = page.getByTestId('verdict-network');
  await expect(network).toHaveAttribute('data-verdict', 'deny');
  await expect(network).toContainText('On data-nacl (data-1a) no numbered rule allows');
  await expect(page.getByTestId('source-network')).toHaveText('collector-bundle.json:428'); // data-nacl's inbound * entry
});

test('with the route tables loaded, a public address in a private subnet is not marked exposed, and the inspector says why', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('samples').selectOption({ label: SAMPLE });
  await expect(page.getByTestId('workspace-name')).toHaveText('Shop VPC from a collector bundle (sample)');
  await page.getByTestId('focus-network').click();
  await page.waitForFunction(() => window.segscope.focus() === 'network');
  const marks = () =>
    page.evaluate(() =>
      window.segscope.cy
        ?.nodes('[kind = "service"]')
        .map((n) => `${n.data('label')}${n.hasClass('exposed') ? ' exposed' : ''}`)
        .sort(),
    );
  await expect.poll(marks).toEqual(['admin', 'api', 'orders-db', '⚑ web exposed']);
  const findings = await page.evaluate(
    async () => (await window.segscope.analysis()).findings.filter((f) => f.id === 'exposed-colocated').length,
  );
  expect(findings).toBe(0);

  await page.getByTestId('search').fill('admin');
  await page.getByTestId('search').press('Enter');
  await expect(page.getByTestId('unexposed')).toContainText(
    'public address, not exposed: private-main (app-1a) sends internet-bound traffic (0.0.0.0/0) to nat-0e5b00000000000f1, not to an internet gateway',
  );
  await expect(page.getByTestId('unexposed')).toContainText('describe-route-tables.json:23');
});
