// From "what is wrong" to "what to do": a finding's fix previewed and applied, a level tightened, a proposal stepped through.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import type { Workspace } from '../src/model/types';
import { openApp } from './helpers';

const findingKeys = (page: Page) =>
  page.evaluate(async () => (await window.segscope.analysis()).findings.map((f) => f.key));

const workspace = (page: Page) => page.evaluate(() => window.segscope.workspace() as Workspace);

/** The classes of the drawn call edge from → to ('' when it is not drawn). */
const edgeClasses = (page: Page, from: string, to: string) =>
  page.evaluate(
    ([a, b]) =>
      window.segscope.cy
        ?.edges('[kind = "call"]')
        .filter((e) => e.data('from') === a && e.data('to') === b)
        .classes()
        .join(' ') ?? '',
    [from, to] as const,
  );

const historyEntries = (page: Page) => page.getByTestId('history-entry').allTextContents();

/**
 * The Improve panel's and the plan panel's buttons, each as `testid font border radius background`: `app` when its
 * font is the app's and its background the app's (`accent` for the primary one), so the browser's default (Arial,
 * outset, grey) shows as itself.
 */
const buttonLooks = (page: Page) =>
  page.evaluate(() => {
    const app = getComputedStyle(document.querySelector('.app') as Element);
    return [...document.querySelectorAll<HTMLElement>('.improve-actions button, .plan-actions button')].map((b) => {
      const cs = getComputedStyle(b);
      // The primary one is filled with the accent, its border too.
      const fill = b.classList.contains('primary') ? cs.borderTopColor : app.backgroundColor;
      const bg =
        cs.backgroundColor === fill ? (b.classList.contains('primary') ? 'accent' : 'app') : cs.backgroundColor;
      return `${b.dataset.testid} ${cs.fontFamily === app.fontFamily ? 'app' : cs.fontFamily} ${cs.borderTopWidth} ${cs.borderTopStyle} ${cs.borderTopLeftRadius} ${bg}`;
    });
  });

test('a broken call: Fix… ranks the fixes, previews the best, applies it as one undoable step', async ({ page }) => {
  await openApp(page);
  await page.waitForFunction(() => (window.segscope.cy?.edges('.broken').length ?? 0) > 0);
  expect(await edgeClasses(page, 'orders', 'db-orders')).toContain('broken');
  await page.locator('[data-testid="finding-group"][data-rule="broken-call"]').click();
  const row = page.locator('li.finding-row', {
    has: page.locator('[data-testid="finding"][data-finding="broken-call"]', { hasText: 'orders → db-orders' }),
  });
  await row.getByTestId('finding-fix').click();
  const panel = page.getByTestId('plan-panel');
  await expect(panel).toHaveAttribute('data-kind', 'fixes');
  const options = panel.getByTestId('fix-option');
  // Ranked: closes it, breaks nothing, opens the least reach, costs the fewest rules (one ingress rule first).
  await expect(options.first()).toContainText('add ingress tcp 5432 from sg-batch to sg-db');
  await expect(options.first()).toContainText('✓ closes it');
  await expect(options.first()).toHaveAttribute('aria-pressed', 'true');
  await expect(panel.getByTestId('delta-restored')).toContainText('orders → db-orders:5432');
  await expect(panel.getByTestId('delta-no-breaks')).toBeVisible();
  const before = (await workspace(page)).rules.length;
  const entries = (await historyEntries(page)).length;
  await panel.getByTestId('plan-apply').click();
  await expect(panel).toBeHidden();
  await expect.poll(() => findingKeys(page)).not.toContain('broken-call:orders->db-orders:5432/TCP');
  expect((await workspace(page)).rules.length).toBe(before + 1);
  await expect.poll(() => edgeClasses(page, 'orders', 'db-orders')).toContain('allowed');
  // One step in the history, taken back by one undo.
  expect((await historyEntries(page)).length).toBe(entries + 1);
  await page.keyboard.press('Control+z');
  await expect.poll(() => findingKeys(page)).toContain('broken-call:orders->db-orders:5432/TCP');
  await expect.poll(() => edgeClasses(page, 'orders', 'db-orders')).toContain('broken');
  expect((await workspace(page)).rules.length).toBe(before);
});

