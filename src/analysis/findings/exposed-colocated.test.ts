import { describe, expect, it } from 'vitest';
import { seg, svc, ws } from '../testing/build';
import { findingsOf } from '../testing/findings';

describe('exposed-colocated', () => {
  it('flags an exposed service on the host of a critical one', () => {
    const w = ws({
      services: [svc('c:p/proxy', { exposed: true, host: 'vm1' }), svc('c:p/db', { critical: true, host: 'vm1' })],
    });
    expect(findingsOf(w, 'exposed-colocated').map((f) => [f.key, f.message])).toEqual([
      [
        'exposed-colocated:c:p/proxy',
        'Internet-exposed proxy runs on host vm1 with critical db: a compromise of proxy lands next to them.',
      ],
    ]);
  });

  it('flags sharing the finest segment both have data for', () => {
    const w = ws({
      services: [
        svc('c:p/proxy', { exposed: true, overlay: ['overlay:back'] }),
        svc('c:p/db', { critical: true, overlay: ['overlay:back'] }),
      ],
      segments: [seg('overlay:back', 'overlay', { kind: 'compose-network' })],
    });
    expect(findingsOf(w, 'exposed-colocated').map((f) => [f.key, f.level, f.segments])).toEqual([
      ['exposed-colocated:c:p/proxy', 'overlay', ['overlay:back']],
    ]);
  });

  it('is silent when they are apart', () => {
    const w = ws({
      services: [
        svc('c:p/proxy', { exposed: true, host: 'vm1', overlay: ['overlay:front'] }),
        svc('c:p/db', { critical: true, host: 'vm2', overlay: ['overlay:back'] }),
      ],
      segments: [
        seg('overlay:back', 'overlay', { kind: 'compose-network' }),
        seg('overlay:front', 'overlay', { kind: 'compose-network' }),
      ],
    });
    expect(findingsOf(w, 'exposed-colocated')).toEqual([]);
  });
});
