// WCAG 2 contrast of the stylesheet's own colours: labels ≥ 4.5:1 on what they sit on, call edges
// ≥ 4.5:1 on the focused band's background and on the segment fills they cross (DESIGN.md).
import { describe, expect, it } from 'vitest';
import { graphStyle } from './style';
import { GRAPH_THEMES, type GraphTheme, PRESENT_LABEL_PX } from './themes';

const luminance = (hex: string): number => {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

describe.each(['light', 'dark', 'present'] as GraphTheme[])('%s theme contrast (WCAG AA)', (theme) => {
  const t = GRAPH_THEMES[theme];
  const fills = {
    canvas: t.canvas,
    context: t.context,
    worstError: t.worstError,
    worstWarn: t.worstWarn,
    ...Object.fromEntries(Object.entries(t.levels).map(([l, c]) => [`level ${l}`, c])),
  };

  it('checks the black-on-white reference at 21:1', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
  });

  it.each(Object.entries(fills))('segment and context labels read on %s (≥ 4.5:1)', (_name, fill) => {
    expect(contrast(t.text, fill)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(t.muted, fill)).toBeGreaterThanOrEqual(4.5);
  });

  it('service labels read on service, datastore and gateway fills (≥ 4.5:1)', () => {
    for (const fill of [t.service, t.datastore, t.gateway]) expect(contrast(t.text, fill)).toBeGreaterThanOrEqual(4.5);
  });

  it.each(Object.entries(fills))('call edges stand out on %s (≥ 4.5:1)', (_name, fill) => {
    for (const edge of [t.edge, t.allowed, t.broken, t.excess])
      expect(contrast(edge, fill)).toBeGreaterThanOrEqual(4.5);
  });

  it('aggregate labels read on their label background', () => {
    expect(contrast(t.text, t.labelBg)).toBeGreaterThanOrEqual(4.5);
  });

  it('marks of hubs and quotas stand out on segment fills (≥ 3:1, non-text)', () => {
    for (const fill of Object.values(fills))
      for (const mark of [t.hub, t.quotaWarn, t.quotaError, t.exposed])
        expect(contrast(mark, fill)).toBeGreaterThanOrEqual(3);
  });

  it('every colour of the stylesheet comes from the theme table', () => {
    const colours = new Set(
      JSON.stringify(graphStyle(theme))
        .match(/#[0-9a-f]{6}/gi)
        ?.map((c) => c.toLowerCase()),
    );
    const known = new Set(
      JSON.stringify(t)
        .match(/#[0-9a-f]{6}/gi)
        ?.map((c) => c.toLowerCase()),
    );
    for (const c of colours) expect(known.has(c)).toBe(true);
  });
});

describe('presentation mode (lessons on a projector)', () => {
  const t = GRAPH_THEMES.present;
  const fills = [
    t.canvas,
    t.context,
    t.service,
    t.datastore,
    t.gateway,
    t.worstError,
    t.worstWarn,
    t.labelBg,
    ...Object.values(t.levels),
  ];

  it('puts every label at 7:1 or more on every fill (WCAG AAA)', () => {
    for (const fill of fills) {
      expect(contrast(t.text, fill), `text on ${fill}`).toBeGreaterThanOrEqual(7);
      expect(contrast(t.muted, fill), `muted on ${fill}`).toBeGreaterThanOrEqual(7);
    }
  });

  it('draws no label under 24 px on screen, where the other themes stop at 11 px', () => {
    const minima = (theme: GraphTheme) =>
      graphStyle(theme).flatMap((rule) => {
        const v = 'style' in rule ? (rule.style as Record<string, unknown>)['min-zoomed-font-size'] : undefined;
        return typeof v === 'number' ? [v] : [];
      });
    expect(new Set(minima('present'))).toEqual(new Set([PRESENT_LABEL_PX]));
    expect(PRESENT_LABEL_PX).toBe(24);
    expect(Math.max(...minima('light'))).toBeLessThan(PRESENT_LABEL_PX);
  });
});
