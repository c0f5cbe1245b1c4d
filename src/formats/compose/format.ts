// Docker Compose in FORMATS: services, networks (the overlay level) and the calls links, depends_on and environment name.
import type { Format } from '../types';
import { composeReader } from './read';
import { exportCompose } from './write';

export const composeFormat: Format = {
  ...composeReader,
  noun: 'Docker Compose',
  levels: ['overlay'],
  write: {
    name: 'compose',
    label: 'Docker Compose (one file per project)',
    write: exportCompose,
    syntax: 'yaml',
    readsBack: true,
  },
  samples: [
    'compose/v1-proxy-app-db.yml',
    'compose/v2-front-back.yml',
    'compose/voting-app.yml',
    'compose/sock-shop.yml',
  ],
  notes: 'Services, their networks (overlay level), ports and the calls links, depends_on and environment values name.',
};