/** Drawn elements carrying each of a previewed plan's classes, as sorted ids of what they stand for. */
const planClasses = (page: Page) =>
  page.evaluate(() => {
    const cy = window.segscope.cy;
    const of = (cls: string) =>
      (cy?.elements(`.${cls}`).map((e) => String(e.data('serviceId') ?? e.data('segmentId') ?? e.id())) ?? []).sort();
    return {
      restore: of('plan-restore'),
      break: of('plan-break'),
      opens: of('reach-opens'),
      closes: of('reach-closes'),
      changed: of('plan-changed'),
    };
  });

test('a previewed fix lights up the graph as a drag does: the call it restores, the reach it opens, the groups it changes', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('focus-group').click();
  await page.locator('[data-testid="finding-group"][data-rule="broken-call"]').click();
  const row = page.locator('li.finding-row', {
    has: page.locator('[data-testid="finding"][data-finding="broken-call"]', { hasText: 'orders → db-orders' }),
  });
  await row.getByTestId('finding-fix').click();
  const panel = page.getByTestId('plan-panel');
  await expect(panel.getByTestId('fix-option').first()).toContainText('add ingress tcp 5432 from sg-batch to sg-db');
  await expect.poll(() => page.evaluate(() => window.segscope.plan()?.marks !== null)).toBe(true);
  const plan = await page.evaluate(() => window.segscope.plan());
  expect(plan?.kind).toBe('fixes');
  expect(plan?.title).toBe('add ingress tcp 5432 from sg-batch to sg-db');
  const marks = plan?.marks;
  // The restored call is orders → db-orders; the rule admits all of sg-batch, so reach opens into db-orders.
  const callIndex = (await workspace(page)).calls.findIndex((c) => c.from === 'orders' && c.to === 'db-orders');
  expect(marks?.restores).toEqual([callIndex]);
  expect(marks?.breaks).toEqual([]);
  expect(marks?.opens).toContain('db-orders');
  expect(marks?.segments.sort()).toEqual(['group:sg-batch', 'group:sg-db']);
  const drawn = await page.evaluate(() => [
    ...new Set(window.segscope.cy?.nodes('[kind = "service"]').map((n) => String(n.data('serviceId'))) ?? []),
  ]);
  await expect
    .poll(() => planClasses(page))
    .toEqual({
      restore: [`call:${callIndex}`],
      break: [],
      // Every drawn service at an end of an opened pair (a service drawn in two groups, twice).
      opens: expect.arrayContaining((marks?.opens ?? []).filter((id) => drawn.includes(id))),
      closes: [],
      changed: ['group:sg-batch', 'group:sg-db'],
    });
  expect(await edgeClasses(page, 'orders', 'db-orders')).toContain('plan-restore');
  const opened = (await planClasses(page)).opens;
  expect(opened.length).toBeGreaterThan(0);
  expect(opened.every((id) => marks?.opens.includes(id))).toBe(true);
  // Another option marks what it changes instead; closing the plan clears every mark.
  await panel.getByTestId('fix-option').nth(1).click();
  await expect.poll(async () => (await page.evaluate(() => window.segscope.plan()?.title)) ?? '').not.toBe(plan?.title);
  await expect.poll(async () => (await planClasses(page)).restore).toEqual([`call:${callIndex}`]);
  await panel.getByTestId('plan-close').click();
  await expect.poll(() => planClasses(page)).toEqual({ restore: [], break: [], opens: [], closes: [], changed: [] });
  expect(await page.evaluate(() => window.segscope.plan())).toBeNull();
});

