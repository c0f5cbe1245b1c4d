// Screenshots for the README at 1280×720, a projector (needs `npm run build` and
// `npx vite preview --port 4317` running): npx tsx scripts/readme-shots.ts [sample inspector drag 5000 compose aws k8s]
import { readdirSync, readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { generateTopology } from '../src/gen/generate';
// @ts-expect-error plain ESM helper
import { CHROMIUM_ARGS, findChromium } from './chromium.mjs';

const url = process.env.SEGSCOPE_URL ?? 'http://127.0.0.1:4317/';
/** SHOTS_VIEWPORT=1600x1000 and SHOTS_DIR=/tmp/shots look at another size without touching the README's pictures. */
const [width, height] = (process.env.SHOTS_VIEWPORT ?? '1280x720').split('x').map(Number) as [number, number];
const dir = process.env.SHOTS_DIR ?? 'docs';
/** Shots named on the command line, or all of them. */
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);
const shoot = async (page: import('@playwright/test').Page, name: string) => {
  if (want(name)) await page.screenshot({ path: `${dir}/screenshot-${name}.png` });
};
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });

const open = async () => {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.evaluate(() => window.segscope.analysis());
  await page.waitForTimeout(500);
  return page;
};

/** Load files through the hook, wait for the analysis and the redraw. */
const load = async (files: { name: string; text: string }[]) => {
  const page = await open();
  await page.evaluate(async (f) => {
    await window.segscope.load(f);
    await window.segscope.analysis();
  }, files);
  await page.waitForTimeout(1500);
  return page;
};
const samples = (dir: string, only?: string) =>
  readdirSync(`public/samples/${dir}`)
    .filter((f) => !only || f === only)
    .map((f) => ({ name: f, text: readFileSync(`public/samples/${dir}/${f}`, 'utf8') }));

// 1. The sample as it opens: the security-group band focused, the five others as strips.
let page = await open();
await shoot(page, 'sample');
// 1b. A broken call from the Findings panel (its group opened): the inspector says which level and rule deny it.
await page.locator('[data-testid="finding-group"][data-rule="broken-call"]').click();
await page.locator('[data-testid="finding"][data-finding="broken-call"]').first().click();
await page.waitForTimeout(600);
await shoot(page, 'inspector');
await page.close();

// 2. A drag in progress with its what-if panel.
page = await open();
const box = await page.getByTestId('graph-canvas').boundingBox();
const p = await page.evaluate(() => {
  const cy = window.segscope.cy;
  const n = cy?.nodes('[kind = "service"][serviceId = "catalog"][level = "group"]').first();
  const bb = cy?.getElementById('seg:group:sg-batch').renderedBoundingBox();
  return { from: n?.renderedPosition(), to: bb ? { x: bb.x1 + 8, y: bb.y2 - 5 } : undefined };
});
if (box && p.from && p.to) {
  await page.mouse.move(box.x + p.from.x, box.y + p.from.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(
      box.x + p.from.x + ((p.to.x - p.from.x) * i) / 10,
      box.y + p.from.y + ((p.to.y - p.from.y) * i) / 10,
    );
  }
  await page.getByTestId('delta-broken').waitFor();
  await page.waitForTimeout(300);
  await shoot(page, 'drag');
  await page.mouse.up();
}
await page.close();

// 3. A generated 5,000-service estate (npm run gen -- --services 5000 --seed 7): the focused band summarised by units.
if (want('5000')) {
  page = await load([
    {
      name: 'generated-5000.json',
      text: JSON.stringify(generateTopology({ services: 5000, seed: 7 }).workspace),
    },
  ]);
  await shoot(page, '5000');
  await page.close();
}

// 4. A Compose import: the overlay band focused.
if (want('compose')) {
  page = await load(samples('compose', 'voting-app.yml'));
  await shoot(page, 'compose');
  await page.close();
}

// 5. The AWS sample: the security-group band focused.
if (want('aws')) {
  page = await load(samples('aws'));
  await shoot(page, 'aws');
  await page.close();
}
// 6. Online Boutique with its NetworkPolicies (named on the command line only: not in the README).
if (only.includes('k8s')) {
  page = await load(samples('k8s'));
  await shoot(page, 'k8s');
  await page.close();
}
await browser.close();
console.log(`${dir}/screenshot-{sample,inspector,drag,5000,compose,aws}.png`);
