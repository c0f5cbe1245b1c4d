// Hierarchical alignment: accounts ⊃ VPCs ⊃ groups ⊃ label sets, each segment within one parent of the level above, and the moves that raise it.
import type { Command } from '../model/commands';
import { applyCommand } from '../model/commands';
import type { Level, Workspace } from '../model/types';

/** Child level → the level its segments should sit within. */
export const ALIGNED_PAIRS: readonly [Level, Level][] = [
  ['network', 'account'],
  ['group', 'network'],
  ['policy', 'group'],
];

export interface Alignment {
  /** Services whose segments all sit within one parent segment at every pair of levels they have data for. */
  aligned: number;
  /** Services with data at both levels of at least one pair. */
  counted: number;
  percent: number;
  /** Segments whose members span parents, with the parent most of them share. */
  split: { level: Level; segment: string; parents: Record<string, number>; majority: string }[];
}

const top = (ws: Workspace, level: Level, id: string): string => {
  // A subnet stands for its VPC: compare at the top of a level's own nesting.
  const byId = new Map(ws.segments.map((s) => [s.id, s]));
  let cur = byId.get(id);
  const seen = new Set<string>();
  while (cur?.parent && byId.get(cur.parent)?.level === level && !seen.has(cur.id)) {
    seen.add(cur.id);
    cur = byId.get(cur.parent);
  }
  return cur?.id ?? id;
};

export const alignment = (ws: Workspace): Alignment => {
  const bad = new Set<string>();
  const counted = new Set<string>();
  const split: Alignment['split'] = [];
  for (const [child, parent] of ALIGNED_PAIRS) {
    const parents = new Map<string, Map<string, number>>();
    const members = new Map<string, string[]>();
    for (const s of ws.services) {
      const cs = s.memberships[child] ?? [];
      const ps = (s.memberships[parent] ?? []).map((id) => top(ws, parent, id));
      if (cs.length === 0 || ps.length === 0) continue;
      counted.add(s.id);
      for (const c of cs) {
        // Label sets are compared as they are (a namespace holds many); subnets stand for their VPC.
        const id = child === 'policy' ? c : top(ws, child, c);
        const m = parents.get(id) ?? new Map<string, number>();
        for (const p of ps) m.set(p, (m.get(p) ?? 0) + 1);
        parents.set(id, m);
        members.set(id, [...(members.get(id) ?? []), s.id]);
      }
    }
    for (const [seg, m] of parents) {
      if (m.size <= 1) continue;
      for (const sid of members.get(seg) ?? []) bad.add(sid);
      const majority = [...m].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]?.[0] as string;
      split.push({ level: child, segment: seg, parents: Object.fromEntries(m), majority });
    }
  }
  const aligned = [...counted].filter((id) => !bad.has(id)).length;
  return {
    aligned,
    counted: counted.size,
    percent: counted.size === 0 ? 100 : Math.round((1000 * aligned) / counted.size) / 10,
    split,
  };
};

/**
 * Moves that raise alignment: in a segment whose members span parents, the members outside the
 * parent most of them share move there at the parent level (their first segment there is replaced),
 * so the child segment sits within one parent.
 */
export const alignmentMoves = (ws: Workspace): { commands: Command[]; before: Alignment; after: Alignment } => {
  const before = alignment(ws);
  const commands: Command[] = [];
  let cur = ws;
  for (const s of before.split) {
    const parentLevel = ALIGNED_PAIRS.find(([c]) => c === s.level)?.[1] as Level;
    for (const svc of cur.services) {
      const own = svc.memberships[s.level] ?? [];
      if (!own.some((id) => (s.level === 'policy' ? id : top(cur, s.level, id)) === s.segment)) continue;
      const current = svc.memberships[parentLevel] ?? [];
      if (current.some((id) => top(cur, parentLevel, id) === s.majority)) continue;
      const from = current[0];
      if (from === undefined) continue;
      const cmd: Command = { type: 'moveService', service: svc.id, level: parentLevel, from, to: s.majority };
      try {
        cur = applyCommand(cur, cmd);
        commands.push(cmd);
      } catch {
        // A move the model refuses is left out; the percentage after says what remains.
      }
    }
  }
  return { commands, before, after: alignment(cur) };
};
