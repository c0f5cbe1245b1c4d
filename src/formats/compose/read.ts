// Reader for Docker Compose files (v1, v2.x, v3.x, Compose spec): services, networks, links, ports, env-var calls.
import ipaddr from 'ipaddr.js';
import { isMap, isScalar } from 'yaml';
import { type ParsedFile, parseFile } from '../../import/parse';
import { aliasProblem } from '../../import/yamlLimits';
import { diagnostic, pointer, sizeCheck } from '../../import/text';
import { emptyFragment, type FileInput, type FormatReader, type ReadResult } from '../../import/types';
import { setOwn } from '../../model/own';
import type {
  Call,
  CallOrigin,
  Diagnostic,
  OverlayLinkRule,
  Protocol,
  Segment,
  Service,
  ServicePort,
  Severity,
  SourceLocation,
} from '../../model/types';
import { guessKind } from '../kinds';

type Path = (string | number)[];
type Pos = { line: number; column: number };
type Obj = Record<string, unknown>;

/** Which file format generation: v1 has no networks (one default bridge), the others share semantics. */
export type ComposeFlavor = 'v1' | 'v2' | 'v3' | 'spec';

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Own-property read: names come from the file, and `constructor` or `__proto__` must not reach the prototype. */
const own = (o: Obj, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

const scalarText = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** Compose's `${VAR:-default}` / `${VAR-default}` take their default (we have no environment); `$$` is a `$`. */
export const interpolateDefaults = (s: string): string =>
  s.replace(/\$\$|\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g, (m, def: string | undefined) =>
    m === '$$' ? '$' : (def ?? ''),
  );

// ---------------------------------------------------------------------------------------------
// Project name

const COMPOSE_FILE_NAME = /^(docker-)?compose([.-][^/\\]*)?\.ya?ml$/i;

/** Docker's project-name rule: lowercase letters, digits, `-` and `_`, starting with a letter or digit. */
const normalizeProject = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[-_]+/, '');

/**
 * The project a file describes, which prefixes its network names and service ids:
 * top-level `name:`; else, for a conventionally named file (`docker-compose.yml`, `compose.yaml`,
 * `docker-compose.prod.yml`, …) the directory it is in, as `docker compose` does; else the file name
 * without extension and without a `docker-compose` / `compose` part (`shop.compose.yml` → `shop`,
 * `voting-app.yml` → `voting-app`); else `default`.
 */
export const projectName = (fileName: string, declared?: unknown): string => {
  const named = typeof declared === 'string' ? interpolateDefaults(declared) : undefined;
  // A variable without a default cannot be resolved here; fall back as if no name were given.
  if (named !== undefined && !named.includes('$')) {
    const n = normalizeProject(named);
    if (n) return n;
  }
  const parts = fileName.split(/[\\/]/).filter((p) => p !== '' && p !== '.' && p !== '..');
  const base = parts.at(-1) ?? '';
  const dir = parts.at(-2);
  if (dir && COMPOSE_FILE_NAME.test(base)) {
    const n = normalizeProject(dir);
    if (n) return n;
  }
  const stem = base.replace(/\.(ya?ml|json)$/i, '');
  const n = normalizeProject(stem.replace(/(^|[._-])(docker-compose|compose)(?=$|[._-])/gi, '$1')).replace(
    /[-_]+$/,
    '',
  );
  return n || 'default';
};

// ---------------------------------------------------------------------------------------------
// Ports

export interface PortSpec {
  /** Container ports (a range is expanded). */
  ports: number[];
  protocol?: Protocol;
  /** Published on the host (`ports`); `expose` entries are not. */
  published: boolean;
  /** Host address the port is bound to; undefined = all interfaces. */
  hostIp?: string;
}

const MAX_RANGE = 1024;
const PROTOCOLS: Record<string, Protocol> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

const portRange = (s: string, allowEmpty: boolean): [number, number] | 'empty' | undefined => {
  if (s === '') return allowEmpty ? 'empty' : undefined;
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(s);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (a < 1 || b > 65535 || a > b) return undefined;
  return [a, b];
};

const expand = ([a, b]: [number, number]): number[] => {
  const out: number[] = [];
  for (let p = a; p <= b && out.length < MAX_RANGE; p++) out.push(p);
  return out;
};

