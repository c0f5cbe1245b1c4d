// Marks on the drawn band that follow what the person picked: the selected service, search matches, a
// finding's subjects. Classes only (style.ts draws them); framing them is the view's (adapter.ts).
import type { Core, NodeCollection } from 'cytoscape';
import { targetNodes } from './viewport';

/** Mark a service's nodes and its calls; clears the previous highlight. */
export const highlightService = (cy: Core, serviceId: string | undefined): void => {
  cy.batch(() => {
    cy.elements('.highlight').removeClass('highlight');
    if (!serviceId) return;
    const nodes = cy.nodes('[kind = "service"]').filter((n) => n.data('serviceId') === serviceId);
    nodes.addClass('highlight');
    nodes.connectedEdges().addClass('highlight');
  });
};

/** Mark `nodes` as the matches, clearing the previous ones. */
const markMatches = (cy: Core, nodes: () => NodeCollection): NodeCollection => {
  let matches = cy.collection() as NodeCollection;
  cy.batch(() => {
    cy.elements('.match').removeClass('match');
    matches = nodes();
    matches.addClass('match');
  });
  return matches;
};

/** Mark the services (by name, label or id) and segments (by name or id) whose text holds `text`. */
export const markSearch = (cy: Core, text: string): NodeCollection => {
  const q = text.trim().toLowerCase();
  return markMatches(cy, () =>
    !q
      ? (cy.collection() as NodeCollection)
      : cy.nodes().filter((n) => {
          const kind = n.data('kind');
          if (kind !== 'service' && kind !== 'segment') return false;
          const label = String(n.data('label') ?? '').toLowerCase();
          return (
            label.includes(q) ||
            String(n.data('serviceId') ?? n.data('segmentId') ?? '')
              .toLowerCase()
              .includes(q)
          );
        }),
  );
};

/** Mark a finding's subjects drawn in the band. */
export const markSubjects = (cy: Core, serviceIds: readonly string[], segmentIds: readonly string[]): NodeCollection =>
  markMatches(cy, () => targetNodes(cy, { serviceIds, segmentIds }));