test('an over-broad security group: the split keeps every call and closes the finding', async ({ page }) => {
  await openApp(page);
  await page.locator('[data-testid="finding-group"][data-rule="sg-abuse"]').click();
  const row = page.locator('li.finding-row', {
    has: page.locator('[data-testid="finding"]', { hasText: 'sg-app holds' }),
  });
  await row.getByTestId('finding-fix').click();
  const panel = page.getByTestId('plan-panel');
  await expect(panel.getByTestId('fix-option').first()).toContainText('split sg-app');
  await expect(panel.getByTestId('fix-option').first()).toContainText('✓ closes it');
  await expect(panel.getByTestId('delta-no-breaks')).toBeVisible();
  const brokenBefore = (await findingKeys(page)).filter((k) => k.startsWith('broken-call:')).sort();
  const groupsBefore = (await workspace(page)).segments.filter((s) => s.level === 'group').length;
  await panel.getByTestId('plan-apply').click();
  await expect.poll(() => findingKeys(page)).not.toContain('sg-abuse:broad:group:sg-app');
  const after = await findingKeys(page);
  expect(after.filter((k) => k.startsWith('broken-call:')).sort()).toEqual(brokenBefore);
  const groups = (await workspace(page)).segments.filter((s) => s.level === 'group');
  expect(groups.length).toBeGreaterThan(groupsBefore);
  // The new groups are drawn in the group band.
  const created = groups.slice(groupsBefore).map((s) => s.id);
  await expect
    .poll(() =>
      page.evaluate(
        (ids) => ids.filter((id) => (window.segscope.cy?.nodes(`[segmentId = "${id}"]`).length ?? 0) > 0).length,
        created,
      ),
    )
    .toBe(created.length);
});

test('tighten the group level: previewed (rules added and removed, reach closed), applied as one step, undone', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('focus-group').click();
  const excess = async () =>
    page.evaluate(async () =>
      (await window.segscope.analysis()).findings
        .filter((f) => f.id === 'excess-reach')
        .reduce((n, f) => n + (f.count ?? 0), 0),
    );
  const excessBefore = await excess();
  const groupRules = async () => (await workspace(page)).rules.filter((r) => r.level === 'group').length;
  const rulesBefore = await groupRules();
  await page.getByTestId('tighten').click();
  const panel = page.getByTestId('plan-panel');
  await expect(panel).toHaveAttribute('data-kind', 'tighten');
  await expect(panel.getByTestId('plan-figures')).toContainText('added');
  await expect(panel.getByTestId('delta-reach')).toContainText('closed');
  await panel.getByTestId('plan-apply').click();
  await expect(panel).toBeHidden();
  await expect.poll(excess).toBeLessThan(excessBefore);
  expect(await groupRules()).not.toBe(rulesBefore);
  // Least privilege keeps every declared call that the other levels allow: the group level denies none.
  const deniedAtGroup = await page.evaluate(async () =>
    (await window.segscope.analysis()).calls
      .filter((c) => c.deniedBy.includes('group'))
      .map((c) => `${c.from}>${c.to}`),
  );
  expect(deniedAtGroup).toEqual([]);
  await expect(page.getByTestId('history-entry').last()).toContainText('tighten the group level');
  await page.keyboard.press('Control+z');
  await expect.poll(groupRules).toBe(rulesBefore);
  await expect.poll(excess).toBe(excessBefore);
});

