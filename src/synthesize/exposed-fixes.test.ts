import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze';
import { call, seg, svc, ws } from '../analysis/testing/build';
import type { Finding } from '../analysis/types';
import { applyCommand } from '../model/commands';
import type { Workspace } from '../model/types';
import { fixesFor } from './fixes';
import { describePlan } from './plan';

const net = (id: string) => seg(id, 'overlay', { kind: 'compose-network' });

/**
 * DESIGN.md exposed-colocated: "an internet-exposed service shares a host/segment with a critical one
 * (the fix: its own segment, one critical container per VM)". proxy runs on vm1 with the critical db,
 * and shares both networks with the critical queue: the finding names front (the first shared), but
 * leaving front alone would leave proxy next to queue on back.
 */
const world = (): Workspace =>
  ws({
    services: [
      svc('proxy', { exposed: true, host: 'vm1', overlay: ['overlay:front', 'overlay:back'] }),
      svc('db', { critical: true, host: 'vm1', overlay: ['overlay:back'] }),
      svc('queue', { critical: true, host: 'vm2', overlay: ['overlay:front', 'overlay:back'] }),
      svc('app', { host: 'vm2', overlay: ['overlay:back'] }),
    ],
    segments: [net('overlay:front'), net('overlay:back')],
    calls: [call('proxy', 'app', 8080), call('app', 'db', 5432), call('app', 'queue', 5672)],
  });

const findingOf = (w: Workspace): Finding => {
  const f = analyze(w).findings.find((x) => x.key === 'exposed-colocated:proxy');
  if (!f) throw new Error('no exposed-colocated finding');
  return f;
};

describe('fixesFor: exposed-colocated', () => {
  it('the finding names one shared network and the host', () => {
    const f = findingOf(world());
    expect([f.services, f.segments]).toEqual([['proxy', 'db', 'queue'], ['overlay:front']]);
  });

  it('proxy leaves its host and every network it shares with a critical service; its non-critical peer follows it', () => {
    const w = world();
    const fixes = fixesFor(w, analyze(w), findingOf(w));
    expect(fixes.map((x) => [x.title, x.closes, x.broken, x.opened])).toEqual([
      [
        'move proxy off host vm1 to a VM of its own; give proxy its own overlay segment proxy-own, out of front, back, joined by its 1 non-critical call peer',
        true,
        0,
        0,
      ],
      [
        'move the critical db off host vm1, one VM each; give proxy its own overlay segment proxy-own, out of front, back, joined by its 1 non-critical call peer',
        true,
        0,
        0,
      ],
      // Nothing follows proxy: its call to app breaks, which ranks these below.
      [
        'move proxy off host vm1 to a VM of its own; give proxy its own overlay segment proxy-own, out of front, back',
        true,
        1,
        0,
      ],
      [
        'move the critical db off host vm1, one VM each; give proxy its own overlay segment proxy-own, out of front, back',
        true,
        1,
        0,
      ],
    ]);
    expect(describePlan(w, fixes[0]?.commands ?? [])).toEqual([
      'move proxy to host proxy-vm (from vm1)',
      'create overlay segment proxy-own',
      'move proxy at overlay: front → proxy-own',
      'remove proxy from overlay back',
      'add app to overlay proxy-own',
    ]);
    const after = analyze((fixes[0]?.commands ?? []).reduce(applyCommand, w));
    expect(after.findings.filter((f) => f.id === 'exposed-colocated' || f.id === 'broken-call')).toEqual([]);
  });

  it('a host move is undoable data: the service keeps its other placement fields', () => {
    const w = world();
    const moved = applyCommand(w, { type: 'placeService', service: 'proxy', from: 'vm1', to: 'vm9' });
    expect(moved.services[0]?.placement).toEqual({ host: 'vm9' });
    expect(applyCommand(moved, { type: 'placeService', service: 'proxy', from: 'vm9', to: 'vm1' })).toEqual(w);
    expect(() => applyCommand(w, { type: 'placeService', service: 'proxy', from: 'vm2', to: 'vm9' })).toThrow(
      'does not run on host "vm2"',
    );
  });
});
