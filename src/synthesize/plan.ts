// The result of a least-privilege synthesis: a plan of model commands, the workspace after it, and its cost per segment.
import { applyCommand, type Command, describeCommand } from '../model/commands';
import { quotaState } from '../model/quotas';
import type { Level, Rule, Service, Workspace } from '../model/types';

/** Rules and members a synthesized segment carries: what its quotas are charged with. */
export interface SegmentCost {
  segment: string;
  name: string;
  members: number;
  /** Rules owned by the segment (SG: inbound + outbound; policy: ingress + egress entries; others: rules naming it). */
  inbound: number;
  outbound: number;
  /** The quota the figures are checked against (e.g. 60 inbound rules per group), when the level has one. */
  limit?: number;
  state: 'ok' | 'warn' | 'error';
}

export interface LevelSynthesis {
  level: Level;
  /** The plan: segments created, services moved, rules removed and added, in that order. */
  commands: Command[];
  /** The workspace after the plan. */
  workspace: Workspace;
  added: Rule[];
  removed: Rule[];
  segments: SegmentCost[];
  /**
   * What the level can tell apart: `service` levels allow exactly the declared pairs; `segment` levels
   * (VPCs, accounts, roles as callers, networks) allow whole segments, so members share what one needs.
   */
  granularity: 'service' | 'segment';
  notes: string[];
}

/** Apply a plan built step by step, keeping every command (a plan is replayable, undoable data). */
export class PlanBuilder {
  ws: Workspace;
  readonly commands: Command[] = [];
  constructor(ws: Workspace) {
    this.ws = ws;
  }
  run(cmd: Command): void {
    this.ws = applyCommand(this.ws, cmd);
    this.commands.push(cmd);
  }
  /** Remove rules the synthesis replaces (the level's own kinds); returns them, for the plan's `removed`. */
  removeRules<R extends Rule>(rules: readonly R[]): R[] {
    for (const rule of rules) this.run({ type: 'removeRule', rule });
    return [...rules];
  }
  /** Make `target` a service's only segment at a level: one move, then removals of the rest. */
  placeOnly(service: Service, level: Level, target: string): void {
    const current = this.ws.services.find((s) => s.id === service.id)?.memberships[level] ?? [];
    const [first, ...rest] = current;
    if (!current.includes(target)) {
      this.run({ type: 'moveService', service: service.id, level, from: first ?? null, to: target });
      for (const id of rest) this.run({ type: 'moveService', service: service.id, level, from: id, to: null });
    } else {
      for (const id of current)
        if (id !== target) this.run({ type: 'moveService', service: service.id, level, from: id, to: null });
    }
  }
}

export const costState = (used: number, limit: number | undefined): SegmentCost['state'] =>
  limit === undefined ? 'ok' : quotaState(used, limit);

/** One line per command, each described against the workspace it applies to (so created segments have names). */
export const describePlan = (ws: Workspace, commands: readonly Command[]): string[] => {
  let cur = ws;
  return commands.map((c) => {
    const line = describeCommand(cur, c);
    cur = applyCommand(cur, c);
    return line;
  });
};
