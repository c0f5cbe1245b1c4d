// Export from the app's Export menu to every format segscope writes, then read the downloads back:
// each format keeps the connectivity of the levels it can express (per level, as `segscope diff` compares).
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { roundTripDiffs } from '../src/analysis/round-trip';
import { WRITERS } from '../src/formats/registry';
import { importFiles } from '../src/import/index';
import { LEVELS, type Level, type Workspace } from '../src/model/types';
import { openApp } from './helpers';

interface Downloaded {
  name: string;
  text: string;
}

/** Choose a format in the Export menu, read the notes the dialog shows, click Download and collect every file. */
const exportAs = async (page: Page, value: string): Promise<{ notes: string[]; files: Downloaded[] }> => {
  await page.getByTestId('export').selectOption(value);
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  const count = await page.getByTestId('export-file').count();
  const notes = await page.getByTestId('export-note').allTextContents();
  const downloads: Promise<Downloaded>[] = [];
  const collect = new Promise<void>((resolve) => {
    const onDownload = (d: import('@playwright/test').Download) => {
      downloads.push(d.path().then((p) => ({ name: d.suggestedFilename(), text: readFileSync(p, 'utf8') })));
      if (downloads.length === count) {
        page.off('download', onDownload);
        resolve();
      }
    };
    page.on('download', onDownload);
  });
  await page.getByTestId('export-download').click();
  await collect;
  await expect(dialog).toBeHidden();
  return { notes, files: await Promise.all(downloads) };
};

/** The levels whose allowed connectivity differs between the two workspaces (connlist diff per level). */
const differingLevels = (before: Workspace, after: Workspace, levels: readonly Level[]): string[] =>
  roundTripDiffs(before, after, levels).map(
    ({ level, diff: d }) => `${level}: +${d.added.length} −${d.removed.length} ~${d.changed.length}`,
  );

const readBack = (files: Downloaded[]) => {
  const r = importFiles(files);
  const errors = [...r.report.files.flatMap((f) => f.diagnostics), ...r.report.diagnostics].filter(
    (d) => d.severity === 'error',
  );
  return { workspace: r.workspace, errors };
};

const appWorkspace = async (page: Page): Promise<Workspace> =>
  (await page.evaluate(() => window.segscope.workspace())) as Workspace;

test('the Export menu offers every format segscope writes, beside the view and the change plan', async ({ page }) => {
  await openApp(page);
  const options = await page
    .getByTestId('export')
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  expect(options).toEqual([
    'png',
    'svg',
    'native',
    'compose',
    'k8s',
    'calico',
    'aws-sg',
    'terraform',
    'plan-md',
    'plan-json',
  ]);
});

// The built-in sample (all six levels): native keeps all of them, Compose the overlay level, the AWS CLI
// exports the account, role, network and group levels. Kubernetes writes every service as a pod of its
// namespace (so NetworkPolicies apply to services the sample keeps outside Kubernetes): its round trip is
// checked on the Kubernetes sample below. Calico has nothing to write here (no Calico policy).
const ROUND_TRIPS: [string, readonly Level[]][] = [
  ['native', LEVELS],
  ['compose', ['overlay']],
  ['aws-sg', ['account', 'role', 'network', 'group']],
];

for (const [format, levels] of ROUND_TRIPS) {
  test(`exports the sample as ${format} from the menu and reads it back with the same ${levels.join(', ')} connectivity`, async ({
    page,
  }) => {
    await openApp(page);
    const before = await appWorkspace(page);
    const { files } = await exportAs(page, format);
    expect(files.length).toBeGreaterThan(0);
    const back = readBack(files);
    expect(back.errors).toEqual([]);
    expect(back.workspace.services.map((s) => s.name).sort()).toEqual(before.services.map((s) => s.name).sort());
    expect(differingLevels(before, back.workspace, levels)).toEqual([]);
  });
}

/** Writers whose round trip the Kubernetes-sample test below checks. */
const K8S_SAMPLE_ROUND_TRIPS = ['k8s', 'calico'];

test('every writer segscope reads back has a round trip from the Export menu here (Terraform HCL is not read back)', () => {
  const covered = [...ROUND_TRIPS.map(([f]) => f), ...K8S_SAMPLE_ROUND_TRIPS].sort();
  expect(covered).toEqual(
    WRITERS.filter((w) => w.readsBack)
      .map((w) => w.name)
      .sort(),
  );
  expect(WRITERS.filter((w) => !w.readsBack).map((w) => w.name)).toEqual(['terraform']);
});

test('shows what Terraform could not express before downloading its HCL; Calico with nothing to write offers no download', async ({
  page,
}) => {
  await openApp(page);
  const { notes, files } = await exportAs(page, 'terraform');
  expect(files.map((f) => f.name)).toEqual(['security-groups.tf']);
  expect(files[0]?.text).toContain('resource "aws_security_group"');
  expect(notes.some((n) => n.includes('which instances are in which group is not written'))).toBe(true);
  await page.getByTestId('export').selectOption('calico');
  await expect(page.getByTestId('export-dialog')).toContainText('Nothing to write in this format.');
  await expect(page.getByTestId('export-download')).toBeDisabled();
  await page.getByTestId('export-cancel').click();
  await expect(page.getByTestId('export-dialog')).toBeHidden();
});

test('exports the Kubernetes sample as Kubernetes and Calico files that read back with the same connectivity on every level', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('samples').selectOption({ label: 'Kubernetes shop with NetworkPolicies + Calico tiers' });
  await page.waitForFunction(() => window.segscope.workspace()?.services.some((s) => s.id.startsWith('k8s:')));
  const before = await appWorkspace(page);
  const k8s = await exportAs(page, 'k8s');
  const calico = await exportAs(page, 'calico');
  expect(k8s.files.map((f) => f.name)).toEqual(['k8s.yaml']);
  expect(calico.files.length).toBe(1);
  const back = readBack([...k8s.files, ...calico.files]);
  expect(back.errors).toEqual([]);
  expect(differingLevels(before, back.workspace, LEVELS)).toEqual([]);
});
