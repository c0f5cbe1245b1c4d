// What the Compose reader and writer agree on: project names, service and network ids, variable defaults.
import { isObj, type Obj, own, scalarText } from './context';

/** Compose's `${VAR:-default}` / `${VAR-default}` take their default (we have no environment); `$$` is a `$`. */
export const interpolateDefaults = (s: string): string =>
  s.replace(/\$\$|\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g, (m, def: string | undefined) =>
    m === '$$' ? '$' : (def ?? ''),
  );

export const COMPOSE_FILE_NAME = /^(docker-)?compose([.-][^/\\]*)?\.ya?ml$/i;

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

export const SERVICE_PREFIX = 'compose:';

/** A Compose service: `compose:<project>/<name>`. */
export const serviceId = (project: string, name: string): string => `${SERVICE_PREFIX}${project}/${name}`;

/** An overlay segment is named after the Docker network, so projects sharing one meet. */
export const networkId = (dockerName: string): string => `overlay:${dockerName}`;

/**
 * Docker's built-in networks, one per host whatever the project: `bridge` (the default bridge that
 * Compose v1 files and `network_mode: bridge` use), `host` and `none`
 * (https://docs.docker.com/engine/network/#drivers, `docker network ls` on a fresh daemon).
 */
export const BUILTIN_NETWORKS = ['bridge', 'host', 'none'] as const;
export type BuiltinNetwork = (typeof BUILTIN_NETWORKS)[number];

/** The overlay segment of a built-in network: the same id in every project, so they all meet on it. */
export const builtinNetworkId = (name: BuiltinNetwork): string => networkId(name);

/**
 * The Docker network a top-level `networks` entry stands for: its `name` (or `external.name`), else
 * the key for an external network, else `<project>_<key>` as Compose creates it.
 */
export const declaredNetworkName = (
  project: string,
  key: string,
  def: Obj,
): { dockerName: string; external: boolean } => {
  const ext = own(def, 'external');
  const external = ext === true || isObj(ext);
  const explicit = scalarText(own(def, 'name')) ?? (isObj(ext) ? scalarText(own(ext, 'name')) : undefined);
  const dockerName = explicit !== undefined ? interpolateDefaults(explicit) : external ? key : `${project}_${key}`;
  return { dockerName, external };
};
