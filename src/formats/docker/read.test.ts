import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../analysis/context';
import { exposureOf } from '../../analysis/exposure';
import { reach } from '../../analysis/reach';
import { importFiles } from '../../import/index';
import type { Workspace } from '../../model/types';
import { composeServiceOf, dockerReader } from './read';

// Shapes as `docker network inspect` prints them (Docker Engine API, NetworkInspect: Name, Id, Driver,
// Internal, IPAM.Config[].Subnet, Options, Labels, Containers{id: {Name, IPv4Address, …}}).
// Semantics: Docker docs, "Bridge network driver": "containers connected to the same user-defined bridge
// network effectively expose all ports to each other", `com.docker.network.bridge.enable_icc` "enable or
// disable inter-container connectivity"; "Networking overview": `--internal` "restricts external access".
// Compose names containers `<project>-<service>-<n>` (v1: `<project>_<service>_<n>`) and labels its
// networks `com.docker.compose.project` / `com.docker.compose.network`.

const SAMPLE = 'public/samples/docker/voting-app-networks.json';
const COMPOSE = 'public/samples/compose/voting-app.yml';
const file = (name: string) => ({ name, text: readFileSync(name, 'utf8') });
const load = (...names: string[]) => importFiles(names.map(file));
const id = (ws: Workspace, name: string) => ws.services.find((s) => s.name === name)?.id as string;
const overlay = (ws: Workspace, a: string, b: string) => {
  const v = reach(ws, id(ws, a), id(ws, b), 5432).levels.overlay;
  return [v.verdict, v.rule?.summary];
};

