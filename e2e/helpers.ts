// Shared steps for the browser tests: open the app and wait until the sample (or saved workspace) is drawn.
import { expect, type Page } from '@playwright/test';
import type { Level } from '../src/model/types';

export const openApp = async (page: Page): Promise<void> => {
  await page.goto('/');
  await page.waitForFunction(
    // An empty workspace draws nothing (its strips say "no data").
    () =>
      document.body.dataset.ready === 'true' &&
      !!window.segscope?.cy &&
      (window.segscope.cy.nodes().length > 0 || window.segscope.workspace()?.services.length === 0),
  );
};

/** Service nodes drawn, as "level|serviceId|segmentId" strings. */
export const drawnServices = (page: Page): Promise<string[]> =>
  page.evaluate(
    () =>
      window.segscope.cy
        ?.nodes('[kind = "service"]')
        .map((n) => `${n.data('level')}|${n.data('serviceId')}|${n.data('segmentId')}`)
        .sort() ?? [],
  );

/** Open a sample from the Samples menu by its label, as a person does. */
export const openSample = async (page: Page, label: string): Promise<void> => {
  await openApp(page);
  await page.getByTestId('samples').selectOption({ label });
};

/** Focus one band with its toolbar button and wait until the view follows. */
export const focusBand = async (page: Page, level: Level): Promise<void> => {
  await page.getByTestId(`focus-${level}`).click();
  await page.waitForFunction((l) => window.segscope.focus() === l, level);
};

/** Open a sample from the Samples menu by its label and focus one band, as a person does. */
export const openSampleBand = async (page: Page, label: string, title: string, level: Level): Promise<void> => {
  await openSample(page, label);
  await expect(page.getByTestId('workspace-name')).toHaveText(title);
  await focusBand(page, level);
};

/** The classes of the drawn call edges from one service to another (`broken`, `allowed`, …). */
export const callClasses = (page: Page, from: string, to: string): Promise<string[] | undefined> =>
  page.evaluate(
    ([f, t]) =>
      window.segscope.cy
        ?.edges('[kind = "call"]')
        .filter((e) => e.data('from') === f && e.data('to') === t)
        .map((e) => e.classes().join(' ')),
    [from, to],
  );

/** The calls drawn in the focused band, as "from>to allowed|broken" by service name, sorted. */
export const drawnCalls = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const names = new Map((window.segscope.workspace()?.services ?? []).map((s) => [s.id, s.name]));
    return (
      window.segscope.cy
        ?.edges('[kind = "call"]')
        .map(
          (e) =>
            `${names.get(e.data('from'))}>${names.get(e.data('to'))} ${e.hasClass('broken') ? 'broken' : 'allowed'}`,
        )
        .sort() ?? []
    );
  });

/** Select a broken call in the findings ("batch → api"), opening the broken-call group first when it is closed. */
export const selectBrokenCall = async (page: Page, call: string): Promise<void> => {
  const group = page.locator('[data-testid="finding-group"][data-rule="broken-call"]');
  if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click();
  await page.locator('[data-testid="finding"][data-finding="broken-call"]', { hasText: call }).click();
};
