// Presentation-mode screenshots of every lesson for the README, with the figures that say whether a room can read them:
// the smallest text on screen (graph labels: font size × zoom; page text: computed font size) and the lowest text contrast.
// Needs `npx vite build` and a preview running: SEGSCOPE_URL=http://127.0.0.1:4317/ npx tsx scripts/lesson-shots.ts
// (at 1280×720 into docs/ unless SHOTS_VIEWPORT / SHOTS_DIR say otherwise).
import { chromium, type Page } from '@playwright/test';
// @ts-expect-error plain ESM helper
import { CHROMIUM_ARGS, findChromium } from './chromium.mjs';

const url = process.env.SEGSCOPE_URL ?? 'http://127.0.0.1:4317/';
/** SHOTS_VIEWPORT=1600x1000 and SHOTS_DIR=/tmp/shots look at another size without touching the README's pictures. */
const [width, height] = (process.env.SHOTS_VIEWPORT ?? '1280x720').split('x').map(Number) as [number, number];
const dir = process.env.SHOTS_DIR ?? 'docs';

/** The beat each picture shows: the step whose action makes the lesson's point, with its what-if or its consequence. */
const SHOTS: [lesson: string, beat: number][] = [
  ['compose-v1-v2', 2],
  ['sg-abuse', 4],
  ['vpc-abuse', 3],
  ['one-or-many', 2],
  ['failure-modes', 5],
  ['exposed-critical', 2],
  ['hubs', 3],
  ['hierarchy', 3],
];

/**
 * Smallest text and lowest contrast on the page, measured in it (WCAG 2 relative luminance). Kept as
 * source text: the script runner would wrap named inner functions in a helper the page does not have.
 */
const MEASURE = `(() => {
  const rgb = (c) => (c.match(/[0-9.]+/g) || []).map(Number);
  const lum = (c) => {
    const v = c.slice(0, 3).map((x) => {
      const s = x / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c[3] || 0) > 0.5) return c;
    }
    return [255, 255, 255];
  };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = (n.textContent || '').trim();
    if (!el || !text) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.bottom < 0 || box.top > innerHeight || el.closest('[hidden]')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const a = lum(rgb(style.color));
    const b = lum(background(el));
    texts.push({ text: text.slice(0, 40), px: parseFloat(style.fontSize), contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) });
  }
  const cy = window.segscope.cy;
  const zoom = cy.zoom();
  const ext = cy.extent();
  const labelPx = cy
    .elements()
    .toArray()
    .filter((e) => {
      if (!e.visible() || !e.style('label')) return false;
      const bb = e.boundingBox({});
      return bb.x2 > ext.x1 && bb.x1 < ext.x2 && bb.y2 > ext.y1 && bb.y1 < ext.y2;
    })
    .map((e) => parseFloat(e.style('font-size')) * zoom);
  texts.sort((x, y) => x.px - y.px);
  return {
    zoom,
    graphLabels: labelPx.length,
    graphMinPx: labelPx.length ? Math.min(...labelPx) : null,
    pageMinPx: texts[0] ? texts[0].px : null,
    pageMinContrast: Math.min(...texts.map((t) => t.contrast)),
    smallest: texts[0],
  };
})()`;

interface Measure {
  zoom: number;
  graphLabels: number;
  graphMinPx: number | null;
  pageMinPx: number;
  pageMinContrast: number;
  smallest: { text: string; px: number; contrast: number };
}
const measure = (page: Page) => page.evaluate<Measure>(MEASURE);

const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
for (const [lesson, beat] of SHOTS) {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(`${url}?lesson=${lesson}&present`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 120_000 });
  for (let i = 0; i < beat; i++) {
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(300);
  }
  await page.evaluate(() => window.segscope.analysis());
  await page.waitForTimeout(1500);
  const path = `${dir}/lesson-${lesson}.png`;
  await page.screenshot({ path });
  console.log(path, JSON.stringify(await measure(page)));
  await page.close();
}
await browser.close();
