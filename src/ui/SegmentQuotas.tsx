// A segment's quota figures in its inspector: used of limit, with the warn and error marks.

import type { QuotaUse } from '../analysis/types';
import { figure, quotaNoun, quotaPercent } from '../analysis/wording';

export const SegmentQuotas = ({ quotas }: { quotas: readonly QuotaUse[] }) =>
  quotas.length > 0 ? (
    <ul className="quota-list" data-testid="segment-quotas">
      {quotas.map((q) => (
        <li key={q.quota} className={`q-${q.state}`} title={q.label}>
          {q.state === 'error' ? '▲ ' : q.state === 'warn' ? '△ ' : ''}
          {figure(q.used)} of {figure(q.limit)} {quotaNoun(q.quota, q.label)} ({quotaPercent(q)} %)
        </li>
      ))}
    </ul>
  ) : null;
