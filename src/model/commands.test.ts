import { describe, expect, it } from 'vitest';
import { applyCommand, type Command, CommandError, describeCommand, flattenCommands } from './commands';
import type { Rule, Workspace } from './types';

const rule = (id: string, group: string, peer: string): Rule => ({
  id,
  type: 'sg-permission',
  level: 'group',
  group,
  direction: 'ingress',
  protocol: 'tcp',
  fromPort: 5432,
  toPort: 5432,
  peer: { kind: 'group', group: peer },
});

const ws = (): Workspace => ({
  segscope: 1,
  segments: [
    { id: 'net:vpc', level: 'network', name: 'vpc' },
    { id: 'sg:a', level: 'group', name: 'sg-a', parent: 'net:vpc' },
    { id: 'sg:b', level: 'group', name: 'sg-b', parent: 'net:vpc' },
    { id: 'net:sub', level: 'network', name: 'sub', parent: 'net:vpc' },
  ],
  services: [
    { id: 'x', name: 'x', kind: 'service', memberships: { group: ['sg:a'], network: ['net:sub'] } },
    { id: 'y', name: 'y', kind: 'service', memberships: { group: ['sg:a', 'sg:b'] } },
  ],
  calls: [],
  rules: [rule('r1', 'sg:b', 'sg:a'), rule('r2', 'sg:a', 'sg:a')],
});

const groups = (w: Workspace) => Object.fromEntries(w.services.map((s) => [s.id, s.memberships.group]));

