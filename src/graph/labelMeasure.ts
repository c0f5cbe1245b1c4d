// Label widths measured once per font and text, and an ellipsized label cut in a few measures, not one per character.
//
// Cytoscape measures a label (`calculateLabelDimensions`: set the context's font, `measureText`) each
// time it needs its size: for the bounds when an element is styled, and again for every label drawn
// in every frame. A label drawn with `text-wrap: ellipsis` that does not fit (a cell's name, a
// service's) is cut by measuring its text with one more character at a time, each frame anew. At
// 5,000 services `measureText` was a third of the samples of the frame drawing an opened unit
// (278 measures for 71 elements). A measure depends only on the font and the text, so it is kept
// (the same widths, the same picture); the cut point is found by halving (widths grow with the prefix).

/** The parts of cytoscape's renderer this replaces (not in its type declarations). */
export interface LabelRenderer {
  calculateLabelDimensions(ele: StyledElement, text: string): LabelDimensions;
  getLabelText(ele: StyledElement, prefix?: string): string;
}

export interface LabelDimensions {
  width: number;
  height: number;
  labelActualAscent: number;
  labelActualDescent: number;
}

interface StyledElement {
  pstyle(name: string): { value?: unknown; strValue?: string; pfValue?: number };
}

/** Measures kept at most (a band's labels and their cut prefixes); past it the memo starts again. */
export const MEASURES_KEPT = 20_000;

const ELLIPSIS = '\u2026';

/**
 * `text` cut to `maxW` as cytoscape's `getLabelText` cuts it: a text narrower than `maxW` whole;
 * else characters kept while `prefix + next + '…'` is at most `maxW` wide, and an ellipsis after them
 * (none when every one was kept). `width` grows with the prefix, so the first one too wide is halved for.
 */
export const ellipsize = (text: string, maxW: number, width: (s: string) => number): string => {
  if (!text || width(text) < maxW) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (width(text.slice(0, mid + 1) + ELLIPSIS) <= maxW) lo = mid + 1;
    else hi = mid;
  }
  return lo === text.length ? text : text.slice(0, lo) + ELLIPSIS;
};

/** Keep label measures per font and text, and cut ellipsized labels by halving; other labels as cytoscape does. */
export const measureLabelsOnce = (renderer: LabelRenderer, kept = MEASURES_KEPT): { clear(): void } => {
  const measure = renderer.calculateLabelDimensions;
  const labelText = renderer.getLabelText;
  let memo = new Map<string, LabelDimensions>();
  renderer.calculateLabelDimensions = function (ele, text) {
    const key = [
      ele.pstyle('font-style').strValue,
      ele.pstyle('font-weight').strValue,
      ele.pstyle('font-size').pfValue,
      ele.pstyle('font-family').strValue,
      ele.pstyle('text-metrics').strValue,
      text,
    ].join('\u0000');
    let dims = memo.get(key);
    if (!dims) {
      if (memo.size >= kept) memo = new Map();
      dims = measure.call(this, ele, text);
      memo.set(key, dims);
    }
    // Callers read the result; a copy keeps the memo safe from one that would write to it.
    return { ...dims };
  };
  renderer.getLabelText = function (ele, prefix) {
    if (ele.pstyle('text-wrap').value !== 'ellipsis') return labelText.call(this, ele, prefix);
    let text = ele.pstyle(`${prefix ? `${prefix}-` : ''}label`).strValue;
    if (!text) return '';
    const transform = ele.pstyle('text-transform').value;
    if (transform === 'uppercase') text = text.toUpperCase();
    else if (transform === 'lowercase') text = text.toLowerCase();
    const maxW = ele.pstyle('text-max-width').pfValue ?? 0;
    return ellipsize(text, maxW, (s) => this.calculateLabelDimensions(ele, s).width);
  };
  return {
    clear: () => {
      memo = new Map();
    },
  };
};
