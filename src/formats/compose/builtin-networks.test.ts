import { describe, expect, it } from 'vitest';
import { reach } from '../../analysis/reach';
import { levelVerdict } from '../../analysis/testing/verdict';
import { importFiles } from '../../import/index';

// Docker's built-in networks (`bridge`, `host`, `none`) belong to the daemon, not to a Compose project:
// https://docs.docker.com/engine/network/#drivers and https://docs.docker.com/engine/network/drivers/bridge/
// ("the default bridge network … containers connect to it unless told otherwise"; `icc` is a daemon option,
// true by default). A project's own networks, `default` included, are prefixed with the project name:
// https://docs.docker.com/compose/how-tos/networking/ ("a single network for your app … named
// `<project>_default`").

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;
const load = (...files: [string, string][]) => importFiles(files.map(([name, text]) => ({ name, text })));
const overlayOf = (r: ReturnType<typeof load>, id: string) =>
  r.workspace.services.find((s) => s.id === id)?.memberships.overlay;

describe('one default bridge per host, shared by every project', () => {
  const v1 = yaml('web:', '  image: nginx', 'db:', '  image: postgres');
  const spec = yaml('services:', '  api:', '    image: api', '    network_mode: bridge');

  it('v1 files and network_mode: bridge of different projects are on the same segment "bridge"', () => {
    const r = load(['legacy/docker-compose.yml', v1], ['shop/compose.yaml', spec]);
    expect(r.report.files.flatMap((f) => f.diagnostics)).toEqual([]);
    for (const id of ['compose:legacy/web', 'compose:legacy/db', 'compose:shop/api'])
      expect(overlayOf(r, id)).toEqual(['overlay:bridge']);
    expect(r.workspace.segments.filter((s) => s.level === 'overlay').map((s) => [s.id, s.attributes])).toEqual([
      ['overlay:bridge', { kind: 'bridge', icc: true }],
    ]);
  });

  it('so a container of one project reaches one of the other (icc=true), both ways', () => {
    const w = load(['legacy/docker-compose.yml', v1], ['shop/compose.yaml', spec]).workspace;
    expect(levelVerdict(w, 'compose:shop/api', 'compose:legacy/db', 'overlay', 5432)).toEqual({
      verdict: 'allow',
      rule: 'overlay:bridge',
    });
    expect(levelVerdict(w, 'compose:legacy/web', 'compose:shop/api', 'overlay', 8080).verdict).toBe('allow');
  });

  it("but each v2+ project's implicit default network is its own: two projects do not meet", () => {
    const a = yaml('services:', '  web:', '    image: nginx');
    const b = yaml('services:', '  db:', '    image: postgres');
    const r = load(['a/compose.yaml', a], ['b/compose.yaml', b]);
    expect(overlayOf(r, 'compose:a/web')).toEqual(['overlay:a_default']);
    expect(overlayOf(r, 'compose:b/db')).toEqual(['overlay:b_default']);
    expect(levelVerdict(r.workspace, 'compose:a/web', 'compose:b/db', 'overlay', 5432)).toEqual({
      verdict: 'deny',
      rule: 'default:overlay-no-shared-network',
    });
  });

  it('an external network named bridge, host or none is the built-in one, not a project network', () => {
    const text = yaml(
      'services:',
      '  agent:',
      '    image: agent',
      '    networks: [hostnet]',
      'networks:',
      '  hostnet:',
      '    external: true',
      '    name: host',
    );
    const r = load(['mon/compose.yaml', text]);
    expect(overlayOf(r, 'compose:mon/agent')).toEqual(['overlay:host']);
    expect(r.workspace.segments.map((s) => [s.id, s.attributes])).toEqual([['overlay:host', { kind: 'host' }]]);
  });
});

describe('network_mode: none and host, across projects', () => {
  const files: [string, string][] = [
    ['batch/compose.yaml', yaml('services:', '  job:', '    image: batch', '    network_mode: none')],
    ['mon/compose.yaml', yaml('services:', '  agent:', '    image: agent', '    network_mode: host')],
    ['shop/compose.yaml', yaml('services:', '  web:', '    image: nginx')],
  ];

  it('network_mode: none is one "none" segment; network_mode: host one "host" segment', () => {
    const r = load(...files);
    expect(overlayOf(r, 'compose:batch/job')).toEqual(['overlay:none']);
    expect(overlayOf(r, 'compose:mon/agent')).toEqual(['overlay:host']);
  });

  it('a container with network_mode: none is reached by no one and reaches no one', () => {
    const w = load(...files).workspace;
    for (const [from, to] of [
      ['compose:shop/web', 'compose:batch/job'],
      ['compose:batch/job', 'compose:shop/web'],
      ['compose:mon/agent', 'compose:batch/job'],
    ] as const) {
      const v = reach(w, from, to, 80);
      expect([v.reachable, v.levels.overlay.verdict, v.levels.overlay.rule?.id]).toEqual([
        false,
        'deny',
        'overlay:none',
      ]);
    }
  });

  // https://docs.docker.com/engine/network/drivers/host/ — "the container's network stack isn't isolated
  // from the Docker host": it reaches the host's containers and they reach it, whatever their networks.
  it('a container with network_mode: host is not isolated by Docker networks: allowed both ways', () => {
    const w = load(...files).workspace;
    for (const [from, to] of [
      ['compose:mon/agent', 'compose:shop/web'],
      ['compose:shop/web', 'compose:mon/agent'],
    ] as const) {
      const v = reach(w, from, to, 9100).levels.overlay;
      expect([v.verdict, v.rule?.id]).toEqual(['allow', 'overlay:host']);
      expect(v.reason).toContain('network_mode: host');
    }
  });
});
