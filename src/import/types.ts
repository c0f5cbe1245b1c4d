// The import boundary's types: files in, a workspace fragment and diagnostics out.
import type { Call, Diagnostic, Rule, Segment, Service, SourceFile } from '../model/types';
import type { ParsedFile } from './parse';

export interface FileInput {
  name: string;
  text: string;
  /**
   * The size in bytes of a file left unread because it passes a size limit (the page and the CLI
   * look at the size before reading, so a 2 GB file never becomes a string); its text is empty.
   */
  unreadBytes?: number;
  /**
   * The content not read yet (a picked or dropped `File`, a fetched sample): the page sends it to the
   * engine worker as is — a Blob crosses threads by reference, where a string is copied in the page's
   * task — and the worker reads it (src/worker/inputs.ts); its text is empty until then.
   */
  blob?: Blob;
}

/** What one file contributes; merged with the other files' fragments into one workspace. */
export interface Fragment {
  services: Service[];
  segments: Segment[];
  calls: Call[];
  rules: Rule[];
  quotas?: Record<string, number>;
  /** Workspace-level fields a native file carries (name, extra keys) that merging keeps. */
  top?: Record<string, unknown>;
}

export interface ReadResult {
  fragment: Fragment;
  diagnostics: Diagnostic[];
}

/** One input format: content detection plus a reader that never throws. */
export interface FormatReader {
  id: string;
  label: string;
  /** Decide by content (parsed value when the text parsed as JSON or YAML), not only by name. */
  detect(file: FileInput, parsed: unknown): boolean;
  /** Read a file; `parsed` is what detection already parsed (made when not given). */
  read(file: FileInput, parsed?: ParsedFile): ReadResult;
}

export interface FileReport {
  name: string;
  format: string;
  services: number;
  segments: number;
  calls: number;
  rules: number;
  diagnostics: Diagnostic[];
}

/** The report of a file nothing was read from (refused, failed or cancelled before reading). */
export const unreadFileReport = (name: string): FileReport => ({
  name,
  format: 'unknown',
  services: 0,
  segments: 0,
  calls: 0,
  rules: 0,
  diagnostics: [],
});

export interface ImportReport {
  files: FileReport[];
  /** Diagnostics of merging across files (conflicts, dangling references). */
  diagnostics: Diagnostic[];
  /** True when nothing at all could be read; the caller keeps its previous workspace. */
  failed: boolean;
}

export const emptyFragment = (): Fragment => ({ services: [], segments: [], calls: [], rules: [] });

export type { SourceFile };
