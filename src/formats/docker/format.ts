// `docker network inspect` in FORMATS: the runtime's networks and the containers on them (overlay level).
import type { Format } from '../types';
import { dockerReader } from './read';

export const dockerFormat: Format = {
  ...dockerReader,
  noun: 'docker network inspect JSON',
  levels: ['overlay'],
  samples: ['docker/voting-app-networks.json'],
  notes:
    "The networks a Docker host runs and the containers on each (overlay level), from `docker network inspect $(docker network ls -q)`; containers of a Compose project join that project's services.",
};
