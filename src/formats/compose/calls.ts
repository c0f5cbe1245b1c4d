// The calls of a Compose file as model calls, and on the default bridge the overlay-link rules its links make.
import type { Call, OverlayLinkRule } from '../../model/types';
import { type Ctx, type Draft, reportProblem } from './context';
import { serviceId } from './conventions';
import { inferCalls } from './inference';

/** Calls from links, depends_on and environment values naming another service (inference.ts), located. */
export const readCalls = (
  ctx: Ctx,
  drafts: Map<string, Draft>,
  names: ReadonlyMap<string, string>,
  bridgeId: string | undefined,
) => {
  const inferred = inferCalls(drafts, names);
  for (const p of inferred.problems) reportProblem(ctx, p);
  const idOf = (name: string) => (drafts.get(name) as Draft).service.id;
  const calls: Call[] = inferred.calls.map((c) => ({
    from: idOf(c.from),
    to: idOf(c.to),
    ...(c.port !== undefined ? { port: c.port } : {}),
    origin: c.origin,
    source: ctx.src(c.at, false),
  }));
  const rules: OverlayLinkRule[] = [];
  for (const link of inferred.links) {
    // On the default bridge a link is what connects a pair when icc is off.
    const id = `${serviceId(ctx.project, link.from)}/links/${link.to}`;
    const from = drafts.get(link.from) as Draft;
    if (!bridgeId || !from.service.memberships.overlay?.includes(bridgeId) || rules.some((r) => r.id === id)) continue;
    const rule: OverlayLinkRule = {
      id,
      type: 'overlay-link',
      level: 'overlay',
      from: from.service.id,
      to: idOf(link.to),
    };
    if (link.alias) rule.alias = link.alias;
    rule.source = ctx.src(link.at, false);
    rules.push(rule);
  }
  return { calls, rules };
};
