// What every part of the AWS writer shares: the workspace's segments by id, notes, and how ids and owners are found.
import { Notes, type Obj } from '../../export/format';
import type { Segment, Service, Workspace } from '../../model/types';

export type Tags = Record<string, string>;

export const strip = (id: string, prefix: string): string => (id.startsWith(prefix) ? id.slice(prefix.length) : id);
export const attr = (seg: Segment | undefined, key: string): string | undefined => {
  const v = seg?.attributes?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};
export const isStub = (seg: Segment | undefined): boolean => seg?.attributes?.stub === true;
export const isV6 = (cidr: string): boolean => cidr.includes(':');
export const tagList = (tags: Tags | undefined): { Key: string; Value: string }[] | undefined =>
  tags && Object.keys(tags).length > 0 ? Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) : undefined;

/** Copy only the defined values, in the given key order (the CLI prints no nulls). */
export const defined = (entries: [string, unknown][]): Obj => {
  const out: Obj = {};
  for (const [k, v] of entries) if (v !== undefined) out[k] = v;
  return out;
};

/** One EC2 instance or bare network interface as it will be written. */
export interface Workload {
  svc: Service;
  /** Instance id (i-…) or interface id (eni-…). */
  awsId: string;
  eni: boolean;
  tags: Tags;
  interfaces: { id: string; groups: string[]; subnet?: string }[];
  extra: Obj;
}

/** The workspace being written, its segments by id, and the notes of the whole export. */
export class AwsWriter {
  readonly notes = new Notes();
  readonly seg: Map<string, Segment>;
  /** Instance profile of each role, built when first needed. */
  profiles?: Map<string, Segment>;
  /** Role id → ARN of an instance profile made up for it (instances need one to run as the role). */
  readonly madeProfiles = new Map<string, string>();

  constructor(readonly ws: Workspace) {
    this.seg = new Map(ws.segments.map((s) => [s.id, s]));
  }

  groupId(segId: string): string {
    return attr(this.seg.get(segId), 'groupId') ?? strip(segId, 'group:');
  }

  networkId(segId: string, key: 'vpcId' | 'subnetId'): string {
    return attr(this.seg.get(segId), key) ?? strip(segId, 'network:');
  }

  /** The VPC segment a network segment is or belongs to. */
  vpcOf(segId: string | undefined): string | undefined {
    for (let id = segId, hops = 0; id !== undefined && hops < 8; hops++) {
      const s = this.seg.get(id);
      if (!s) return id.startsWith('network:vpc-') ? id : undefined;
      if (s.attributes?.kind === 'vpc') return s.id;
      id = attr(s, 'vpc') ?? s.parent;
    }
    return undefined;
  }

  accountOf(seg: Segment | undefined): string | undefined {
    const own = attr(seg, 'accountId') ?? attr(seg, 'ownerId');
    if (own) return own;
    const parent = seg?.parent ? this.seg.get(seg.parent) : undefined;
    return parent?.attributes?.kind === 'account' ? attr(parent, 'accountId') : undefined;
  }
}