describe('docker network inspect reader', () => {
  it('is detected in FORMATS and reads each network as an overlay segment, each container as a service', () => {
    const { workspace: ws, report } = load(SAMPLE);
    expect(report.files.map((f) => [f.format, f.diagnostics])).toEqual([['docker', []]]);
    expect(ws.segments.map((s) => [s.id, s.attributes, s.cidrs])).toEqual([
      ['overlay:bridge', { kind: 'bridge', icc: true }, ['172.17.0.0/16']],
      [
        'overlay:voting-app_front-tier',
        {
          kind: 'compose-network',
          project: 'voting-app',
          network: 'front-tier',
          driver: 'bridge',
          internal: false,
          attachable: false,
        },
        ['172.19.0.0/16'],
      ],
      [
        'overlay:voting-app_back-tier',
        {
          kind: 'compose-network',
          project: 'voting-app',
          network: 'back-tier',
          driver: 'bridge',
          internal: false,
          attachable: false,
        },
        ['172.18.0.0/16'],
      ],
      [
        'overlay:backups',
        { kind: 'docker-network', driver: 'bridge', internal: true, attachable: false },
        ['172.21.0.0/16'],
      ],
      [
        'overlay:batch-jobs',
        { kind: 'docker-network', driver: 'bridge', internal: false, attachable: false, icc: false },
        ['172.22.0.0/16'],
      ],
      ['overlay:host', { kind: 'host' }, undefined],
      ['overlay:none', { kind: 'none' }, undefined],
    ]);
    // Compose containers join their project's service (one per service, whatever the replica number).
    expect(ws.services.find((s) => s.name === 'vote')).toMatchObject({
      id: 'compose:voting-app/vote',
      kind: 'service',
      namespace: 'voting-app',
      addresses: ['172.19.0.3', '172.18.0.4'],
      memberships: { overlay: ['overlay:voting-app_front-tier', 'overlay:voting-app_back-tier'] },
    });
    expect(ws.services.map((s) => s.id).sort()).toEqual([
      'compose:voting-app/db',
      'compose:voting-app/redis',
      'compose:voting-app/result',
      'compose:voting-app/vote',
      'compose:voting-app/worker',
      'docker:backup-store',
      'docker:cleanup-job',
      'docker:legacy-cron',
      'docker:pg-backup',
      'docker:report-job',
    ]);
  });

  it('containers on one network reach each other; enable_icc=false and no shared network deny', () => {
    const ws = load(SAMPLE).workspace;
    expect(overlay(ws, 'vote', 'db')).toEqual(['allow', 'both on network voting-app_back-tier']);
    expect(overlay(ws, 'pg-backup', 'backup-store')).toEqual(['allow', 'both on network backups']);
    expect(overlay(ws, 'report-job', 'cleanup-job')).toEqual(['deny', 'network batch-jobs with enable_icc=false']);
    expect(reach(ws, id(ws, 'report-job'), id(ws, 'cleanup-job')).levels.overlay.reason).toBe(
      'report-job and cleanup-job share only network batch-jobs, which runs with com.docker.network.bridge.enable_icc=false: its containers cannot talk to each other.',
    );
    expect(overlay(ws, 'legacy-cron', 'db')).toEqual(['deny', 'legacy-cron and db share no network']);
  });

  it('merges with the Compose file of the same project: one service per Compose service, calls judged on both', () => {
    const { workspace: ws, report } = load(COMPOSE, SAMPLE);
    expect([...report.files.flatMap((f) => f.diagnostics), ...report.diagnostics]).toEqual([]);
    const db = ws.services.find((s) => s.id === 'compose:voting-app/db');
    // The kind from the Compose image (postgres), the address from the runtime, the networks from both.
    expect(db).toMatchObject({
      kind: 'datastore',
      addresses: ['172.18.0.3'],
      memberships: { overlay: ['overlay:voting-app_back-tier'] },
    });
    expect(ws.services.filter((s) => s.namespace === 'voting-app').map((s) => s.name)).toEqual([
      'vote',
      'result',
      'worker',
      'redis',
      'db',
      'seed',
    ]);
    // The Compose file's network and the runtime's are one segment.
    expect(ws.segments.filter((s) => s.id === 'overlay:voting-app_back-tier')).toHaveLength(1);
    expect(overlay(ws, 'worker', 'db')).toEqual(['allow', 'both on network voting-app_back-tier']);
  });

  it('a container only on internal networks is not exposed, whatever it publishes', () => {
    const compose = {
      name: 'ops/compose.yaml',
      text: 'services:\n  backup:\n    image: alpine\n    ports: ["9000:9000"]\n    networks: [vault]\nnetworks:\n  vault:\n    internal: true\n',
    };
    const ws = importFiles([compose]).workspace;
    const core = buildIndex(ws).core;
    expect(core.services.map((s, i) => [s.name, s.exposed, exposureOf(core)(i)])).toEqual([
      [
        'backup',
        true,
        {
          exposed: false,
          reason:
            'backup is only on internal network ops_vault, which Docker gives no route off the host, so its published ports are not reachable from the internet.',
          source: expect.objectContaining({ file: 'ops/compose.yaml' }),
        },
      ],
    ]);
  });

  it('names Compose containers of v2 and v1, the longest project first', () => {
    expect(composeServiceOf('shop-api-1', ['shop'])).toEqual({ project: 'shop', service: 'api' });
    expect(composeServiceOf('shop_api_2', ['shop'])).toEqual({ project: 'shop', service: 'api' });
    expect(composeServiceOf('shop-api-web-1', ['shop', 'shop-api'])).toEqual({ project: 'shop-api', service: 'web' });
    expect(composeServiceOf('shop-api', ['shop'])).toBeUndefined();
    expect(composeServiceOf('cron', ['shop'])).toBeUndefined();
  });

  it('bad input: a network without a Name or with unreadable Containers is a located error; the rest loads', () => {
    const text = JSON.stringify(
      [
        { Driver: 'bridge', IPAM: {}, Containers: {} },
        { Name: 'odd', Driver: 'bridge', IPAM: {}, Containers: ['x'] },
        {
          Name: 'ok',
          Driver: 'bridge',
          IPAM: {},
          Containers: { a: { Name: 'one' }, b: { IPv4Address: '10.0.0.2/24' } },
        },
      ],
      null,
      2,
    );
    const r = dockerReader.read({ name: 'networks.json', text });
    expect(r.diagnostics.map((d) => [d.line, d.column, d.severity, d.message])).toEqual([
      [2, 3, 'error', 'network without a Name; skipped'],
      [
        text.split('\n').findIndex((l) => l.includes('"Containers": [')) + 1,
        5,
        'error',
        'odd: Containers must be a map of container id to endpoint; not read',
      ],
      [
        text.split('\n').findIndex((l) => l.includes('"b": {')) + 1,
        7,
        'warn',
        'ok: a container without a Name; skipped',
      ],
    ]);
    expect(r.fragment.services.map((s) => s.id)).toEqual(['docker:one']);
    expect(r.fragment.segments.map((s) => s.id)).toEqual(['overlay:odd', 'overlay:ok']);
    // An AWS page list is not a Docker file.
    expect(dockerReader.detect({ name: 'x.json', text: '[]' }, [{ Vpcs: [] }])).toBe(false);
  });
});
