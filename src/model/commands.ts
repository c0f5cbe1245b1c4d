// Edits as typed commands applied by pure functions: the same commands drive undo/redo, the change plan and what-if.

import { ruleText } from './rule-text';
import { type CalicoExpr, parseCalicoSelector } from './selector';
import type { Level, Rule, Segment, Service, Workspace } from './types';

/** Levels where a service belongs to exactly one segment when known (DESIGN.md: account, role, one VPC). */
export const SINGLE_MEMBERSHIP_LEVELS: readonly Level[] = ['account', 'role', 'network'];

export type Command =
  /** Move a service between segments of one level. `from: null` adds a membership, `to: null` removes one. */
  | { type: 'moveService'; service: string; level: Level; from: string | null; to: string | null }
  | { type: 'createSegment'; segment: Segment }
  | { type: 'renameSegment'; segment: string; name: string }
  /** Delete a segment; its members move to `moveMembersTo` (or lose the membership when null). */
  | { type: 'deleteSegment'; segment: string; moveMembersTo: string | null }
  /** Split: a new segment (same level and parent) takes the listed members and a copy of the rules. */
  | { type: 'splitSegment'; segment: string; newSegment: { id: string; name: string }; services: string[] }
  /** Merge `from` into `into`: members move, rules owned by or naming `from` now name `into`. */
  | { type: 'mergeSegments'; from: string; into: string }
  /** Add a rule (an SG permission, a NetworkPolicy, a peering, a grant…) in its level's own terms. */
  | { type: 'addRule'; rule: Rule }
  /** Remove the rule with this id; the rule is kept in the command so the plan can say what went. */
  | { type: 'removeRule'; rule: Rule }
  /** Replace a rule by an edited copy with the same id (widen a policy, narrow a port range). */
  | { type: 'replaceRule'; before: Rule; after: Rule }
  /** Move a service to another host (`to: null`: no known host); `from` is the host it runs on now. */
  | { type: 'placeService'; service: string; from: string | null; to: string | null }
  /** Several edits as one step (a fix, a tightened level, one move of a proposal): one undo takes them all back. */
  | { type: 'applyPlan'; label: string; commands: Command[] };

export type MoveCommand = Extract<Command, { type: 'moveService' }>;

export class CommandError extends Error {}

const segmentOf = (ws: Workspace, id: string): Segment => {
  const seg = ws.segments.find((s) => s.id === id);
  if (!seg) throw new CommandError(`no segment "${id}"`);
  return seg;
};

const ruleAt = (ws: Workspace, id: string): number => {
  const i = ws.rules.findIndex((r) => r.id === id);
  if (i < 0) throw new CommandError(`no rule "${id}"`);
  return i;
};

/** Replace `from` by `to` in one level's list, keeping order; null ends add or remove. */
const swapMembership = (list: readonly string[], from: string | null, to: string | null): string[] => {
  const out = from === null ? [...list] : list.filter((id) => id !== from);
  if (to !== null && !out.includes(to)) {
    const at = from === null ? -1 : list.indexOf(from);
    if (at >= 0 && at <= out.length) out.splice(at, 0, to);
    else out.push(to);
  }
  return out;
};

/** Removing the last membership leaves an empty list: known to be in no segment, unlike "no data". */
const withMembership = (svc: Service, level: Level, list: string[]): Service => {
  if (list.length === 0 && svc.memberships[level] === undefined) return svc;
  return { ...svc, memberships: { ...svc.memberships, [level]: list } };
};

