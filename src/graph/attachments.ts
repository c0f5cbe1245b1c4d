// Secondary attachments in a band: a service drawn once, in its home segment, and joined to the secondary networks it attaches to.
//
// DESIGN.md's model gives a service one network (its VPC, its namespace's network); a Multus
// secondary network (a NetworkAttachmentDefinition, a secondary UserDefinedNetwork) is a further
// segment the pod belongs to at the same level. Drawing the pod inside both would show one service
// as two, so it is drawn where it lives and an attachment edge joins it to each secondary network.
import { type Level, SECONDARY_KIND, type Segment } from '../model/types';
import type { BandIndex } from './bandIndex';
import type { Anchors } from './edges';
import type { ElementDef } from './elements';
import { countText } from './text';

/** A segment services attach to besides their own network: a secondary network. */
export const isAttachmentSegment = (seg: Segment | undefined): boolean => seg?.attributes?.kind === SECONDARY_KIND;

/**
 * Split each segment's members into those drawn inside it and those only attached to it: a member of
 * a secondary network that also has a home (a non-secondary segment of the level) is attached.
 */
export const splitAttachments = (
  idx: BandIndex,
  level: Level,
  members: Map<string, string[]>,
): { members: Map<string, string[]>; attached: Map<string, string[]> } => {
  const attached = new Map<string, string[]>();
  const drawn = new Map<string, string[]>();
  for (const [segId, list] of members) {
    if (!isAttachmentSegment(idx.byId.get(segId))) {
      drawn.set(segId, list);
      continue;
    }
    const inside: string[] = [];
    const only: string[] = [];
    for (const svcId of list) {
      const home = idx.services
        .get(svcId)
        ?.memberships[level]?.some((id) => id !== segId && !isAttachmentSegment(idx.byId.get(id)));
      (home ? only : inside).push(svcId);
    }
    drawn.set(segId, inside);
    if (only.length > 0) attached.set(segId, only);
  }
  return { members: drawn, attached };
};

/** The count a segment's title and cell give: its members, and those attached to it ("2 + 1 attached"). */
export const memberCount = (services: number, attached: number): string => {
  const n = countText(services);
  if (attached === 0) return n;
  const a = `${countText(attached)} attached`;
  return services === 0 ? a : `${n} + ${a}`;
};

/**
 * One edge per attachment, from where the service is drawn (its node, or the folded cell holding it)
 * to the secondary segment's node (or the folded cell holding that): `nodeOf` says which is drawn.
 */
export const attachmentEdges = (
  attached: ReadonlyMap<string, string[]> | undefined,
  anchors: Anchors,
  nodeOf: (segmentId: string) => string | undefined,
  level: Level,
): ElementDef[] => {
  const out: ElementDef[] = [];
  const seen = new Set<string>();
  for (const [segmentId, services] of attached ?? []) {
    const target = nodeOf(segmentId);
    if (!target) continue;
    for (const serviceId of services) {
      const source = anchors.get(serviceId)?.node;
      const id = `att:${source}>${target}`;
      if (!source || source === target || seen.has(id)) continue;
      seen.add(id);
      out.push({
        group: 'edges',
        data: { id, kind: 'attachment', level, source, target, serviceId, segmentId },
        classes: 'attachment',
      });
    }
  }
  return out;
};
