// Test helpers: the pairs a synthesized level allows (connlist on the level alone) against the declared calls.
import fc from 'fast-check';
import { formatConnSet } from '../analysis/connset';
import type { Level, Workspace } from '../model/types';
import { declaredNeeds } from './needs';
import { levelConnections } from './verify';

/** Declared pairs with their ports (`want`) and the pairs connlist finds at the level alone (`have`), as `a>b` → ports. */
export const exactAtLevel = (before: Workspace, after: Workspace, level: Level) => {
  const byId = new Map(before.services.map((s, i) => [s.id, i]));
  const needs = declaredNeeds(before, byId);
  const got = levelConnections(after, level);
  const want = new Map<string, string>();
  for (const [a, row] of needs.out)
    for (const [b, set] of row) {
      const f = formatConnSet(set);
      want.set(`${before.services[a]?.id}>${before.services[b]?.id}`, f === 'all' ? 'all' : f.join(','));
    }
  const have = new Map<string, string>();
  for (const [a, row] of got) for (const [b, p] of row) have.set(`${a}>${b}`, p === 'all' ? 'all' : p.join(','));
  return { want, have };
};

/** The seed, services and declared calls of a random estate (`randomWorkspace`), for properties over many estates. */
export const estateArgs = (services: [number, number], calls: [number, number]) =>
  [
    fc.integer({ min: 1, max: 1_000_000 }),
    fc.integer({ min: services[0], max: services[1] }),
    fc.integer({ min: calls[0], max: calls[1] }),
  ] as const;