/**
 * Parse a short-syntax port: `[[IP:]HOST:]CONTAINER[/PROTO]`, where HOST and CONTAINER may be ranges,
 * HOST may be empty (random port) and IP may be IPv6 with or without brackets. `expose` entries
 * allow only `CONTAINER[/PROTO]`.
 */
export const parsePortSpec = (raw: string | number, kind: 'ports' | 'expose'): PortSpec | { error: string } => {
  let s = String(raw).trim();
  const bad = (why: string) => ({ error: `bad ${kind === 'ports' ? 'port' : 'expose'} "${String(raw)}": ${why}` });
  let protocol: Protocol | undefined;
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    protocol = PROTOCOLS[s.slice(slash + 1).toLowerCase()];
    if (!protocol) return bad(`unknown protocol "${s.slice(slash + 1)}" (tcp, udp or sctp)`);
    s = s.slice(0, slash);
  }
  const last = s.lastIndexOf(':');
  const container = portRange(s.slice(last + 1), false);
  if (container === undefined || container === 'empty')
    return bad('the container port must be a number or range between 1 and 65535');
  const spec: PortSpec = { ports: expand(container), published: kind === 'ports' };
  if (protocol && protocol !== 'TCP') spec.protocol = protocol;
  if (last < 0) return spec;
  if (kind === 'expose') return bad('expose takes a container port only, without a host part');
  const rest = s.slice(0, last);
  const c2 = rest.lastIndexOf(':');
  const host = portRange(rest.slice(c2 + 1), true);
  if (host === undefined) return bad('the host port must be a number or range between 1 and 65535, or empty');
  if (host !== 'empty' && container[1] !== container[0] && host[1] - host[0] !== container[1] - container[0])
    return bad('host and container port ranges differ in length');
  if (c2 >= 0) {
    const ip = rest.slice(0, c2).replace(/^\[(.*)\]$/, '$1');
    if (!ipaddr.isValid(ip)) return bad(`"${ip}" is not an IP address`);
    spec.hostIp = ip;
  }
  return spec;
};

/** Long syntax: `{target, published, host_ip, protocol, mode}`. */
const parseLongPort = (p: Obj): PortSpec | { error: string } => {
  const target = scalarText(own(p, 'target'));
  if (target === undefined) return { error: 'bad port: the long syntax needs "target" (the container port)' };
  const proto = scalarText(own(p, 'protocol'));
  const published = scalarText(own(p, 'published'));
  const hostIp = scalarText(own(p, 'host_ip'));
  const short = `${hostIp !== undefined ? `[${hostIp}]:` : ''}${published ?? ''}:${target}${proto ? `/${proto}` : ''}`;
  return parsePortSpec(short, 'ports');
};

const isLoopback = (ip: string): boolean => {
  try {
    return ipaddr.process(ip).range() === 'loopback';
  } catch {
    return false;
  }
};

// ---------------------------------------------------------------------------------------------
// Addresses in environment values

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

// ---------------------------------------------------------------------------------------------
// YAML with key positions and partial recovery

interface Loaded {
  value: unknown;
  /** Position of the value at a path (nearest existing ancestor when absent). */
  valueAt(path: Path): Pos;
  /** Position of the key of the entry at a path (the line a person looks for). */
  keyAt(path: Path): Pos;
}

interface NodeLike {
  range?: [number, number, number] | null;
}

/**
 * parseYaml reports syntax errors and refuses alias bombs; a document with syntax errors is then
 * read again tolerantly so that the valid rest of a Compose file still loads.
 */
