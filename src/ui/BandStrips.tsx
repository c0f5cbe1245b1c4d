// The unfocused bands as one-line strips of segment summaries (text, never HTML), and the focused band's title.
import { type RefObject, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { type BandSummary, cachedBandSummaries, type SegmentChip } from '../graph/strips';
import { segmentLookup } from '../graph/strips-edit';
import { LEVEL_TITLES, LEVELS, type Level, type Workspace } from '../model/types';
import type { AppStore } from '../store/store';

/** Rough width of a chip in px (12 px text, DejaVu-wide); used only to decide how many chips a strip shows. */
const chipWidth = (c: SegmentChip): number => 22 + 6.9 * `${c.name} ${c.services} ${badges(c)}`.length;

const MORE_W = 80;
/** The strip's paddings and gaps, around its title button and chips. */
const FRAME_W = 32;
/** The title button's level name, paddings and gap. */
const LEVEL_W = 96;
/** The counts keep at least this much ("12 seg · 5,000…"); the rest of what they need goes to chips first. */
const MIN_COUNTS_W = 96;

// One formatter: toLocaleString makes one per call (≈ 10 µs), and a strip formats thousands of chips' figures.
const NUMBERS = new Intl.NumberFormat('en-US');
const n = (x: number) => NUMBERS.format(x);

/** The strip's counts, short so the chips get the room: "2 seg · 15 svc · 4 calls · 1 broken" (the tooltip says them in full). */
export const stripCounts = (b: BandSummary): string =>
  [
    `${n(b.segments)} seg`,
    `${n(b.services)} svc`,
    b.crossing ? `${n(b.crossing)} call${b.crossing === 1 ? '' : 's'}` : '',
    b.broken ? `${n(b.broken)} broken` : '',
  ]
    .filter(Boolean)
    .join(' · ');

/** The counts in full, for the tooltip and the focused band's title. */
const counts = (b: BandSummary): string =>
  [
    `${n(b.segments)} segment${b.segments === 1 ? '' : 's'}`,
    `${n(b.services)} service${b.services === 1 ? '' : 's'}`,
    b.broken ? `${n(b.broken)} broken` : '',
  ]
    .filter(Boolean)
    .join(' · ');

const crossing = (b: BandSummary): string =>
  `${n(b.crossing)} call${b.crossing === 1 ? '' : 's'} between its segments${b.broken ? `, ${n(b.broken)} of them broken` : ''}`;

/** A chip's marks: ★ holds a hub, ▲ over / △ near a quota, "N broken" calls. */
const badges = (c: SegmentChip): string =>
  [c.hub ? '★' : '', c.quota === 'error' ? '▲' : c.quota === 'warn' ? '△' : '', c.broken ? `${n(c.broken)} broken` : '']
    .filter(Boolean)
    .join(' ');

/** What a chip's figures count, in words (its tooltip). */
export const chipTitle = (c: SegmentChip): string =>
  [
    `${c.name}: ${n(c.services)} service${c.services === 1 ? '' : 's'}`,
    c.hub ? '★ holds a hub (a service many others call)' : '',
    c.quota === 'error' ? '▲ over a quota' : c.quota === 'warn' ? '△ at ≥ 80 % of a quota' : '',
    c.broken
      ? `${n(c.broken)} broken call${c.broken === 1 ? '' : 's'} between segments of this level with an end in it`
      : '',
  ]
    .filter(Boolean)
    .join('; ');

const Strip = ({
  band,
  width,
  holding,
  onFocus,
  onChip,
}: {
  band: BandSummary;
  width: number;
  holding: ReadonlySet<string>;
  onFocus(): void;
  onChip(segmentId: string): void;
}) => {
  const empty = band.services === 0;
  // The chips that fit, the selected service's segment always among them.
  // Chips come first: the counts keep only what the chips leave (they are short, and in full in the tooltip).
  const short = stripCounts(band);
  // Each chip's width once per band (not per width or selection change, and not thrice per chip).
  const widths = useMemo(() => band.chips.map(chipWidth), [band]);
  const shown: SegmentChip[] = [];
  const total = widths.reduce((a, w) => a + w, 0);
  const fitsAll = total <= width - FRAME_W - LEVEL_W - MIN_COUNTS_W;
  let room = width - FRAME_W - LEVEL_W - MIN_COUNTS_W - (fitsAll ? 0 : MORE_W);
  let used = 0;
  for (const [i, c] of band.chips.entries()) {
    const w = widths[i] as number;
    if (room < w && !holding.has(c.segmentId)) continue;
    shown.push(c);
    room -= w;
    used += w;
  }
  const more = band.chips.length - shown.length;
  return (
    <div className={`strip${empty ? ' strip-empty' : ''}`} data-testid={`strip-${band.level}`} data-level={band.level}>
      <button
        type="button"
        className="strip-title"
        data-testid={`strip-focus-${band.level}`}
        style={{ maxWidth: Math.max(LEVEL_W + MIN_COUNTS_W, width - FRAME_W - used - (fitsAll ? 0 : MORE_W)) }}
        title={`Focus the ${LEVEL_TITLES[band.level]} band${empty ? '' : ` (${counts(band)}; ${crossing(band)})`}`}
        onClick={onFocus}
      >
        <span className="strip-level">▸ {band.level}</span>
        <span className="strip-counts" data-testid={`strip-counts-${band.level}`}>
          {empty ? 'no data' : short}
        </span>
      </button>
      <span className="strip-chips">
        {shown.map((c) => (
          <button
            type="button"
            key={c.segmentId}
            className={`chip${holding.has(c.segmentId) ? ' holds-selection' : ''}${c.quota ? ` quota-${c.quota}` : ''}`}
            data-testid="strip-chip"
            data-segment={c.segmentId}
            title={chipTitle(c)}
            onClick={() => onChip(c.segmentId)}
          >
            {c.name} <span className="chip-count">{c.services}</span>
            {badges(c) ? <span className="chip-badges"> {badges(c)}</span> : null}
          </button>
        ))}
      </span>
      {more > 0 ? (
        <span className="strip-more" data-testid={`strip-more-${band.level}`}>
          +{more} more
        </span>
      ) : null}
    </div>
  );
};

/** The segments holding a service, at every level, with their parents (16 deep at most). */
const segmentsHolding = (workspace: Workspace | null, serviceId: string | null | undefined): Set<string> => {
  const out = new Set<string>();
  const svc = serviceId ? workspace?.services.find((s) => s.id === serviceId) : undefined;
  // Nothing selected (a drop, a load): no lookup of the new workspace's segments in the render.
  if (!workspace || !svc) return out;
  const { byId } = segmentLookup(workspace.segments);
  for (const ids of Object.values(svc.memberships)) {
    for (let id of ids ?? []) {
      for (let i = 0; id && i < 16; i++, id = byId.get(id)?.parent as string) out.add(id);
    }
  }
  return out;
};

/** The element's width in px, kept current. */
const useWidth = (ref: RefObject<HTMLElement | null>): number => {
  const [width, setWidth] = useState(800);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, [ref]);
  return width;
};

