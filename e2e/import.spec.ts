import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { openApp } from './helpers';

/** Drop files onto the page as a user dragging them from a file manager would. */
const dropFiles = async (page: Page, files: { name: string; path: string }[]) => {
  const payload = files.map((f) => ({ name: f.name, text: readFileSync(f.path, 'utf8') }));
  const dt = await page.evaluateHandle((list) => {
    const d = new DataTransfer();
    for (const f of list) d.items.add(new File([f.text], f.name, { type: 'application/octet-stream' }));
    return d;
  }, payload);
  await page.dispatchEvent('.app', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('.app', 'drop', { dataTransfer: dt });
};

/** Distinct services drawn in a band, after focusing it with its toolbar button (one band is drawn at a time). */
const bandServices = async (page: Page, level: string) => {
  await page.getByTestId(`focus-${level}`).click();
  await page.waitForFunction((l) => window.segscope.focus() === l, level);
  // A band drawn as summaries shows its services once its segments are expanded.
  await page.evaluate(async () => {
    for (const id of window.segscope.cy?.nodes('.summary').map((n) => n.data('segmentId')) ?? [])
      await window.segscope.expand(id);
  });
  return page.evaluate(
    (l) =>
      [...new Set(window.segscope.cy?.nodes(`[kind = "service"][level = "${l}"]`).map((n) => n.data('serviceId')))]
        .length,
    level,
  );
};

test('drops a Compose file and a Kubernetes file: one merged workspace and a report per file', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [
    { name: 'voting-app.yml', path: 'public/samples/compose/voting-app.yml' },
    { name: 'shop.yaml', path: 'public/samples/k8s/shop.yaml' },
  ]);
  await expect(page.getByTestId('import-file')).toHaveCount(2);
  await expect(page.getByTestId('import-file').nth(0)).toContainText('voting-app.yml');
  await expect(page.getByTestId('import-file').nth(0)).toContainText('compose');
  await expect(page.getByTestId('import-file').nth(1)).toContainText('k8s');
  // Neither file names a workspace: the toolbar's title names the files it was read from.
  await expect(page.getByTestId('workspace-name')).toHaveText('voting-app.yml + 1 more');
  const ws = await page.evaluate(() => window.segscope.workspace());
  expect(ws?.sources).toEqual([
    { name: 'voting-app.yml', format: 'compose' },
    { name: 'shop.yaml', format: 'k8s' },
  ]);
  const ids = ws?.services.map((s) => s.id) ?? [];
  expect(ids.filter((id) => id.startsWith('compose:')).length).toBeGreaterThan(0);
  expect(ids.filter((id) => id.startsWith('k8s:')).length).toBe(8);
  expect(await bandServices(page, 'overlay')).toBeGreaterThan(0);
  expect(await bandServices(page, 'policy')).toBe(8);
});

test('drops AWS exports: the network and group bands fill with the instances', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [
    { name: 'describe-security-groups.json', path: 'public/samples/aws/describe-security-groups.json' },
    { name: 'describe-instances.json', path: 'public/samples/aws/describe-instances.json' },
    { name: 'describe-vpcs.json', path: 'public/samples/aws/describe-vpcs.json' },
  ]);
  await expect(page.getByTestId('import-file')).toHaveCount(3);
  await expect(page.getByTestId('import-file').nth(0)).toContainText('aws');
  await expect(page.getByTestId('workspace-name')).toHaveText('describe-security-groups.json + 2 more');
  const ws = await page.evaluate(() => window.segscope.workspace());
  const instances = ws?.services.filter((s) => s.id.startsWith('aws:i-')) ?? [];
  expect(instances.length).toBeGreaterThan(5);
  expect(await bandServices(page, 'network')).toBe(instances.length);
  expect(await bandServices(page, 'group')).toBe(instances.length);
  // VPCs keep their names and CIDRs from describe-vpcs even though instances named them first.
  const vpcs = ws?.segments.filter((s) => s.attributes?.kind === 'vpc') ?? [];
  expect(vpcs.length).toBe(2);
  expect(vpcs.every((v) => (v.cidrs?.length ?? 0) > 0 && v.attributes?.stub !== true)).toBe(true);
});

test('a pasted Compose file is imported', async ({ page }) => {
  await openApp(page);
  const text = readFileSync('public/samples/compose/v1-proxy-app-db.yml', 'utf8');
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt }));
  }, text);
  await expect(page.getByTestId('import-file')).toContainText('pasted');
  await expect(page.getByTestId('import-file')).toContainText('compose');
  const names = await page.evaluate(() =>
    window.segscope
      .workspace()
      ?.services.map((s) => s.name)
      .sort(),
  );
  expect(names).toEqual(['app', 'cache', 'db', 'proxy']);
});
