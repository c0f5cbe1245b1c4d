// What a Compose file's service definitions say, as pure functions of them: which names other containers
// resolve, which networks a service names, and which calls links, depends_on and environment make.
// The reader reports what these find; the writer checks the file it writes with them (no read-back).
import type { CallOrigin } from '../../model/types';
import {
  type ComposeFlavor,
  entriesOf,
  isObj,
  type Obj,
  own,
  type Path,
  type Problem,
  scalarText,
  shapeProblem,
} from './context';
import { type BuiltinNetwork, interpolateDefaults } from './conventions';

/** A service's definition after same-file `extends`, and where it is in the file. */
export interface Definition {
  def: Obj;
  path: Path;
}

/** What a service's `networks` / `network_mode` (`net` in v1) name, before any network is looked up. */
export type NetworkChoice =
  | { kind: 'mode'; mode: string; modeKey: 'network_mode' | 'net'; at: Path; alsoNetworks: boolean }
  | { kind: 'v1-bridge' }
  | { kind: 'default' }
  | { kind: 'wrong-shape' }
  | { kind: 'networks'; listForm: boolean; entries: { key: unknown; at: Path; opts: Obj | undefined }[] };

export const networkChoice = (def: Obj, flavor: ComposeFlavor, path: Path): NetworkChoice => {
  const modeKey = own(def, 'network_mode') !== undefined || flavor !== 'v1' ? 'network_mode' : 'net';
  const mode = scalarText(own(def, modeKey));
  const svcNets = own(def, 'networks');
  const named = svcNets !== undefined && svcNets !== null;
  if (mode !== undefined) return { kind: 'mode', mode, modeKey, at: [...path, modeKey], alsoNetworks: named };
  if (flavor === 'v1') return { kind: 'v1-bridge' };
  if (!named) return { kind: 'default' };
  if (Array.isArray(svcNets)) {
    return {
      kind: 'networks',
      listForm: true,
      entries: svcNets.map((key, i) => ({ key, at: [...path, 'networks', i], opts: undefined })),
    };
  }
  if (!isObj(svcNets)) return { kind: 'wrong-shape' };
  const entries = Object.keys(svcNets).map((key) => {
    const opts = own(svcNets, key);
    return { key, at: [...path, 'networks', key], opts: isObj(opts) ? opts : undefined };
  });
  return { kind: 'networks', listForm: false, entries };
};

/** What a `network_mode` joins: another service's namespace, a built-in network, a container outside the file, or a network of the file. */
export type ModeTarget =
  | { service: string }
  | { builtin: BuiltinNetwork }
  | { container: string }
  | { network: string };

export const modeTarget = (mode: string): ModeTarget => {
  if (mode.startsWith('service:')) return { service: mode.slice('service:'.length) };
  if (mode === 'bridge' || mode === 'default') return { builtin: 'bridge' };
  if (mode === 'host' || mode === 'none') return { builtin: mode };
  if (mode.startsWith('container:')) return { container: mode.slice('container:'.length) };
  return { network: mode };
};

/**
 * Names other containers resolve, lowercased → service name: service names, then per service its
 * `container_name` and its aliases on networks the file has (`known`); the first to take a name keeps it.
 */
export const resolverNames = (
  defs: ReadonlyMap<string, Definition>,
  flavor: ComposeFlavor,
  known: (networkKey: string) => boolean,
): Map<string, string> => {
  const names = new Map<string, string>();
  for (const name of defs.keys()) names.set(name.toLowerCase(), name);
  const add = (alias: string, name: string) => {
    if (!names.has(alias.toLowerCase())) names.set(alias.toLowerCase(), name);
  };
  for (const [name, { def, path }] of defs) {
    const container = scalarText(own(def, 'container_name'));
    if (container !== undefined) add(container, name);
    const choice = networkChoice(def, flavor, path);
    if (choice.kind !== 'networks') continue;
    for (const { key, opts } of choice.entries) {
      if (typeof key !== 'string' || !opts || !known(key)) continue;
      const aliases = own(opts, 'aliases');
      if (Array.isArray(aliases)) for (const a of aliases) if (typeof a === 'string') add(a, name);
    }
  }
  return names;
};

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

