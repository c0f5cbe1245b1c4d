// Docker's runtime view as a reviewer meets it: the host's networks, the Compose project's containers joined to its services.
import { expect, test } from '@playwright/test';
import { drawnServices, openApp } from './helpers';

const SAMPLE = "Docker networks (docker network inspect) with the voting app's Compose file";

test('opens the docker network inspect sample with its Compose file: one service per Compose service on the runtime networks; enable_icc=false keeps two jobs apart', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('samples').selectOption({ label: SAMPLE });
  // Neither file names the workspace: wait for the runtime's containers instead.
  await page.waitForFunction(() => window.segscope.workspace()?.services.some((s) => s.id === 'docker:report-job'));
  await page.getByTestId('focus-overlay').click();
  await page.waitForFunction(() => window.segscope.focus() === 'overlay');
  // Every container drawn once per network it is on; the voting app's containers as their Compose services.
  await expect
    .poll(async () => (await drawnServices(page)).filter((s) => s.includes('voting-app_back-tier')))
    .toEqual(
      ['db', 'redis', 'result', 'vote', 'worker'].map(
        (n) => `overlay|compose:voting-app/${n}|overlay:voting-app_back-tier`,
      ),
    );
  expect((await drawnServices(page)).filter((s) => s.includes('overlay:batch-jobs'))).toEqual([
    'overlay|docker:cleanup-job|overlay:batch-jobs',
    'overlay|docker:report-job|overlay:batch-jobs',
  ]);
  const state = await page.evaluate(async () => {
    const ws = window.segscope.workspace();
    const db = ws?.services.find((s) => s.id === 'compose:voting-app/db');
    const jobs = await window.segscope.reach('docker:report-job', 'docker:cleanup-job');
    const tiers = await window.segscope.reach('compose:voting-app/worker', 'compose:voting-app/db', 5432);
    return {
      db: [db?.kind, db?.addresses],
      jobs: [jobs.reachable, jobs.levels.overlay.rule?.summary],
      tiers: [tiers.reachable, tiers.levels.overlay.rule?.summary],
    };
  });
  expect(state).toEqual({
    db: ['datastore', ['172.18.0.3']],
    jobs: [false, 'network batch-jobs with enable_icc=false'],
    tiers: [true, 'both on network voting-app_back-tier'],
  });
});
