// One parse per file: detection and the reader share the JSON or YAML the import boundary parsed.
import { type ParsedJson, parseJson } from './json';
import type { FileInput } from './types';
import { type ParsedYaml, parseYaml } from './yaml';

/** A file's text parsed at most once as JSON and at most once as YAML, each when first asked for. */
export interface ParsedFile {
  json(): ParsedJson;
  yaml(): ParsedYaml;
  /**
   * What detection looks at: the JSON value (or what parsed of invalid JSON) for text that starts
   * like JSON, else the first YAML document (all of them, as a list, when there are several).
   */
  readonly value: unknown;
}

export const looksLikeJson = (text: string): boolean => {
  const t = text.trimStart();
  return t.startsWith('{') || t.startsWith('[');
};

export const parseFile = (file: FileInput): ParsedFile => {
  let json: ParsedJson | undefined;
  let yaml: ParsedYaml | undefined;
  let value: { v: unknown } | undefined;
  const parsed: ParsedFile = {
    json: () => {
      json ??= parseJson(file.name, file.text);
      return json;
    },
    yaml: () => {
      yaml ??= parseYaml(file.name, file.text);
      return yaml;
    },
    get value() {
      value ??= { v: sniff(file, parsed) };
      return value.v;
    },
  };
  return parsed;
};

const sniff = (file: FileInput, parsed: ParsedFile): unknown => {
  // Invalid JSON still gets detected from what parsed, so its reader reports the error in context.
  if (looksLikeJson(file.text)) {
    const partial = parsed.json().partial;
    if (partial !== undefined) return partial;
  }
  try {
    const docs = parsed.yaml().docs;
    return docs.length > 1 ? docs.map((d) => d.value) : docs[0]?.value;
  } catch {
    return undefined;
  }
};
