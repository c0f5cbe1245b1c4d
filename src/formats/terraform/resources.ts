// Resources of a Terraform state: `terraform show -json` modules and raw v4 state instances, as one list.
import { type AwsBuilder, arnPart, isObj, type Obj, type Path, str } from '../aws/builder';

export interface Resource {
  address: string;
  type: string;
  mode: string;
  values: Obj;
  /** Path of the `values` (or v4 `attributes`) object. */
  path: Path;
}

/** The resource's id (or its `fallback` attribute); without one (planned, not yet created) a warning where it stands. */
export const createdId = (b: AwsBuilder, r: Resource, fallback?: string): string | undefined => {
  const id = str(r.values, 'id') ?? (fallback ? str(r.values, fallback) : undefined);
  if (!id) b.diag(r.path, `${r.address}: no id (not yet created?); skipped`, 'warn');
  return id;
};

/** The `value` attribute of resources by their `key` attribute, in order (a resource without either is left out). */
export const valuesBy = (rs: readonly Resource[], key: string, value: string): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (const r of rs) {
    const k = str(r.values, key);
    const v = str(r.values, value);
    if (k && v) out.set(k, [...(out.get(k) ?? []), v]);
  }
  return out;
};

/** The account (`owner_id`, else the ARN's) and the region (the ARN's) a resource lives in. */
export const ownerAndRegion = (v: Obj): { accountId: string | undefined; region: string | undefined } => {
  const arn = str(v, 'arn');
  return { accountId: str(v, 'owner_id') ?? arnPart(arn, 'account'), region: arnPart(arn, 'region') };
};

/** Resources of `values.root_module` and its child modules, recursively. */
export const moduleResources = (b: AwsBuilder, mod: unknown, path: Path, out: Resource[]): void => {
  if (!isObj(mod)) return;
  if (mod.resources !== undefined && !Array.isArray(mod.resources))
    b.diag([...path, 'resources'], 'resources: expected a list');
  (Array.isArray(mod.resources) ? mod.resources : []).forEach((r, i) => {
    const rp = [...path, 'resources', i];
    if (!isObj(r) || typeof r.type !== 'string') {
      b.diag(rp, 'resource without a type; skipped');
      return;
    }
    if (!isObj(r.values)) {
      b.diag(rp, `${String(r.address ?? r.type)}: resource without values; skipped`, 'warn');
      return;
    }
    out.push({
      address: str(r, 'address') ?? `${r.type}.${String(r.name)}`,
      type: r.type,
      mode: str(r, 'mode') ?? 'managed',
      values: r.values,
      path: [...rp, 'values'],
    });
  });
  if (Array.isArray(mod.child_modules)) {
    mod.child_modules.forEach((c, i) => {
      moduleResources(b, c, [...path, 'child_modules', i], out);
    });
  }
};

/** Raw state files (version 4) hold the same attributes under resources[].instances[]. */
export const stateResources = (b: AwsBuilder, state: Obj, out: Resource[]): void => {
  (state.resources as unknown[]).forEach((r, i) => {
    const rp: Path = ['resources', i];
    if (!isObj(r) || typeof r.type !== 'string' || !Array.isArray(r.instances)) {
      b.diag(rp, 'resource without type or instances; skipped');
      return;
    }
    const mode = str(r, 'mode') ?? 'managed';
    const base = `${str(r, 'module') ? `${str(r, 'module')}.` : ''}${mode === 'data' ? 'data.' : ''}${r.type}.${String(r.name)}`;
    r.instances.forEach((inst, k) => {
      if (!isObj(inst) || !isObj(inst.attributes)) {
        b.diag([...rp, 'instances', k], 'instance without attributes; skipped');
        return;
      }
      const key = inst.index_key;
      out.push({
        address: key === undefined ? base : `${base}[${JSON.stringify(key)}]`,
        type: r.type as string,
        mode,
        values: inst.attributes,
        path: [...rp, 'instances', k, 'attributes'],
      });
    });
  });
};

export const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
