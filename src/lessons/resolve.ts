// Story references (ids, names, `project/name`) resolved against a lesson's workspace, and story actions made model commands.
import type { Command } from '../model/commands';
import type { Level, Segment, Service, Workspace } from '../model/types';
import type { StoryAction } from './story';

export class LessonError extends Error {}

/** Does `ref` name this item: its id, its name, or the tail of its id after a format prefix? */
const names = (item: { id: string; name: string }, ref: string): boolean =>
  item.id === ref || item.name === ref || item.id.endsWith(`:${ref}`) || item.id.endsWith(`/${ref}`);

/** The one item a reference names; the exact id wins over names. Zero or several is an error. */
const one = <T extends { id: string; name: string }>(items: readonly T[], ref: string, what: string): T => {
  const exact = items.find((x) => x.id === ref);
  if (exact) return exact;
  const byName = items.filter((x) => x.name === ref);
  const found = byName.length > 0 ? byName : items.filter((x) => names(x, ref));
  if (found.length === 1) return found[0] as T;
  if (found.length === 0) throw new LessonError(`no ${what} "${ref}"`);
  throw new LessonError(
    `"${ref}" names ${found.length} ${what}s (${found
      .slice(0, 4)
      .map((x) => x.id)
      .join(', ')}); use its id`,
  );
};

export const resolveService = (ws: Workspace, ref: string): Service => one(ws.services, ref, 'service');

/** A segment by reference, among the segments of `level` when given. */
export const resolveSegment = (ws: Workspace, ref: string, level?: Level): Segment =>
  one(
    level === undefined ? ws.segments : ws.segments.filter((s) => s.level === level),
    ref,
    level === undefined ? 'segment' : `${level} segment`,
  );

const segmentId = (ws: Workspace, ref: string | null, level?: Level): string | null =>
  ref === null ? null : resolveSegment(ws, ref, level).id;

/** The model command a story action stands for, in the workspace it applies to. */
export const resolveAction = (ws: Workspace, a: StoryAction): Command => {
  switch (a.type) {
    case 'moveService':
      return {
        type: 'moveService',
        service: resolveService(ws, a.service).id,
        level: a.level,
        from: segmentId(ws, a.from, a.level),
        to: segmentId(ws, a.to, a.level),
      };
    case 'createSegment': {
      const segment: Segment = { id: a.segment.id, level: a.segment.level, name: a.segment.name };
      if (a.segment.parent !== undefined) segment.parent = resolveSegment(ws, a.segment.parent).id;
      return { type: 'createSegment', segment };
    }
    case 'renameSegment':
      return { type: 'renameSegment', segment: resolveSegment(ws, a.segment).id, name: a.name };
    case 'deleteSegment': {
      const seg = resolveSegment(ws, a.segment);
      return { type: 'deleteSegment', segment: seg.id, moveMembersTo: segmentId(ws, a.moveMembersTo, seg.level) };
    }
    case 'splitSegment':
      return {
        type: 'splitSegment',
        segment: resolveSegment(ws, a.segment).id,
        newSegment: a.newSegment,
        services: a.services.map((s) => resolveService(ws, s).id),
      };
    case 'mergeSegments': {
      const from = resolveSegment(ws, a.from);
      return { type: 'mergeSegments', from: from.id, into: resolveSegment(ws, a.into, from.level).id };
    }
  }
};