/** The labels a label-set segment's selector requires: matchLabels, or the `==` terms of a Calico selector. */
const selectorLabels = (seg: Segment | undefined): Record<string, string> => {
  if (seg?.attributes?.kind !== 'label-set') return {};
  const sel = seg.attributes.selector;
  if (typeof sel === 'string') {
    const out: Record<string, string> = {};
    const walk = (e: CalicoExpr) => {
      if (e.op === '==') out[e.key] = e.value;
      else if (e.op === 'and') for (const x of e.exprs) walk(x);
    };
    const r = parseCalicoSelector(sel);
    if (r.ok) walk(r.expr);
    return out;
  }
  const ml = sel && typeof sel === 'object' ? (sel as { matchLabels?: unknown }).matchLabels : undefined;
  return ml && typeof ml === 'object'
    ? (Object.fromEntries(Object.entries(ml).filter(([, v]) => typeof v === 'string')) as Record<string, string>)
    : {};
};

/**
 * At the policy level a label set stands for the labels its selector requires, and policies select
 * by labels: joining a set gives the service those labels, leaving one takes away the labels the
 * new set does not also require. So a policy-level move changes what the policies select.
 */
const withPolicyLabels = (ws: Workspace, svc: Service, from: string | null, to: string | null): Service => {
  const seg = (id: string | null) => (id === null ? undefined : ws.segments.find((x) => x.id === id));
  const add = selectorLabels(seg(to));
  const drop = selectorLabels(seg(from));
  if (Object.keys(add).length === 0 && Object.keys(drop).length === 0) return svc;
  const labels = { ...(svc.labels ?? {}) };
  for (const k of Object.keys(drop)) if (!(k in add)) delete labels[k];
  Object.assign(labels, add);
  return { ...svc, labels };
};

const moveService = (ws: Workspace, cmd: MoveCommand): Workspace => {
  const i = ws.services.findIndex((s) => s.id === cmd.service);
  const svc = ws.services[i];
  if (!svc) throw new CommandError(`no service "${cmd.service}"`);
  if (cmd.to !== null && segmentOf(ws, cmd.to).level !== cmd.level) {
    throw new CommandError(`segment "${cmd.to}" is not at level ${cmd.level}`);
  }
  const current = svc.memberships[cmd.level] ?? [];
  if (cmd.from !== null && !current.includes(cmd.from)) {
    throw new CommandError(`service "${cmd.service}" is not in segment "${cmd.from}"`);
  }
  if (cmd.from === null && SINGLE_MEMBERSHIP_LEVELS.includes(cmd.level) && current.length > 0) {
    throw new CommandError(`a service has one ${cmd.level} segment; move it instead of adding one`);
  }
  const services = [...ws.services];
  const moved = withMembership(svc, cmd.level, swapMembership(current, cmd.from, cmd.to));
  services[i] = cmd.level === 'policy' ? withPolicyLabels(ws, moved, cmd.from, cmd.to) : moved;
  return { ...ws, services };
};

const placeService = (ws: Workspace, cmd: Extract<Command, { type: 'placeService' }>): Workspace => {
  const i = ws.services.findIndex((s) => s.id === cmd.service);
  const svc = ws.services[i];
  if (!svc) throw new CommandError(`no service "${cmd.service}"`);
  if ((svc.placement?.host ?? null) !== cmd.from)
    throw new CommandError(`service "${cmd.service}" does not run on host "${cmd.from ?? '—'}"`);
  const { host: _old, ...rest } = svc.placement ?? {};
  const placement = cmd.to === null ? rest : { ...rest, host: cmd.to };
  const services = [...ws.services];
  const { placement: _p, ...bare } = svc;
  services[i] = Object.keys(placement).length > 0 ? { ...bare, placement } : bare;
  return { ...ws, services };
};

