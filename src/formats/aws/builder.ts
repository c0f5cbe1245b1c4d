// Shared building blocks of the AWS CLI and Terraform readers: ids, stubs, positions and quota counts.

import { looksLikeJson, type ParsedFile } from '../../import/parse';
import { isStub, mergeSegmentFacts } from '../../import/segments';
import { diagnostic, pointer } from '../../import/text';
import type { FileInput, ReadResult } from '../../import/types';
import type { Diagnostic, Rule, Segment, Service, Severity, SgPermissionRule, SourceLocation } from '../../model/types';
import { awsIds, isAccountId } from './conventions';

export type Path = (string | number)[];
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (o: Obj, key: string): string | undefined => {
  const v = o[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};
export const num = (o: Obj, key: string): number | undefined => {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};
export const bool = (o: Obj, key: string): boolean | undefined => {
  const v = o[key];
  return typeof v === 'boolean' ? v : undefined;
};

/** Region from an availability zone (us-east-1a, us-west-2-lax-1a, us-gov-west-1b) or border group. */
export const regionFromZone = (zone: string | undefined): string | undefined =>
  zone ? /^([a-z]{2}(?:-[a-z]+)+-\d+)/.exec(zone)?.[1] : undefined;

/** `arn:partition:service:region:account:resource` → region / account (empty parts are undefined). */
export const arnPart = (arn: string | undefined, part: 'region' | 'account'): string | undefined => {
  if (!arn?.startsWith('arn:')) return undefined;
  const v = arn.split(':')[part === 'region' ? 3 : 4];
  return v ? v : undefined;
};

/** AWS tags come as `[{Key, Value}]` from the CLI and as a map from Terraform. */
export const tagMap = (v: unknown): Record<string, string> | undefined => {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const t of v)
      if (isObj(t) && typeof t.Key === 'string') out[t.Key] = typeof t.Value === 'string' ? t.Value : '';
  } else if (isObj(v)) {
    for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  }
  return Object.keys(out).length > 0 ? out : undefined;
};

/** Parsed input with a position locator, from JSON (as the CLI prints by default) or `--output yaml`. */
export interface ParsedInput {
  value: unknown;
  locate(path: readonly (string | number)[]): { line: number; column: number };
  diagnostics: Diagnostic[];
}

export const parseInput = (file: FileInput, parsed: ParsedFile): ParsedInput => {
  if (looksLikeJson(file.text) || file.text.trim() === '') return parsed.json();
  const y = parsed.yaml();
  const doc = y.docs[0];
  return doc
    ? { value: doc.value, locate: doc.locate, diagnostics: y.diagnostics }
    : { value: undefined, locate: () => ({ line: 1, column: 1 }), diagnostics: y.diagnostics };
};

/**
 * Collects one file's services, segments and rules. Segments known only by reference (an OwnerId, an
 * instance's SubnetId) are stubs (`attributes.stub: true`); a described segment of the same id replaces
 * its stub, and a stub fills in what the description lacks (a VPC's region from an instance's zone).
 */
export class AwsBuilder {
  readonly diagnostics: Diagnostic[] = [];
  /** Instance profile ARN → role segment id, filled from authorization details in the same file. */
  readonly profileRoles = new Map<string, string>();
  private readonly segments = new Map<string, Segment>();
  private readonly services = new Map<string, Service>();
  private readonly rules: Rule[] = [];
  private readonly ruleIds = new Set<string>();

  constructor(
    readonly file: string,
    readonly locate: (path: readonly (string | number)[]) => { line: number; column: number },
  ) {}

  at(path: Path): SourceLocation {
    return { file: this.file, ...this.locate(path) };
  }

  diag(path: Path, message: string, severity: Severity = 'error'): void {
    this.diagnostics.push(diagnostic(this.file, this.locate(path), message, severity, pointer(path)));
  }

  segment(seg: Segment, stub = false): string {
    const incoming = stub ? { ...seg, attributes: { ...(seg.attributes ?? {}), stub: true } } : seg;
    const prev = this.segments.get(seg.id);
    this.segments.set(seg.id, prev ? mergeSegmentFacts(prev, incoming) : incoming);
    return seg.id;
  }

  getSegment(id: string): Segment | undefined {
    return this.segments.get(id);
  }

  /** True when the segment is described in this file (not just referenced). */
  describes(id: string): boolean {
    const s = this.segments.get(id);
    return s !== undefined && !isStub(s);
  }

  service(svc: Service, path: Path): void {
    if (this.services.has(svc.id)) {
      this.diag(path, `${svc.id.slice(4)} is described twice in this file; the first description is kept`, 'warn');
      return;
    }
    this.services.set(svc.id, svc);
  }

  getService(id: string): Service | undefined {
    return this.services.get(id);
  }