const loadYaml = (file: FileInput, parsed: ParsedFile, diagnostics: Diagnostic[]): Loaded | undefined => {
  const strict = parsed.yaml();
  diagnostics.push(...strict.diagnostics);
  if (sizeCheck(file.name, file.text)) return undefined;
  const list = strict.raw;
  const pos = strict.pos;
  for (const [index, doc] of list.entries()) {
    const contents = doc.contents as NodeLike | null;
    if (!contents) continue;
    let value: unknown;
    const strictDoc = strict.docs.find((d) => d.index === index);
    if (strictDoc) value = strictDoc.value;
    else if (doc.errors.length > 0 && !strict.refused.has(index)) {
      // Read around syntax errors, but never past the alias limits parseYaml holds every document to.
      const refusal = aliasProblem(doc);
      if (refusal) {
        diagnostics.push(
          diagnostic(file.name, pos(refusal.offset), `YAML document ${index + 1} not loaded: ${refusal.message}`),
        );
        continue;
      }
      try {
        value = doc.toJS({ maxAliasCount: 1000 });
      } catch {
        continue;
      }
      const at = pos(contents.range?.[0] ?? 0);
      diagnostics.push(
        diagnostic(file.name, at, 'the YAML has syntax errors; what could be read around them is loaded', 'warn'),
      );
    } else continue; // refused by parseYaml (alias bomb), which said why
    if (value === null || value === undefined) continue;
    const rest = list.slice(index + 1).find((d) => d.contents);
    if (rest) {
      const at = pos((rest.contents as NodeLike).range?.[0] ?? 0);
      diagnostics.push(diagnostic(file.name, at, 'only the first YAML document of a Compose file is read', 'warn'));
    }
    const nodeAt = (path: Path): NodeLike | null | undefined =>
      (path.length === 0 ? doc.contents : doc.getIn(path, true)) as NodeLike | null | undefined;
    const valueAt = (path: Path): Pos => {
      for (let n = path.length; n >= 0; n--) {
        const node = nodeAt(path.slice(0, n));
        if (node?.range) return pos(node.range[0]);
      }
      return { line: 1, column: 1 };
    };
    const keyAt = (path: Path): Pos => {
      const parent = path.length > 0 ? nodeAt(path.slice(0, -1)) : undefined;
      const key = path.at(-1);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        const range = (pair?.key as NodeLike | undefined)?.range;
        if (range) return pos(range[0]);
      }
      return valueAt(path);
    };
    return { value, valueAt, keyAt };
  }
  return undefined;
};

// ---------------------------------------------------------------------------------------------
// The reader

const TOP_KEYS = new Set([
  'version',
  'name',
  'services',
  'networks',
  'volumes',
  'secrets',
  'configs',
  'include',
  'models',
]);
/** Service keys the model carries verbatim; everything else is kept in `extra`. */
const MODELLED_SERVICE_KEYS = new Set(['labels', 'profiles']);
/** Network keys carried in segment attributes/labels; the rest (ipam, driver_opts, …) goes to `extra`. */
const MODELLED_NETWORK_KEYS = new Set(['driver', 'internal', 'external', 'attachable', 'labels']);

/** What every step of reading one file shares. */
interface Ctx {
  file: string;
  project: string;
  flavor: ComposeFlavor;
  loaded: Loaded;
  report(path: Path, message: string, severity?: Severity, onKey?: boolean): void;
  src(path: Path, onKey?: boolean): SourceLocation;
  /** Names other containers resolve: service names, container names, network aliases → service name. */
  dns: Map<string, string>;
}

interface Draft {
  name: string;
  path: Path;
  /** The definition after same-file `extends`. */
  def: Obj;
  service: Service;
  /** `network_mode: service:x` — resolved once every other service has its networks. */
  shareWith?: { name: string; path: Path };
  /** Link aliases visible to this service only (`links: [db:database]`). */
  linkAliases: Map<string, string>;
}

const flavorOf = (top: Obj): { flavor: ComposeFlavor; unknownVersion?: string } => {
  const v = scalarText(own(top, 'version'));
  if (v === undefined) return { flavor: Object.hasOwn(top, 'services') ? 'spec' : 'v1' };
  if (/^1(\.|$)/.test(v)) return { flavor: 'v1' };
  if (/^2(\.|$)/.test(v)) return { flavor: 'v2' };
  if (/^3(\.|$)/.test(v)) return { flavor: 'v3' };
  return { flavor: 'spec', unknownVersion: v };
};

/** Entries of a list-or-map key (`environment`, `labels`): `[name, value, path]`. */
const entriesOf = (v: unknown, path: Path): [string, string | undefined, Path][] => {
  if (Array.isArray(v)) {
    return v.flatMap((item, i): [string, string | undefined, Path][] => {
      const s = scalarText(item);
      if (s === undefined) return [];
      const eq = s.indexOf('=');
      return [eq < 0 ? [s, undefined, [...path, i]] : [s.slice(0, eq), s.slice(eq + 1), [...path, i]]];
    });
  }
  if (isObj(v)) return Object.keys(v).map((k) => [k, scalarText(v[k]), [...path, k]]);
  return [];
};

