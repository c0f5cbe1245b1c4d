import { describe, expect, it } from 'vitest';
import type { Workspace } from '../../model/types';
import { reach } from '../reach';
import { link, seg, svc, ws } from '../testing/build';
import { type Expected, levelVerdict } from '../testing/verdict';

const v2 = (aNets: string[] | undefined, bNets: string[] | undefined): Workspace =>
  ws({
    services: [svc('compose:p/a', { overlay: aNets }), svc('compose:p/b', { overlay: bNets })],
    segments: [
      seg('overlay:p/front', 'overlay', { kind: 'compose-network' }),
      seg('overlay:p/back', 'overlay', { kind: 'compose-network' }),
      seg('overlay:weave', 'overlay', { kind: 'weave' }),
      seg('overlay:p/bridge', 'overlay', { kind: 'bridge', attributes: { project: 'p' } }),
    ],
  });

const v1 = (icc: boolean | undefined, links: [string, string][]): Workspace =>
  ws({
    services: [
      svc('compose:p/a', { overlay: ['overlay:p/bridge'] }),
      svc('compose:p/b', { overlay: ['overlay:p/bridge'], ports: [80] }),
    ],
    segments: [
      seg('overlay:p/bridge', 'overlay', {
        kind: 'bridge',
        attributes: icc === undefined ? { project: 'p' } : { project: 'p', icc },
      }),
    ],
    rules: links.map(([f, t], i) => link(`compose:p/link/${i}`, f, t)),
  });

const A = 'compose:p/a';
const B = 'compose:p/b';

describe('overlay level', () => {
  it.each<[string, Workspace, number | undefined, Expected]>([
    [
      'v2: shared network allows',
      v2(['overlay:p/front', 'overlay:p/back'], ['overlay:p/back']),
      80,
      { verdict: 'allow', rule: 'overlay:p/back' },
    ],
    [
      'v2: no shared network denies',
      v2(['overlay:p/front'], ['overlay:p/back']),
      undefined,
      { verdict: 'deny', rule: 'default:overlay-no-shared-network' },
    ],
    [
      'v2: the first shared network decides',
      v2(['overlay:p/front', 'overlay:p/back'], ['overlay:p/back', 'overlay:p/front']),
      undefined,
      { verdict: 'allow', rule: 'overlay:p/front' },
    ],
    [
      'caller without overlay data: open',
      v2(undefined, ['overlay:p/back']),
      undefined,
      { verdict: 'open', rule: undefined },
    ],
    [
      'callee without overlay data: open',
      v2(['overlay:p/back'], undefined),
      5432,
      { verdict: 'open', rule: undefined },
    ],
    ['neither has overlay data: open', v2(undefined, undefined), undefined, { verdict: 'open', rule: undefined }],
    [
      'weave: same network allows',
      v2(['overlay:weave'], ['overlay:weave']),
      6379,
      { verdict: 'allow', rule: 'overlay:weave' },
    ],
    [
      'bridge and user network do not meet',
      v2(['overlay:p/bridge'], ['overlay:p/back']),
      undefined,
      { verdict: 'deny', rule: 'default:overlay-no-shared-network' },
    ],
    ['v1: default bridge, icc unset = true', v1(undefined, []), 80, { verdict: 'allow', rule: 'overlay:p/bridge' }],
    ['v1: icc=true allows without links', v1(true, []), undefined, { verdict: 'allow', rule: 'overlay:p/bridge' }],
    [
      'v1: icc=false with a link a → b allows (b exposes 80)',
      v1(false, [[A, B]]),
      80,
      { verdict: 'allow', rule: 'compose:p/link/0' },
    ],
    [
      'v1: icc=false, link only b → a denies a → b',
      v1(false, [[B, A]]),
      80,
      { verdict: 'deny', rule: 'overlay:p/bridge' },
    ],
    ['v1: icc=false without links denies', v1(false, []), undefined, { verdict: 'deny', rule: 'overlay:p/bridge' }],
  ])('%s', (_name, w, port, expected) => {
    expect(levelVerdict(w, A, B, 'overlay', port)).toEqual(expected);
  });

  it('suggests the link or the network to add', () => {
    expect(reach(v1(false, []), A, B).levels.overlay.fix).toBe('add `links: [b]` to a');
    expect(reach(v2(['overlay:p/front'], ['overlay:p/back']), A, B).levels.overlay.fix).toBe(
      'attach a to network p/back (or b to p/front)',
    );
  });
});
