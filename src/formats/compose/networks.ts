// The overlay level of a Compose file: declared networks, the default network, the v1 bridge, and who is on which.
import { setOwn } from '../../model/own';
import type { Segment } from '../../model/types';
import {
  type Ctx,
  type Draft,
  entriesOf,
  isObj,
  type Obj,
  own,
  type Path,
  scalarText,
  stringMap,
  wrongShape,
} from './context';
import { BUILTIN_NETWORKS, type BuiltinNetwork, builtinNetworkId, declaredNetworkName, networkId } from './conventions';
import { modeTarget, networkChoice } from './inference';

/** Network keys carried in segment attributes/labels; the rest (ipam, driver_opts, …) goes to `extra`. */
const MODELLED_NETWORK_KEYS = new Set(['driver', 'internal', 'external', 'attachable', 'labels']);

/** What each built-in network means for reachability (the overlay level reads `attributes.kind`). */
const BUILTIN_ATTRIBUTES: Record<BuiltinNetwork, Record<string, unknown>> = {
  // icc is a daemon setting a Compose file cannot change; Docker's default is true.
  bridge: { kind: 'bridge', icc: true },
  host: { kind: 'host' },
  none: { kind: 'none' },
};

/** The overlay segments of one file: declared networks, the implicit default network, Docker's built-in ones. */
export class Networks {
  private readonly declared = new Map<string, Segment>();
  private readonly builtins = new Map<BuiltinNetwork, Segment>();

  constructor(private readonly ctx: Ctx) {}

  /** A top-level network entry; its id is the Docker network name, so projects sharing one meet. */
  declare(key: string, def: Obj, path: Path | undefined): Segment {
    const { project } = this.ctx;
    const { dockerName, external } = declaredNetworkName(project, key, def);
    if (external && (BUILTIN_NETWORKS as readonly string[]).includes(dockerName)) {
      // `external: true, name: host` (or bridge, none) is Docker's own network, not a project's.
      const seg = this.builtin(dockerName as BuiltinNetwork, path ?? []);
      this.declared.set(key, seg);
      return seg;
    }
    const driver = scalarText(own(def, 'driver')) ?? (external ? undefined : 'bridge');
    const segment: Segment = {
      id: networkId(dockerName),
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

  /** Whether a service may name the network: declared, or the implicit `default`. */
  has(key: string): boolean {
    return key === 'default' || this.declared.has(key);
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

  /**
   * A network of the host, not of the project: the default `bridge` is one per daemon, shared by every
   * project's `network_mode: bridge` and v1 services (https://docs.docker.com/engine/network/drivers/bridge/),
   * `host` shares the host's stack, `none` has only a loopback interface (…/drivers/none/).
   */
  builtin(name: BuiltinNetwork, at: Path): Segment {
    let seg = this.builtins.get(name);
    if (!seg) {
      seg = {
        id: builtinNetworkId(name),
        level: 'overlay',
        name,
        attributes: { ...BUILTIN_ATTRIBUTES[name] },
        source: [this.ctx.src(at)],
      };
      this.builtins.set(name, seg);
    }
    return seg;
  }

  bridgeId(): string | undefined {
    return this.builtins.get('bridge')?.id;
  }

  segments(): Segment[] {
    const builtins = new Set(this.builtins.values());
    return [...[...this.declared.values()].filter((s) => !builtins.has(s)), ...builtins];
  }
}

export const readTopNetworks = (ctx: Ctx, top: Obj, nets: Networks) => {
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

/** Overlay memberships from `networks` / `network_mode` (`net` in v1, see networkChoice), and fixed addresses. */
export const readMemberships = (
  ctx: Ctx,
  nets: Networks,
  d: Draft,
): { overlay: string[]; addresses: string[]; shareWith?: { name: string; path: Path } } => {
  const { def, path, name } = d;
  const choice = networkChoice(def, ctx.flavor, path);
  const overlay: string[] = [];
  const addresses: string[] = [];
  if (choice.kind === 'mode') {
    const { mode, modeKey, at } = choice;
    if (choice.alsoNetworks)
      ctx.report(
        [...path, 'networks'],
        `service "${name}" sets both ${modeKey} and networks; networks are ignored`,
        'warn',
        true,
      );
    const t = modeTarget(mode);
    if ('service' in t) return { overlay, addresses, shareWith: { name: t.service, path: at } };
    if ('builtin' in t) overlay.push(nets.builtin(t.builtin, at).id);
    else if ('container' in t)
      ctx.report(at, `${modeKey} "${mode}" joins a container outside this file; no overlay network is known`, 'info');
    else {
      const seg = ctx.flavor === 'v1' ? undefined : nets.get(t.network);
      if (seg) overlay.push(seg.id);
      else ctx.report(at, `${modeKey} "${mode}" is not host, none, bridge, service:NAME or a declared network`);
    }
    return { overlay, addresses };
  }
  if (choice.kind === 'v1-bridge') return { overlay: [nets.builtin('bridge', path).id], addresses };
  if (choice.kind === 'default') return { overlay: [nets.defaultFor(path).id], addresses };
  if (choice.kind === 'wrong-shape') {
    wrongShape(ctx, [...path, 'networks'], 'a list of network names or a map');
    return { overlay, addresses };
  }
  for (const { key, at, opts } of choice.entries) {
    if (typeof key !== 'string') {
      ctx.report(at, 'a network name must be a string');
      continue;
    }
    const seg = key === 'default' ? nets.defaultFor(at) : nets.get(key);
    if (!seg) {
      ctx.report(
        at,
        `service "${name}" uses network "${key}", which is not declared under the top-level networks`,
        'error',
        !choice.listForm,
      );
      continue;
    }
    if (!overlay.includes(seg.id)) overlay.push(seg.id);
    // Aliases are names other containers resolve (resolverNames); here only the fixed addresses count.
    for (const k of ['ipv4_address', 'ipv6_address']) {
      const ip = opts ? scalarText(own(opts, k)) : undefined;
      if (ip !== undefined) addresses.push(ip);
    }
  }
  return { overlay, addresses };
};

/** `network_mode: service:x` shares x's network namespace, so it has x's overlay memberships. */
export const shareNetworks = (ctx: Ctx, drafts: Map<string, Draft>) => {
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