const stringMap = (entries: [string, string | undefined, Path][]): Record<string, string> | undefined => {
  if (entries.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of entries) setOwn(out, k, v ?? '');
  return out;
};

const wrongShape = (ctx: Ctx, path: Path, what: string) =>
  ctx.report(path, `${path.join('.')} must be ${what}; ignored`, 'error', true);

/** Split the top level into service definitions and the keys kept as written (version, volumes, x-…). */
const splitTop = (ctx: Ctx, top: Obj): { services: Obj; kept: Obj } => {
  const kept: Obj = {};
  const services: Obj = {};
  if (ctx.flavor === 'v1') {
    for (const k of Object.keys(top)) setOwn(k === 'version' || k.startsWith('x-') ? kept : services, k, top[k]);
    return { services, kept };
  }
  for (const k of Object.keys(top)) {
    if (k === 'services' || k === 'networks') continue;
    if (!TOP_KEYS.has(k) && !k.startsWith('x-'))
      ctx.report([k], `unknown top-level key "${k}"; kept but not interpreted`, 'warn', true);
    if (k === 'include') ctx.report([k], '"include" is not followed; import the included files too', 'info', true);
    setOwn(kept, k, top[k]);
  }
  const s = own(top, 'services');
  if (isObj(s)) return { services: s, kept };
  if (s === null || s === undefined) ctx.report(['services'], 'this Compose file defines no services', 'warn', true);
  else ctx.report(['services'], '"services" must be a map of service name → definition', 'error', true);
  return { services, kept };
};

/** Service definitions by name with same-file `extends` applied (shallow: the service's own keys win). */
const serviceDefinitions = (ctx: Ctx, serviceMap: Obj, root: Path): Map<string, { raw: Obj; def: Obj; path: Path }> => {
  const raw = new Map<string, { raw: Obj; path: Path }>();
  for (const name of Object.keys(serviceMap)) {
    const path = [...root, name];
    const def = serviceMap[name];
    if (isObj(def)) raw.set(name, { raw: def, path });
    else if (def === null && ctx.flavor !== 'v1') raw.set(name, { raw: {}, path });
    else ctx.report(path, `service "${name}" must be a map (image, build, ports, …); skipped`, 'error', true);
  }
  const out = new Map<string, { raw: Obj; def: Obj; path: Path }>();
  const resolve = (name: string, seen: string[]): Obj => {
    const done = out.get(name);
    if (done) return done.def;
    const { raw: def, path } = raw.get(name) as { raw: Obj; path: Path };
    const ext = own(def, 'extends');
    let merged = def;
    if (ext !== undefined) {
      const at = [...path, 'extends'];
      const base = typeof ext === 'string' ? ext : isObj(ext) ? scalarText(own(ext, 'service')) : undefined;
      if (isObj(ext) && own(ext, 'file') !== undefined)
        ctx.report(at, `extends from another file is not followed; "${name}" keeps only its own keys`, 'info', true);
      else if (base === undefined || !raw.has(base))
        ctx.report(at, `service "${name}" extends unknown service "${base ?? ''}"`, 'error', true);
      else if (seen.includes(base)) ctx.report(at, `extends cycle: ${[...seen, base].join(' → ')}`, 'error', true);
      else {
        merged = { ...resolve(base, [...seen, base]) };
        for (const k of Object.keys(def)) if (k !== 'extends') setOwn(merged, k, def[k]);
      }
    }
    out.set(name, { raw: def, def: merged, path });
    return merged;
  };
  for (const name of raw.keys()) resolve(name, [name]);
  // Keep file order (resolve may have finished a base before the service that names it).
  return new Map([...raw.keys()].map((n) => [n, out.get(n) as { raw: Obj; def: Obj; path: Path }]));
};

/** The overlay segments of one file: declared networks, the implicit default network, the v1 bridge. */
class Networks {
  private readonly declared = new Map<string, Segment>();
  private bridgeSegment: Segment | undefined;

