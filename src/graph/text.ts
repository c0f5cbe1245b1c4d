// How wide a label is drawn, estimated without a DOM (elements are built in pure code and in tests).
//
// Widths are DejaVu Sans advances (what Chromium draws system-ui with on Linux, and wider than
// Segoe UI or San Francisco), in em, rounded up: a box sized with them holds its title on every
// platform we draw on.

const LOWER: Record<string, number> = {
  a: 0.62,
  b: 0.64,
  c: 0.56,
  d: 0.64,
  e: 0.62,
  f: 0.36,
  g: 0.64,
  h: 0.64,
  i: 0.28,
  j: 0.28,
  k: 0.58,
  l: 0.28,
  m: 0.98,
  n: 0.64,
  o: 0.62,
  p: 0.64,
  q: 0.64,
  r: 0.42,
  s: 0.53,
  t: 0.4,
  u: 0.64,
  v: 0.6,
  w: 0.82,
  x: 0.6,
  y: 0.6,
  z: 0.53,
};
const NARROW = new Set([' ', '.', ',', ':', ';', '·', "'", '|', '!', '(', ')', '[', ']', '/', '-']);
/** Bold DejaVu Sans is about a tenth wider. */
const BOLD = 1.1;

const charEm = (ch: string): number => {
  const lower = LOWER[ch];
  if (lower !== undefined) return lower;
  if (ch >= '0' && ch <= '9') return 0.64;
  if (NARROW.has(ch)) return 0.36;
  if (ch >= 'A' && ch <= 'Z') return ch === 'I' ? 0.3 : ch === 'M' || ch === 'W' ? 0.99 : 0.74;
  // Symbols and badges (★ ▲ △ ⚑ ✕ …) and anything else: a full em.
  return ch.charCodeAt(0) < 128 ? 0.64 : 1;
};

/** Width of one line of text at `px` pixels (model units), bold or not. */
export const textWidth = (text: string, px: number, bold = false): number => {
  let em = 0;
  for (const ch of text) em += charEm(ch);
  return em * px * (bold ? BOLD : 1);
};

/** Width of the widest line of a multi-line label. */
export const labelWidth = (label: string, px: number, bold = false): number =>
  label.split('\n').reduce((w, line) => Math.max(w, textWidth(line, px, bold)), 0);

/** "5,000": counts are written with one formatter (`toLocaleString('en-US')` builds a new one at every call). */
const COUNTS = new Intl.NumberFormat('en-US');
export const countText = (n: number): string => COUNTS.format(n);
