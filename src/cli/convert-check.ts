// `segscope convert --check`: read the written files back and say, level by level, whether they allow what the workspace allows.
import { formatDiff } from '../analysis/conndiff';
import { roundTripDiffs } from '../analysis/round-trip';
import { FORMATS } from '../formats/registry';
import type { FormatWriter } from '../formats/types';
import { importFiles } from '../import/index';
import type { FileInput } from '../import/types';
import type { Workspace } from '../model/types';
import type { Io } from './io';

/**
 * Imports `files` (what `writer` wrote for `ws`) and compares the connectivity on every level the
 * format describes, as `segscope diff` compares connection lists. Prints one line per level (the
 * differences under it) and returns the exit status: 0 the same on every level, 1 a level differs or
 * the files do not read back without errors.
 */
export const checkRoundTrip = (ws: Workspace, writer: FormatWriter, files: FileInput[], io: Io): number => {
  const levels = FORMATS.find((f) => f.write === writer)?.levels ?? [];
  const back = importFiles(files);
  const errors = [...back.report.files.flatMap((f) => f.diagnostics), ...back.report.diagnostics].filter(
    (d) => d.severity === 'error',
  );
  for (const d of errors) io.out(`read back: ${d.file}:${d.line}:${d.column}: error: ${d.message}`);
  const differing = new Map(roundTripDiffs(ws, back.workspace, levels).map((x) => [x.level, x.diff]));
  for (const level of levels) {
    const d = differing.get(level);
    if (!d) io.out(`${level}: same connectivity`);
    else
      io.out(
        formatDiff(d)
          .split('\n')
          .map((line) => `${level}: ${line}`)
          .join('\n'),
      );
  }
  const ok = errors.length === 0 && differing.size === 0;
  io.out(
    ok
      ? `check: the ${writer.name} files read back with the same connectivity on ${levels.join(', ')}`
      : `check: the ${writer.name} files do not read back as written${differing.size > 0 ? ` (${[...differing.keys()].join(', ')} differ)` : ''}`,
  );
  return ok ? 0 : 1;
};
