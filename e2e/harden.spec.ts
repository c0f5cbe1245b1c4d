// Nothing a person made is lost: reloads, loads during the start, samples over edits, a dying worker, two tabs.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { generateTopology } from '../src/gen/generate';
import { openApp } from './helpers';

const tiny = readFileSync('e2e/fixtures/tiny.segscope.json', 'utf8');

const dropFile = async (page: Page, name: string, text: string) => {
  const dt = await page.evaluateHandle(
    ([n, t]) => {
      const d = new DataTransfer();
      d.items.add(new File([t as string], n as string, { type: 'application/octet-stream' }));
      return d;
    },
    [name, text],
  );
  await page.dispatchEvent('.app', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('.app', 'drop', { dataTransfer: dt });
};

/** The sample's service `auth` leaves its first overlay network (an edit every test can make and see). */
const editAuth = (page: Page) =>
  page.evaluate(() => {
    const from = window.segscope.workspace()?.services.find((s) => s.id === 'auth')?.memberships.overlay?.[0];
    return window.segscope.move({ service: 'auth', level: 'overlay', from: from ?? null, to: null });
  });
/** The first service on an overlay network leaves it (an edit on any workspace with one). */
const editFirstOverlay = (page: Page) =>
  page.evaluate(() => {
    const svc = window.segscope.workspace()?.services.find((s) => (s.memberships.overlay?.length ?? 0) > 0);
    return window.segscope.move({
      service: svc?.id ?? '',
      level: 'overlay',
      from: svc?.memberships.overlay?.[0] ?? null,
      to: null,
    });
  });
const authOverlay = (page: Page) =>
  page.evaluate(() => window.segscope.workspace()?.services.find((s) => s.id === 'auth')?.memberships.overlay);

test('a file dropped and the page reloaded at once: the drop is there, and Undo goes back to the sample', async ({
  page,
}) => {
  await openApp(page);
  await dropFile(page, 'tiny.segscope.json', tiny);
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
  await page.reload(); // no waiting for anything: the save was issued with the change
  await openApp(page);
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Shop estate (sample)');
});

/** Workspaces the autosave wrote, by the thread that wrote them (src/store/persist.ts). */
const autosaveWrites = (page: Page) =>
  page.evaluate(() => JSON.parse(document.body.dataset.autosaveWrites ?? '{"page":0,"worker":0}'));

test('a loaded file is written to the autosave by the engine worker, not the page; a reload restores it', async ({
  page,
}) => {
  await openApp(page);
  // The sample, loaded at the start, was written by the worker.
  await expect.poll(() => autosaveWrites(page)).toEqual({ page: 0, worker: 1 });
  await dropFile(page, 'tiny.segscope.json', tiny);
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
  expect(await editFirstOverlay(page)).toBe(true);
  await expect.poll(() => autosaveWrites(page)).toEqual({ page: 0, worker: 2 });
  await expectTinyRestoredOverSample(page, 1);
});

/** Reload: the dropped tiny workspace is back with `edits` edits on it, and undoing them and its load gives the sample. */
const expectTinyRestoredOverSample = async (page: Page, edits: number) => {
  await page.reload();
  await openApp(page);
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
  await expect(page.getByTestId('history-entry')).toHaveCount(edits + 1);
  for (let i = 0; i <= edits; i++) await page.getByTestId('undo').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Shop estate (sample)');
};

/**
 * Serve the engine worker with `prelude` run before it (the worker's own IndexedDB made to hang or fail),
 * so the page's half of the autosave (src/store/persist.ts, `delegate` and `flush`) is what saves the work.
 */
const sabotageWorkerStorage = (page: Page, prelude: string) =>
  page.route('**/assets/engine.worker*.js', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: `${prelude}\n${await response.text()}` });
  });

