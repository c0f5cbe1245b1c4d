// One Compose service from its definition: ports, labels, profiles, replicas, networks and the keys kept in extra.
import { setOwn } from '../../model/own';
import { guessKind } from '../kinds';
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
import { serviceId } from './conventions';
import { type Networks, readMemberships } from './networks';
import { readPorts } from './ports';

/** Service keys the model carries verbatim; everything else is kept in `extra`. */
const MODELLED_SERVICE_KEYS = new Set(['labels', 'profiles']);

/** One service from its definition; memberships of `network_mode: service:x` come later. */
export const readService = (
  ctx: Ctx,
  nets: Networks,
  name: string,
  entry: { raw: Obj; def: Obj; path: Path },
): Draft => {
  const { raw, def, path } = entry;
  const d: Draft = {
    name,
    path,
    def,
    service: { id: serviceId(ctx.project, name), name, kind: 'service', memberships: {} },
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
