#!/usr/bin/env node
// `npm test`: lint, typecheck, unit tests (vitest), a production build, then browser tests (Playwright).
// Prints one closing line `N passed, N failed` over both runners and writes .test-reports/totals.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A free local port for the preview server, so a running `npm start`/preview never blocks the tests. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

const started = Date.now();
mkdirSync('.test-reports', { recursive: true });
const run = (label, cmd, args) => {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return r.status === 0;
};
const readJson = (f) => {
  try {
    return JSON.parse(readFileSync(f, 'utf8'));
  } catch {
    return undefined;
  }
};
for (const f of ['.test-reports/unit.json', '.test-reports/e2e.json']) rmSync(f, { force: true });

const steps = {};
steps.lint = run('lint', 'npx', ['biome', 'ci', '--error-on-warnings', '.']);
steps.typecheck = run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
steps.unit = run('unit tests', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile=.test-reports/unit.json',
]);
steps.chromium = run('browser', 'node', ['scripts/find-chromium.mjs']);
steps.build = steps.chromium && run('build', 'npx', ['vite', 'build']);
process.env.SEGSCOPE_PORT ??= String(await freePort());
steps.e2e = steps.build && run('browser tests', 'npx', ['playwright', 'test']);

const unit = readJson('.test-reports/unit.json');
let passed = unit?.numPassedTests ?? 0;
let failed = unit?.numFailedTests ?? 0;
const e2e = readJson('.test-reports/e2e.json');
if (e2e?.stats) {
  passed += e2e.stats.expected ?? 0;
  failed += (e2e.stats.unexpected ?? 0) + (e2e.stats.flaky ?? 0);
}
// A step that failed outside any test (lint, types, build, no browser) counts as one failure each.
for (const [name, ok] of Object.entries(steps)) {
  if (ok) continue;
  const counted =
    (name === 'unit' && (unit?.numFailedTests ?? 0) > 0) || (name === 'e2e' && (e2e?.stats?.unexpected ?? 0) > 0);
  if (!counted) {
    failed += 1;
    console.error(`✗ ${name} failed`);
  }
}
const seconds = Math.round((Date.now() - started) / 1000);
writeFileSync('.test-reports/totals.json', JSON.stringify({ passed, failed, seconds, steps }, null, 2));
console.log(`\nnpm test took ${seconds} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && Object.values(steps).every(Boolean) && existsSync('.test-reports/totals.json') ? 0 : 1);
