// Reader for `docker network inspect` JSON: each network an overlay segment, each container on it a service.
import { type ParsedFile, parseFile } from '../../import/parse';
import { diagnostic } from '../../import/text';
import type { FileInput, FormatReader, ReadResult } from '../../import/types';
import type { Diagnostic, Segment, Service } from '../../model/types';
import { BUILTIN_NETWORKS, type BuiltinNetwork, networkId, serviceId } from '../compose/conventions';
import { detectDocker } from './detect';

type Obj = Record<string, unknown>;
type Path = (string | number)[];
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (o: Obj, key: string): string | undefined =>
  typeof o[key] === 'string' && o[key] !== '' ? (o[key] as string) : undefined;
const strings = (v: unknown): Record<string, string> =>
  isObj(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};

/** The labels Docker Compose puts on the networks it creates (Compose specification, "Labels"). */
const PROJECT_LABEL = 'com.docker.compose.project';
const NETWORK_LABEL = 'com.docker.compose.network';
/** Docker's bridge driver option that turns inter-container traffic on a network off (dockerd `--icc`). */
const ICC_OPTION = 'com.docker.network.bridge.enable_icc';

/**
 * Which Compose service a container runs: Compose names containers `<project>-<service>-<n>` (v2) or
 * `<project>_<service>_<n>` (v1). The projects come from the networks' compose labels, the longest
 * first so that `shop-api` wins over `shop` for `shop-api-web-1`.
 */
export const composeServiceOf = (
  container: string,
  projects: readonly string[],
): { project: string; service: string } | undefined => {
  for (const project of [...projects].sort((a, b) => b.length - a.length)) {
    if (!container.startsWith(project)) continue;
    const m = /^[-_](.+)[-_]\d+$/.exec(container.slice(project.length));
    if (m) return { project, service: m[1] as string };
  }
  return undefined;
};

/** A network's segment; Docker's own bridge, host and none networks mean what the Compose reader says they mean. */
const networkSegment = (n: Obj, name: string, icc: boolean): Segment => {
  const labels = strings(n.Labels);
  const driver = text(n, 'Driver');
  const builtin = (BUILTIN_NETWORKS as readonly string[]).includes(name) ? (name as BuiltinNetwork) : undefined;
  const project = labels[PROJECT_LABEL];
  const attributes: Obj = builtin
    ? builtin === 'bridge'
      ? { kind: 'bridge', icc }
      : { kind: builtin }
    : {
        kind: project ? 'compose-network' : 'docker-network',
        ...(project ? { project } : {}),
        ...(labels[NETWORK_LABEL] ? { network: labels[NETWORK_LABEL] } : {}),
        ...(driver ? { driver } : {}),
        internal: n.Internal === true,
        attachable: n.Attachable === true,
        ...(icc ? {} : { icc: false }),
      };
  const ipam = isObj(n.IPAM) ? n.IPAM : {};
  const cidrs = (Array.isArray(ipam.Config) ? ipam.Config : []).flatMap((c) =>
    isObj(c) && text(c, 'Subnet') ? [text(c, 'Subnet') as string] : [],
  );
  const seg: Segment = { id: networkId(name), level: 'overlay', name, attributes };
  if (cidrs.length > 0) seg.cidrs = cidrs;
  return seg;
};

const read = (file: FileInput, source: ParsedFile = parseFile(file)): ReadResult => {
  const parsed = source.json();
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const diag = (path: Path, message: string, severity: Diagnostic['severity'] = 'error') =>
    diagnostics.push(diagnostic(file.name, parsed.locate(path), message, severity));
  const src = (path: Path) => ({ file: file.name, ...parsed.locate(path) });
  const segments: Segment[] = [];
  const services = new Map<string, Service>();
  const value = parsed.value;
  if (!Array.isArray(value)) {
    if (value !== undefined) diag([], 'expected the JSON array `docker network inspect` prints');
    return { fragment: { services: [], segments, calls: [], rules: [] }, diagnostics };
  }
  const projects = [
    ...new Set(
      value.flatMap((n) =>
        isObj(n) && strings(n.Labels)[PROJECT_LABEL] ? [strings(n.Labels)[PROJECT_LABEL] as string] : [],
      ),
    ),
  ];
  value.forEach((n, i) => {
    const name = isObj(n) ? text(n, 'Name') : undefined;
    if (!isObj(n) || !name) {
      diag([i], 'network without a Name; skipped');
      return;
    }
    const options = strings(n.Options);
    const icc = options[ICC_OPTION] !== 'false';
    const seg = networkSegment(n, name, icc);
    seg.source = [src([i])];
    segments.push(seg);
    if (n.Containers !== undefined && n.Containers !== null && !isObj(n.Containers)) {
      diag([i, 'Containers'], `${name}: Containers must be a map of container id to endpoint; not read`);
      return;
    }
    for (const [cid, c] of Object.entries(isObj(n.Containers) ? n.Containers : {})) {
      const path = [i, 'Containers', cid];
      const container = isObj(c) ? text(c, 'Name') : undefined;
      if (!isObj(c) || !container) {
        diag(path, `${name}: a container without a Name; skipped`, 'warn');
        continue;
      }
      const compose = composeServiceOf(container, projects);
      const id = compose ? serviceId(compose.project, compose.service) : `docker:${container}`;
      const addresses = [text(c, 'IPv4Address'), text(c, 'IPv6Address')].flatMap((a) =>
        a ? [a.split('/')[0] as string] : [],
      );
      const prev = services.get(id);
      const service: Service = prev ?? {
        id,
        name: compose?.service ?? container,
        // The network view names no image: the Compose file or the person knows better.
        kind: 'service',
        ...(compose ? { namespace: compose.project } : {}),
        memberships: { overlay: [] },
        source: [src(path)],
      };
      const overlay = service.memberships.overlay ?? [];
      if (!overlay.includes(seg.id)) overlay.push(seg.id);
      service.memberships.overlay = overlay;
      const known = new Set(service.addresses ?? []);
      for (const a of addresses) known.add(a);
      if (known.size > 0) service.addresses = [...known];
      services.set(id, service);
    }
  });
  return { fragment: { services: [...services.values()], segments, calls: [], rules: [] }, diagnostics };
};

export const dockerReader: FormatReader = {
  id: 'docker',
  label: 'Docker networks (docker network inspect)',
  detect: detectDocker,
  read,
};
