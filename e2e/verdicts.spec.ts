// The verdicts landing at scale: the band is redrawn in short tasks of its own (src/graph/tasks.ts),
// and what it draws is what a redraw at once draws, with the selection still marked.
import { expect, type Page, test } from '@playwright/test';
import { toNative } from '../src/formats/native/write';
import { generateTopology } from '../src/gen/generate';
import { openApp } from './helpers';

const SERVICES = 1000;
const estate = generateTopology({
  services: SERVICES,
  segments: SERVICES / 4,
  calls: 3 * SERVICES,
  seed: 42,
}).workspace;
const text = toNative(estate);

/** Every drawn element: its classes and label, by id. */
const drawing = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      (window.segscope.cy?.elements() ?? []).map((e) => [
        e.id(),
        `${[...e.classes()].sort().join(' ')}|${String(e.data('label') ?? '')}`,
      ]),
    ),
  );

test('1,000 services: the verdicts redrawn in short tasks are the drawing a redraw at once makes, the selected service still marked', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openApp(page);
  await page.evaluate((t) => window.segscope.load([{ name: 'estate-1000.segscope.json', text: t }]), text);
  // A service selected as soon as the band is there, most likely before its verdicts land.
  const focus = await page.evaluate(() => window.segscope.focus());
  const service = estate.services.find((s) => (s.memberships[focus]?.length ?? 0) > 0)?.id ?? '';
  expect(await page.evaluate((id) => window.segscope.reveal(id), service)).toBe(true);
  const analysis = await page.evaluate(() => window.segscope.analysis());
  const broken = analysis.calls.filter((c) => c.class === 'broken').length;
  expect(broken).toBeGreaterThan(0);
  const inTasks = await drawing(page);
  // Verdict classes are drawn (DESIGN.md: broken calls red, alone or inside an aggregate), and the
  // selection is marked.
  const classes = Object.values(inTasks).flatMap((v) => v.split('|')[0]?.split(' ') ?? []);
  expect(classes.some((c) => c === 'broken' || c === 'has-broken')).toBe(true);
  expect(
    await page.evaluate(
      (id) => window.segscope.cy?.nodes('.highlight').filter((n) => n.data('serviceId') === id).length ?? 0,
      service,
    ),
  ).toBeGreaterThan(0);
  // The same state redrawn at once (a view option switched on and off again, as a person would).
  await page.getByTestId('view-menu').click();
  await page.getByTestId('show-excess').check();
  await page.getByTestId('show-excess').uncheck();
  await page.keyboard.press('Escape');
  await page.evaluate(() => window.segscope.analysis());
  expect(await drawing(page)).toEqual(inTasks);
});