test('a proposed group segmentation, stepped through move by move: each previewed, applied, taken back', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('focus-group').click();
  await page.getByTestId('propose').click();
  const panel = page.getByTestId('plan-panel');
  await expect(panel).toHaveAttribute('data-kind', 'proposal');
  const step = panel.getByTestId('plan-step');
  await expect(step).toHaveAttribute('data-step', '0');
  const total = Number(await step.getAttribute('data-steps'));
  expect(total).toBeGreaterThan(2);
  await expect(panel.getByTestId('plan-figures')).toContainText('segments');
  // The first move's what-if shows before anything changes.
  await expect(panel.getByTestId('plan-pending')).toBeHidden();
  await expect(panel.locator('.delta')).toBeVisible();
  const label = (await step.textContent()) ?? '';
  const moved = label.match(/move (\S+) at group/)?.[1] ?? label.match(/add (\S+) to group/)?.[1];
  expect(moved).toBeTruthy();
  const groupsOf = async (name: string) =>
    (await workspace(page)).services.find((s) => s.name === name)?.memberships.group ?? [];
  const before = await groupsOf(moved as string);
  await panel.getByTestId('plan-apply').click();
  await expect(step).toHaveAttribute('data-step', '1');
  const after = await groupsOf(moved as string);
  expect(after).not.toEqual(before);
  expect(after.every((id) => id.startsWith('group:proposed:'))).toBe(true);
  // The service is drawn in its proposed segment.
  await expect
    .poll(() =>
      page.evaluate(
        ([name, seg]) => {
          const id = window.segscope.workspace()?.services.find((s) => s.name === name)?.id;
          return (
            window.segscope.cy
              ?.nodes('[kind = "service"]')
              .filter((n) => n.data('serviceId') === id && n.data('segmentId') === seg).length ?? 0
          );
        },
        [moved as string, after[0] as string] as const,
      ),
    )
    .toBeGreaterThan(0);
  await panel.getByTestId('plan-back').click();
  await expect(step).toHaveAttribute('data-step', '0');
  expect(await groupsOf(moved as string)).toEqual(before);
  // The rest at once: one step, every service where the proposal puts it.
  await panel.getByTestId('plan-apply').click();
  await expect(step).toHaveAttribute('data-step', '1');
  await panel.getByTestId('plan-apply-rest').click();
  await expect(step).toHaveAttribute('data-step', String(total));
  const ws = await workspace(page);
  const placed = ws.services.filter((s) => s.kind !== 'external' && (s.memberships.group?.length ?? 0) > 0);
  expect(placed.every((s) => s.memberships.group?.every((id) => id.startsWith('group:proposed:')))).toBe(true);
  await panel.getByTestId('plan-back').click();
  await expect(step).toHaveAttribute('data-step', '1');
  await page.keyboard.press('Control+z');
  await expect.poll(() => groupsOf(moved as string)).toEqual(before);
  // Every button here has the app's bordered-control look, in both themes (they were once the browser's default).
  const looks = [
    'tighten app 1px solid 6px app',
    'propose app 1px solid 6px app',
    'plan-back app 1px solid 6px app',
    'plan-apply app 1px solid 6px accent',
    'plan-apply-rest app 1px solid 6px app',
    'plan-close app 1px solid 6px app',
  ];
  expect(await buttonLooks(page)).toEqual(looks);
  await page.getByTestId('view-menu').click();
  await page.getByTestId('theme').click();
  await expect(page.locator('.app')).toHaveClass(/dark/);
  expect(await buttonLooks(page)).toEqual(looks);
});

test("a hub's fix says what it costs elsewhere: sg-app taken to 5 of 5 inbound rules, ranked by its net effect", async ({
  page,
}) => {
  await openApp(page);
  await page.locator('[data-testid="finding-group"][data-rule="hub"]').click();
  const row = page.locator('li.finding-row', {
    has: page.locator('[data-testid="finding"][data-finding="hub"]', { hasText: 'auth is a hub' }),
  });
  await row.getByTestId('finding-fix').click();
  const panel = page.getByTestId('plan-panel');
  const best = panel.getByTestId('fix-option').first();
  await expect(best).toContainText('give auth a security group of its own');
  await expect(best).toContainText('▲ 1 new problem');
  await expect(panel.getByTestId('fix-problems')).toHaveText('△ sg-app: 4 → 5 of 5 inbound rules (≥ 80 %)');
  const offered = await page.evaluate(() => window.segscope.plan());
  expect(offered?.title).toBe('give auth a security group of its own, one rule per caller segment and port');
});

