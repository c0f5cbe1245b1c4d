// Finding a Chromium for the browser tests: CHROMIUM_PATH, Debian's /usr/bin/chromium, Playwright's own.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** Path of a usable Chromium, or undefined. */
export const findChromium = () => {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  for (const c of CANDIDATES) if (existsSync(c)) return c;
  try {
    const require = createRequire(import.meta.url);
    const { chromium } = require('playwright-core');
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // playwright-core absent or no browser downloaded: fall through
  }
  return undefined;
};

/** Flags for headless Chromium as root in a closed network (see README). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
