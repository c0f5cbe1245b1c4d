// Random what-if moves on a workspace (a service from one of its segments to another of the same level and kind).
import { LEVELS, type Level, type Segment, type Workspace } from '../model/types';
import { below, rng } from './random';

export interface Move {
  service: string;
  level: Level;
  from: string;
  to: string;
}

const kindOf = (s: Segment): unknown => s.attributes?.kind;

/**
 * `count` moves a person could drag: the service leaves one of its segments for another segment of
 * the same level and the same kind (a subnet for a subnet, a group for a group). Seeded, so a bench
 * run previews the same moves every time. Fewer come back when the workspace has no such pair.
 */
export const randomMoves = (ws: Workspace, count: number, seed = 1): Move[] => {
  const rand = rng(seed);
  const byLevelKind = new Map<string, string[]>();
  const segById = new Map(ws.segments.map((s) => [s.id, s]));
  for (const s of ws.segments) {
    const key = `${s.level}|${String(kindOf(s))}`;
    const list = byLevelKind.get(key);
    if (list) list.push(s.id);
    else byLevelKind.set(key, [s.id]);
  }
  const out: Move[] = [];
  for (let guard = 0; out.length < count && guard < count * 50 && ws.services.length > 0; guard++) {
    const svc = ws.services[below(rand, ws.services.length)];
    const level = LEVELS[below(rand, LEVELS.length)] as Level;
    const current = svc?.memberships[level] ?? [];
    const from = current[below(rand, current.length)];
    const seg = from === undefined ? undefined : segById.get(from);
    if (!svc || !seg) continue;
    const peers = (byLevelKind.get(`${level}|${String(kindOf(seg))}`) ?? []).filter((id) => !current.includes(id));
    const to = peers[below(rand, peers.length)];
    if (to === undefined) continue;
    out.push({ service: svc.id, level, from: seg.id, to });
  }
  return out;
};
