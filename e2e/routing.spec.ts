// Call edges around, not through, what they do not join (#14: "A broken call is drawn straight through
// unrelated services, so they look broken"; DESIGN.md "Call edges route around, not through, unrelated services").
import { expect, type Page, test } from '@playwright/test';
import type { EdgeSingular, NodeSingular } from 'cytoscape';
import { type Point, segmentHits } from '../src/graph/geometry';
import { openSample } from './helpers';

test.use({ viewport: { width: 1280, height: 720 } });

/**
 * What the drawn calls pass over, as "call from>to over what": the line cytoscape draws for each call
 * (its ends on the boxes' borders, its bends: `sourceEndpoint`, `segmentPoints`, `controlPoints`,
 * `targetEndpoint`) against every segment title's box and every service box the call does not join.
 */
const callsOver = async (page: Page): Promise<string[]> => {
  const drawn = await page.evaluate(() => {
    const cy = window.segscope.cy;
    if (!cy) return undefined;
    type P = { x: number; y: number };
    type Box = { x1: number; y1: number; x2: number; y2: number };
    // The drawn line: straight, bent (segments), or curved (each control point a quadratic piece).
    const pathOf = (e: EdgeSingular): P[] => {
      const s = e.sourceEndpoint();
      const t = e.targetEndpoint();
      const curve = e.style('curve-style') as string;
      if (curve === 'segments') return [s, ...(e.segmentPoints() ?? []), t];
      const cps = curve.endsWith('bezier') ? (e.controlPoints() ?? []) : [];
      if (cps.length === 0) return [s, t];
      const knots: P[] = [s];
      cps.forEach((c, i) => {
        const n = cps[i + 1];
        if (n) knots.push({ x: (c.x + n.x) / 2, y: (c.y + n.y) / 2 });
      });
      knots.push(t);
      const out: P[] = [s];
      cps.forEach((c, i) => {
        const a = knots[i] as P;
        const b = knots[i + 1] as P;
        for (let k = 1; k <= 16; k++) {
          const u = k / 16;
          out.push({
            x: (1 - u) ** 2 * a.x + 2 * (1 - u) * u * c.x + u * u * b.x,
            y: (1 - u) ** 2 * a.y + 2 * (1 - u) * u * c.y + u * u * b.y,
          });
        }
      });
      return out;
    };
    // A service's box (its width and height around its position) and a title's (its label's box), a pixel in.
    const obstacles: { id: string; node: string; box: Box }[] = [];
    cy.nodes('[kind = "service"]').forEach((n: NodeSingular) => {
      const p = n.position();
      const w = n.width() / 2 - 1;
      const h = n.height() / 2 - 1;
      obstacles.push({
        id: `service ${n.id()}`,
        node: n.id(),
        box: { x1: p.x - w, y1: p.y - h, x2: p.x + w, y2: p.y + h },
      });
    });
    cy.nodes('[kind = "segment"], [kind = "context"]').forEach((n: NodeSingular) => {
      if (!n.style('label')) return;
      const b = n.boundingBox({
        includeNodes: false,
        includeEdges: false,
        includeLabels: true,
        includeOverlays: false,
      });
      if (!(b.w > 2 && b.h > 2)) return;
      obstacles.push({
        id: `title of ${n.id()}`,
        node: n.id(),
        box: { x1: b.x1 + 1, y1: b.y1 + 1, x2: b.x2 - 1, y2: b.y2 - 1 },
      });
    });
    const calls = cy.edges('[kind = "call"]').map((e: EdgeSingular) => ({
      id: e.id(),
      label: `${e.data('from')}>${e.data('to')}`,
      ends: [e.source().id(), e.target().id()],
      path: pathOf(e),
    }));
    return { calls, obstacles };
  });
  if (!drawn) return ['no canvas'];
  // Crossings are judged in Node with the app's own segment test (src/graph/geometry.ts).
  const over: string[] = [];
  for (const c of drawn.calls) {
    const { path } = c;
    if (path.some((p) => !Number.isFinite(p.x) || !Number.isFinite(p.y))) over.push(`call ${c.id} not drawn`);
    for (const o of drawn.obstacles) {
      if (c.ends.includes(o.node)) continue;
      if (path.some((p, i) => i > 0 && segmentHits(path[i - 1] as Point, p, o.box)))
        over.push(`call ${c.label} over ${o.id}`);
    }
  }
  return over;
};

test('the Compose voting app: no call is drawn over a segment title or a service it does not join', async ({
  page,
}) => {
  await openSample(page, 'Compose: voting app');
  await expect(page.getByTestId('workspace-name')).toHaveText('voting-app.yml');
  await page.evaluate(() => window.segscope.analysis());
  expect(await page.evaluate(() => window.segscope.cy?.edges('[kind = "call"]').length)).toBe(7);
  expect(await callsOver(page)).toEqual([]);
  // vote talks to redis over back-tier, the network they share: drawn there, not from front-tier.
  const voteRedis = await page.evaluate(() =>
    window.segscope.cy
      ?.edges('[kind = "call"]')
      .filter((e) => e.data('to') === 'compose:voting-app/redis' && e.data('from') === 'compose:voting-app/vote')
      .map(
        (e) => `${(e as EdgeSingular).source().data('segmentId')}>${(e as EdgeSingular).target().data('segmentId')}`,
      ),
  );
  expect(voteRedis).toEqual(['overlay:voting-app_back-tier>overlay:voting-app_back-tier']);
});

test("the hubs lesson: every step draws auth's callers without crossing a title or another service", async ({
  page,
}) => {
  await page.goto('/?lesson=hubs');
  await page.waitForFunction(
    () => document.body.dataset.ready === 'true' && (window.segscope?.cy?.nodes().length ?? 0) > 0,
  );
  // Every beat of the story, its action's "done" included, to the last step.
  for (let beat = 0; beat < 12; beat++) {
    const step = (await page.getByTestId('lesson-step').textContent()) ?? '';
    await page.evaluate(() => window.segscope.analysis());
    await page.waitForFunction(() => !window.segscope.cy?.animated());
    // auth's eight callers are drawn (billing's broken until the fourth step's action mends it).
    expect(await page.evaluate(() => window.segscope.cy?.edges('[kind = "call"]').length)).toBe(8);
    expect({ step, over: await callsOver(page) }).toEqual({ step, over: [] });
    if (step === 'step 5 of 5') return;
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('lesson-step')).not.toHaveText(step);
  }
  throw new Error('the story never ended');
});