test("the worker's autosave write never confirmed: leaving the page writes the loads there; a reload restores them", async ({
  page,
}) => {
  // The worker's database never opens, so its writes neither land nor fail.
  await sabotageWorkerStorage(page, 'indexedDB.open = () => ({});');
  await openApp(page);
  await dropFile(page, 'tiny.segscope.json', tiny);
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
  expect(await editFirstOverlay(page)).toBe(true);
  await expect(page.getByTestId('history-entry')).toHaveCount(2);
  // The edit's session record went to disk; the two loads' workspaces (sample, tiny) are still the worker's.
  expect(await autosaveWrites(page)).toEqual({ page: 0, worker: 0 });
  await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
  await expect.poll(() => autosaveWrites(page)).toEqual({ page: 2, worker: 0 });
  await expectTinyRestoredOverSample(page, 1);
});

test("the worker's autosave write failed: the page writes the load itself at once; a reload restores it", async ({
  page,
}) => {
  await sabotageWorkerStorage(
    page,
    "IDBObjectStore.prototype.put = () => { throw new DOMException('full', 'QuotaExceededError'); };",
  );
  await openApp(page);
  await expect.poll(() => autosaveWrites(page)).toEqual({ page: 1, worker: 0 });
  await dropFile(page, 'tiny.segscope.json', tiny);
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
  // Written without leaving the page: a tab that crashes now loses nothing.
  await expect.poll(() => autosaveWrites(page)).toEqual({ page: 2, worker: 0 });
  await expectTinyRestoredOverSample(page, 0);
});

test('a 1,000-service load and an edit, the page reloaded at once (the worker still analysing): both are restored', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const estate = generateTopology({ services: 1000, segments: 250, calls: 3000, seed: 42 }).workspace;
  await openApp(page);
  await page.evaluate((t) => window.segscope.load([{ name: 'estate-1000.json', text: t }]), JSON.stringify(estate));
  const moved = await page.evaluate(() => {
    const svc = window.segscope.workspace()?.services.find((s) => (s.memberships.group?.length ?? 0) > 0);
    const from = svc?.memberships.group?.[0] ?? null;
    void window.segscope.move({ service: svc?.id ?? '', level: 'group', from, to: null });
    return svc?.id ?? '';
  });
  await page.reload(); // no waiting: the worker's write may not have landed, leaving the page writes what is pending
  await openApp(page);
  expect(await page.evaluate(() => window.segscope.workspace()?.services.length)).toBe(1000);
  expect(
    await page.evaluate(
      (id) => window.segscope.workspace()?.services.find((s) => s.id === id)?.memberships.group,
      moved,
    ),
  ).toEqual([]);
  await expect(page.getByTestId('history-entry')).toHaveCount(2);
});

test('a load made through window.segscope while the app starts wins over the sample and stays', async ({ page }) => {
  // Load the moment the hook exists, long before the start has restored or fetched anything.
  await page.addInitScript((text) => {
    let hook: unknown;
    Object.defineProperty(window, 'segscope', {
      configurable: true,
      get: () => hook,
      set: (v: Window['segscope']) => {
        hook = v;
        (window as unknown as { early: Promise<unknown> }).early = v.load([{ name: 'early.json', text }]);
      },
    });
  }, tiny);
  await openApp(page);
  const report = await page.evaluate(() => (window as unknown as { early: Promise<{ failed: boolean }> }).early);
  expect(report.failed).toBe(false);
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
  // The start yielded: no sample was loaded under it, and nothing replaces it afterwards.
  await page.waitForFunction(() => document.body.dataset.saved !== undefined);
  expect(await page.evaluate(() => window.segscope.workspace()?.name)).toBe('Tiny two-tier');
  await expect(page.getByTestId('undo')).toBeDisabled();
});

test('a load made while the app restores a session lands on top of it: Undo brings the session back with its edit', async ({
  page,
}) => {
  await openApp(page);
  expect(await editAuth(page)).toBe(true);
  const edited = await authOverlay(page);
  await page.waitForFunction(() => document.body.dataset.saved !== undefined);
  await page.addInitScript((text) => {
    let hook: Window['segscope'] | undefined;
    Object.defineProperty(window, 'segscope', {
      configurable: true,
      get: () => hook,
      set: (v: Window['segscope']) => {
        hook = v;
        void v.load([{ name: 'early.json', text }]);
      },
    });
  }, tiny);
  await page.reload();
  await openApp(page);
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Shop estate (sample)');
  expect(await authOverlay(page)).toEqual(edited);
});