/** Rewrite every reference to a segment in the rules that name it (group owner, peers, VPCs). */
const renameInRules = (rules: Rule[], from: string, to: string): Rule[] =>
  rules.map((r) => {
    switch (r.type) {
      case 'sg-permission': {
        const group = r.group === from ? to : r.group;
        const peer = r.peer.kind === 'group' && r.peer.group === from ? { ...r.peer, group: to } : r.peer;
        return group === r.group && peer === r.peer ? r : { ...r, group, peer };
      }
      case 'vpc-peering':
        if (r.requester !== from && r.accepter !== from) return r;
        return {
          ...r,
          requester: r.requester === from ? to : r.requester,
          accepter: r.accepter === from ? to : r.accepter,
        };
      case 'tgw-attachment':
        return r.vpc === from ? { ...r, vpc: to } : r;
      case 'route-table':
      case 'network-acl':
        if (r.vpc !== from && !r.subnets.includes(from)) return r;
        return { ...r, vpc: r.vpc === from ? to : r.vpc, subnets: r.subnets.map((id) => (id === from ? to : id)) };
      case 'role-grant':
        return r.principal === from || r.target === from
          ? { ...r, principal: r.principal === from ? to : r.principal, target: r.target === from ? to : r.target }
          : r;
      case 'role-trust':
        return r.role === from || r.principal === from
          ? { ...r, role: r.role === from ? to : r.role, principal: r.principal === from ? to : r.principal }
          : r;
      default:
        return r;
    }
  });

/** Copies of the rules a group owns, re-owned by `to` (a split keeps the members' access). */
const copyOwnedRules = (rules: Rule[], from: string, to: string): Rule[] =>
  rules.flatMap((r) =>
    r.type === 'sg-permission' && r.group === from
      ? [
          {
            ...r,
            id: `${r.id}@${to}`,
            group: to,
            peer: r.peer.kind === 'group' && r.peer.group === from ? { ...r.peer, group: to } : r.peer,
          },
        ]
      : [],
  );

const replaceInAll = (
  ws: Workspace,
  level: Level,
  from: string,
  to: string | null,
  only?: ReadonlySet<string>,
): Service[] =>
  ws.services.map((s) => {
    const list = s.memberships[level];
    if (!list?.includes(from) || (only && !only.has(s.id))) return s;
    return withMembership(s, level, swapMembership(list, from, to));
  });

export const applyCommand = (ws: Workspace, cmd: Command): Workspace => {
  switch (cmd.type) {
    case 'moveService':
      return moveService(ws, cmd);
    case 'createSegment': {
      if (ws.segments.some((s) => s.id === cmd.segment.id))
        throw new CommandError(`segment "${cmd.segment.id}" exists`);
      if (cmd.segment.parent !== undefined) segmentOf(ws, cmd.segment.parent);
      return { ...ws, segments: [...ws.segments, cmd.segment] };
    }
    case 'renameSegment': {
      segmentOf(ws, cmd.segment);
      if (!cmd.name.trim()) throw new CommandError('a segment needs a name');
      return { ...ws, segments: ws.segments.map((s) => (s.id === cmd.segment ? { ...s, name: cmd.name } : s)) };
    }
    case 'deleteSegment': {
      const seg = segmentOf(ws, cmd.segment);
      if (cmd.moveMembersTo !== null && segmentOf(ws, cmd.moveMembersTo).level !== seg.level) {
        throw new CommandError(`members can only move to a ${seg.level} segment`);
      }
      const segments = ws.segments
        .filter((s) => s.id !== seg.id)
        .map((s) => {
          if (s.parent !== seg.id) return s;
          if (seg.parent !== undefined) return { ...s, parent: seg.parent };
          const { parent: _dropped, ...rest } = s;
          return rest;
        });
      return { ...ws, segments, services: replaceInAll(ws, seg.level, seg.id, cmd.moveMembersTo) };
    }
    case 'splitSegment': {
      const seg = segmentOf(ws, cmd.segment);
      if (ws.segments.some((s) => s.id === cmd.newSegment.id))
        throw new CommandError(`segment "${cmd.newSegment.id}" exists`);
      const created: Segment = { id: cmd.newSegment.id, level: seg.level, name: cmd.newSegment.name };
      if (seg.parent !== undefined) created.parent = seg.parent;
      if (seg.attributes) created.attributes = { ...seg.attributes };
      const next: Workspace = {
        ...ws,
        segments: [...ws.segments, created],
        rules: [...ws.rules, ...copyOwnedRules(ws.rules, seg.id, created.id)],
      };
      return { ...next, services: replaceInAll(next, seg.level, seg.id, created.id, new Set(cmd.services)) };
    }
    case 'addRule':
      if (ws.rules.some((r) => r.id === cmd.rule.id)) throw new CommandError(`rule "${cmd.rule.id}" exists`);
      return { ...ws, rules: [...ws.rules, cmd.rule] };
    case 'removeRule':
      ruleAt(ws, cmd.rule.id);
      return { ...ws, rules: ws.rules.filter((r) => r.id !== cmd.rule.id) };
    case 'replaceRule': {
      if (cmd.before.id !== cmd.after.id) throw new CommandError('a replaced rule keeps its id');
      const i = ruleAt(ws, cmd.before.id);
      const rules = [...ws.rules];
      rules[i] = cmd.after;
      return { ...ws, rules };
    }
    case 'placeService':
      return placeService(ws, cmd);
    case 'applyPlan':
      return cmd.commands.reduce(applyCommand, ws);
    case 'mergeSegments': {
      const from = segmentOf(ws, cmd.from);
      const into = segmentOf(ws, cmd.into);
      if (from.level !== into.level) throw new CommandError('only segments of one level merge');
      const merged = applyCommand(ws, { type: 'deleteSegment', segment: from.id, moveMembersTo: into.id });
      return { ...merged, rules: renameInRules(merged.rules, from.id, into.id) };
    }
  }
};

