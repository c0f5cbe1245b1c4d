import { describe, expect, it } from 'vitest';
import { exitPoint, segmentHits } from './geometry';
import { bendOf, obstaclesOf } from './route';

const a = { x1: 0, y1: 0, x2: 100, y2: 40 };
const b = { x1: 400, y1: 0, x2: 500, y2: 40 };
const between = { x1: 200, y1: 0, x2: 300, y2: 40 };
/** Services above and below: the band reaches there, so a bend may too. */
const band = [
  { x1: 0, y1: -200, x2: 10, y2: -190 },
  { x1: 0, y1: 190, x2: 10, y2: 200 },
];

describe('calls route around unrelated services (DESIGN.md "What a person sees")', () => {
  it('a clear call stays straight', () => {
    expect(bendOf(a, b, obstaclesOf([a, b]), 30)).toBe(0);
  });

  it('a call through another service bends off its line by the nearest step that clears it', () => {
    const bend = bendOf(a, b, obstaclesOf([a, b, between, ...band]), 30);
    expect(Math.abs(bend)).toBe(30);
    // cytoscape puts the bend at the middle of the centres, along (-dy, dx): here (0, 1) × bend.
    const m = { x: 250, y: 20 + bend };
    expect(segmentHits(exitPoint(a, m), m, between) || segmentHits(m, exitPoint(b, m), between)).toBe(false);
  });

  it('never detours further than a third of the call: a wall across stays crossed, straight', () => {
    const wall = { x1: 200, y1: -1000, x2: 300, y2: 1000 };
    expect(bendOf(a, b, obstaclesOf([a, b, wall, ...band]), 30)).toBe(0);
  });

  it('never bends past the edge of the band: the fit frames the nodes', () => {
    expect(bendOf(a, b, obstaclesOf([a, b, between]), 30)).toBe(0);
  });
});
