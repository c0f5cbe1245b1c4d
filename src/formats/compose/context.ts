// What every step of reading one Compose file shares, and small readers of its list-or-map values.
import { setOwn } from '../../model/own';
import type { Service, Severity, SourceLocation } from '../../model/types';
import type { Loaded } from './load';

export type Path = (string | number)[];
export type Obj = Record<string, unknown>;

/** Which file format generation: v1 has no networks (one default bridge), the others share semantics. */
export type ComposeFlavor = 'v1' | 'v2' | 'v3' | 'spec';

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Own-property read: names come from the file, and `constructor` or `__proto__` must not reach the prototype. */
export const own = (o: Obj, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

export const scalarText = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** What every step of reading one file shares. */
export interface Ctx {
  file: string;
  project: string;
  flavor: ComposeFlavor;
  loaded: Loaded;
  report(path: Path, message: string, severity?: Severity, onKey?: boolean): void;
  src(path: Path, onKey?: boolean): SourceLocation;
}

export interface Draft {
  name: string;
  path: Path;
  /** The definition after same-file `extends`. */
  def: Obj;
  service: Service;
  /** `network_mode: service:x` — resolved once every other service has its networks. */
  shareWith?: { name: string; path: Path };
}

export const flavorOf = (top: Obj): { flavor: ComposeFlavor; unknownVersion?: string } => {
  const v = scalarText(own(top, 'version'));
  if (v === undefined) return { flavor: Object.hasOwn(top, 'services') ? 'spec' : 'v1' };
  // Version 1 files had no `version` key and no `services` map: a file with `services` that says 1 is
  // read as Compose reads it today, ignoring `version` (compose-spec: "version … is obsolete").
  if (/^1(\.|$)/.test(v)) return isObj(own(top, 'services')) ? { flavor: 'spec', unknownVersion: v } : { flavor: 'v1' };
  if (/^2(\.|$)/.test(v)) return { flavor: 'v2' };
  if (/^3(\.|$)/.test(v)) return { flavor: 'v3' };
  return { flavor: 'spec', unknownVersion: v };
};

/** Entries of a list-or-map key (`environment`, `labels`): `[name, value, path]`. */
export const entriesOf = (v: unknown, path: Path): [string, string | undefined, Path][] => {
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

export const stringMap = (entries: [string, string | undefined, Path][]): Record<string, string> | undefined => {
  if (entries.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of entries) setOwn(out, k, v ?? '');
  return out;
};

/** A problem found by a pure step (inference.ts, definitions.ts), for the reader to report. */
export interface Problem {
  at: Path;
  message: string;
  severity?: Severity;
  onKey?: boolean;
}

export const shapeProblem = (path: Path, what: string): Problem => ({
  at: path,
  message: `${path.join('.')} must be ${what}; ignored`,
  severity: 'error',
  onKey: true,
});

export const reportProblem = (ctx: Ctx, p: Problem) => ctx.report(p.at, p.message, p.severity, p.onKey);

export const wrongShape = (ctx: Ctx, path: Path, what: string) => reportProblem(ctx, shapeProblem(path, what));
