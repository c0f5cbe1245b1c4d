// Test helpers for exporters: import files, export, import the result again, and compare normalised workspaces.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportResult } from '../export/format';
import { importFiles } from '../import/index';
import type { FileInput } from '../import/types';
import type { Call, Rule, Service, Workspace } from '../model/types';

/** Files of a sample path (a file, or every file of a directory in name order), named by base name. */
export const sampleFiles = (path: string): FileInput[] => {
  const paths = statSync(path).isDirectory()
    ? readdirSync(path)
        .sort()
        .map((f) => join(path, f))
    : [path];
  return paths.map((p) => ({ name: p.split('/').at(-1) as string, text: readFileSync(p, 'utf8') }));
};

export const load = (files: FileInput[]): Workspace => importFiles(files).workspace;

/** Import the exported files again, with every diagnostic of that import. */
export const reimport = (result: ExportResult) => {
  const r = importFiles(result.files);
  return {
    workspace: r.workspace,
    diagnostics: [...r.report.files.flatMap((f) => f.diagnostics), ...r.report.diagnostics],
  };
};

const sortKeys = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
  return out;
};

const byJson = <T>(list: T[]): T[] =>
  list
    .map((x) => JSON.stringify(sortKeys(x)))
    .sort()
    .map((s) => JSON.parse(s) as T);

export interface NormaliseOptions {
  /** Extra keys to leave out of the comparison (those a format cannot carry), or true for all of extra. */
  dropExtra?: string[] | true;
  /** Compare rules without their ids (formats that renumber them). */
  ruleIds?: boolean;
  /** Compare calls without `origin` (formats that write every call the same way). */
  callOrigin?: boolean;
}

/** Services, memberships, calls and rules without source locations, in a canonical order. */
export const normalise = (ws: Workspace, opts: NormaliseOptions = {}) => {
  const services = ws.services.map((s): Partial<Service> => {
    const { source: _s, extra, memberships, ...rest } = s;
    const m: Record<string, string[]> = {};
    for (const [level, ids] of Object.entries(memberships)) m[level] = [...(ids ?? [])].sort();
    const out: Partial<Service> = { ...rest, memberships: m };
    if (rest.addresses) out.addresses = [...rest.addresses].sort();
    if (extra && opts.dropExtra !== true) {
      const kept: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(extra)) if (!opts.dropExtra?.includes(k)) kept[k] = v;
      if (Object.keys(kept).length > 0) out.extra = kept;
    }
    return out;
  });
  const calls = ws.calls.map((c): Partial<Call> => {
    const { source: _s, origin, ...rest } = c;
    return opts.callOrigin === false ? rest : { ...rest, origin };
  });
  const rules = ws.rules.map((r): Partial<Rule> => {
    const { source: _s, id, ...rest } = r;
    return opts.ruleIds === false ? rest : { id, ...rest };
  });
  return { services: byJson(services), calls: byJson(calls), rules: byJson(rules) };
};
