// Keys only: skip to the graph, walk its services, select, move with M, undo; the toolbar, search and findings.
import { expect, type Page, test } from '@playwright/test';
import { openApp } from './helpers';

/** The focused element's test id (or tag), as the page sees it. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    return a?.dataset.testid ?? a?.tagName.toLowerCase() ?? '';
  });

/** Press Tab until the focused element has this test id (at most `max` presses); fails otherwise. */
const tabTo = async (page: Page, testid: string, max = 60, key = 'Tab') => {
  for (let i = 0; i < max; i++) {
    if ((await focused(page)) === testid) return;
    await page.keyboard.press(key);
  }
  expect(await focused(page)).toBe(testid);
};

/** The node under the keyboard cursor: its service (or segment) id. */
const cursor = (page: Page) =>
  page.evaluate(() => {
    const n = window.segscope.cy?.nodes('.cursor');
    return n?.length === 1 ? ((n.data('serviceId') ?? n.data('segmentId')) as string) : null;
  });

test('keys only: skip to the graph, arrows walk services, Enter selects, M and Enter move, Escape clears, Ctrl+Z undoes', async ({
  page,
}) => {
  await openApp(page);
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('skip-to-graph');
  await expect(page.getByTestId('skip-to-graph')).toBeInViewport();
  await page.keyboard.press('Enter');
  expect(await focused(page)).toBe('graph-canvas');
  // The first arrow puts the cursor on the first service in reading order; the next ones walk.
  await page.keyboard.press('ArrowRight');
  const first = await cursor(page);
  expect(first).not.toBeNull();
  await expect(page.getByTestId('canvas-cursor')).toContainText('Enter selects, M moves, Escape clears');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  const walked = await cursor(page);
  expect(walked).not.toBe(first);
  // The cursor is always on screen.
  const inView = await page.evaluate(() => {
    const cy = window.segscope.cy;
    const p = cy?.nodes('.cursor').first().renderedPosition();
    return !!cy && !!p && p.x >= 0 && p.y >= 0 && p.x <= cy.width() && p.y <= cy.height();
  });
  expect(inView).toBe(true);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => window.segscope.selection().serviceId)).toBe(walked);
  const name = await page.evaluate(
    (id) => window.segscope.workspace()?.services.find((s) => s.id === id)?.name,
    walked,
  );
  await expect(page.getByTestId('inspector')).toContainText(name as string);

  // M: the Move dialog, its filter focused. Typing another segment's name and Enter picks it.
  const move = await page.evaluate((id) => {
    const ws = window.segscope.workspace();
    const level = window.segscope.focus();
    const from = ws?.services.find((s) => s.id === id)?.memberships[level]?.[0];
    const others = ws?.segments.filter((s) => s.level === level && s.id !== from) ?? [];
    const to = others[0];
    const matches = others.filter((s) => to && s.name.toLowerCase().includes(to.name.toLowerCase())).length;
    return { level, from, to: to?.id, toName: to?.name, matches };
  }, walked);
  expect(move.to).toBeDefined();
  await page.keyboard.press('m');
  await expect(page.getByTestId('move-dialog')).toBeVisible();
  expect(await focused(page)).toBe('move-search');
  // ↓ goes into the list of segments, ↑ from its first entry back to the filter.
  await page.keyboard.press('ArrowDown');
  expect(await focused(page)).toBe('move-candidate');
  await page.keyboard.press('ArrowUp');
  expect(await focused(page)).toBe('move-search');
  await page.keyboard.type(move.toName as string);
  await expect(page.getByTestId('move-matches')).toHaveText(
    move.matches === 1 ? '1 segment matches: Enter picks it' : `${move.matches} segments match`,
  );
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('move-candidate').and(page.locator('[aria-pressed="true"]'))).toHaveText(
    move.toName as string,
  );
  await tabTo(page, 'move-confirm', 10);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('move-dialog')).toHaveCount(0);
  await expect
    .poll(() =>
      page.evaluate(
        ({ id, level }) => window.segscope.workspace()?.services.find((s) => s.id === id)?.memberships[level],
        { id: walked, level: move.level },
      ),
    )
    .toEqual([move.to]);
  // The focus is back on the canvas, where M was pressed.
  expect(await focused(page)).toBe('graph-canvas');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.evaluate(() => window.segscope.selection().serviceId ?? null)).toBeNull();
  await page.keyboard.press('Control+z');
  await expect
    .poll(() =>
      page.evaluate(
        ({ id, level }) => window.segscope.workspace()?.services.find((s) => s.id === id)?.memberships[level]?.[0],
        { id: walked, level: move.level },
      ),
    )
    .toBe(move.from);
});

test('keys only: the toolbar focuses a band, search + Enter selects, a finding opens with Enter', async ({ page }) => {
  await openApp(page);
  await tabTo(page, 'focus-network');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => window.segscope.focus())).toBe('network');
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('focus-group');
  await page.keyboard.press('Space');
  await expect.poll(() => page.evaluate(() => window.segscope.focus())).toBe('group');
  await tabTo(page, 'search');
  await page.keyboard.type('checkout');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => window.segscope.selection().serviceId)).toBe('checkout');
  await page.keyboard.press('Escape');
  // On into the left panel: the first group of findings opens with Enter, then a finding is chosen.
  await tabTo(page, 'finding-group');
  const rule = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.rule);
  await page.keyboard.press('Enter');
  await expect(page.locator(`[data-testid="finding-group"][data-rule="${rule}"]`)).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  for (let i = 0; i < 20 && (await focused(page)) !== 'finding'; i++) {
    await page.keyboard.press('Tab');
    const sub = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement;
      return a.classList.contains('sub-head') && a.getAttribute('aria-expanded') === 'false';
    });
    if (sub) await page.keyboard.press('Enter');
  }
  expect(await focused(page)).toBe('finding');
  const subject = await page.evaluate(() => (document.activeElement as HTMLElement).textContent ?? '');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => Object.keys(window.segscope.selection()).length)).toBeGreaterThan(0);
  expect(subject).toContain(rule === 'broken-call' ? '→' : '');
});
