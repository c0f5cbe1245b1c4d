// Finding broken-call: a required call is denied at some level; names the level, the rule and the rule to add.
import type { Finding } from '../types';
import { callKey, type FindingRule, namedLevel, serviceName } from './context';

export const brokenCall: FindingRule = (ctx) => {
  const out = new Map<string, Finding>();
  for (const c of ctx.calls) {
    if (c.class !== 'broken') continue;
    const key = `broken-call:${callKey(c)}`;
    if (out.has(key)) continue;
    const level = c.deniedBy[0];
    if (!level) continue;
    const lv = namedLevel(ctx, c, level);
    const target = `${serviceName(ctx, c.from)} → ${serviceName(ctx, c.to)}${c.port !== undefined ? `:${c.port}` : ''}`;
    const also = c.deniedBy.slice(1);
    const segments = c.deniedBy
      .map((l) => c.verdict.levels[l].rule)
      .filter((r) => r?.type === 'membership' && ctx.ix.segments.has(r.id))
      .map((r) => r?.id as string);
    const f: Finding = {
      id: 'broken-call',
      key,
      severity: 'error',
      level,
      services: [c.from, c.to],
      segments: [...new Set(segments)],
      message: `The call ${target} is denied at the ${level} level: ${lv.reason}${also.length > 0 ? ` It is also denied at: ${also.join(', ')}.` : ''}`,
    };
    if (lv.fix) f.fix = lv.fix;
    if (lv.rule) f.rule = lv.rule;
    out.set(key, f);
  }
  return [...out.values()];
};
