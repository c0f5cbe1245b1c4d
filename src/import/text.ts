// Text positions: byte offsets to 1-based line/column, and the input size limits.
import type { Diagnostic, Severity } from '../model/types';

/** Files above this size are refused with a diagnostic rather than freezing the page. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** All files of one import together: reading takes up to ~25× their size in memory (README, Limits). */
export const MAX_IMPORT_BYTES = 128 * 1024 * 1024;

export type Locator = (offset: number) => { line: number; column: number };

/** Build an offset → {line, column} function for a text (binary search over line starts). */
export const lineLocator = (text: string): Locator => {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  };
};

export const diagnostic = (
  file: string,
  pos: { line: number; column: number },
  message: string,
  severity: Severity = 'error',
  path?: string,
): Diagnostic => (path === undefined ? { file, ...pos, severity, message } : { file, ...pos, severity, message, path });

/** A diagnostic when the file is too large to read safely, else undefined (`size`: of a file left unread). */
export const sizeCheck = (name: string, text: string, size = text.length): Diagnostic | undefined =>
  size > MAX_FILE_BYTES
    ? diagnostic(
        name,
        { line: 1, column: 1 },
        `file is ${(size / 1048576).toFixed(1)} MiB; the limit is ${MAX_FILE_BYTES / 1048576} MiB`,
      )
    : undefined;

/**
 * Which files of one import to read, from their sizes before reading: none over the file limit, and
 * none at all when the others together pass the import limit (the import refuses them all anyway).
 */
export const readableSizes = (sizes: readonly number[]): boolean[] => {
  const fits = importBytes(sizes) <= MAX_IMPORT_BYTES;
  return sizes.map((s) => fits && s <= MAX_FILE_BYTES);
};

/** What counts against the import limit: the files within the file limit (the others are refused alone). */
export const importBytes = (sizes: readonly number[]): number =>
  sizes.reduce((n, s) => (s <= MAX_FILE_BYTES ? n + s : n), 0);

/** JSON-pointer-like path for messages: ["services", 3, "name"] → "/services/3/name". */
export const pointer = (path: readonly (string | number)[]): string =>
  path.length === 0 ? '/' : path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