describe('commands', () => {
  it.each<[string, Command, Record<string, string[] | undefined>]>([
    [
      'move replaces in place',
      { type: 'moveService', service: 'y', level: 'group', from: 'sg:a', to: 'sg:b' },
      { x: ['sg:a'], y: ['sg:b'] },
    ],
    [
      'move keeps order',
      { type: 'moveService', service: 'x', level: 'group', from: 'sg:a', to: 'sg:b' },
      { x: ['sg:b'], y: ['sg:a', 'sg:b'] },
    ],
    [
      'add appends (Shift-drag)',
      { type: 'moveService', service: 'x', level: 'group', from: null, to: 'sg:b' },
      { x: ['sg:a', 'sg:b'], y: ['sg:a', 'sg:b'] },
    ],
    [
      'remove drops one',
      { type: 'moveService', service: 'y', level: 'group', from: 'sg:b', to: null },
      { x: ['sg:a'], y: ['sg:a'] },
    ],
    [
      'delete moves members',
      { type: 'deleteSegment', segment: 'sg:a', moveMembersTo: 'sg:b' },
      { x: ['sg:b'], y: ['sg:b'] },
    ],
    [
      'delete without target drops membership',
      { type: 'deleteSegment', segment: 'sg:b', moveMembersTo: null },
      { x: ['sg:a'], y: ['sg:a'] },
    ],
    ['merge moves members', { type: 'mergeSegments', from: 'sg:b', into: 'sg:a' }, { x: ['sg:a'], y: ['sg:a'] }],
  ])('%s', (_name, cmd, expected) => {
    const before = ws();
    const after = applyCommand(before, cmd);
    expect(groups(after)).toEqual(expected);
    expect(groups(before)).toEqual({ x: ['sg:a'], y: ['sg:a', 'sg:b'] }); // pure: input untouched
  });

  it('shares unchanged objects (cheap undo snapshots)', () => {
    const before = ws();
    const after = applyCommand(before, { type: 'moveService', service: 'x', level: 'group', from: 'sg:a', to: 'sg:b' });
    expect(after.services[1]).toBe(before.services[1]);
    expect(after.segments).toBe(before.segments);
    expect(after.rules).toBe(before.rules);
  });

  it('merge re-targets rules owned by or naming the merged group', () => {
    const after = applyCommand(ws(), { type: 'mergeSegments', from: 'sg:b', into: 'sg:a' });
    expect(
      after.rules.map((r) =>
        r.type === 'sg-permission' ? `${r.group}<${r.peer.kind === 'group' ? r.peer.group : ''}` : '',
      ),
    ).toEqual(['sg:a<sg:a', 'sg:a<sg:a']);
    expect(after.segments.map((s) => s.id)).toEqual(['net:vpc', 'sg:a', 'net:sub']);
  });

  it('split takes the listed members and copies the owned rules', () => {
    const after = applyCommand(ws(), {
      type: 'splitSegment',
      segment: 'sg:a',
      newSegment: { id: 'sg:c', name: 'sg-c' },
      services: ['y'],
    });
    expect(groups(after)).toEqual({ x: ['sg:a'], y: ['sg:c', 'sg:b'] });
    expect(after.segments.find((s) => s.id === 'sg:c')).toEqual({
      id: 'sg:c',
      level: 'group',
      name: 'sg-c',
      parent: 'net:vpc',
    });
    expect(after.rules.map((r) => r.id)).toEqual(['r1', 'r2', 'r2@sg:c']);
    const copy = after.rules[2];
    expect(
      copy?.type === 'sg-permission' && copy.group === 'sg:c' && copy.peer.kind === 'group' && copy.peer.group,
    ).toBe('sg:c');
  });

  it('delete re-parents child segments to the deleted one’s parent', () => {
    const w = ws();
    w.segments.push({ id: 'net:sub2', level: 'network', name: 'sub2', parent: 'net:sub' });
    const after = applyCommand(w, { type: 'deleteSegment', segment: 'net:sub', moveMembersTo: 'net:vpc' });
    expect(after.segments.find((s) => s.id === 'net:sub2')?.parent).toBe('net:vpc');
    expect(after.services[0]?.memberships.network).toEqual(['net:vpc']);
  });

  it('create and rename', () => {
    const created = applyCommand(ws(), {
      type: 'createSegment',
      segment: { id: 'sg:new', level: 'group', name: 'new', parent: 'net:vpc' },
    });
    const renamed = applyCommand(created, { type: 'renameSegment', segment: 'sg:new', name: 'sg-new' });
    expect(renamed.segments.at(-1)).toEqual({ id: 'sg:new', level: 'group', name: 'sg-new', parent: 'net:vpc' });
  });

  it.each<[string, Command, RegExp]>([
    [
      'unknown service',
      { type: 'moveService', service: 'nope', level: 'group', from: 'sg:a', to: 'sg:b' },
      /no service/,
    ],
    [
      'wrong level target',
      { type: 'moveService', service: 'x', level: 'group', from: 'sg:a', to: 'net:vpc' },
      /not at level group/,
    ],
    ['not a member', { type: 'moveService', service: 'x', level: 'group', from: 'sg:b', to: 'sg:a' }, /not in segment/],
    [
      'second single membership',
      { type: 'moveService', service: 'x', level: 'network', from: null, to: 'net:vpc' },
      /one network segment/,
    ],
    ['duplicate id', { type: 'createSegment', segment: { id: 'sg:a', level: 'group', name: 'a' } }, /exists/],
    ['merge across levels', { type: 'mergeSegments', from: 'sg:a', into: 'net:vpc' }, /one level/],
    ['empty name', { type: 'renameSegment', segment: 'sg:a', name: '  ' }, /needs a name/],
    ['a second rule with one id', { type: 'addRule', rule: rule('r1', 'sg:a', 'sg:b') }, /rule "r1" exists/],
    ['removing an unknown rule', { type: 'removeRule', rule: rule('r9', 'sg:a', 'sg:b') }, /no rule "r9"/],
    [
      'a replacement with another id',
      { type: 'replaceRule', before: rule('r1', 'sg:b', 'sg:a'), after: rule('r3', 'sg:b', 'sg:a') },
      /keeps its id/,
    ],
  ])('refuses %s', (_name, cmd, message) => {
    expect(() => applyCommand(ws(), cmd)).toThrow(CommandError);
    expect(() => applyCommand(ws(), cmd)).toThrow(message);
  });

  it('adds, removes and replaces rules as data (fixes and synthesis are plans of these)', () => {
    const w = ws();
    const added = applyCommand(w, { type: 'addRule', rule: rule('r3', 'sg:a', 'sg:b') });
    expect(added.rules.map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    expect(added.services).toBe(w.services);
    const removed = applyCommand(added, { type: 'removeRule', rule: rule('r1', 'sg:b', 'sg:a') });
    expect(removed.rules.map((r) => r.id)).toEqual(['r2', 'r3']);
    const wider = { ...rule('r2', 'sg:a', 'sg:a'), fromPort: 5000, toPort: 6000 } as Rule;
    const replaced = applyCommand(removed, { type: 'replaceRule', before: rule('r2', 'sg:a', 'sg:a'), after: wider });
    expect(replaced.rules[0]).toBe(wider);
    expect(w.rules.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(describeCommand(w, { type: 'addRule', rule: rule('r3', 'sg:a', 'sg:b') })).toBe(
      'add sg-a ingress tcp 5432 from sg-b',
    );
    expect(describeCommand(w, { type: 'replaceRule', before: rule('r2', 'sg:a', 'sg:a'), after: wider })).toBe(
      'change sg-a ingress tcp 5432 from sg-a to sg-a ingress tcp 5000-6000 from sg-a',
    );
  });

  it('a plan applies its commands in order as one step, or none when one fails', () => {
    const w = ws();
    const plan: Command = {
      type: 'applyPlan',
      label: 'give x its own group',
      commands: [
        { type: 'createSegment', segment: { id: 'sg:x', level: 'group', name: 'sg-x', parent: 'net:vpc' } },
        { type: 'moveService', service: 'x', level: 'group', from: 'sg:a', to: 'sg:x' },
        { type: 'applyPlan', label: 'nested', commands: [{ type: 'addRule', rule: rule('r3', 'sg:x', 'sg:b') }] },
      ],
    };
    const after = applyCommand(w, plan);
    expect(groups(after)).toEqual({ x: ['sg:x'], y: ['sg:a', 'sg:b'] });
    expect(after.rules.map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    expect(describeCommand(w, plan)).toBe('give x its own group (3 changes)');
    expect(flattenCommands([plan]).map((c) => c.type)).toEqual(['createSegment', 'moveService', 'addRule']);
    const failing: Command = {
      ...plan,
      commands: [...plan.commands, { type: 'removeRule', rule: rule('nope', 'sg:a', 'sg:a') }],
    };
    expect(() => applyCommand(w, failing)).toThrow('no rule "nope"');
    expect(groups(w)).toEqual({ x: ['sg:a'], y: ['sg:a', 'sg:b'] });
  });

  it('describes commands for the history and the change plan', () => {
    expect(describeCommand(ws(), { type: 'moveService', service: 'x', level: 'group', from: 'sg:a', to: 'sg:b' })).toBe(
      'move x at group: sg-a → sg-b',
    );
    expect(describeCommand(ws(), { type: 'moveService', service: 'x', level: 'group', from: null, to: 'sg:b' })).toBe(
      'add x to group sg-b',
    );
    expect(describeCommand(ws(), { type: 'mergeSegments', from: 'sg:b', into: 'sg:a' })).toBe('merge sg-b into sg-a');
  });
});
