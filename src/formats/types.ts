// What a format is to segscope: how a file of it is recognised and read, and how a workspace is written in it.
import type { ExportResult } from '../export/format';
import type { FormatReader } from '../import/types';
import type { Level, Workspace } from '../model/types';

/** Writing a workspace in a format: files, and notes on what the format could not express. */
export interface FormatWriter {
  /** The name `segscope convert --to` and `npm run gen -- --format` take. */
  name: string;
  /** What the Export menu offers. */
  label: string;
  write(ws: Workspace): ExportResult;
  /** The syntax of the written files (several JSON files print as one JSON object). */
  syntax: 'json' | 'yaml' | 'hcl';
  /** True when segscope reads the written files back (Terraform HCL is written for people, not read). */
  readsBack: boolean;
}

/** One format: one folder under src/formats/ and one line in FORMATS. */
export interface Format extends FormatReader {
  /** How the "format not recognised" message names it. */
  noun: string;
  /** The levels a file of this format can describe. */
  levels: readonly Level[];
  /**
   * Once every file is read and merged: what only the whole workspace can settle (pods read in one
   * file joining the label sets of NetworkPolicies read in another).
   */
  link?(ws: Workspace): Workspace;
  write?: FormatWriter;
  /** Sample files of this format (paths under public/samples/). */
  samples: readonly string[];
  /** What the format carries, in a sentence (menus, help, docs). */
  notes: string;
}
