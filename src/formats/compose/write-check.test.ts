// The writer's check (write-check.ts) must see a file as the Compose reader reads it: calls and overlay
// memberships computed from the definitions equal those of reading the text, on tricky files and on
// everything the writer writes for the samples and generated estates.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateTopology } from '../../gen/generate';
import type { FileInput } from '../../import/types';
import type { Workspace } from '../../model/types';
import { load, sampleFiles } from '../testing';
import { projectName, serviceId } from './conventions';
import { composeReader } from './read';
import { exportCompose } from './write';
import { writtenFacts } from './write-check';
import { callKey } from './write-services';

/** Calls and memberships of a file, once by reading it and once from its definitions. */
const bothWays = (file: FileInput) => {
  const doc = parse(file.text) as {
    name?: unknown;
    services: Record<string, unknown>;
    networks?: Record<string, unknown>;
  };
  const project = projectName(file.name, doc.name);
  const prefix = serviceId(project, '');
  const local = (id: string) => id.slice(prefix.length);
  const { fragment } = composeReader.read(file);
  const read = {
    calls: new Set(fragment.calls.map((c) => callKey(local(c.from), local(c.to), c.port))),
    overlay: new Map(fragment.services.map((s) => [local(s.id), s.memberships.overlay ?? []])),
  };
  return { read, facts: writtenFacts(project, doc.services, doc.networks) };
};

const TRICKY = `name: tricky
services:
  web:
    image: nginx
    networks:
      front:
        aliases: [www, Portal]
      back: null
    environment:
      API: http://api-alias:8080/v1
      CACHE: Cache
      SELF: http://www
      DBURL: database:5432
    links: ['db:database', 'ghost']
    depends_on: { api: { condition: service_started } }
  api:
    extends: base
    container_name: the-api
    networks:
      back:
        aliases: [api-alias]
    environment: ['DB=jdbc:postgresql://database:5432/x', 'Q=amqp://u:p@queue:5672', 'C=the-api:9']
  base:
    image: python
    environment: { W: 'web:80,cache' }
  cache:
    network_mode: "service:api"
    environment: { U: 'http://nowhere:1' }
  queue:
    network_mode: host
    depends_on: [ghost, cache]
  db:
    networks: [back, outside, default]
    environment: { E: '\${DB_PEER:-portal}:3306' }
  loop1: { network_mode: "service:loop2" }
  loop2: { network_mode: "service:loop1" }
  ext: { network_mode: shared }
  bad: { networks: 7 }
networks:
  front: {}
  back: { name: backbone }
  shared: { external: true }
`;

describe('writtenFacts: a Compose file as the reader reads it, without reading it', () => {
  it('aliases, container names, link aliases, extends, service: and host modes, cycles, undeclared networks', () => {
    const { read, facts } = bothWays({ name: 'tricky.yml', text: TRICKY });
    expect(facts).toEqual(read);
    // The file does say something: calls by alias, by link alias, through extends, and memberships shared.
    expect(read.calls.size).toBe(10);
    expect(read.calls.has(callKey('web', 'db', 5432))).toBe(true); // the link alias "database"
    expect(read.calls.has(callKey('db', 'web', 3306))).toBe(true); // the network alias "Portal", by a default
    expect(read.overlay.get('cache')).toEqual(['overlay:backbone']);
    expect(read.overlay.get('loop1')).toEqual([]);
  });

  const inputs: [string, () => Workspace][] = [
    ['every Compose sample', () => load(sampleFiles('public/samples/compose'))],
    ['the docker sample', () => load(sampleFiles('public/samples/docker'))],
    ['the lesson compose-v1-v2', () => load(sampleFiles('public/samples/lessons/compose-v1-v2/files/v2'))],
    ['the Kubernetes shop (converted)', () => load(sampleFiles('public/samples/k8s/shop.yaml'))],
    ['the AWS sample (converted)', () => load(sampleFiles('public/samples/aws'))],
    ...[1, 7, 42].map((seed): [string, () => Workspace] => [
      `a generated 300-service estate, seed ${seed}`,
      () => generateTopology({ services: 300, seed }).workspace,
    ]),
  ];
  it.each(inputs)('every file the writer writes for %s', (_, ws) => {
    const out = exportCompose(ws());
    expect(out.files.length).toBeGreaterThan(0);
    for (const file of out.files) {
      const { read, facts } = bothWays(file);
      expect(facts, file.name).toEqual(read);
    }
  });
});
