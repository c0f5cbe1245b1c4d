// Finding single-mechanism: segmentation enforced at one level while every other level with data is flat.
import { LEVELS, type Level } from '../../model/types';
import type { FindingRule } from './context';

/**
 * A level "segments" when its services spread over more than one segment. The finding fires when at
 * least two levels have data and exactly one of them segments: everything rests on that mechanism.
 */
/** A membership to a segment the workspace does not describe: its level is where the service lists it. */
const levelOfMembership = (ctx: Parameters<FindingRule>[0], id: string, i: number): Level | undefined =>
  LEVELS.find((l) => ctx.ix.services[i]?.memberships[l]?.includes(id));

export const singleMechanism: FindingRule = (ctx) => {
  // Segments with at least one member, per level (members are indexed by segment id).
  const populated = new Map<Level, Set<string>>();
  for (const [id, list] of ctx.ix.members) {
    if (list.length === 0) continue;
    const level = ctx.ix.segments.get(id)?.level ?? levelOfMembership(ctx, id, list[0] as number);
    if (!level) continue;
    const set = populated.get(level) ?? new Set<string>();
    set.add(id);
    populated.set(level, set);
  }
  const withData = LEVELS.filter((l) => populated.has(l));
  const segmenting = withData.filter((l) => (populated.get(l)?.size ?? 0) > 1);
  if (withData.length < 2 || segmenting.length !== 1) return [];
  const level = segmenting[0] as Level;
  const flat = withData.filter((l) => l !== level);
  return [
    {
      id: 'single-mechanism',
      key: `single-mechanism:${level}`,
      severity: 'warn',
      level,
      services: [],
      segments: [...(populated.get(level) ?? [])].sort(),
      message: `Segmentation rests on the ${level} level alone (${populated.get(level)?.size} segments); ${flat.join(', ')} ${flat.length === 1 ? 'puts' : 'put'} every service in one segment.`,
      fix: `add a second line of segmentation, e.g. at the ${flat[flat.length - 1]} level`,
    },
  ];
};