test('edit, then open a sample: Undo brings the edited workspace back', async ({ page }) => {
  await openApp(page);
  expect(await editAuth(page)).toBe(true);
  const edited = await authOverlay(page);
  await page.getByTestId('samples').selectOption({ index: 6 });
  await expect(page.getByTestId('workspace-name')).not.toHaveText('Shop estate (sample)');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Shop estate (sample)');
  expect(await authOverlay(page)).toEqual(edited);
  await expect(page.getByTestId('history-entry')).toHaveCount(1);
  await expect(page.getByTestId('history-undone')).toHaveCount(1);
});

test('the worker killed: the page says so, starts a new one and analyses the edited workspace; nothing lost', async ({
  page,
}) => {
  await openApp(page);
  expect(await editAuth(page)).toBe(true);
  const edited = await authOverlay(page);
  const before = await page.evaluate(async () => (await window.segscope.analysis()).findings.length);
  const worker = page.workers()[0];
  expect(worker).toBeDefined();
  await worker?.evaluate(() => self.close()).catch(() => undefined);
  await expect(page.getByTestId('notice')).toContainText('restarted; no edit was lost');
  expect(await authOverlay(page)).toEqual(edited);
  const after = await page.evaluate(async () => (await window.segscope.analysis()).findings.length);
  expect(after).toBe(before);
  // The new engine has the history: undo and redo go on working there too.
  await page.getByTestId('undo').click();
  await expect.poll(() => authOverlay(page)).not.toEqual(edited);
  const reach = await page.evaluate(() => window.segscope.reach('auth', 'orders'));
  expect(reach.from).toBe('auth');
});

test('two tabs: the second is read-only until it takes over, then the first is; no edit is lost', async ({
  context,
}) => {
  const first = await context.newPage();
  await openApp(first);
  expect(await editAuth(first)).toBe(true);
  const edited = await authOverlay(first);
  const second = await context.newPage();
  await openApp(second);
  await expect(second.getByTestId('read-only')).toContainText('open in another tab');
  expect(await authOverlay(second)).toEqual(edited);
  expect(await editAuth(second)).toBe(false);
  await second.getByTestId('take-over').click();
  await expect(second.getByTestId('read-only')).toHaveCount(0);
  await expect(first.getByTestId('read-only')).toContainText('Another tab took this workspace over');
  // The first tab can no longer write over the second's work.
  expect(await editAuth(first)).toBe(false);
  await second.getByTestId('view-menu').click();
  await second.getByTestId('new').click();
  await expect(second.getByTestId('workspace-name')).toHaveText('New workspace');
  await second.waitForFunction(() => document.body.dataset.saved !== undefined);
  await first.close();
  await second.reload();
  await openApp(second);
  await expect(second.getByTestId('workspace-name')).toHaveText('New workspace');
  await second.getByTestId('undo').click();
  await expect(second.getByTestId('workspace-name')).toHaveText('Shop estate (sample)');
  expect(await authOverlay(second)).toEqual(edited);
});

