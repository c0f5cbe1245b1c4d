import cytoscape, { type ElementDefinition } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { generateTopology } from '../gen/generate';
import { boundsOf, buildBand } from './elements';
import { graphStyle } from './style';

describe('the fit of a fresh band comes from the laid-out boxes (no styling of every element before the first frame)', () => {
  const ws = generateTopology({ services: 300, segments: 80, calls: 900, seed: 3 }).workspace;
  for (const mode of ['detail', 'summary'] as const) {
    it(`matches cytoscape's own bounding box of the same elements (${mode})`, () => {
      const { elements } = buildBand(ws, { focus: 'group', viewport: { w: 1300, h: 800 }, mode });
      const cy = cytoscape({
        headless: true,
        styleEnabled: true,
        style: graphStyle('light'),
        elements: elements as ElementDefinition[],
      });
      const theirs = cy.elements().boundingBox({ includeLabels: false, includeOverlays: false });
      const ours = boundsOf(elements);
      // Cytoscape adds half of the widest border around the boxes: a few model units.
      expect(ours).toBeDefined();
      expect(Math.abs((ours?.x1 ?? 0) - theirs.x1)).toBeLessThan(4);
      expect(Math.abs((ours?.y1 ?? 0) - theirs.y1)).toBeLessThan(4);
      expect(Math.abs((ours?.w ?? 0) - theirs.w)).toBeLessThan(8);
      expect(Math.abs((ours?.h ?? 0) - theirs.h)).toBeLessThan(8);
      cy.destroy();
    });
  }
  it('is undefined for a band with no node', () => {
    expect(boundsOf([])).toBeUndefined();
  });
});
