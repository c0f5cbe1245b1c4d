import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// WCAG 2.1 contrast of the panels' text colours on their backgrounds, in both themes (AA: 4.5:1 for text).
const css = readFileSync('src/ui/app.css', 'utf8');

/** The custom properties set in the first rule whose selector is exactly `selector`. */
const vars = (selector: string): Record<string, string> => {
  const start = css.indexOf(`${selector} {`);
  const body = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})/g)].map((m) => [m[1], m[2]]));
};

const luminance = (hex: string): number => {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

/** The colour a selector's `color` declaration sets (for the fixed "ok" greens). */
const colorOf = (selector: string): string => {
  const start = css.indexOf(`${selector}`);
  return /color:\s*(#[0-9a-fA-F]{6})/.exec(css.slice(start))?.[1] ?? '';
};

describe('panel text contrast (WCAG AA, 4.5:1)', () => {
  const light = vars(':root');
  const dark = { ...light, ...vars('.app.dark') };
  it.each([
    ['light', light, colorOf('.delta .ok,\n.ok {')],
    ['dark', dark, colorOf('.app.dark .delta .ok,\n.app.dark .ok {')],
  ])('%s theme', (_name, v, ok) => {
    const pairs: [string, string, string][] = [];
    for (const fg of ['fg', 'muted', 'bad', 'warn', 'accent'])
      for (const bg of ['bg', 'panel']) pairs.push([fg, bg, v[fg] as string]);
    const low = pairs
      .map(([fg, bg, colour]) => [`${fg} on ${bg}`, contrast(colour, v[bg] as string)] as const)
      .filter(([, ratio]) => ratio < 4.5);
    expect(low).toEqual([]);
    expect(contrast(ok, v.bg as string)).toBeGreaterThanOrEqual(4.5);
    expect(Object.keys(v)).toEqual(expect.arrayContaining(['fg', 'muted', 'bad', 'warn', 'accent', 'bg', 'panel']));
  });
});
