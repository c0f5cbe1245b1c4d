// AWS network ACLs as a reviewer meets them: the sample's broken calls in the network band, and why each is broken.
import { expect, test } from '@playwright/test';
import { drawnCalls, openApp, openSampleBand, selectBrokenCall } from './helpers';

const SAMPLE = 'AWS network ACLs — request allowed, response blocked (AWS CLI + flow-log calls)';

test('opens the network ACL sample: the network band draws the two calls the ACLs break, and says why', async ({
  page,
}) => {
  await openSampleBand(page, SAMPLE, 'Payments VPC with network ACLs (sample)', 'network');
  await expect
    .poll(() => drawnCalls(page))
    .toEqual([
      'api>ledger-db allowed',
      'api>session-cache allowed',
      'batch>api allowed',
      'batch>ledger-db broken',
      'batch>session-cache broken',
      'web>api allowed',
    ]);

  // The response of batch → session-cache is what the data subnet's ACL blocks.
  await selectBrokenCall(page, 'batch → session-cache');
  await expect(page.getByTestId('call-verdict')).toHaveText('broken: denied at network');
  const network = page.getByTestId('verdict-network');
  await expect(network).toHaveAttribute('data-verdict', 'deny');
  await expect(network).toContainText('The request is allowed');
  await expect(network).toContainText('but the response is blocked: on data-nacl (data-1a)');
  await expect(page.getByTestId('source-network')).toHaveText('describe-network-acls.json:270');

  // batch → ledger-db: an explicit deny numbered below the allow.
  await selectBrokenCall(page, 'batch → ledger-db');
  await expect(network).toContainText('On data-nacl (data-1a) rule 90 denies inbound tcp 5432 from batch.');
  await expect(page.getByTestId('source-network')).toHaveText('describe-network-acls.json:219');

  const state = await page.evaluate(async () => {
    const ws = window.segscope.workspace();
    const id = (name: string) => ws?.services.find((s) => s.name === name)?.id ?? '';
    const analysis = await window.segscope.analysis();
    const same = await window.segscope.reach(id('batch'), id('api'), 8080);
    return {
      broken: analysis.calls.filter((c) => c.class === 'broken').map((c) => [c.from, c.to, c.deniedBy]),
      batch: id('batch'),
      ledger: id('ledger-db'),
      cache: id('session-cache'),
      sameSubnet: [same.levels.network.verdict, same.reachable],
    };
  });
  expect(state.broken).toEqual([
    [state.batch, state.ledger, ['network']],
    [state.batch, state.cache, ['network']],
  ]);
  // batch and api share a subnet: no network ACL is crossed.
  expect(state.sameSubnet).toEqual(['allow', true]);
});

test('the NACL ephemeral port range is a View setting: the AWS-advised 1024-65535 blocks responses the sample lets out to Linux ports only; undo restores', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('samples').selectOption({ label: SAMPLE });
  await expect(page.getByTestId('workspace-name')).toHaveText('Payments VPC with network ACLs (sample)');
  const broken = () =>
    page.evaluate(async () => {
      const ws = window.segscope.workspace();
      const name = (id: string) => ws?.services.find((s) => s.id === id)?.name;
      const a = await window.segscope.analysis();
      return a.calls
        .filter((c) => c.class === 'broken')
        .map((c) => `${name(c.from)}>${name(c.to)}`)
        .sort();
    });
  await expect.poll(broken).toEqual(['batch>ledger-db', 'batch>session-cache']);

  await page.getByTestId('view-menu').click();
  const field = page.getByTestId('ephemeral-ports');
  await expect(field).toHaveValue('32768-60999'); // the sample's own setting (a Linux estate)
  await field.fill('1024-65535');
  await field.press('Enter');
  await expect
    .poll(() => page.evaluate(() => window.segscope.workspace()?.settings?.ephemeralPorts))
    .toEqual({
      from: 1024,
      to: 65535,
    });
  // The data subnet lets responses out to 32768-60999 only: both calls into it from api now break too.
  await expect.poll(broken).toEqual(['api>ledger-db', 'api>session-cache', 'batch>ledger-db', 'batch>session-cache']);
  // A setting is not a file opened: the history says what was set.
  await expect(page.getByTestId('history-entry').last()).toHaveText('set NACL ephemeral ports 1024-65535');

  await field.fill('9000-80');
  await field.press('Enter');
  await expect(page.getByTestId('ephemeral-ports-problem')).toHaveText('from must not be above to');

  await page.keyboard.press('Escape');
  await page.getByTestId('undo').click();
  await expect.poll(broken).toEqual(['batch>ledger-db', 'batch>session-cache']);
});
