// Which findings fixesFor has plans for: the findings list offers "Fix…" on these only.
import type { Finding } from '../analysis/types';

export const fixable = (f: Pick<Finding, 'id' | 'key'>): boolean =>
  f.id === 'broken-call' ||
  f.id === 'exposed-colocated' ||
  (f.id === 'shared-failure-domain' && f.key.startsWith('shared-failure-domain:segment:')) ||
  (f.id === 'sg-abuse' && f.key.startsWith('sg-abuse:broad:'));
