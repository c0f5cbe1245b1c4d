// Loads over an edited workspace (README: opening is undoable): Open through the file picker, and a long import cancelled.
import { expect, type Page, test } from '@playwright/test';
import { openApp } from './helpers';

/** The sample's service `auth` leaves its first overlay network: an edit to find again afterwards. */
const editAuth = (page: Page) =>
  page.evaluate(() => {
    const from = window.segscope.workspace()?.services.find((s) => s.id === 'auth')?.memberships.overlay?.[0];
    return window.segscope.move({ service: 'auth', level: 'overlay', from: from ?? null, to: null });
  });
const authOverlay = (page: Page) =>
  page.evaluate(() => window.segscope.workspace()?.services.find((s) => s.id === 'auth')?.memberships.overlay);

/** `aws ec2 describe-security-groups` of `n` groups, each reached from a CIDR and from another group. */
const securityGroups = (n: number): string =>
  JSON.stringify({
    SecurityGroups: Array.from({ length: n }, (_, i) => ({
      GroupId: `sg-${i.toString(16).padStart(17, '0')}`,
      GroupName: `group-${i}`,
      Description: `group ${i}`,
      VpcId: `vpc-${(i % 40).toString(16).padStart(17, '0')}`,
      OwnerId: '123456789012',
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          IpRanges: [{ CidrIp: `10.${(i >> 8) & 255}.${i & 255}.0/24` }],
        },
        {
          IpProtocol: 'tcp',
          FromPort: 5432,
          ToPort: 5432,
          UserIdGroupPairs: [{ GroupId: `sg-${((i * 7919) % n).toString(16).padStart(17, '0')}` }],
        },
      ],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    })),
  });

test('edit, then Open a file: Undo brings the edited workspace back', async ({ page }) => {
  await openApp(page);
  expect(await editAuth(page)).toBe(true);
  const edited = await authOverlay(page);
  await page.getByTestId('file-input').setInputFiles('e2e/fixtures/tiny.segscope.json');
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Shop estate (sample)');
  expect(await authOverlay(page)).toEqual(edited);
});

test('a long import shows its progress with Cancel; Cancel keeps the edited workspace and the engine goes on', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openApp(page);
  expect(await editAuth(page)).toBe(true);
  const edited = await authOverlay(page);
  const findings = await page.evaluate(async () => (await window.segscope.analysis()).findings.length);
  // 12,000 groups (~18 MB): seconds to read and analyse on any machine, so the progress row shows.
  await page.getByTestId('file-input').setInputFiles({
    name: 'describe-security-groups.json',
    mimeType: 'application/json',
    buffer: Buffer.from(securityGroups(12_000)),
  });
  await expect(page.getByTestId('progress')).toContainText(/(Reading|Analysing) .* \d+ s/);
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await expect(page.getByTestId('workspace-name')).toHaveText('Shop estate (sample)');
  expect(await authOverlay(page)).toEqual(edited);
  // A new engine holds the history: the workspace is analysed again, and undo still reaches the edit.
  const again = await page.evaluate(async () => (await window.segscope.analysis()).findings.length);
  expect(again).toBe(findings);
  await page.getByTestId('undo').click();
  await expect.poll(() => authOverlay(page)).not.toEqual(edited);
});
