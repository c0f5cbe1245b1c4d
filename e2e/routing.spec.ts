// Call edges around, not through, what they do not join (#14: "A broken call is drawn straight through
// unrelated services, so they look broken"; DESIGN.md "Call edges route around, not through, unrelated services").
import { expect, type Page, test } from '@playwright/test';
import type { EdgeSingular, NodeSingular } from 'cytoscape';
import { openSample } from './helpers';

test.use({ viewport: { width: 1280, height: 720 } });

/**
 * What the drawn calls pass over, as "call from>to over what": the line cytoscape draws for each call
 * (its ends on the boxes' borders, its bends: `sourceEndpoint`, `segmentPoints`, `controlPoints`,
 * `targetEndpoint`) against every segment title's box and every service box the call does not join.
 */
const callsOver = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const cy = window.segscope.cy;
    if (!cy) return ['no canvas'];
    type P = { x: number; y: number };
    type Box = { x1: number; y1: number; x2: number; y2: number };
    // Liang–Barsky: does p→q cross the box?
    const hits = (p: P, q: P, b: Box) => {
      let t0 = 0;
      let t1 = 1;
      const d = { x: q.x - p.x, y: q.y - p.y };
      for (const [pk, qk] of [
        [-d.x, p.x - b.x1],
        [d.x, b.x2 - p.x],
        [-d.y, p.y - b.y1],
        [d.y, b.y2 - p.y],
      ] as [number, number][]) {
        if (pk === 0) {
          if (qk < 0) return false;
          continue;
        }
        const t = qk / pk;
        if (pk < 0) t0 = Math.max(t0, t);
        else t1 = Math.min(t1, t);
        if (t0 > t1) return false;
      }
      return true;
    };
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
    const obstacles: { id: string; box: Box; node: NodeSingular }[] = [];
    cy.nodes('[kind = "service"]').forEach((n) => {
      const p = n.position();
      const w = n.width() / 2 - 1;
      const h = n.height() / 2 - 1;
      obstacles.push({ id: `service ${n.id()}`, box: { x1: p.x - w, y1: p.y - h, x2: p.x + w, y2: p.y + h }, node: n });
    });
    cy.nodes('[kind = "segment"], [kind = "context"]').forEach((n) => {
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
        box: { x1: b.x1 + 1, y1: b.y1 + 1, x2: b.x2 - 1, y2: b.y2 - 1 },
        node: n,
      });
    });
    const over: string[] = [];
    cy.edges('[kind = "call"]').forEach((e: EdgeSingular) => {
      const path = pathOf(e);
      if (path.some((p) => !Number.isFinite(p.x) || !Number.isFinite(p.y))) over.push(`call ${e.id()} not drawn`);
      for (const o of obstacles) {
        if (o.node.same(e.source() as unknown as NodeSingular) || o.node.same(e.target() as unknown as NodeSingular))
          continue;
        if (path.some((p, i) => i > 0 && hits(path[i - 1] as P, p, o.box)))
          over.push(`call ${e.data('from')}>${e.data('to')} over ${o.id}`);
      }
    });
    return over;
  });

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