  rule(r: Rule, path: Path): void {
    if (this.ruleIds.has(r.id)) {
      this.diag(path, `${r.id} appears twice in this file; the first one is kept`, 'warn');
      return;
    }
    this.ruleIds.add(r.id);
    this.rules.push(r);
  }

  /** Account stub for an OwnerId; the Organizations export names it. Returns the segment id. */
  account(accountId: string | undefined, path: Path): string | undefined {
    if (!isAccountId(accountId)) return undefined;
    // Thousands of resources name the same owner: the first reference is enough.
    if (this.segments.has(awsIds.account(accountId))) return awsIds.account(accountId);
    return this.segment(
      {
        id: awsIds.account(accountId),
        level: 'account',
        name: accountId,
        attributes: { kind: 'account', accountId },
        source: [this.at(path)],
      },
      true,
    );
  }

  /** VPC stub for a VpcId seen on a subnet, group, instance or peering. Returns the segment id. */
  vpc(
    vpcId: string | undefined,
    facts: { accountId?: string | undefined; region?: string | undefined; cidrs?: string[] },
    path: Path,
  ): string | undefined {
    if (!vpcId) return undefined;
    const known = this.segments.get(awsIds.network(vpcId));
    if (
      known &&
      (!facts.region || known.attributes?.region !== undefined) &&
      (!isAccountId(facts.accountId) || known.parent !== undefined) &&
      (!facts.cidrs?.length || (known.cidrs?.length ?? 0) > 0)
    ) {
      return known.id; // nothing new to add
    }
    const parent = this.account(facts.accountId, path);
    const attributes: Record<string, unknown> = { kind: 'vpc', vpcId };
    if (isAccountId(facts.accountId)) attributes.accountId = facts.accountId;
    if (facts.region) attributes.region = facts.region;
    const seg: Segment = {
      id: awsIds.network(vpcId),
      level: 'network',
      name: vpcId,
      attributes,
      source: [this.at(path)],
    };
    if (parent) seg.parent = parent;
    if (facts.cidrs && facts.cidrs.length > 0) seg.cidrs = facts.cidrs;
    return this.segment(seg, true);
  }

  /** The fragment, with each described group's rule counts as AWS counts them (one per peer). */
  finish(): ReadResult {
    const counts = new Map<string, Record<string, number>>();
    for (const r of this.rules) {
      if (r.type !== 'sg-permission') continue;
      const c = counts.get(r.group) ?? {};
      counts.set(r.group, c);
      const dir = r.direction === 'ingress' ? 'inbound' : 'outbound';
      const versions = ipVersions(r);
      c[`${dir}RuleCount`] = (c[`${dir}RuleCount`] ?? 0) + 1;
      if (versions.v4) c[`${dir}RuleCountIpv4`] = (c[`${dir}RuleCountIpv4`] ?? 0) + 1;
      if (versions.v6) c[`${dir}RuleCountIpv6`] = (c[`${dir}RuleCountIpv6`] ?? 0) + 1;
    }
    const segments = [...this.segments.values()].map((s) => {
      if (s.attributes?.kind !== 'security-group' || isStub(s)) return s;
      const c = counts.get(s.id) ?? {};
      const attributes = { ...s.attributes };
      for (const dir of ['inbound', 'outbound']) {
        for (const suffix of ['', 'Ipv4', 'Ipv6'])
          attributes[`${dir}RuleCount${suffix}`] = c[`${dir}RuleCount${suffix}`] ?? 0;
      }
      return { ...s, attributes };
    });
    return {
      fragment: { services: [...this.services.values()], segments, calls: [], rules: this.rules },
      diagnostics: this.diagnostics,
    };
  }
}

/** Which IP-version quota a rule counts against: group and prefix-list references count against both. */
const ipVersions = (r: SgPermissionRule): { v4: boolean; v6: boolean } =>
  r.peer.kind === 'cidr' ? { v4: !r.peer.cidr.includes(':'), v6: r.peer.cidr.includes(':') } : { v4: true, v6: true };

/**
 * Iterate an array-valued key, reporting a wrong shape instead of throwing. Elements that are not
 * objects are reported and skipped.
 */
export const eachObject = (
  b: AwsBuilder,
  value: unknown,
  path: Path,
  what: string,
  visit: (item: Obj, itemPath: Path, index: number) => void,
): void => {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    b.diag(path, `${what}: expected a list, found ${typeof value}; skipped`);
    return;
  }
  value.forEach((item, i) => {
    if (!isObj(item)) {
      b.diag(
        [...path, i],
        `${what}[${i}]: expected an object, found ${Array.isArray(item) ? 'a list' : typeof item}; skipped`,
      );
      return;
    }
    visit(item, [...path, i], i);
  });
};

/** Memberships of one network interface (CLI `Groups`/`SecurityGroups`, Terraform ids): for `extra.interfaces`. */
export interface InterfaceFacts {
  id: string;
  groups: string[];
  subnet?: string;
}
