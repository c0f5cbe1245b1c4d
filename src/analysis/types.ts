// The analysis contract: per-level verdicts with the deciding rule, findings, quota use and hubs.
import type { Level, Protocol, RuleType, Severity, SourceLocation } from '../model/types';

/** allow: the level permits; deny: it blocks; open: it has no data for the pair, so it does not restrict. */
export type Verdict = 'allow' | 'deny' | 'open';

/** The rule (or default) that decided a level's verdict, with where it is written. */
export interface RuleRef {
  /** Rule id, segment id for membership-based decisions, or a `default:…` id for built-in defaults. */
  id: string;
  type: RuleType | 'membership' | 'default';
  /** One line a person reads: "sg-db ingress tcp 5432 from sg-app". */
  summary: string;
  source?: SourceLocation;
}

export interface LevelVerdict {
  verdict: Verdict;
  /** Why, in a sentence. */
  reason: string;
  rule?: RuleRef;
  /** When the level denies: the change that would allow the pair, e.g. "add ingress tcp 5432 from sg-app to sg-db". */
  fix?: string;
  /** When the level allows by rules (group, policy): every rule id that allows the asked connection. */
  allowing?: string[];
}

export interface PairVerdict {
  from: string;
  to: string;
  port?: number;
  protocol?: Protocol;
  /** True unless some level denies. */
  reachable: boolean;
  levels: Record<Level, LevelVerdict>;
  /** The connections every level lets through together ("all" or ["TCP 8080", "UDP 53"]); [] when none. */
  connections?: 'all' | string[];
}

export type CallClass = 'allowed' | 'broken';

export interface CallVerdict {
  /** Index into workspace.calls. */
  index: number;
  from: string;
  to: string;
  port?: number;
  class: CallClass;
  /** Levels that deny, coarse to fine. */
  deniedBy: Level[];
  verdict: PairVerdict;
}

/** A call's class without its per-level detail: what the app's main thread keeps for every call. */
export type CallSummary = Omit<CallVerdict, 'verdict'>;

export const FINDING_IDS = [
  'broken-call',
  'excess-reach',
  'quota',
  'hub',
  'sg-abuse',
  'vpc-abuse',
  'single-mechanism',
  'inconsistent-levels',
  'shared-failure-domain',
  'exposed-colocated',
  'default-allow',
] as const;
export type FindingId = (typeof FINDING_IDS)[number];

export interface Finding {
  /** The finding type, e.g. 'broken-call'. */
  id: FindingId;
  /** Unique and stable for this instance (used for diffing findings before/after a move). */
  key: string;
  severity: Severity;
  level?: Level;
  services: string[];
  segments: string[];
  /** Why, in a sentence a reviewer understands. */
  message: string;
  /** A suggested fix, e.g. the rule to add. */
  fix?: string;
  rule?: RuleRef;
  figures?: { used: number; limit: number; quota: string };
  /** A count the finding is about (excess-reach: reachable pairs never called). */
  count?: number;
}

export interface QuotaUse {
  /** Quota id from model/quotas.ts. */
  quota: string;
  label: string;
  level?: Level;
  subject: { kind: 'segment' | 'service' | 'workspace'; id: string };
  used: number;
  limit: number;
  state: 'ok' | 'warn' | 'error';
}

export interface Hub {
  service: string;
  /** Distinct calling services (in-degree). */
  callers: number;
  /** callers / (services − 1). */
  share: number;
  /** Normalised betweenness centrality on the call graph. */
  betweenness: number;
  /** Rules the hub's segments carry because of its callers (e.g. ingress rules on its groups). */
  ruleCost: number;
}

/** A security group many other groups name in their rules: a hub of the group level, calls or not. */
export interface GroupHub {
  /** Segment id of the group. */
  group: string;
  /** Distinct other groups with a rule naming it. */
  references: number;
  /** references / (groups − 1). */
  share: number;
  /** Rules naming it, over every referencing group: each costs a rule slot of that group's quota. */
  ruleCost: number;
  /** The referencing groups' segment ids, sorted. */
  referencedBy: string[];
}

export interface Analysis {
  calls: CallVerdict[];
  findings: Finding[];
  quotas: QuotaUse[];
  hubs: Hub[];
  groupHubs: GroupHub[];
  /** Pairs reachable but never called, aggregated by segment where lists would be N². */
  excess: { from: string; to: string; count?: number }[];
  /** How `excess` is keyed: service ids, or segment ids of `excessLevel` with pair counts. */
  excessMode?: 'service' | 'segment';
  excessLevel?: Level;
  /** Services imported with a public address that the loaded routes keep off the internet, with why. */
  unexposed?: Unexposed[];
}

/** A service with a public address that is not reachable from the internet (a private subnet, a VPC without a gateway). */
export interface Unexposed {
  service: string;
  reason: string;
  source?: SourceLocation;
}

/**
 * The analysis as the app's main thread holds it: every call summarised, its per-level verdicts
 * asked for when a call is shown (they are most of the analysis's size: 15 MB of 19 MB at 5,000
 * services, and the thread that receives them pays for copying them in).
 */
export interface AnalysisSummary extends Omit<Analysis, 'calls'> {
  calls: CallSummary[];
}