/** One line for the history panel and the change plan. */
export const describeCommand = (ws: Workspace, cmd: Command): string => {
  const name = (id: string | null) => (id === null ? '—' : (ws.segments.find((s) => s.id === id)?.name ?? id));
  const svc = (id: string) => ws.services.find((s) => s.id === id)?.name ?? id;
  switch (cmd.type) {
    case 'moveService':
      if (cmd.from === null) return `add ${svc(cmd.service)} to ${cmd.level} ${name(cmd.to)}`;
      if (cmd.to === null) return `remove ${svc(cmd.service)} from ${cmd.level} ${name(cmd.from)}`;
      return `move ${svc(cmd.service)} at ${cmd.level}: ${name(cmd.from)} → ${name(cmd.to)}`;
    case 'createSegment':
      return `create ${cmd.segment.level} segment ${cmd.segment.name}`;
    case 'renameSegment':
      return `rename ${name(cmd.segment)} to ${cmd.name}`;
    case 'deleteSegment':
      return `delete ${name(cmd.segment)}${cmd.moveMembersTo ? `, members to ${name(cmd.moveMembersTo)}` : ''}`;
    case 'splitSegment':
      return `split ${name(cmd.segment)}: ${cmd.services.map(svc).join(', ')} to new ${cmd.newSegment.name}`;
    case 'mergeSegments':
      return `merge ${name(cmd.from)} into ${name(cmd.into)}`;
    case 'addRule':
      return `add ${ruleText(ws, cmd.rule)}`;
    case 'removeRule':
      return `remove ${ruleText(ws, cmd.rule)}`;
    case 'replaceRule':
      return `change ${ruleText(ws, cmd.before)} to ${ruleText(ws, cmd.after)}`;
    case 'placeService':
      return cmd.to === null
        ? `take ${svc(cmd.service)} off host ${cmd.from ?? '—'}`
        : `move ${svc(cmd.service)} to host ${cmd.to}${cmd.from === null ? '' : ` (from ${cmd.from})`}`;
    case 'applyPlan':
      return `${cmd.label} (${cmd.commands.length} change${cmd.commands.length === 1 ? '' : 's'})`;
  }
};

/** The single edits a command makes, plans unfolded (what a rule count or a touched-service scan reads). */
export const flattenCommands = (commands: readonly Command[]): Command[] =>
  commands.flatMap((c) => (c.type === 'applyPlan' ? flattenCommands(c.commands) : [c]));