  constructor(private readonly ctx: Ctx) {}

  /** A top-level network entry; its id is the Docker network name, so projects sharing one meet. */
  declare(key: string, def: Obj, path: Path | undefined): Segment {
    const { project } = this.ctx;
    const ext = own(def, 'external');
    const external = ext === true || isObj(ext);
    const explicit = scalarText(own(def, 'name')) ?? (isObj(ext) ? scalarText(own(ext, 'name')) : undefined);
    const dockerName = explicit !== undefined ? interpolateDefaults(explicit) : external ? key : `${project}_${key}`;
    const driver = scalarText(own(def, 'driver')) ?? (external ? undefined : 'bridge');
    const segment: Segment = {
      id: `overlay:${dockerName}`,
      level: 'overlay',
      name: dockerName,
      attributes: {
        kind: 'compose-network',
        project,
        network: key,
        ...(driver === undefined ? {} : { driver }),
        internal: own(def, 'internal') === true,
        external,
        attachable: own(def, 'attachable') === true,
      },
    };
    const ipam = own(def, 'ipam');
    const config = isObj(ipam) ? own(ipam, 'config') : undefined;
    const cidrs = Array.isArray(config)
      ? config.flatMap((c) => (isObj(c) && typeof own(c, 'subnet') === 'string' ? [own(c, 'subnet') as string] : []))
      : [];
    if (cidrs.length > 0) segment.cidrs = cidrs;
    const labels = stringMap(entriesOf(own(def, 'labels'), []));
    if (labels) segment.labels = labels;
    const extra: Obj = {};
    for (const k of Object.keys(def)) if (!MODELLED_NETWORK_KEYS.has(k)) setOwn(extra, k, def[k]);
    if (Object.keys(extra).length > 0) segment.extra = extra;
    if (path) segment.source = [this.ctx.src(path)];
    this.declared.set(key, segment);
    return segment;
  }

  /** A network a service names: declared, or the implicit `default`. */
  get(key: string): Segment | undefined {
    const found = this.declared.get(key);
    if (found || key !== 'default') return found;
    return this.declare('default', {}, undefined);
  }

  /** The project's default network, sourced at the first service that lands on it. */
  defaultFor(at: Path): Segment {
    const seg = this.get('default') as Segment;
    seg.source ??= [this.ctx.src(at)];
    return seg;
  }

  bridge(at: Path): Segment {
    const { project } = this.ctx;
    this.bridgeSegment ??= {
      id: `overlay:${project}_bridge`,
      level: 'overlay',
      name: `${project}_bridge`,
      // icc is a daemon setting a Compose file cannot change; Docker's default is true.
      attributes: { kind: 'bridge', project, icc: true },
      source: [this.ctx.src(at)],
    };
    return this.bridgeSegment;
  }

  bridgeId(): string | undefined {
    return this.bridgeSegment?.id;
  }

  segments(): Segment[] {
    return [...this.declared.values(), ...(this.bridgeSegment ? [this.bridgeSegment] : [])];
  }
}

const readTopNetworks = (ctx: Ctx, top: Obj, nets: Networks) => {
  const decl = own(top, 'networks');
  if (isObj(decl)) {
    for (const key of Object.keys(decl)) {
      const def = decl[key];
      if (def === null || isObj(def)) nets.declare(key, def ?? {}, ['networks', key]);
      else
        ctx.report(['networks', key], `network "${key}" must be a map (driver, external, internal, …)`, 'error', true);
    }
  } else if (decl !== undefined && decl !== null)
    ctx.report(['networks'], '"networks" must be a map of network name → definition', 'error', true);
};

