// What a previewed plan marks on the graph, as a drag's what-if does: calls it breaks or restores, services whose reach opens or closes, what it changes.
import { type Command, flattenCommands } from '../model/commands';
import { ruleEnds } from '../model/rule-ends';

/** The part of a what-if delta the graph shows (the drag's and a plan's deltas both have it). */
export interface MarkedDelta {
  brokenCalls: readonly { index: number }[];
  restoredCalls: readonly { index: number }[];
  openedPairs: readonly { from: string; to: string }[];
  closedPairs: readonly { from: string; to: string }[];
}

export interface PlanMarks {
  /** Call indexes (edge ids `call:N`). */
  breaks: number[];
  restores: number[];
  /** Services at an end of a pair that becomes reachable (`opens`) or stops being reachable (`closes`). */
  opens: string[];
  closes: string[];
  /** Services the plan moves (between segments or hosts), and segments whose members or rules it changes. */
  services: string[];
  segments: string[];
}

const ends = (pairs: readonly { from: string; to: string }[]): string[] => [
  ...new Set(pairs.flatMap((p) => [p.from, p.to])),
];

/** `serviceIds` tells a rule's service ends (links, grants to a service) from its segment ends. */
export const planMarks = (
  commands: readonly Command[],
  delta: MarkedDelta,
  serviceIds: ReadonlySet<string>,
): PlanMarks => {
  const known = serviceIds;
  const services = new Set<string>();
  const segments = new Set<string>();
  for (const c of flattenCommands(commands)) {
    if (c.type === 'moveService') {
      services.add(c.service);
      for (const id of [c.from, c.to]) if (id !== null) segments.add(id);
    } else if (c.type === 'placeService') {
      // A host is a placement, not a segment of any level: the service moving off it is what changes.
      services.add(c.service);
    } else if (c.type === 'splitSegment') {
      segments.add(c.segment);
      for (const s of c.services) services.add(s);
    } else if (c.type === 'mergeSegments') {
      segments.add(c.from);
      segments.add(c.into);
    } else if (c.type === 'addRule' || c.type === 'removeRule' || c.type === 'replaceRule') {
      const r = c.type === 'replaceRule' ? c.after : c.rule;
      for (const id of ruleEnds(r)) (known.has(id) ? services : segments).add(id);
    } else if (c.type === 'deleteSegment' || c.type === 'renameSegment') segments.add(c.segment);
  }
  return {
    breaks: delta.brokenCalls.map((c) => c.index),
    restores: delta.restoredCalls.map((c) => c.index),
    opens: ends(delta.openedPairs),
    closes: ends(delta.closedPairs),
    services: [...services],
    segments: [...segments],
  };
};
