// The segscope workspace format in FORMATS: the whole model, every level, read and written as it is.
import { LEVELS } from '../../model/types';
import type { Format } from '../types';
import { nativeReader } from './read';
import { exportNative } from './write';

export const nativeFormat: Format = {
  ...nativeReader,
  noun: 'a segscope workspace',
  levels: LEVELS,
  write: { name: 'native', label: 'Workspace (segscope JSON)', write: exportNative, syntax: 'json', readsBack: true },
  samples: ['shop-estate.segscope.json', 'aws-nacl/calls.segscope.json', 'aws-routes/calls.segscope.json'],
  notes: 'The whole workspace: services, segments of all six levels, calls, rules and quotas.',
};
