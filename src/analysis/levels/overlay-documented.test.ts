import { describe, expect, it } from 'vitest';
import { reach } from '../reach';
import { link, seg, svc, ws } from '../testing/build';
import { levelVerdict } from '../testing/verdict';

// The overlay level's "commonly missed" rules (DESIGN.md), each checked with the documentation it follows.

describe('with icc=false a legacy link reaches only the ports the target exposes', () => {
  // https://docs.docker.com/engine/network/links/ — on the default bridge with --icc=false, a link opens
  // iptables rules from the recipient to the source container's exposed ports only.
  const BR = 'overlay:bridge';
  const w = (dbPorts: number[]) =>
    ws({
      services: [svc('compose:p/web', { overlay: [BR] }), svc('compose:p/db', { overlay: [BR], ports: dbPorts })],
      segments: [seg(BR, 'overlay', { kind: 'bridge', name: 'bridge', attributes: { icc: false } })],
      rules: [link('compose:p/web/links/db', 'compose:p/web', 'compose:p/db')],
    });
  it('an exposed port: allowed by the link', () => {
    expect(levelVerdict(w([5432]), 'compose:p/web', 'compose:p/db', 'overlay', 5432)).toEqual({
      verdict: 'allow',
      rule: 'compose:p/web/links/db',
    });
  });
  it('another port: denied, the link does not open it', () => {
    const v = reach(w([5432]), 'compose:p/web', 'compose:p/db', 22).levels.overlay;
    expect([v.verdict, v.rule?.id]).toEqual(['deny', 'compose:p/web/links/db']);
    expect(v.reason).toContain('exposes only TCP 5432');
  });
  it('without a port asked: the link lets through exactly the exposed ports', () => {
    expect(reach(w([5432, 8080]), 'compose:p/web', 'compose:p/db').connections).toEqual(['TCP 5432', 'TCP 8080']);
  });
  it('the target declares no port (its image may EXPOSE some): no data, open', () => {
    expect(levelVerdict(w([]), 'compose:p/web', 'compose:p/db', 'overlay', 5432).verdict).toBe('open');
  });
});
