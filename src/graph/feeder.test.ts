import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import type { ElementDef } from './elements';
import { ElementFeeder, SLICE } from './feeder';

const node = (id: string): ElementDef => ({ group: 'nodes', data: { id }, position: { x: 0, y: 0 } });
const edge = (id: string, source: string, target: string): ElementDef => ({
  group: 'edges',
  data: { id, source, target },
});

/** A feeder whose frames run when the test says so. */
const setup = () => {
  const cy = cytoscape({ headless: true });
  const frames: (() => void)[] = [];
  const feeder = new ElementFeeder(
    cy,
    (run) => frames.push(run),
    () => frames.splice(0),
  );
  const nextFrame = () => frames.shift()?.();
  return { cy, feeder, frames, nextFrame };
};

describe('the band is fed to cytoscape a slice per frame (DESIGN.md: the main thread never blocks > 50 ms)', () => {
  const many = Array.from({ length: SLICE * 2 + 10 }, (_, i) => node(`n${i}`));
  const edges = Array.from({ length: 20 }, (_, i) => edge(`e${i}`, 'n0', `n${SLICE * 2 + 9 - i}`));

  it('a band that fits one slice is added at once (an edit, an expand)', () => {
    const { cy, feeder, frames } = setup();
    feeder.add([node('a'), node('b'), edge('ab', 'a', 'b')]);
    expect(cy.elements().length).toBe(3);
    expect(frames).toHaveLength(0);
    expect(feeder.pending).toBe(0);
  });

  it('a large band: the first slice now, one more each frame, nodes before their edges, then settled', async () => {
    const { cy, feeder, nextFrame } = setup();
    let settled = false;
    feeder.add([...many, ...edges]);
    void feeder.settled().then(() => {
      settled = true;
    });
    expect(cy.nodes().length).toBe(SLICE);
    nextFrame();
    expect(cy.nodes().length).toBe(SLICE * 2);
    expect(feeder.isQueued('n0')).toBe(false);
    expect(feeder.isQueued(`n${SLICE * 2}`)).toBe(true);
    nextFrame();
    expect(cy.nodes().length).toBe(many.length);
    expect(cy.edges().length).toBe(edges.length);
    await Promise.resolve();
    expect(settled).toBe(true);
  });

  it('a diff arriving meanwhile: what the new build dropped is never added, what it changed is added in its new version', () => {
    const { cy, feeder, nextFrame } = setup();
    feeder.add(many);
    const want = new Map<string, ElementDef>(
      many
        .filter((_, i) => i % 2 === 0)
        .map((d) => [d.data.id, { ...d, data: { ...d.data, label: 'new' } }] as [string, ElementDef]),
    );
    feeder.retain(want);
    while (feeder.pending > 0) nextFrame();
    const added = cy.nodes().map((n) => n.id());
    // The first slice was in already; of the rest only the wanted ones came, with their new data.
    expect(added.filter((id) => Number(id.slice(1)) >= SLICE).every((id) => want.has(id))).toBe(true);
    expect(cy.getElementById(`n${SLICE + 2}`).data('label')).toBe('new');
    expect(cy.getElementById(`n${SLICE + 1}`).empty()).toBe(true);
  });

  it('clear: nothing more is added and whoever waits is answered', async () => {
    const { cy, feeder, frames } = setup();
    feeder.add(many);
    const waited = feeder.settled();
    feeder.clear();
    await waited;
    expect(frames).toHaveLength(0);
    expect(cy.nodes().length).toBe(SLICE);
    expect(feeder.pending).toBe(0);
  });
});
