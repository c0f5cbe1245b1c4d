// What the graph canvas says to a screen reader: its name, and where the keyboard cursor is, in words.
import type { NodeSingular } from 'cytoscape';
import { LEVEL_TITLES } from '../model/types';
import type { AppState } from '../store/store';

/** The canvas' accessible name: the band it shows and the keys it takes. */
export const canvasLabel = (state: AppState): string =>
  `${LEVEL_TITLES[state.focus]} band: arrow keys walk the services, Enter selects, M moves, Escape clears`;

/** What the keyboard cursor is on, in words (read by screen readers from a live region). */
export const describeCursor = (state: AppState, node: NodeSingular | undefined): string => {
  if (!node) return '';
  const seg = state.workspace?.segments.find((s) => s.id === node.data('segmentId'));
  const where = `${seg?.name ?? 'no segment'}, ${LEVEL_TITLES[state.focus]} band`;
  if (node.data('kind') !== 'service') {
    const name = String(node.data('label') ?? '').split('\n')[0];
    return `${name}, ${LEVEL_TITLES[state.focus]} band: ${node.data('members')} services. Enter opens or folds it.`;
  }
  const svc = state.workspace?.services.find((s) => s.id === node.data('serviceId'));
  return `${svc?.name ?? node.data('serviceId')} in ${where}. Enter selects, M moves, Escape clears.`;
};
