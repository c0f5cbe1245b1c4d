// Shared steps for the browser tests: open the app and wait until the sample (or saved workspace) is drawn.
import type { Page } from '@playwright/test';

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
