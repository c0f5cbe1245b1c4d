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

/** The shop sample loaded and its verdicts landed. */
const loadShop = async (page: Page) => {
  await page.evaluate((t) => window.segscope.load([{ name: 'shop.json', text: t }]), shop);
  await page.evaluate(() => window.segscope.analysis());
};

test('a load made while another is still being drawn: the page ends with the newer workspace, drawn as a load of it alone', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openApp(page);
  await loadShop(page);
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

test('a small band is drawn straight onto the canvas, a large one through cytoscape’s texture caches (src/graph/directDraw.ts)', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openApp(page);
  await loadShop(page);
  // Cached textures made so far per cache (elements, labels), and what the canvas shows.
  const drawn = () =>
    page.evaluate(async () => {
      const cy = window.segscope.cy;
      if (!cy) return null;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      type Cache = { eleImgCaches?: Record<string, unknown[]> };
      const r = (cy as unknown as { renderer(): { data: Record<string, Cache> } }).renderer();
      const textures = (c: Cache | undefined) => Object.values(c?.eleImgCaches ?? {}).flat().length;
      // The node layer's canvas: how many pixels differ from its corner (the background).
      const canvases = [...(cy.container()?.querySelectorAll('canvas') ?? [])];
      const node = canvases[canvases.length - 1] as HTMLCanvasElement;
      const px = node.getContext('2d')?.getImageData(0, 0, node.width, node.height).data;
      let inked = 0;
      if (px) for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) inked++;
      return {
        elements: cy.elements().length,
        textures: textures(r.data.eleTxrCache) + textures(r.data.lblTxrCache),
        inked,
      };
    });
  const small = await drawn();
  expect(small?.elements).toBeGreaterThan(0);
  expect(small?.elements).toBeLessThanOrEqual(200);
  expect(small?.textures).toBe(0);
  expect(small?.inked).toBeGreaterThan(10_000);
  // The 1,000-service estate opened until it draws more than 200 elements: drawn through the caches.
  await page.evaluate((t) => window.segscope.load([{ name: 'estate.json', text: t }]), estate);
  await page.evaluate(() => window.segscope.analysis());
  expect((await drawn())?.textures).toBe(0);
  await page.evaluate(async () => {
    const h = window.segscope;
    for (let k = 0; k < 40 && (h.cy?.elements().length ?? 0) <= 200; k++) {
      const cell = h.cy?.nodes('.folded, .summary').sort((a, b) => b.data('members') - a.data('members'))[0];
      if (!cell) break;
      await h.expand(String(cell.data('unit')));
    }
  });
  const large = await drawn();
  expect(large?.elements).toBeGreaterThan(200);
  expect(large?.textures).toBeGreaterThan(0);
});

test('cytoscape’s drag and selection-box layers stay untouched while blank: a load, an expand, a pan and a zoom draw the node layer alone (src/graph/emptyLayers.ts)', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openApp(page);
  await loadShop(page);
  // Count what each layer's 2D context is asked to do from now on (cleared, filled, stroked, written).
  await page.evaluate(async () => {
    const cy = window.segscope.cy;
    if (!cy) return;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const counts: Record<string, number> = {};
    (window as unknown as { __layerOps: Record<string, number> }).__layerOps = counts;
    for (const canvas of cy.container()?.querySelectorAll('canvas') ?? []) {
      const id = canvas.getAttribute('data-id') ?? '?';
      counts[id] = 0;
      const ctx = (canvas as HTMLCanvasElement).getContext('2d') as unknown as Record<string, unknown>;
      for (const op of ['clearRect', 'fillRect', 'fill', 'stroke', 'fillText', 'drawImage']) {
        const f = ctx[op] as (...a: unknown[]) => unknown;
        ctx[op] = function (...a: unknown[]) {
          counts[id] = (counts[id] ?? 0) + 1;
          return f.apply(this, a);
        };
      }
    }
  });
  const ops = () =>
    page.evaluate(async () => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return { ...(window as unknown as { __layerOps: Record<string, number> }).__layerOps };
    });
  // A fresh load of another band (elements added, the view fitted), an expand, a pan and a zoom.
  await page.evaluate((t) => window.segscope.load([{ name: 'estate.json', text: t }]), estate);
  await page.evaluate(() => window.segscope.analysis());
  const unit = await page.evaluate(() => String(window.segscope.cy?.nodes('.folded, .summary')[0]?.data('unit')));
  await page.evaluate((u) => window.segscope.expand(u), unit);
  await page.evaluate(async () => {
    const cy = window.segscope.cy;
    for (let i = 0; i < 5; i++) {
      cy?.panBy({ x: 9, y: 5 });
      await new Promise((r) => requestAnimationFrame(r));
      cy?.zoom({ level: (cy?.zoom() ?? 1) * 1.05, renderedPosition: { x: 300, y: 200 } });
      await new Promise((r) => requestAnimationFrame(r));
    }
  });
  const after = await ops();
  expect(after['layer2-node']).toBeGreaterThan(50);
  expect(after['layer1-drag']).toBe(0);
  expect(after['layer0-selectbox']).toBe(0);
  // A press on the background draws cytoscape's tap circle on the selection layer, which is cleared again on release.
  const box = await page.getByTestId('graph-canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  await page.mouse.move(box.x + 6, box.y + box.height - 6);
  await page.mouse.down();
  const pressed = await ops();
  await page.mouse.up();
  const released = await ops();
  expect(pressed['layer0-selectbox']).toBeGreaterThan(0);
  expect(released['layer0-selectbox']).toBeGreaterThan(pressed['layer0-selectbox'] ?? 0);
  expect(released['layer1-drag']).toBe(0);
});