/** A call the definitions make, by service name in the file. */
export interface InferredCall {
  from: string;
  to: string;
  port?: number;
  origin: CallOrigin;
  at: Path;
}

/** A link to a service of the file (`links: [db]`, `links: [db:database]`). */
export interface InferredLink {
  from: string;
  to: string;
  alias?: string;
  at: Path;
}

export interface Inferred {
  calls: InferredCall[];
  links: InferredLink[];
  problems: Problem[];
}

/** One service's `links`: the valid ones, and its link aliases (visible to it only). */
const linksOf = (name: string, { def, path }: Definition, defs: ReadonlyMap<string, Definition>, out: Inferred) => {
  const aliases = new Map<string, string>();
  const links = own(def, 'links');
  if (Array.isArray(links)) {
    links.forEach((entry, i) => {
      const at = [...path, 'links', i];
      if (typeof entry !== 'string') {
        out.problems.push({ at, message: 'a link must be "service" or "service:alias"' });
        return;
      }
      const [target = '', alias] = entry.split(':');
      if (!defs.has(target)) {
        out.problems.push({ at, message: `service "${name}" links to unknown service "${target}"` });
        return;
      }
      if (alias) aliases.set(alias.toLowerCase(), target);
      out.links.push({ from: name, to: target, ...(alias ? { alias } : {}), at });
    });
  } else if (links !== undefined && links !== null)
    out.problems.push(shapeProblem([...path, 'links'], 'a list of service names'));
  return aliases;
};

/** One service's `depends_on` (list or map form): the services it names. */
const dependsOf = (name: string, { def, path }: Definition, defs: ReadonlyMap<string, Definition>, out: Inferred) => {
  const targets: { to: string; at: Path }[] = [];
  const deps = own(def, 'depends_on');
  if (Array.isArray(deps) || isObj(deps)) {
    const listForm = Array.isArray(deps);
    const names: unknown[] = listForm ? deps : Object.keys(deps);
    names.forEach((target, i) => {
      const at = listForm ? [...path, 'depends_on', i] : [...path, 'depends_on', String(target)];
      if (typeof target !== 'string') out.problems.push({ at, message: 'depends_on entries must be service names' });
      else if (!defs.has(target))
        out.problems.push({
          at,
          message: `service "${name}" depends on unknown service "${target}"`,
          severity: 'error',
          onKey: !listForm,
        });
      else targets.push({ to: target, at });
    });
  } else if (deps !== undefined && deps !== null)
    out.problems.push(shapeProblem([...path, 'depends_on'], 'a list of service names or a map'));
  return targets;
};

/** Calls from links, depends_on and environment values naming another service; one per (from, to, port). */
export const inferCalls = (defs: ReadonlyMap<string, Definition>, names: ReadonlyMap<string, string>): Inferred => {
  const out: Inferred = { calls: [], links: [], problems: [] };
  const seen = new Set<string>();
  const add = (from: string, to: string, origin: CallOrigin, at: Path, port?: number) => {
    if (!defs.has(to) || to === from) return;
    const key = `${from}\u0000${to}\u0000${port ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.calls.push({ from, to, ...(port !== undefined ? { port } : {}), origin, at });
  };
  for (const [name, d] of defs) {
    const linked = out.links.length;
    const aliases = linksOf(name, d, defs, out);
    for (const l of out.links.slice(linked)) add(name, l.to, 'links', l.at);
    for (const dep of dependsOf(name, d, defs, out)) add(name, dep.to, 'depends_on', dep.at);
    const env = own(d.def, 'environment');
    if (env !== undefined && env !== null && !Array.isArray(env) && !isObj(env))
      out.problems.push(shapeProblem([...d.path, 'environment'], 'a list of "KEY=value" or a map'));
    for (const [, value, at] of entriesOf(env, [...d.path, 'environment'])) {
      if (value === undefined) continue;
      for (const ref of addressesIn(value)) {
        const host = ref.host.toLowerCase();
        const target = aliases.get(host) ?? names.get(host);
        if (target !== undefined) add(name, target, 'env', at, ref.port);
      }
    }
  }
  return out;
};
