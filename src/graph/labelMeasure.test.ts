import { describe, expect, it } from 'vitest';
import { ellipsize, type LabelDimensions, type LabelRenderer, measureLabelsOnce } from './labelMeasure';

/** Cytoscape's own ellipsis loop (getLabelText, text-wrap: ellipsis), for comparison. */
const cytoscapeCut = (text: string, maxW: number, width: (s: string) => number): string => {
  if (!text) return '';
  if (width(text) < maxW) return text;
  let kept = '';
  let whole = false;
  for (let i = 0; i < text.length; i++) {
    if (width(`${kept}${text[i]}\u2026`) > maxW) break;
    kept += text[i];
    if (i === text.length - 1) whole = true;
  }
  return whole ? kept : `${kept}\u2026`;
};

/** Widths like a proportional font's: narrow and wide letters, a kerning pair that takes a little back. */
const advance = (c: string) => ('il.'.includes(c) ? 3 : 'mwMW'.includes(c) ? 11 : c === '\u2026' ? 9 : 7);
const width = (s: string) => {
  let w = 0;
  for (let i = 0; i < s.length; i++) w += advance(s[i] as string) - (s[i] === 'V' && s[i + 1] === 'A' ? 1 : 0);
  return Math.ceil(w);
};

const element = (style: Record<string, unknown>) => ({
  pstyle: (name: string) => {
    const v = style[name];
    return typeof v === 'number' ? { pfValue: v, value: v } : { strValue: v as string, value: v };
  },
});

/** A renderer whose measure counts its calls and whose own getLabelText is cytoscape's loop. */
const fakeRenderer = () => {
  const measured: string[] = [];
  const r: LabelRenderer = {
    calculateLabelDimensions(ele, text): LabelDimensions {
      measured.push(`${ele.pstyle('font-size').pfValue}:${text}`);
      return { width: width(text), height: 10, labelActualAscent: 0, labelActualDescent: 0 };
    },
    getLabelText(ele) {
      const text = ele.pstyle('label').strValue ?? '';
      return ele.pstyle('text-wrap').value === 'ellipsis'
        ? cytoscapeCut(
            text,
            ele.pstyle('text-max-width').pfValue ?? 0,
            (s) => this.calculateLabelDimensions(ele, s).width,
          )
        : `own:${text}`;
    },
  };
  return { r, measured };
};

const style = (label: string, maxW: number, size = 12) => ({
  label,
  'text-wrap': 'ellipsis',
  'text-max-width': maxW,
  'text-transform': 'none',
  'font-size': size,
  'font-style': 'normal',
  'font-weight': 'normal',
  'font-family': 'sans-serif',
  'text-metrics': 'font',
});

describe('ellipsize', () => {
  it('cuts every text at every width where cytoscape’s loop cuts it', () => {
    const texts = ['', 'a', 'payments-api', 'VAVAVA mmm iii', 'checkout · 12 services', 'x'.repeat(60), 'WWWWWWWWil'];
    for (const text of texts)
      for (let maxW = 0; maxW <= width(text) + 12; maxW++)
        expect(ellipsize(text, maxW, width), `${text} @${maxW}`).toBe(cytoscapeCut(text, maxW, width));
  });

  it('measures a long text a handful of times, not once per character', () => {
    let calls = 0;
    const counted = (s: string) => {
      calls++;
      return width(s);
    };
    ellipsize('a-service-name-much-longer-than-its-box-'.repeat(3), 100, counted);
    expect(calls).toBeLessThanOrEqual(8);
  });
});

describe('measureLabelsOnce', () => {
  it('measures a text once per font, however often it is asked for', () => {
    const { r, measured } = fakeRenderer();
    measureLabelsOnce(r);
    const a = element(style('checkout', 200, 12));
    const b = element(style('checkout', 200, 14));
    for (let i = 0; i < 3; i++) {
      expect(r.calculateLabelDimensions(a, 'checkout').width).toBe(width('checkout'));
      r.calculateLabelDimensions(b, 'checkout');
    }
    expect(measured).toEqual(['12:checkout', '14:checkout']);
  });

  it('hands out copies: a caller writing to one does not change the next answer', () => {
    const { r } = fakeRenderer();
    measureLabelsOnce(r);
    const a = element(style('x', 10));
    r.calculateLabelDimensions(a, 'abc').width = 999;
    expect(r.calculateLabelDimensions(a, 'abc').width).toBe(width('abc'));
  });

  it('starts again past its size, and on clear()', () => {
    const { r, measured } = fakeRenderer();
    const labels = measureLabelsOnce(r, 2);
    const a = element(style('x', 10));
    for (const t of ['p', 'q', 'r', 'p']) r.calculateLabelDimensions(a, t);
    expect(measured).toEqual(['12:p', '12:q', '12:r', '12:p']);
    labels.clear();
    r.calculateLabelDimensions(a, 'p');
    expect(measured).toHaveLength(5);
  });

  it('cuts ellipsized labels as cytoscape does, with fewer measures; other labels go to cytoscape', () => {
    const texts = ['payments-api-gateway-internal', 'short', 'VAVAVAVA-mmmmm'];
    for (const text of texts)
      for (const maxW of [0, 20, 50, 90, 400]) {
        const own = fakeRenderer();
        const expected = own.r.getLabelText(element(style(text, maxW)));
        const ours = fakeRenderer();
        measureLabelsOnce(ours.r);
        expect(ours.r.getLabelText(element(style(text, maxW)))).toBe(expected);
        expect(ours.measured.length).toBeLessThanOrEqual(Math.max(own.measured.length, 7));
      }
    const { r } = fakeRenderer();
    measureLabelsOnce(r);
    expect(r.getLabelText(element({ ...style('a b c', 10), 'text-wrap': 'wrap' }))).toBe('own:a b c');
    expect(r.getLabelText(element({ ...style('Mixed', 400), 'text-transform': 'uppercase' }))).toBe('MIXED');
    expect(r.getLabelText(element(style('', 10)))).toBe('');
  });
});