/** `ports` and `expose`: container ports, and whether any is published on a non-loopback address. */
const readPorts = (ctx: Ctx, def: Obj, path: Path): { ports: ServicePort[]; exposed: boolean } => {
  const ports = new Map<string, ServicePort>();
  let exposed = false;
  for (const kind of ['ports', 'expose'] as const) {
    const list = own(def, kind);
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      wrongShape(ctx, [...path, kind], 'a list');
      continue;
    }
    list.forEach((entry, i) => {
      const at = [...path, kind, i];
      const text = typeof entry === 'string' ? interpolateDefaults(entry) : undefined;
      if (text?.includes('$')) {
        ctx.report(at, `${kind} entry "${entry}" uses a variable without a default; skipped`, 'warn');
        return;
      }
      const spec =
        kind === 'ports' && isObj(entry)
          ? parseLongPort(entry)
          : typeof entry === 'string' || typeof entry === 'number'
            ? parsePortSpec(text ?? (entry as string | number), kind)
            : { error: `bad ${kind === 'ports' ? 'port' : 'expose'} entry: expected a string or number` };
      if ('error' in spec) {
        ctx.report(at, spec.error);
        return;
      }
      if (spec.ports.length === MAX_RANGE)
        ctx.report(at, `port range has ${MAX_RANGE} ports or more; only the first ${MAX_RANGE} are imported`, 'warn');
      for (const port of spec.ports) {
        const key = `${port}/${spec.protocol ?? 'TCP'}`;
        const prev = ports.get(key);
        if (prev) {
          if (spec.published) prev.published = true;
          continue;
        }
        ports.set(key, {
          port,
          ...(spec.protocol ? { protocol: spec.protocol } : {}),
          ...(spec.published ? { published: true } : {}),
        });
      }
      if (spec.published && (spec.hostIp === undefined || !isLoopback(spec.hostIp))) exposed = true;
    });
  }
  return { ports: [...ports.values()], exposed };
};

/** Overlay memberships from `networks` / `network_mode` (`net` in v1), and fixed addresses. */
const readMemberships = (
  ctx: Ctx,
  nets: Networks,
  d: Draft,
): { overlay: string[]; addresses: string[]; shareWith?: { name: string; path: Path } } => {
  const { def, path, name } = d;
  const modeKey = own(def, 'network_mode') !== undefined || ctx.flavor !== 'v1' ? 'network_mode' : 'net';
  const mode = scalarText(own(def, modeKey));
  const svcNets = own(def, 'networks');
  const overlay: string[] = [];
  const addresses: string[] = [];
  if (mode !== undefined) {
    const at = [...path, modeKey];
    if (svcNets !== undefined && svcNets !== null)
      ctx.report(
        [...path, 'networks'],
        `service "${name}" sets both ${modeKey} and networks; networks are ignored`,
        'warn',
        true,
      );
    if (mode.startsWith('service:')) return { overlay, addresses, shareWith: { name: mode.slice(8), path: at } };
    if (mode === 'bridge' || mode === 'default') overlay.push(nets.bridge(at).id);
    else if (mode.startsWith('container:'))
      ctx.report(at, `${modeKey} "${mode}" joins a container outside this file; no overlay network is known`, 'info');
    else if (mode !== 'host' && mode !== 'none') {
      const seg = ctx.flavor === 'v1' ? undefined : nets.get(mode);
      if (seg) overlay.push(seg.id);
      else ctx.report(at, `${modeKey} "${mode}" is not host, none, bridge, service:NAME or a declared network`);
    }
    return { overlay, addresses };
  }
  if (ctx.flavor === 'v1') return { overlay: [nets.bridge(path).id], addresses };
  if (svcNets === undefined || svcNets === null) return { overlay: [nets.defaultFor(path).id], addresses };
  if (!Array.isArray(svcNets) && !isObj(svcNets)) {
    wrongShape(ctx, [...path, 'networks'], 'a list of network names or a map');
    return { overlay, addresses };
  }
  const keys: unknown[] = Array.isArray(svcNets) ? svcNets : Object.keys(svcNets);
  keys.forEach((key, i) => {
    const listForm = Array.isArray(svcNets);
    const at = listForm ? [...path, 'networks', i] : [...path, 'networks', String(key)];
    if (typeof key !== 'string') {
      ctx.report(at, 'a network name must be a string');
      return;
    }
    const seg = key === 'default' ? nets.defaultFor(at) : nets.get(key);
    if (!seg) {
      ctx.report(
        at,
        `service "${name}" uses network "${key}", which is not declared under the top-level networks`,
        'error',
        !listForm,
      );
      return;
    }
    if (!overlay.includes(seg.id)) overlay.push(seg.id);
    const opts = listForm ? undefined : own(svcNets as Obj, key);
    if (!isObj(opts)) return;
    const aliases = own(opts, 'aliases');
    if (Array.isArray(aliases))
      for (const a of aliases)
        if (typeof a === 'string' && !ctx.dns.has(a.toLowerCase())) ctx.dns.set(a.toLowerCase(), name);
    for (const k of ['ipv4_address', 'ipv6_address']) {
      const ip = scalarText(own(opts, k));
      if (ip !== undefined) addresses.push(ip);
    }
  });
  return { overlay, addresses };
};