test('labels are cut and measured as cytoscape cuts them, each text measured once (src/graph/labelMeasure.ts)', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openApp(page);
  // Every label's text and size from the patched renderer against cytoscape's own methods (its prototype's).
  const compare = () =>
    page.evaluate(() => {
      const cy = window.segscope.cy;
      if (!cy) return null;
      type R = Record<string, (...a: unknown[]) => { width: number; height: number } & string>;
      type Styled = { pstyle(k: string): { strValue?: string } };
      const r = (cy as unknown as { renderer(): R }).renderer();
      const own = Object.getPrototypeOf(r) as R;
      let cut = 0;
      const differ: string[] = [];
      cy.elements().forEach((e) => {
        const label = String((e as unknown as Styled).pstyle('label').strValue ?? '');
        const ours = r.getLabelText?.(e);
        const theirs = own.getLabelText?.call(r, e);
        if (ours !== theirs) differ.push(`${e.id()}: ${ours} ≠ ${theirs}`);
        if (ours && ours !== label) cut++;
        const a = r.calculateLabelDimensions?.(e, label);
        const b = own.calculateLabelDimensions?.call(r, e, label);
        if (a?.width !== b?.width || a?.height !== b?.height) differ.push(`${e.id()}: size`);
      });
      return { elements: cy.elements().length, cut, differ };
    });
  await loadShop(page);
  const small = await compare();
  expect(small?.differ).toEqual([]);
  await page.evaluate((t) => window.segscope.load([{ name: 'estate.json', text: t }]), estate);
  await page.evaluate(() => window.segscope.analysis());
  await page.evaluate(async () => {
    const h = window.segscope;
    for (const cell of h.cy?.nodes('.folded, .summary').slice(0, 3).toArray() ?? [])
      await h.expand(String(cell.data('unit')));
  });
  const opened = await compare();
  expect(opened?.differ).toEqual([]);
  expect(opened?.elements).toBeGreaterThan(20);
  // The band's own names are fitted before they are drawn: names made longer than their boxes are cut.
  await page.evaluate(() => {
    const cy = window.segscope.cy;
    type Styled = { pstyle(k: string): { value?: unknown; pfValue?: number } };
    const r = (
      cy as unknown as { renderer(): { calculateLabelDimensions(e: unknown, t: string): { width: number } } }
    ).renderer();
    const cut = cy?.nodes().filter((n) => (n as unknown as Styled).pstyle('text-wrap').value === 'ellipsis');
    cut?.slice(0, 12).forEach((n, i) => {
      const maxW = (n as unknown as Styled).pstyle('text-max-width').pfValue ?? 0;
      let label = `${n.data('label') ?? ''} ${i}`;
      while (r.calculateLabelDimensions(n, label).width < maxW * 1.5 + 20) label += ' VAWmi.';
      n.data('label', label);
    });
  });
  const long = await compare();
  expect(long?.differ).toEqual([]);
  expect(long?.cut).toBeGreaterThan(0);
  // The redraws after the first measure nothing.
  const measures = await page.evaluate(async () => {
    const cy = window.segscope.cy;
    const proto = CanvasRenderingContext2D.prototype;
    const measure = proto.measureText;
    let calls = 0;
    proto.measureText = function (t: string) {
      calls++;
      return measure.call(this, t);
    };
    for (let i = 0; i < 4; i++) {
      cy?.panBy({ x: 5, y: 3 });
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    }
    proto.measureText = measure;
    return calls;
  });
  expect(measures).toBe(0);
});