test('a file over 64 MiB dropped is never read: the report names it, the file beside it loads, nothing is lost', async ({
  page,
}) => {
  await openApp(page);
  // Count the bytes the page reads out of files, and the files it hands the engine worker to read, from here on.
  await page.evaluate(() => {
    const read: number[] = [];
    (window as unknown as { bytesRead: number[] }).bytesRead = read;
    const text = Blob.prototype.text;
    Blob.prototype.text = function (this: Blob) {
      read.push(this.size);
      return text.call(this);
    };
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, msg: { method?: string; args?: unknown[] }, ...rest: []) {
      if (msg?.method === 'importFiles')
        for (const f of (msg.args?.[0] ?? []) as { blob?: Blob }[]) if (f.blob) read.push(f.blob.size);
      return post.call(this, msg, ...rest);
    };
  });
  const drop = (withTiny: boolean) =>
    page.evaluateHandle(
      ([tinyText, both]) => {
        const d = new DataTransfer();
        // 65 MiB of zeros: over the file limit, and plainly not a topology if it were read.
        d.items.add(new File([new Uint8Array(65 * 1048576)], 'huge.json', { type: 'application/json' }));
        if (both) d.items.add(new File([tinyText as string], 'tiny.segscope.json', { type: 'application/json' }));
        return d;
      },
      [tiny, withTiny] as const,
    );
  const alone = await drop(false);
  await page.dispatchEvent('.app', 'drop', { dataTransfer: alone });
  await expect(page.getByTestId('import-report')).toContainText('failed — previous workspace kept');
  await expect(page.getByTestId('diagnostic')).toHaveText([
    'huge.json:1:1 error file is 65.0 MiB; the limit is 64 MiB',
  ]);
  await expect(page.getByTestId('workspace-name')).toHaveText('Shop estate (sample)');
  await expect(page.getByTestId('undo')).toBeDisabled();
  const both = await drop(true);
  await page.dispatchEvent('.app', 'drop', { dataTransfer: both });
  await expect(page.getByTestId('workspace-name')).toHaveText('Tiny two-tier');
  await expect(page.getByTestId('diagnostic')).toHaveText([
    'huge.json:1:1 error file is 65.0 MiB; the limit is 64 MiB',
  ]);
  await expect(page.getByTestId('import-file')).toHaveText([/^huge\.json unknown/, /^tiny\.segscope\.json native/]);
  // The page reads no file itself: it hands the tiny one to the engine worker (src/worker/inputs.ts), never the huge one.
  expect(await page.evaluate(() => (window as unknown as { bytesRead: number[] }).bytesRead)).toEqual([tiny.length]);
  // The sample is one Undo away.
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Shop estate (sample)');
});

test('the status banner is a row under the toolbar at 1280×720: it covers neither the strips nor the drawing', async ({
  context,
}) => {
  const first = await context.newPage();
  await openApp(first);
  const second = await context.newPage();
  await second.setViewportSize({ width: 1280, height: 720 });
  await openApp(second);
  await expect(second.getByTestId('read-only')).toBeVisible();
  const boxes = await second.evaluate(() => {
    const box = (el: Element | null) => {
      const r = el?.getBoundingClientRect();
      return r ? { top: r.top, bottom: r.bottom, left: r.left, right: r.right } : null;
    };
    return {
      banner: box(document.querySelector('[data-testid="status-banner"]')),
      toolbar: box(document.querySelector('.toolbar')),
      bands: box(document.querySelector('[data-testid="band-view"]')),
      left: box(document.querySelector('[data-testid="left-panel"]')),
      right: box(document.querySelector('[data-testid="right-panel"]')),
    };
  });
  const { banner, toolbar, bands, left, right } = boxes;
  if (!banner || !toolbar || !bands || !left || !right) throw new Error(`not laid out: ${JSON.stringify(boxes)}`);
  expect(banner.top).toBeGreaterThanOrEqual(toolbar.bottom - 0.5);
  for (const under of [bands, left, right]) expect(under.top).toBeGreaterThanOrEqual(banner.bottom - 0.5);
  // What is drawn at the centre of every strip is the strip itself.
  const strips = await second.evaluate(() =>
    Array.from(document.querySelectorAll('[data-testid^="strip-"]'))
      .filter((s) =>
        /^strip-(account|role|network|group|policy|overlay)$/.test((s as HTMLElement).dataset.testid ?? ''),
      )
      .map((s) => {
        const r = s.getBoundingClientRect();
        return s.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
      }),
  );
  expect(strips.length).toBeGreaterThan(0);
  expect(strips.every(Boolean)).toBe(true);
  await first.close();
});
