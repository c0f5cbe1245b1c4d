// An open unit's title: the longest of its forms that fits its box (head, marks, shorter marks, bare glyphs, name).
import { memberCount } from './attachments';
import { badgeForms, type UnitStats } from './badges';
import { plural } from './lod';
import { textWidth } from './text';
import type { Unit } from './units';

/** Room a title keeps for the marks the analysis may add later (" ★ △ 58/60"; shorter forms where the marks need more). */
export const BADGE_ROOM = ' ★ △ 00/00';

/**
 * An open unit's title, the longest of its forms that fits `width` at `font` (bold): its head ("sg-app
 * · 7", "vpc-core"), then its marks in the form every unit shares (badges.ts: "★ 1 · △ 4/5 rules"),
 * shorter, down to the bare glyphs; the full form is in the tooltip. A name that still does not fit
 * is drawn wrapped by cytoscape (never cut).
 */
const titleOf = (head: string, name: string, s: UnitStats | undefined, own: boolean, width: number, font: number) => {
  const forms = badgeForms(s, own);
  const glyphs = forms[forms.length - 2] ?? '';
  // Marks follow the head after a space when they start with their glyph ("sg-app · 7 ★ △ 4/5"),
  // else after a dot ("sg-batch · 3 · 1 broken"); they outlast the count: colour is never the only signal.
  const titles = forms.filter(Boolean).map((f) => `${head}${/^[★▲△⚑]/.test(f) ? ' ' : ' · '}${f}`);
  if (glyphs) titles.push(`${name} ${glyphs}`);
  titles.push(head, name);
  return titles.find((f) => textWidth(f, font, true) <= width) ?? (titles[titles.length - 1] as string);
};

/** An open segment's title: "sg-app · 7 ★ 1 · △ 4/5 rules" and shorter. */
export const segmentTitle = (u: Unit, s: UnitStats | undefined, width = Number.POSITIVE_INFINITY, font = 1): string =>
  titleOf(`${u.name} · ${memberCount(u.services, u.attached)}`, u.name, s, u.children.length === 0, width, font);

/** An open context's or bucket's title, with the marks of what it holds. */
export const containerTitle = (u: Unit, s?: UnitStats, width = Number.POSITIVE_INFINITY, font = 1): string => {
  const head = u.kind === 'bucket' ? `${u.name} · ${plural(u.segments, 'segment')}` : u.name;
  return titleOf(head, u.name, s, false, width, font);
};

/** The title a container box is sized for: a segment's with room for the badges the analysis may add. */
export const titleRoom = (u: Unit): string =>
  u.kind === 'segment' ? `${u.name} · ${memberCount(u.services, u.attached)}${BADGE_ROOM}` : containerTitle(u);
