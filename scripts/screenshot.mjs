#!/usr/bin/env node
// Take a screenshot of the built app (npm run build first): node scripts/screenshot.mjs OUT.png [URL] [WxH]
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './chromium.mjs';

const [out = 'screenshot.png', url = 'http://127.0.0.1:4317/', size = '1600x1000'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width, height } });
page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
await page.goto(url);
await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30000 });
await page.waitForTimeout(500);
await page.screenshot({ path: out });
await browser.close();
console.log(out);
