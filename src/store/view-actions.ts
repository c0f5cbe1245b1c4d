// The store's view actions: focus, selection, the analysis landing, folds, reveal and search, view settings.

import type { AnalysisSummary } from '../analysis/types';
import { bestFocus, bestMatch } from '../graph/strips';
import type { Level, Workspace } from '../model/types';
import type { AppState, RevealRequest, StoreKit } from './state';

/** Bands tried, in this order, when neither the request nor the focus holds what is to be revealed. */
const REVEAL_ORDER: Level[] = ['group', 'policy', 'overlay', 'network', 'role', 'account'];

/**
 * The state a reveal sets: a band holding the services or segments, what contains them expanded, and
 * the order the canvas carries out. Null when no band holds them.
 */
const revealState = (s: AppState, request: RevealRequest): Partial<AppState> | null => {
  const ws = s.workspace;
  if (!ws) return null;
  const serviceIds = request.serviceIds ?? [];
  const byId = new Map(ws.services.map((x) => [x.id, x]));
  const segLevel = new Map(ws.segments.map((x) => [x.id, x.level]));
  const holds = (level: Level) =>
    serviceIds.some((id) => (byId.get(id)?.memberships[level]?.length ?? 0) > 0) ||
    (request.segmentIds ?? []).some((id) => segLevel.get(id) === level);
  const candidates = [request.level, s.focus, ...(request.segmentIds ?? []).map((id) => segLevel.get(id))];
  const level = candidates.find((l): l is Level => !!l && holds(l)) ?? REVEAL_ORDER.find(holds);
  if (!level) return null;
  const segmentIds = [
    ...(request.segmentIds ?? []).filter((id) => segLevel.get(id) === level),
    ...serviceIds.flatMap((id) => byId.get(id)?.memberships[level] ?? []),
  ];
  const expanded = new Set(s.expanded);
  for (const id of segmentIds) expanded.add(id);
  const seq = (s.revealOrder?.seq ?? 0) + 1;
  return {
    focus: level,
    autoFocus: false,
    expanded,
    revealOrder: {
      serviceIds,
      segmentIds: [...new Set(segmentIds)],
      level,
      seq,
      ...(request.whole ? { whole: true } : {}),
    },
  };
};

type ViewActions = Pick<
  AppState,
  | 'setReadOnly'
  | 'setFocus'
  | 'select'
  | 'setAnalysis'
  | 'toggleSegment'
  | 'setExpanded'
  | 'reveal'
  | 'revealSearch'
  | 'setShowExcess'
  | 'setTheme'
  | 'setSearch'
  | 'setScope'
>;

/** The focus once the analysis is known: ties between bands go to the one with the most findings. */
export const focusWith = (
  { autoFocus, focus }: Pick<AppState, 'autoFocus' | 'focus'>,
  workspace: Workspace,
  analysis: AnalysisSummary,
): Pick<AppState, 'autoFocus' | 'focus'> => {
  const better = autoFocus ? bestFocus(workspace, analysis) : focus;
  return { focus: better, autoFocus: autoFocus && better === focus };
};

export const viewActions = ({ set, get, keep }: StoreKit): ViewActions => ({
  setReadOnly: (readOnly) => set({ readOnly, editError: null }),
  setFocus: (focus) => set({ focus, autoFocus: false }),
  select: (selection) => set({ selection }),
  // An analysis that arrives for a workspace no longer current is stale and dropped.
  setAnalysis: (workspace, analysis) => {
    if (get().workspace !== workspace) return;
    keep(workspace, analysis);
    set({ analysis, analysisProgress: null, ...focusWith(get(), workspace, analysis) });
  },
  toggleSegment: (segmentId) => {
    const expanded = new Set(get().expanded);
    if (expanded.has(segmentId)) expanded.delete(segmentId);
    else expanded.add(segmentId);
    set({ expanded });
  },
  setExpanded: (expanded) => set({ expanded }),
  reveal: (request) => {
    const next = revealState(get(), request);
    if (!next) return 0;
    set(next);
    return next.revealOrder?.seq ?? 0;
  },
  revealSearch: (text) => {
    const ws = get().workspace;
    const hit = ws ? bestMatch(ws, text) : null;
    if (!hit) return false;
    if (hit.kind === 'service') {
      get().select({ serviceId: hit.id });
      get().reveal({ serviceIds: [hit.id] });
    } else {
      get().select({ segmentId: hit.id });
      get().reveal({ segmentIds: [hit.id], level: hit.level });
    }
    return true;
  },
  setShowExcess: (showExcess) => set({ showExcess }),
  setTheme: (theme) => set({ theme }),
  setSearch: (search) => set({ search }),
  setScope: (scope) => set({ scope }),
});
