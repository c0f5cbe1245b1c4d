// The band is drawn in short tasks (src/graph/tasks.ts): a newer drawing always wins over one still being built.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { generateTopology } from '../src/gen/generate';
import { openApp } from './helpers';

const shop = readFileSync('public/samples/shop-estate.segscope.json', 'utf8');
const estate = JSON.stringify(generateTopology({ services: 1000, seed: 7 }).workspace);

/** Every element drawn: id, classes, and a node's position and size (what a person sees). */
const drawing = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const cy = window.segscope.cy;
    if (!cy) return [];
    return cy
      .elements()
      .map((e) => {
        const box = e.isNode() ? `@${Math.round(e.position('x'))},${Math.round(e.position('y'))}` : '';
        return `${e.id()}|${e.classes().join(' ')}${box}`;
      })
      .sort();
  });

test('a load made while another is still being drawn: the page ends with the newer workspace, drawn as a load of it alone', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openApp(page);
  await page.evaluate((t) => window.segscope.load([{ name: 'shop.json', text: t }]), shop);
  await page.evaluate(() => window.segscope.analysis());
  const alone = await drawing(page);
  expect(alone.some((e) => e.includes('|'))).toBe(true);
  // The 1,000-service estate's drawing (a layout search of many steps) is still being built when the
  // shop's load lands: the estate's steps are abandoned, its elements never put back.
  await page.evaluate(
    async ({ big, small }) => {
      void window.segscope.load([{ name: 'estate.json', text: big }]);
      await window.segscope.load([{ name: 'shop.json', text: small }]);
    },
    { big: estate, small: shop },
  );
  await page.evaluate(() => window.segscope.analysis());
  expect(await drawing(page)).toEqual(alone);
  expect(await page.evaluate(() => window.segscope.workspace()?.services.length)).toBe(
    JSON.parse(shop).services.length,
  );
});

test('a unit opened and folded again before its redraw is done: the band is drawn folded, as before', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openApp(page);
  await page.evaluate((t) => window.segscope.load([{ name: 'estate.json', text: t }]), estate);
  await page.evaluate(() => window.segscope.analysis());
  const before = await drawing(page);
  const unit = await page.evaluate(() => {
    const cells = window.segscope.cy?.nodes('.folded, .summary') ?? null;
    return cells && cells.length > 0 ? String(cells[0]?.data('unit')) : null;
  });
  expect(unit).not.toBeNull();
  // Opened: more is drawn (its content).
  await page.evaluate((u) => window.segscope.expand(u as string), unit);
  const opened = await drawing(page);
  expect(opened.length).toBeGreaterThan(before.length);
  await page.evaluate((u) => window.segscope.collapse(u as string), unit);
  expect(await drawing(page)).toEqual(before);
  // Open and fold in the same task: the opening's redraw is abandoned, never applied after the fold's.
  await page.evaluate(async (u) => {
    void window.segscope.expand(u as string);
    await window.segscope.collapse(u as string);
  }, unit);
  await page.evaluate(() => window.segscope.analysis());
  expect(await drawing(page)).toEqual(before);
});
