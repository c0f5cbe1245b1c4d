// The stylesheet as data: every theme's entries, in order, one line each, against the snapshot taken before
// graphStyle was split into named parts (style.sheet.txt). A lost, added or reordered entry, or a changed
// property, fails here; an intended change is accepted with `npx vitest run src/graph/style.sheet.test.ts -u`.
import { expect, it } from 'vitest';
import { graphStyle } from './style';
import type { GraphTheme } from './themes';

const THEMES: GraphTheme[] = ['light', 'dark', 'present'];

/** One line per entry: its selector, then its properties sorted by name (their order means nothing to cytoscape). */
const lines = (theme: GraphTheme): string[] =>
  (graphStyle(theme) as { selector: string; style: Record<string, unknown> }[]).map(
    ({ selector, style }) =>
      `${selector}  ${JSON.stringify(Object.fromEntries(Object.entries(style).sort(([a], [b]) => a.localeCompare(b))))}`,
  );

it('draws every theme with the same entries, in the same order, as the snapshot', async () => {
  const text = THEMES.map((theme) => [`# ${theme}`, ...lines(theme)].join('\n')).join('\n\n');
  await expect(`${text}\n`).toMatchFileSnapshot('./style.sheet.txt');
});
