// Finding exposed-colocated: an internet-exposed service shares a host or its finest segment with a critical one.
import { LEVELS, type Level } from '../../model/types';
import { membershipOf } from '../core';
import { exposureOf } from '../exposure';
import type { Finding } from '../types';
import { type FindingContext, type FindingRule, segmentName, serviceName } from './context';

/** Levels from the finest to the coarsest. */
const FINE_TO_COARSE: readonly Level[] = [...LEVELS].reverse();

/** A service's memberships per level, finest first (looked up once per service, not once per pair). */
export const finestFirst = (s: { memberships: object }): (readonly string[])[] =>
  FINE_TO_COARSE.map((level) => membershipOf(s as never, level));

/** The finest level where both services have data, and the first segment they share there (if any). */
export const finestShared = (
  a: readonly (readonly string[])[],
  b: readonly (readonly string[])[],
): { level: Level; segment: string | undefined } | undefined => {
  for (let li = 0; li < FINE_TO_COARSE.length; li++) {
    const ma = a[li] as readonly string[];
    const mb = b[li] as readonly string[];
    if (ma.length === 0 || mb.length === 0) continue;
    return { level: FINE_TO_COARSE[li] as Level, segment: ma.find((x) => mb.includes(x)) };
  }
  return undefined;
};

/**
 * The findings of the exposed services among `only` (all when absent): each reads its own service
 * and the critical ones, so a what-if moving an exposed service that is not critical re-runs its own.
 */
export const colocatedFindings = (ctx: FindingContext, only?: ReadonlySet<number>): Finding[] => {
  const { ix } = ctx;
  // Exposed as the routes decide: a public address in a private subnet is not reachable from the internet.
  const exposure = exposureOf(ix);
  const exposed = ix.services.filter((_, i) => (only === undefined || only.has(i)) && exposure(i).exposed);
  const critical = ix.services.filter((s) => s.critical === true).map((s) => ({ s, levels: finestFirst(s) }));
  const out: Finding[] = [];
  for (const e of exposed) {
    const onHost: string[] = [];
    const inSegment: { id: string; level: Level; segment: string }[] = [];
    const eLevels = finestFirst(e);
    for (const { s: c, levels } of critical) {
      if (e.id === c.id) continue;
      const host = e.placement?.host;
      if (host !== undefined && host === c.placement?.host) {
        onHost.push(c.id);
        continue;
      }
      const f = finestShared(eLevels, levels);
      if (f?.segment !== undefined) inSegment.push({ id: c.id, level: f.level, segment: f.segment });
    }
    const total = onHost.length + inSegment.length;
    if (total === 0) continue;
    const names = (ids: string[]) =>
      `${ids
        .slice(0, 3)
        .map((id) => serviceName(ctx, id))
        .join(', ')}${ids.length > 3 ? ` and ${ids.length - 3} more` : ''}`;
    const parts: string[] = [];
    if (onHost.length > 0) parts.push(`runs on host ${e.placement?.host} with critical ${names(onHost)}`);
    if (inSegment.length > 0) {
      const first = inSegment[0] as { level: Level; segment: string };
      parts.push(
        `shares ${segmentName(ctx, first.segment)} (its finest ${first.level} segment) with critical ${names(inSegment.map((x) => x.id))}`,
      );
    }
    const f: Finding = {
      id: 'exposed-colocated',
      key: `exposed-colocated:${e.id}`,
      severity: 'warn',
      services: [e.id, ...onHost, ...inSegment.map((x) => x.id)],
      segments: [...new Set(inSegment.map((x) => x.segment))],
      message: `Internet-exposed ${e.name} ${parts.join('; ')}: a compromise of ${e.name} lands next to them.`,
      fix:
        onHost.length > 0
          ? 'one critical container per VM: move the critical services to their own hosts'
          : `give ${e.name} its own segment and allow only the calls it needs`,
      count: total,
    };
    if (onHost.length === 0 && inSegment[0]) f.level = inSegment[0].level;
    out.push(f);
  }
  return out;
};

/** One finding per internet-exposed service, listing every critical service on its host or in its finest segment. */
export const exposedColocated: FindingRule = (ctx) => colocatedFindings(ctx);
