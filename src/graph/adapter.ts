// The cytoscape adapter: owns how model + analysis become drawn elements, updated inside cy.batch.
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import type { Workspace } from '../model/types';
import { buildElements, type ViewOptions } from './elements';
import { graphStyle } from './style';

export interface GraphEvents {
  onSelectService(serviceId: string | undefined): void;
  onSelectSegment(segmentId: string): void;
  onSelectCall(callIndex: number): void;
}

export class GraphView {
  readonly cy: Core;

  constructor(container: HTMLElement, events: GraphEvents) {
    this.cy = cytoscape({
      container,
      style: graphStyle(),
      layout: { name: 'preset' },
      minZoom: 0.02,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: true,
      selectionType: 'single',
    });
    this.cy.on('tap', (e) => {
      const t = e.target;
      if (t === this.cy) {
        events.onSelectService(undefined);
        return;
      }
      const kind = t.data('kind');
      if (kind === 'service') events.onSelectService(t.data('serviceId'));
      else if (kind === 'segment') events.onSelectSegment(t.data('segmentId'));
      else if (kind === 'call') events.onSelectCall(t.data('callIndex'));
    });
  }

  /** Replace the drawn workspace (a new import); positions come from the band packer. */
  render(ws: Workspace, opts: ViewOptions): void {
    const defs = buildElements(ws, opts) as ElementDefinition[];
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(defs);
    });
    this.fit();
  }

  /** Mark a service's nodes in every band plus its calls; clears the previous highlight. */
  highlightService(serviceId: string | undefined): void {
    this.cy.batch(() => {
      this.cy.elements('.highlight').removeClass('highlight');
      if (!serviceId) return;
      const nodes = this.cy.nodes('[kind = "service"]').filter((n) => n.data('serviceId') === serviceId);
      nodes.addClass('highlight');
      nodes.connectedEdges().addClass('highlight');
    });
  }

  fit(): void {
    this.cy.fit(undefined, 24);
  }

  destroy(): void {
    this.cy.destroy();
  }
}
