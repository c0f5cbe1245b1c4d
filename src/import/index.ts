// The import boundary: detect each file's format by content, read, merge, check references. Never throws.
import { repairReferences } from '../model/references';
import { type Diagnostic, emptyWorkspace, type Workspace } from '../model/types';
import { awsReader } from './aws';
import { calicoReader } from './calico';
import { composeReader } from './compose';
import { parseJson } from './json';
import { k8sReader, linkPolicyMemberships } from './k8s';
import { mergeFragments, type NamedFragment } from './merge';
import { nativeReader } from './native';
import { terraformReader } from './terraform';
import { diagnostic, MAX_IMPORT_BYTES, sizeCheck } from './text';
import type { FileInput, FileReport, FormatReader, ImportReport } from './types';
import { undescribedGroupWarnings } from './undescribed';
import { parseYaml } from './yaml';

/** Every format segscope reads, most specific first. Format modules register here. */
export const READERS: FormatReader[] = [
  nativeReader,
  composeReader,
  calicoReader,
  k8sReader,
  awsReader,
  terraformReader,
];

/** Parse just enough to let readers detect by content: JSON first, then the first YAML document. */
const sniff = (file: FileInput): unknown => {
  const trimmed = file.text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    // Invalid JSON still gets detected from what parsed, so its reader reports the error in context.
    const j = parseJson(file.name, file.text);
    if (j.partial !== undefined) return j.partial;
  }
  try {
    const y = parseYaml(file.name, file.text);
    return y.docs.length > 1 ? y.docs.map((d) => d.value) : y.docs[0]?.value;
  } catch {
    return undefined;
  }
};

export const detectFormat = (file: FileInput, parsed: unknown = sniff(file)): FormatReader | undefined =>
  READERS.find((r) => {
    try {
      return r.detect(file, parsed);
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
    files: files.map((f) => ({
      name: f.name,
      format: 'unknown',
      services: 0,
      segments: 0,
      calls: 0,
      rules: 0,
      diagnostics: [],
    })),
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
  const total = files.reduce((n, f) => n + f.text.length, 0);
  if (total > MAX_IMPORT_BYTES) return tooMuch(files, total);
  const parts: NamedFragment[] = [];
  const reports: FileReport[] = [];
  for (const file of files) {
    const tooBig = sizeCheck(file.name, file.text);
    let format = 'unknown';
    let diagnostics: Diagnostic[] = [];
    if (tooBig) diagnostics = [tooBig];
    else {
      const reader = detectFormat(file);
      if (!reader) {
        diagnostics = [
          diagnostic(
            file.name,
            { line: 1, column: 1 },
            'format not recognised: expected a segscope workspace, Docker Compose, Kubernetes, Calico, AWS CLI or Terraform JSON file',
          ),
        ];
        // Surface the syntax error if the file is not even valid JSON/YAML.
        const t = file.text.trimStart();
        const syntax =
          t.startsWith('{') || t.startsWith('[')
            ? parseJson(file.name, file.text).diagnostics
            : parseYaml(file.name, file.text).diagnostics;
        diagnostics.push(...syntax.filter((d) => d.severity === 'error'));
      } else {
        format = reader.id;
        try {
          const r = reader.read(file);
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
  // Pods read in one file join the policy label sets of another (NetworkPolicies kept apart).
  const { workspace, problems } = repairReferences(linkPolicyMemberships(merged.workspace));
  const diagnostics = [...merged.diagnostics, ...undescribedGroupWarnings(workspace)];
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