/** The focused band's title line: its level, what it holds and the calls between its segments. */
const FocusTitle = ({
  at,
  focus,
  band,
}: {
  at: RefObject<HTMLDivElement | null>;
  focus: Level;
  band?: BandSummary;
}) => (
  <div ref={at} className="focus-title" data-testid="focused-band" data-level={focus}>
    <strong>▾ {focus}</strong> {LEVEL_TITLES[focus]}
    <span className="strip-counts">
      {' '}
      · {band && band.services > 0 ? `${counts(band)} · ${crossing(band)}` : 'no data for this level'}
    </span>
  </div>
);

/** The strips above (coarser) or below (finer) the focused band, or the focused band's title line. */
export const BandStrips = ({
  store,
  side,
  onLayout,
}: {
  store: AppStore;
  side: 'above' | 'below' | 'title';
  onLayout?(): void;
}) => {
  // Not deferred: the strips' marks can change their height, and the band redrawn when the verdicts
  // land is laid out for the canvas those heights leave (bandSummaries takes a few ms then).
  const workspace = useStore(store, (s) => s.workspace);
  const analysis = useStore(store, (s) => s.analysis);
  const scope = useStore(store, (s) => s.scope);
  const focus = useStore(store, (s) => s.focus);
  const selected = useStore(store, (s) => s.selection.serviceId);
  // Without a workspace every band is a "no data" strip: the strips keep their height, so the
  // canvas has its final size when the first workspace is drawn into it.
  const summaries = useMemo(
    () =>
      workspace
        ? cachedBandSummaries(workspace, analysis, scope)
        : LEVELS.map((level) => ({ level, segments: 0, services: 0, crossing: 0, broken: 0, chips: [] })),
    [workspace, analysis, scope],
  );
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  // The canvas moves when strips move between above and below: tell cytoscape.
  const laidOut = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (laidOut.current === focus) return;
    laidOut.current = focus;
    onLayout?.();
  });
  const holding = useMemo(() => segmentsHolding(workspace, selected), [selected, workspace]);
  if (side === 'title') return <FocusTitle at={ref} focus={focus} band={summaries.find((b) => b.level === focus)} />;
  const at = LEVELS.indexOf(focus);
  const levels: Level[] = side === 'above' ? LEVELS.slice(0, at) : LEVELS.slice(at + 1);
  return (
    <div ref={ref} className={`strips strips-${side}`} data-testid={`strips-${side}`}>
      {levels.map((level) => {
        const band = summaries.find((b) => b.level === level);
        if (!band) return null;
        return (
          <Strip
            key={level}
            band={band}
            width={width}
            holding={holding}
            onFocus={() => store.getState().setFocus(level)}
            onChip={(segmentId) => store.getState().reveal({ segmentIds: [segmentId], level })}
          />
        );
      })}
    </div>
  );
};
