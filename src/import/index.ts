// The import boundary: detect each file's format by content, read, merge, check references. Never throws.

import { multiNetworkAddressWarnings, unlabelledNamespaceWarnings } from '../formats/k8s/link';
import { FORMATS, formatNouns } from '../formats/registry';
import type { Format } from '../formats/types';
import { repairReferences } from '../model/references';
import { type Diagnostic, emptyWorkspace, type Workspace } from '../model/types';
import { mergeFragments, type NamedFragment } from './merge';
import { looksLikeJson, type ParsedFile, parseFile } from './parse';
import { diagnostic, importBytes, MAX_IMPORT_BYTES, sizeCheck } from './text';
import { type FileInput, type FileReport, type ImportReport, unreadFileReport } from './types';
import { undescribedGroupWarnings } from './undescribed';

/**
 * The first format that claims the file by content, from the JSON or YAML value the file's one
 * parse gives (a file with no value, e.g. a refused alias bomb, is not parsed again for it).
 */
export const detectFormat = (file: FileInput, parsed: ParsedFile = parseFile(file)): Format | undefined =>
  FORMATS.find((f) => {
    try {
      return f.detect(file, parsed.value);
    } catch {
      return false;
    }
  });

export interface ImportResult {
  workspace: Workspace;
  report: ImportReport;
}

/** Refuse an import whose files together pass the limit, before any of them is parsed. */
const tooMuch = (files: FileInput[], total: number): ImportResult => ({
  workspace: emptyWorkspace(),
  report: {
    files: files.map((f) => unreadFileReport(f.name)),
    diagnostics: [
      diagnostic(
        files[0]?.name ?? '(input)',
        { line: 1, column: 1 },
        `these ${files.length} files are ${(total / 1048576).toFixed(1)} MiB together; one import reads at most ${MAX_IMPORT_BYTES / 1048576} MiB (open fewer at a time)`,
      ),
    ],
    failed: true,
  },
});

/** Read and merge files into one new workspace. Diagnostics say what was skipped and where. */
export const importFiles = (files: FileInput[]): ImportResult => {
  // A file over the file limit is refused below on its own, so the others can still load.
  const total = importBytes(files.map((f) => f.unreadBytes ?? f.text.length));
  if (total > MAX_IMPORT_BYTES) return tooMuch(files, total);
  const parts: NamedFragment[] = [];
  const reports: FileReport[] = [];
  for (const file of files) {
    const tooBig = sizeCheck(file.name, file.text, file.unreadBytes);
    let format = 'unknown';
    let diagnostics: Diagnostic[] = [];
    if (tooBig) diagnostics = [tooBig];
    else {
      const parsed = parseFile(file);
      const reader = detectFormat(file, parsed);
      if (!reader) {
        // A syntax error or a refused document comes first: it is why nothing could be recognised.
        const syntax = looksLikeJson(file.text) ? parsed.json().diagnostics : parsed.yaml().diagnostics;
        diagnostics = [
          ...syntax.filter((d) => d.severity === 'error'),
          diagnostic(file.name, { line: 1, column: 1 }, `format not recognised: expected ${formatNouns()} file`),
        ];
      } else {
        format = reader.id;
        try {
          const r = reader.read(file, parsed);
          diagnostics = r.diagnostics;
          parts.push({ file: file.name, format, fragment: r.fragment });
        } catch (e) {
          diagnostics = [
            diagnostic(
              file.name,
              { line: 1, column: 1 },
              `could not read this ${reader.label} file: ${(e as Error).message}`,
            ),
          ];
        }
      }
    }
    const part = parts.find((p) => p.file === file.name);
    reports.push({
      name: file.name,
      format,
      services: part?.fragment.services.length ?? 0,
      segments: part?.fragment.segments.length ?? 0,
      calls: part?.fragment.calls.length ?? 0,
      rules: part?.fragment.rules.length ?? 0,
      diagnostics,
    });
  }
  const merged = mergeFragments(parts);
  // What only the whole workspace settles (pods of one file joining the label sets of another's policies).
  const linked = FORMATS.reduce((ws, f) => (f.link ? f.link(ws) : ws), merged.workspace);
  const { workspace, problems } = repairReferences(linked);
  const diagnostics = [
    ...merged.diagnostics,
    ...undescribedGroupWarnings(workspace),
    ...unlabelledNamespaceWarnings(workspace),
    ...multiNetworkAddressWarnings(workspace),
  ];
  // A single native file already reported its own reference problems with exact positions.
  const alreadyReported = parts.length === 1 && parts[0]?.format === 'native';
  for (const p of alreadyReported ? [] : problems) {
    const [coll, index] = p.path as [string, number];
    const item =
      (workspace as unknown as Record<string, { source?: unknown }[]>)[coll]?.[index] ??
      (merged.workspace as unknown as Record<string, { source?: unknown }[]>)[coll]?.[index];
    const src = item?.source;
    const at = (Array.isArray(src) ? src[0] : src) as { file: string; line: number; column: number } | undefined;
    diagnostics.push(diagnostic(at?.file ?? parts[0]?.file ?? '(workspace)', at ?? { line: 1, column: 1 }, p.message));
  }
  // Nothing usable: no file was read, or every file read came back empty with errors.
  const failed =
    parts.length === 0 ||
    (parts.every((p) => p.fragment.services.length === 0 && p.fragment.segments.length === 0) &&
      reports.every((r) => r.diagnostics.some((d) => d.severity === 'error')));
  return { workspace, report: { files: reports, diagnostics, failed } };
};
