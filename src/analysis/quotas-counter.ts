// What every family of quota counts shares: subject ids that are not segments or services, and the counter.
import type { QuotaDefinition } from '../model/quotas';
import type { Level, Segment } from '../model/types';
import type { AnalysisIndex } from './context';
import type { QuotaUse } from './types';

/** Subject ids that are not segments or services. */
export const subjectIds = {
  region: (account: string, region: string) => `region:${account}/${region}`,
  host: (host: string) => `host:${host}`,
  project: (project: string) => `project:${project}`,
  node: (host: string) => `node:${host}`,
  cluster: (id: string) => `cluster:${id}`,
  workspace: 'workspace',
};

export const isPod = (ix: AnalysisIndex, i: number): boolean => ix.levels.policy.endpoint(i).pod;

/** What every family of quotas counts with: the index, the subject filter, the profile, the segments. */
export interface Counter {
  ix: AnalysisIndex;
  want: (id: string) => boolean;
  use(
    quota: string,
    kind: QuotaUse['subject']['kind'],
    id: string,
    used: number,
    level?: Level,
    limitOverride?: number,
    label?: string,
  ): void;
  profile: Map<string, QuotaDefinition>;
  segs: readonly Segment[];
  byKind(kind: string): readonly Segment[];
  /** The services a subject set names (absent: every service). */
  serviceIndices?: readonly number[];
}
