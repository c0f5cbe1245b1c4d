// Story files: validated with located errors; references resolve by id, name or id tail, never by guess.
import { describe, expect, it } from 'vitest';
import type { Workspace } from '../model/types';
import { resolveAction, resolveSegment, resolveService } from './resolve';
import { parseStory } from './story';

const step = (extra: object = {}) => ({ caption: 'One sentence.', view: { focus: 'overlay' }, ...extra });
const story = (extra: object = {}) =>
  JSON.stringify(
    {
      lesson: 1,
      id: 'x',
      title: 'X',
      summary: 'x',
      finding: 'excess-reach',
      files: ['a.yml'],
      steps: [step(), step(), step()],
      ...extra,
    },
    null,
    2,
  );

describe('parseStory', () => {
  it('accepts a story of 3–6 steps', () => {
    expect(parseStory('s.json', story()).diagnostics).toEqual([]);
  });

  it('names file, line and column of a bad field', () => {
    const text = story({ steps: [step(), step({ view: { focus: 'vlan' } }), step()] });
    const { story: s, diagnostics } = parseStory('s.json', text);
    expect(s).toBeUndefined();
    const line = text.split('\n').findIndex((l) => l.includes('"vlan"')) + 1;
    expect(diagnostics).toMatchObject([{ file: 's.json', line, severity: 'error', path: '/steps/1/view/focus' }]);
  });

  it.each([
    ['too few steps', { steps: [step(), step()] }, '/steps'],
    [
      'a caption of three sentences',
      { steps: [step({ caption: 'One. Two. Three.' }), step(), step()] },
      '/steps/0/caption',
    ],
    [
      'an action without "after"',
      { steps: [step({ action: { type: 'mergeSegments', from: 'a', into: 'b' } }), step(), step()] },
      '/steps/0/action',
    ],
    ['"after" without an action', { steps: [step({ after: {} }), step(), step()] }, '/steps/0/after'],
    ['both files and generate', { generate: { services: 10, seed: 1 } }, '/files'],
    ['an unknown finding', { finding: 'too-many-vpcs' }, '/finding'],
    ['an unknown key', { steps: [step({ zoom: 2 }), step(), step()] }, '/steps/0'],
  ])('refuses %s', (_what, extra, path) => {
    const { diagnostics } = parseStory('s.json', story(extra));
    expect(diagnostics.map((d) => d.path)).toContain(path);
  });

  it('reports invalid JSON at its position', () => {
    expect(parseStory('s.json', '{\n  "lesson": 1,\n}').diagnostics[0]).toMatchObject({ file: 's.json', line: 3 });
  });
});

const ws: Workspace = {
  segscope: 1,
  services: [
    { id: 'compose:v1/proxy', name: 'proxy', kind: 'service', memberships: { overlay: ['overlay:v1_bridge'] } },
    { id: 'compose:v2/proxy', name: 'proxy', kind: 'service', memberships: { overlay: ['overlay:v2_front'] } },
    { id: 'compose:v2/db', name: 'db', kind: 'datastore', memberships: { overlay: ['overlay:v2_back'] } },
  ],
  segments: [
    { id: 'overlay:v1_bridge', level: 'overlay', name: 'v1_bridge' },
    { id: 'overlay:v2_front', level: 'overlay', name: 'v2_front' },
    { id: 'overlay:v2_back', level: 'overlay', name: 'v2_back' },
    { id: 'group:sg-1', level: 'group', name: 'front' },
  ],
  calls: [],
  rules: [],
};

describe('references', () => {
  it('resolve by id, by unique name, or by the tail of the id', () => {
    expect(resolveService(ws, 'compose:v2/db').id).toBe('compose:v2/db');
    expect(resolveService(ws, 'db').id).toBe('compose:v2/db');
    expect(resolveService(ws, 'v1/proxy').id).toBe('compose:v1/proxy');
    expect(resolveSegment(ws, 'v2_back').id).toBe('overlay:v2_back');
  });

  it('refuse a name that several services share, and one that names none', () => {
    expect(() => resolveService(ws, 'proxy')).toThrow(/names 2 services/);
    expect(() => resolveService(ws, 'cart')).toThrow(/no service "cart"/);
  });

  it('look for segments at the level the action works on', () => {
    expect(resolveSegment(ws, 'front', 'group').id).toBe('group:sg-1');
    expect(() => resolveSegment(ws, 'front', 'overlay')).toThrow(/no overlay segment/);
  });

  it('turn a story action into the model command the Move dialog would apply', () => {
    expect(
      resolveAction(ws, {
        type: 'moveService',
        service: 'v2/proxy',
        level: 'overlay',
        from: 'v2_front',
        to: 'v2_back',
      }),
    ).toEqual({
      type: 'moveService',
      service: 'compose:v2/proxy',
      level: 'overlay',
      from: 'overlay:v2_front',
      to: 'overlay:v2_back',
    });
    expect(resolveAction(ws, { type: 'mergeSegments', from: 'v2_front', into: 'v1_bridge' })).toEqual({
      type: 'mergeSegments',
      from: 'overlay:v2_front',
      into: 'overlay:v1_bridge',
    });
  });
});