/** One service from its definition; memberships of `network_mode: service:x` come later. */
const readService = (ctx: Ctx, nets: Networks, name: string, entry: { raw: Obj; def: Obj; path: Path }): Draft => {
  const { raw, def, path } = entry;
  const d: Draft = {
    name,
    path,
    def,
    service: { id: `compose:${ctx.project}/${name}`, name, kind: 'service', memberships: {} },
    linkAliases: new Map(),
  };
  const { ports, exposed } = readPorts(ctx, def, path);
  const labelsRaw = own(def, 'labels');
  if (labelsRaw !== undefined && labelsRaw !== null && !Array.isArray(labelsRaw) && !isObj(labelsRaw))
    wrongShape(ctx, [...path, 'labels'], 'a list of "key=value" or a map');
  const labels = stringMap(entriesOf(labelsRaw, []));
  let profiles: string[] | undefined;
  const p = own(def, 'profiles');
  if (Array.isArray(p) && p.every((x) => typeof x === 'string')) profiles = p.length > 0 ? (p as string[]) : undefined;
  else if (p !== undefined && p !== null) wrongShape(ctx, [...path, 'profiles'], 'a list of names');
  let replicas: number | undefined;
  const deploy = own(def, 'deploy');
  const fromDeploy = isObj(deploy) ? own(deploy, 'replicas') : undefined;
  const count = fromDeploy ?? own(def, 'scale');
  if (count !== undefined && count !== null) {
    if (typeof count === 'number' && Number.isInteger(count) && count >= 0) replicas = count;
    else
      wrongShape(
        ctx,
        fromDeploy !== undefined ? [...path, 'deploy', 'replicas'] : [...path, 'scale'],
        'a whole number ≥ 0',
      );
  }
  const containerName = scalarText(own(def, 'container_name'));
  if (containerName !== undefined && !ctx.dns.has(containerName.toLowerCase()))
    ctx.dns.set(containerName.toLowerCase(), name);
  const { overlay, addresses, shareWith } = readMemberships(ctx, nets, d);
  if (shareWith) d.shareWith = shareWith;
  const extra: Obj = {};
  // Kept as written (before extends): the model carries only what the analysis needs.
  for (const k of Object.keys(raw)) if (!MODELLED_SERVICE_KEYS.has(k)) setOwn(extra, k, raw[k]);
  // Assembled in one place so every service has the same key order.
  d.service = {
    id: d.service.id,
    name,
    kind: guessKind(name, scalarText(own(def, 'image')), exposed),
    namespace: ctx.project,
    ...(labels ? { labels } : {}),
    ...(ports.length > 0 ? { ports } : {}),
    ...(exposed ? { exposed: true } : {}),
    ...(addresses.length > 0 ? { addresses } : {}),
    ...(replicas !== undefined ? { replicas } : {}),
    ...(profiles ? { profiles } : {}),
    memberships: { overlay },
    source: [ctx.src(path)],
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
  return d;
};

/** `network_mode: service:x` shares x's network namespace, so it has x's overlay memberships. */
const shareNetworks = (ctx: Ctx, drafts: Map<string, Draft>) => {
  const done = new Set<string>();
  const visit = (d: Draft, chain: string[]): string[] => {
    if (!d.shareWith || done.has(d.name)) return d.service.memberships.overlay ?? [];
    done.add(d.name);
    const target = drafts.get(d.shareWith.name);
    if (!target) ctx.report(d.shareWith.path, `network_mode names unknown service "${d.shareWith.name}"`);
    else if (chain.includes(target.name))
      ctx.report(d.shareWith.path, `network_mode cycle: ${[...chain, target.name].join(' → ')}`);
    else d.service.memberships.overlay = [...visit(target, [...chain, target.name])];
    return d.service.memberships.overlay ?? [];
  };
  for (const d of drafts.values()) visit(d, [d.name]);
};

/** Calls from links, depends_on and environment values naming another service; one per (from, to, port). */
const readCalls = (ctx: Ctx, drafts: Map<string, Draft>, bridgeId: string | undefined) => {
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
        const id = `compose:${ctx.project}/${d.name}/links/${target}`;
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

const read = (file: FileInput, parsed: ParsedFile = parseFile(file)): ReadResult => {
  const fragment = emptyFragment();
  const diagnostics: Diagnostic[] = [];
  const loaded = loadYaml(file, parsed, diagnostics);
  if (!loaded) return { fragment, diagnostics };
  const top = loaded.value;
  if (!isObj(top)) {
    diagnostics.push(
      diagnostic(
        file.name,
        loaded.valueAt([]),
        'a Compose file must be a map at the top level (services, networks, …)',
      ),
    );
    return { fragment, diagnostics };
  }
  const { flavor, unknownVersion } = flavorOf(top);
  const ctx: Ctx = {
    file: file.name,
    project: projectName(file.name, own(top, 'name')),
    flavor,
    loaded,
    report: (path, message, severity = 'error', onKey = false) =>
      diagnostics.push(
        diagnostic(file.name, onKey ? loaded.keyAt(path) : loaded.valueAt(path), message, severity, pointer(path)),
      ),
    src: (path, onKey = true) => ({ file: file.name, ...(onKey ? loaded.keyAt(path) : loaded.valueAt(path)) }),
    dns: new Map(),
  };
  if (unknownVersion !== undefined)
    ctx.report(['version'], `unknown Compose version "${unknownVersion}"; read as the Compose specification`, 'warn');
  const { services: serviceMap, kept } = splitTop(ctx, top);
  const defs = serviceDefinitions(ctx, serviceMap, flavor === 'v1' ? [] : ['services']);
  for (const name of defs.keys()) ctx.dns.set(name.toLowerCase(), name);
  const nets = new Networks(ctx);
  if (flavor !== 'v1') readTopNetworks(ctx, top, nets);
  const drafts = new Map<string, Draft>();
  for (const [name, entry] of defs) drafts.set(name, readService(ctx, nets, name, entry));
  shareNetworks(ctx, drafts);
  const { calls, rules } = readCalls(ctx, drafts, nets.bridgeId());
  fragment.services = [...drafts.values()].map((d) => d.service);
  fragment.segments = nets.segments();
  fragment.calls = calls;
  fragment.rules = rules;
  if (Object.keys(kept).length > 0) {
    const byFile: Obj = {};
    setOwn(byFile, file.name, kept);
    fragment.top = { extra: { compose: byFile } };
  }
  return { fragment, diagnostics };
};

// ---------------------------------------------------------------------------------------------
// Detection

const SERVICE_HINTS = ['image', 'build', 'links'];

const looksLikeCompose = (v: unknown): boolean => {
  if (!isObj(v)) return false;
  if (['apiVersion', 'kind', 'segscope', 'AWSTemplateFormatVersion', 'Resources'].some((k) => Object.hasOwn(v, k)))
    return false;
  if (isObj(own(v, 'services'))) return true;
  const version = scalarText(own(v, 'version'));
  if (version !== undefined && /^[123](\.\d+)*$/.test(version)) return true;
  // v1: services at the top level.
  return Object.keys(v).some((k) => {
    const s = v[k];
    return !k.startsWith('x-') && isObj(s) && SERVICE_HINTS.some((h) => Object.hasOwn(s, h));
  });
};

export const composeReader: FormatReader = {
  id: 'compose',
  label: 'Docker Compose',
  detect: (file, parsed) => {
    if (parsed !== undefined) return looksLikeCompose(parsed);
    // Not parseable: claim it by name or by a top-level `services:` so the reader can report exact errors.
    const base = file.name.split(/[\\/]/).at(-1) ?? '';
    if (COMPOSE_FILE_NAME.test(base)) return true;
    return /^services:/m.test(file.text) && !/^(apiVersion|kind):/m.test(file.text);
  },
  read,
};
