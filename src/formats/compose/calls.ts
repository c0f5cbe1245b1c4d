// Calls of a Compose file: links (with overlay-link rules on the default bridge), depends_on, and environment addresses.
import type { Call, CallOrigin, OverlayLinkRule } from '../../model/types';
import { type Ctx, type Draft, entriesOf, isObj, own, type Path, wrongShape } from './context';
import { interpolateDefaults, serviceId } from './conventions';

export interface AddressRef {
  host: string;
  port?: number;
}

const HOST_PORT = /^([A-Za-z0-9][A-Za-z0-9_.-]*)(?::(\d{1,5}))?$/;

/**
 * Host names (with port when given) that an environment value mentions: URLs with any scheme
 * (`http://cart:8080`, `amqp://user:pw@rabbit:5672`, `jdbc:mysql://db:3306/x`), comma-separated
 * host lists, `host:port`, a bare host name (`db`), and `key=host` option syntax (`-Ddb.host=db`).
 */
export const addressesIn = (value: string): AddressRef[] => {
  const out: AddressRef[] = [];
  for (const token of interpolateDefaults(value).split(/[\s,;"'()<>|]+/)) {
    if (token === '') continue;
    let t = token;
    const scheme = t.indexOf('://');
    if (scheme >= 0) t = t.slice(scheme + 3);
    else t = t.slice(t.lastIndexOf('=') + 1);
    t = t.split(/[/?#]/)[0] as string;
    t = t.slice(t.lastIndexOf('@') + 1);
    const m = HOST_PORT.exec(t);
    if (!m) continue;
    const port = m[2] === undefined ? undefined : Number(m[2]);
    if (port !== undefined && (port < 1 || port > 65535)) continue;
    out.push(port === undefined ? { host: m[1] as string } : { host: m[1] as string, port });
  }
  return out;
};

/** Calls from links, depends_on and environment values naming another service; one per (from, to, port). */
export const readCalls = (ctx: Ctx, drafts: Map<string, Draft>, bridgeId: string | undefined) => {
  const calls: Call[] = [];
  const rules: OverlayLinkRule[] = [];
  const seen = new Set<string>();
  const add = (from: Draft, toName: string, origin: CallOrigin, at: Path, port?: number) => {
    const to = drafts.get(toName);
    if (!to || to === from) return;
    const key = `${from.name}\u0000${to.name}\u0000${port ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    calls.push({
      from: from.service.id,
      to: to.service.id,
      ...(port !== undefined ? { port } : {}),
      origin,
      source: ctx.src(at, false),
    });
  };
  for (const d of drafts.values()) {
    const links = own(d.def, 'links');
    if (Array.isArray(links)) {
      links.forEach((entry, i) => {
        const at = [...d.path, 'links', i];
        if (typeof entry !== 'string') {
          ctx.report(at, 'a link must be "service" or "service:alias"');
          return;
        }
        const [target = '', alias] = entry.split(':');
        const to = drafts.get(target);
        if (!to) {
          ctx.report(at, `service "${d.name}" links to unknown service "${target}"`);
          return;
        }
        if (alias) d.linkAliases.set(alias.toLowerCase(), target);
        add(d, target, 'links', at);
        // On the default bridge a link is what connects a pair when icc is off.
        const id = `${serviceId(ctx.project, d.name)}/links/${target}`;
        if (!bridgeId || !d.service.memberships.overlay?.includes(bridgeId) || rules.some((r) => r.id === id)) return;
        const rule: OverlayLinkRule = {
          id,
          type: 'overlay-link',
          level: 'overlay',
          from: d.service.id,
          to: to.service.id,
        };
        if (alias) rule.alias = alias;
        rule.source = ctx.src(at, false);
        rules.push(rule);
      });
    } else if (links !== undefined && links !== null) wrongShape(ctx, [...d.path, 'links'], 'a list of service names');

    const deps = own(d.def, 'depends_on');
    if (Array.isArray(deps) || isObj(deps)) {
      const listForm = Array.isArray(deps);
      const names: unknown[] = listForm ? deps : Object.keys(deps);
      names.forEach((target, i) => {
        const at = listForm ? [...d.path, 'depends_on', i] : [...d.path, 'depends_on', String(target)];
        if (typeof target !== 'string') ctx.report(at, 'depends_on entries must be service names');
        else if (!drafts.has(target))
          ctx.report(at, `service "${d.name}" depends on unknown service "${target}"`, 'error', !listForm);
        else add(d, target, 'depends_on', at);
      });
    } else if (deps !== undefined && deps !== null)
      wrongShape(ctx, [...d.path, 'depends_on'], 'a list of service names or a map');

    const env = own(d.def, 'environment');
    if (env !== undefined && env !== null && !Array.isArray(env) && !isObj(env))
      wrongShape(ctx, [...d.path, 'environment'], 'a list of "KEY=value" or a map');
    for (const [, value, at] of entriesOf(env, [...d.path, 'environment'])) {
      if (value === undefined) continue;
      for (const ref of addressesIn(value)) {
        const host = ref.host.toLowerCase();
        const target = d.linkAliases.get(host) ?? ctx.dns.get(host);
        if (target !== undefined) add(d, target, 'env', at, ref.port);
      }
    }
  }
  return { calls, rules };
};