test('a group hub (bastion-sg, which all eight groups admit on ssh): the fix shares one group holding the rule once, closes it, keeps reach', async ({
  page,
}) => {
  await openApp(page);
  const dir = 'e2e/fixtures/aws-bastion';
  const files = readdirSync(dir).map((f) => ({ name: f, text: readFileSync(`${dir}/${f}`, 'utf8') }));
  await page.evaluate((f) => window.segscope.load(f), files);
  await expect(page.getByTestId('group-hub')).toHaveCount(1);
  await page.locator('[data-testid="finding-group"][data-rule="hub"]').click();
  const row = page.locator('li.finding-row', {
    has: page.locator('[data-testid="finding"][data-finding="hub"]', { hasText: 'bastion-sg is a hub' }),
  });
  await row.getByTestId('finding-fix').click();
  const panel = page.getByTestId('plan-panel');
  const best = panel.getByTestId('fix-option').first();
  await expect(best).toContainText('share 1 group holding them once: 8 → 1 rule naming bastion-sg');
  await expect(best).toContainText('✓ closes it');
  await expect(panel.getByTestId('fix-no-problems')).toBeVisible();
  await panel.getByTestId('plan-apply').click();
  // One shared group now names bastion-sg: it is no longer a hub, and the new group is drawn.
  await expect.poll(() => findingKeys(page)).not.toContain('hub:group:group:sg-0d1e2f3a4b5c60001');
  await expect(page.getByTestId('group-hub')).toHaveCount(0);
  const shared = (await workspace(page)).segments.filter((s) => s.id.startsWith('group:fix:'));
  expect(shared.map((s) => s.name)).toEqual(['from-bastion-sg-22']);
  await expect
    .poll(() => page.evaluate((id) => window.segscope.cy?.nodes(`[segmentId = "${id}"]`).length ?? 0, shared[0]?.id))
    .toBeGreaterThan(0);
  await page.keyboard.press('Control+z');
  await expect.poll(() => findingKeys(page)).toContain('hub:group:group:sg-0d1e2f3a4b5c60001');
});

test('a fix that moves the exposed service to a VM of its own marks that service in the graph (DESIGN.md exposed-colocated: one critical container per VM)', async ({
  page,
}) => {
  await openApp(page);
  // proxy (exposed) and db (critical) share only host vm1; they sit on two networks of their own.
  const shared = {
    segscope: 1,
    name: 'one host',
    segments: [
      { id: 'overlay:front', level: 'overlay', name: 'front', attributes: { kind: 'compose-network' } },
      { id: 'overlay:back', level: 'overlay', name: 'back', attributes: { kind: 'compose-network' } },
    ],
    services: [
      {
        id: 'proxy',
        name: 'proxy',
        kind: 'service',
        exposed: true,
        placement: { host: 'vm1' },
        memberships: { overlay: ['overlay:front'] },
      },
      {
        id: 'db',
        name: 'db',
        kind: 'service',
        critical: true,
        placement: { host: 'vm1' },
        memberships: { overlay: ['overlay:back'] },
      },
    ],
    calls: [],
    rules: [],
  };
  await page.evaluate(
    (text) => window.segscope.load([{ name: 'one-host.segscope.json', text }]),
    JSON.stringify(shared),
  );
  await page.getByTestId('focus-overlay').click();
  await page.locator('[data-testid="finding-group"][data-rule="exposed-colocated"]').click();
  await page
    .locator('li.finding-row', { has: page.locator('[data-finding="exposed-colocated"]') })
    .getByTestId('finding-fix')
    .click();
  const panel = page.getByTestId('plan-panel');
  await expect(panel.getByTestId('fix-option').first()).toContainText('move proxy off host vm1 to a VM of its own');
  await expect.poll(async () => (await planClasses(page)).changed).toEqual(['proxy']);
  expect((await page.evaluate(() => window.segscope.plan()))?.marks?.services).toEqual(['proxy']);
});
