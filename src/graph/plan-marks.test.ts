import { describe, expect, it } from 'vitest';
import { sgRule } from '../analysis/testing/build';
import { planMarks } from './plan-marks';

describe('planMarks', () => {
  it('marks the calls a plan breaks and restores, both ends of pairs opened and closed, and what it changes', () => {
    const marks = planMarks(
      [
        { type: 'moveService', service: 'api', level: 'group', from: 'group:app', to: 'group:own' },
        {
          type: 'applyPlan',
          label: 'inner',
          commands: [
            { type: 'addRule', rule: sgRule('r1', 'group:db', 'ingress', 'tcp', 'group:own', 5432) },
            { type: 'addRule', rule: { id: 'l', type: 'overlay-link', level: 'overlay', from: 'web', to: 'api' } },
          ],
        },
      ],
      {
        brokenCalls: [{ index: 4 }],
        restoredCalls: [{ index: 1 }, { index: 2 }],
        openedPairs: [{ from: 'api', to: 'db' }],
        closedPairs: [
          { from: 'batch', to: 'db' },
          { from: 'db', to: 'batch' },
        ],
      },
      new Set(['api', 'db', 'batch', 'web']),
    );
    expect(marks).toEqual({
      breaks: [4],
      restores: [1, 2],
      opens: ['api', 'db'],
      closes: ['batch', 'db'],
      // A link names services: they are marked as services, not looked up as segments.
      services: ['api', 'web'],
      segments: ['group:app', 'group:own', 'group:db'],
    });
  });
});
