#!/usr/bin/env node
// Pre-test step: find a Chromium, or install one (apt-get as root, else Playwright's installer); one clear sentence on failure.
import { execSync } from 'node:child_process';
import { findChromium } from './chromium.mjs';

const found = findChromium();
if (found) {
  console.log(`chromium: ${found}`);
  process.exit(0);
}
if (process.env.CHROMIUM_PATH) {
  console.error(
    `segscope: CHROMIUM_PATH is set to ${process.env.CHROMIUM_PATH}, but no file is there; point it at a Chromium binary or unset it.`,
  );
  process.exit(1);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
try {
  if (isRoot) {
    console.log('chromium: not found, installing Debian chromium with apt-get…');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
      stdio: 'inherit',
    });
  } else {
    console.log('chromium: not found, trying `npx playwright install chromium`…');
    execSync('npx playwright install chromium', { stdio: 'inherit' });
  }
} catch {
  // reported below
}
const after = findChromium();
if (after) {
  console.log(`chromium: ${after}`);
  process.exit(0);
}
console.error(
  'segscope: no Chromium found and none could be installed; install one (e.g. `apt-get install chromium`) or set CHROMIUM_PATH to its binary, then run `npm test` again.',
);
process.exit(1);
