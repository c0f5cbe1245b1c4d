// Test helper: the findings of one id for a workspace.
import type { Workspace } from '../../model/types';
import { type AnalyzeOptions, analyze } from '../analyze';
import type { Finding, FindingId } from '../types';

export const findingsOf = (w: Workspace, id: FindingId, options: AnalyzeOptions = {}): Finding[] =>
  analyze(w, options).findings.filter((f) => f.id === id);
