// Beats and the state at each: a shown step, then its action; views resolved where the step was shown.
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze';
import { reach } from '../analysis/reach';
import type { Workspace } from '../model/types';
import { checkExpectations } from './check';
import type { Story } from './story';
import { beatsOf, stateAt } from './walk';

const base: Workspace = {
  segscope: 1,
  services: [
    { id: 'app', name: 'app', kind: 'service', memberships: { overlay: ['overlay:front', 'overlay:back'] } },
    { id: 'db', name: 'db', kind: 'datastore', memberships: { overlay: ['overlay:back'] } },
  ],
  segments: [
    { id: 'overlay:front', level: 'overlay', name: 'front' },
    { id: 'overlay:back', level: 'overlay', name: 'back' },
    { id: 'overlay:old', level: 'overlay', name: 'old' },
  ],
  calls: [{ from: 'app', to: 'db', port: 5432, origin: 'declared' }],
  rules: [],
};

const story: Story = {
  lesson: 1,
  id: 't',
  title: 'T',
  summary: 't',
  finding: 'broken-call',
  files: ['x.yml'],
  steps: [
    { caption: 'Shown.', view: { focus: 'overlay', select: 'app' }, expect: { absent: [{ finding: 'broken-call' }] } },
    {
      caption: 'Break it.',
      view: { focus: 'overlay', select: 'app', reveal: { segments: ['old'] } },
      action: { type: 'moveService', service: 'app', level: 'overlay', from: 'back', to: null },
      after: { present: [{ finding: 'broken-call', services: ['app', 'db'] }] },
    },
    {
      caption: 'Clean up.',
      view: { focus: 'group', reveal: { segments: ['old'] } },
      action: { type: 'deleteSegment', segment: 'old', moveMembersTo: null },
      after: { calls: [{ from: 'app', to: 'db', port: 5432, class: 'broken' }] },
    },
  ],
};

describe('walking a story', () => {
  it('has a beat per step and one more per action', () => {
    expect(beatsOf(story)).toEqual([
      { step: 0, done: false },
      { step: 1, done: false },
      { step: 1, done: true },
      { step: 2, done: false },
      { step: 2, done: true },
    ]);
  });

  it('applies the actions of every done beat up to the one asked, as model commands', () => {
    expect(stateAt(base, story, 1).commands).toEqual([]);
    const s = stateAt(base, story, 2);
    expect(s.commands).toEqual([
      { type: 'moveService', service: 'app', level: 'overlay', from: 'overlay:back', to: null },
    ]);
    expect(s.workspace.services[0]?.memberships.overlay).toEqual(['overlay:front']);
    expect(stateAt(base, story, 4).workspace.segments.map((x) => x.id)).toEqual(['overlay:front', 'overlay:back']);
  });

  it('resolves the view where the step was shown, even when its action deletes what the view names', () => {
    expect(stateAt(base, story, 4).view).toEqual({
      focus: 'group',
      reveal: { serviceIds: [], segmentIds: ['overlay:old'] },
    });
    expect(stateAt(base, story, 0).view).toEqual({
      focus: 'overlay',
      serviceId: 'app',
      reveal: { serviceIds: [], segmentIds: [] },
    });
  });

  it('gives the expectations of the shown step, then those after its action, and they hold', async () => {
    for (let i = 0; i < beatsOf(story).length; i++) {
      const s = stateAt(base, story, i);
      const ctx = {
        workspace: s.workspace,
        analysis: analyze(s.workspace),
        reach: (f: string, t: string, p?: number) => reach(s.workspace, f, t, p),
      };
      expect(await checkExpectations(ctx, s.expect)).toEqual([]);
    }
  });

  it('says which expectation failed and what was found instead', async () => {
    const ws = base;
    const ctx = {
      workspace: ws,
      analysis: analyze(ws),
      reach: (f: string, t: string, p?: number) => reach(ws, f, t, p),
    };
    expect(
      await checkExpectations(ctx, {
        present: [{ finding: 'broken-call', services: ['app'] }],
        calls: [{ from: 'app', to: 'db', port: 5432, class: 'broken' }],
        reach: [{ from: 'db', to: 'app', reachable: false }],
      }),
    ).toEqual([
      'expected a finding broken-call services app; found none of that id',
      'expected the call app → db:5432 broken; it is allowed',
      'expected db → app not reachable',
    ]);
  });
});
