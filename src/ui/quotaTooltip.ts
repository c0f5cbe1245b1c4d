// The quota tooltip of a segment under the pointer on the graph canvas.
import { quotaBySegment } from '../graph/elements';
import type { AppState } from '../store/store';

/** Fill the quota tooltip with text nodes only (labels are data, never HTML); hide it where there is nothing to say. */
export const showQuotaTooltip = (
  tip: HTMLDivElement,
  state: AppState,
  segmentId: string | undefined,
  at: { x: number; y: number },
) => {
  const uses = segmentId ? quotaBySegment(state.analysis).get(segmentId) : undefined;
  const seg = segmentId ? state.workspace?.segments.find((s) => s.id === segmentId) : undefined;
  if (!seg || !uses || uses.length === 0) {
    tip.hidden = true;
    return;
  }
  tip.replaceChildren();
  const title = document.createElement('strong');
  title.textContent = seg.name;
  tip.append(title);
  for (const q of uses) {
    const line = document.createElement('div');
    line.className = `q-${q.state}`;
    line.textContent = `${q.label}: ${q.used} / ${q.limit} (${Math.round((q.used / q.limit) * 100)} %)`;
    tip.append(line);
  }
  tip.style.left = `${at.x + 14}px`;
  tip.style.top = `${at.y + 14}px`;
  tip.hidden = false;
};
