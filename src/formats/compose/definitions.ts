// The top level of a Compose file: service definitions (with same-file extends) and the keys kept as written.
import { setOwn } from '../../model/own';
import type { Severity } from '../../model/types';
import { type ComposeFlavor, type Ctx, isObj, type Obj, own, type Path, type Problem, scalarText } from './context';

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

/** Split the top level into service definitions and the keys kept as written (version, volumes, x-…). */
export const splitTop = (ctx: Ctx, top: Obj): { services: Obj; kept: Obj } => {
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

/** A service's definition as written (`raw`), after same-file `extends` (`def`), and where it is. */
export interface ServiceEntry {
  raw: Obj;
  def: Obj;
  path: Path;
}

/**
 * Service definitions by name with same-file `extends` applied (shallow: the service's own keys win),
 * and what is wrong with them. Pure: the reader reports the problems, the writer checks its own file.
 */
export const serviceDefinitions = (
  serviceMap: Obj,
  root: Path,
  flavor: ComposeFlavor,
): { defs: Map<string, ServiceEntry>; problems: Problem[] } => {
  const problems: Problem[] = [];
  const report = (at: Path, message: string, severity: Severity = 'error') =>
    problems.push({ at, message, severity, onKey: true });
  const raw = new Map<string, { raw: Obj; path: Path }>();
  for (const name of Object.keys(serviceMap)) {
    const path = [...root, name];
    const def = serviceMap[name];
    if (isObj(def)) raw.set(name, { raw: def, path });
    else if (def === null && flavor !== 'v1') raw.set(name, { raw: {}, path });
    else report(path, `service "${name}" must be a map (image, build, ports, …); skipped`);
  }
  const out = new Map<string, ServiceEntry>();
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
        report(at, `extends from another file is not followed; "${name}" keeps only its own keys`, 'info');
      else if (base === undefined || !raw.has(base))
        report(at, `service "${name}" extends unknown service "${base ?? ''}"`);
      else if (seen.includes(base)) report(at, `extends cycle: ${[...seen, base].join(' → ')}`);
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
  return { defs: new Map([...raw.keys()].map((n) => [n, out.get(n) as ServiceEntry])), problems };
};
