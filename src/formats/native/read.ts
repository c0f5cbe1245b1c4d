// Reader for the native workspace format (`"segscope": 1` JSON): schema-checked item by item.
import type { z } from 'zod';
import { type ParsedFile, parseFile } from '../../import/parse';
import { diagnostic, pointer } from '../../import/text';
import { emptyFragment, type FileInput, type FormatReader, type ReadResult } from '../../import/types';
import { setOwn } from '../../model/own';
import { repairReferences } from '../../model/references';
import { callSchema, ruleSchema, segmentSchema, serviceSchema, workspaceShape } from '../../model/schema';
import type { Call, Diagnostic, Rule, Segment, Service } from '../../model/types';

const issueText = (issue: z.core.$ZodIssue): string => {
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
};

const read = (file: FileInput, source: ParsedFile = parseFile(file)): ReadResult => {
  const fragment = emptyFragment();
  const parsed = source.json();
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  if (parsed.value === undefined) return { fragment, diagnostics };
  const top = workspaceShape.safeParse(parsed.value);
  const ws: Record<string, unknown> = {};
  const wrong = new Set(top.success ? [] : top.error.issues.map((i) => String(i.path[0] ?? '')));
  for (const [k, v] of Object.entries(parsed.value as Record<string, unknown>)) if (!wrong.has(k)) setOwn(ws, k, v);
  for (const issue of top.success ? [] : top.error.issues) {
    const path = issue.path as (string | number)[];
    const key = String(path[0] ?? '');
    // Not version 1 (or not an object): nothing here can be trusted. A wrong top-level field costs that field only.
    const fatal = key === '' || key === 'segscope';
    const what = fatal ? 'not a segscope workspace' : `"${key}" ignored`;
    diagnostics.push(
      diagnostic(file.name, parsed.locate(path), `${what}: ${issueText(issue)}`, 'error', pointer(path)),
    );
    if (fatal) return { fragment, diagnostics };
  }

  /** Validate each item; report and drop the invalid ones, keep the rest as parsed (unknown keys intact). */
  const origin: Record<string, number[]> = {};
  const items = <T>(key: string, schema: z.ZodType): T[] => {
    const list = Array.isArray(ws[key]) ? (ws[key] as unknown[]) : [];
    const ok: T[] = [];
    origin[key] = [];
    list.forEach((item, i) => {
      const r = schema.safeParse(item);
      if (r.success) {
        ok.push(item as T);
        origin[key]?.push(i);
        return;
      }
      const first = r.error.issues[0] as z.core.$ZodIssue;
      const path = [key, i, ...(first.path as (string | number)[])];
      diagnostics.push(
        diagnostic(file.name, parsed.locate(path), `${key}[${i}] skipped: ${issueText(first)}`, 'error', pointer(path)),
      );
    });
    return ok;
  };
  fragment.services = items<Service>('services', serviceSchema);
  fragment.segments = items<Segment>('segments', segmentSchema);
  fragment.calls = items<Call>('calls', callSchema);
  fragment.rules = items<Rule>('rules', ruleSchema);
  // Dangling references are reported here, where the exact line is known; the merge drops them.
  const { problems } = repairReferences({ segscope: 1, ...fragment });
  for (const p of problems) {
    const [key, index, ...rest] = p.path as [string, number, ...(string | number)[]];
    const path = [key, origin[key]?.[index] ?? index, ...rest];
    diagnostics.push(diagnostic(file.name, parsed.locate(path), p.message, 'error', pointer(path)));
  }
  if (ws.quotas && typeof ws.quotas === 'object') fragment.quotas = ws.quotas as Record<string, number>;
  const rest: Record<string, unknown> = {};
  // Modelled keys keep a null placeholder so the merge can rebuild the file's exact key order.
  for (const [k, v] of Object.entries(ws)) {
    setOwn(rest, k, ['services', 'segments', 'calls', 'rules', 'quotas'].includes(k) ? null : v);
  }
  fragment.top = rest;
  return { fragment, diagnostics };
};

export const nativeReader: FormatReader = {
  id: 'native',
  label: 'segscope workspace',
  detect: (_file, parsed) =>
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && 'segscope' in parsed,
  read,
};
