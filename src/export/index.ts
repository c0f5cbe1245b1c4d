// The export registry: every output format, model → files in that format plus notes on what it could not express.
import type { Workspace } from '../model/types';
import { exportAwsSg } from './aws-sg';
import { exportCalico } from './calico';
import { exportCompose } from './compose';
import type { ExportResult } from './format';
import { exportK8s } from './k8s';
import { toNative } from './native';
import { exportTerraform } from './terraform';

export type { ExportedFile, ExportResult } from './format';

export const EXPORT_FORMATS = ['native', 'compose', 'k8s', 'calico', 'aws-sg', 'terraform'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The native workspace file, named after the workspace when it has a name. */
const exportNative = (ws: Workspace): ExportResult => {
  const stem = (ws.name ?? 'workspace').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'workspace';
  return { files: [{ name: `${stem}.segscope.json`, text: toNative(ws) }], notes: [] };
};

export const EXPORTERS: Record<ExportFormat, (ws: Workspace) => ExportResult> = {
  native: exportNative,
  compose: exportCompose,
  k8s: exportK8s,
  calico: exportCalico,
  'aws-sg': exportAwsSg,
  terraform: exportTerraform,
};

export const isExportFormat = (s: string): s is ExportFormat => (EXPORT_FORMATS as readonly string[]).includes(s);
