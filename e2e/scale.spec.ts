// At scale, as a person would use it: a 5,000-service estate loads with progress shown, and keys typed during long work are kept.
import { expect, test } from '@playwright/test';
import { generateTopology } from '../src/gen/generate';
import { openApp } from './helpers';

const SERVICES = 5000;
const text = JSON.stringify(
  generateTopology({ services: SERVICES, segments: SERVICES / 4, calls: 3 * SERVICES, seed: 42 }).workspace,
);

test('a 5,000-service estate: the status line shows the analysis progress; right after a drop, M opens the Move dialog and every key typed lands in its filter', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openApp(page);
  // Every text the status line shows, in order (the progress comes and goes between two looks).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { statusSeen: string[] }).statusSeen = seen;
    const status = document.querySelector('[data-testid="status"]');
    if (!status) return;
    new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  await page.evaluate((t) => window.segscope.load([{ name: 'estate-5000.json', text: t }]), text);
  await page.evaluate(() => window.segscope.analysis());
  const seen = await page.evaluate(() => (window as unknown as { statusSeen: string[] }).statusSeen);
  // DESIGN.md: long work shows progress. The analysis of 5,000 services takes seconds here.
  expect(
    seen.some((s) => /^Analysing 5,000 services… \d+ %$/.test(s)),
    seen.join(' | '),
  ).toBe(true);
  await expect(page.getByTestId('status')).toHaveText('');

  // Select a service as a person would: through a broken call in the findings (rule, then segment pair).
  const broken = page.locator('[data-testid="finding-group"][data-rule="broken-call"]');
  await broken.click();
  const pair = broken.locator('xpath=..').getByTestId('finding-subgroup').first();
  if ((await pair.getAttribute('aria-expanded')) !== 'true') await pair.click();
  await broken.locator('xpath=..').locator('[data-testid="finding"][data-finding="broken-call"]').first().click();
  await expect(page.getByTestId('move-to')).toBeVisible();
  // A drop starts long work (a redraw here, the analysis in the worker); the keys come right after it.
  const ws = await page.evaluate(() => window.segscope.workspace());
  const svc = ws?.services.find((s) => (s.memberships.group?.length ?? 0) > 0);
  const from = svc?.memberships.group?.[0] ?? null;
  const to = ws?.segments.find((s) => s.level === 'group' && s.id !== from)?.id ?? null;
  expect(svc && from && to).toBeTruthy();
  const entries = await page.getByTestId('history-entry').count();
  await page.evaluate(
    (m) => {
      void window.segscope.move(m);
    },
    { service: svc?.id ?? '', level: 'group' as const, from, to },
  );
  await page.keyboard.press('m');
  await page.keyboard.type('checkout-sg', { delay: 0 });
  await expect(page.getByTestId('move-dialog')).toBeVisible();
  await expect(page.getByTestId('move-search')).toHaveValue('checkout-sg');
  await expect(page.getByTestId('move-candidate').first()).toContainText('checkout');
  await expect(page.getByTestId('history-entry')).toHaveCount(entries + 1);
  await expect(page.getByTestId('history-entry').last()).toContainText(`move ${svc?.name}`);
});
