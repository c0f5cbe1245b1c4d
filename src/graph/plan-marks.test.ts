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

describe('planMarks of network-level rules (DESIGN: a route table or network ACL governs its subnets in its VPC)', () => {
  it('marks the subnets and the VPC a changed route table or network ACL names as segments', () => {
    const marks = planMarks(
      [
        {
          type: 'addRule',
          rule: {
            id: 'rtb',
            type: 'route-table',
            level: 'network',
            routeTableId: 'rtb-1',
            vpc: 'vpc:main',
            subnets: ['subnet:a'],
            routes: [{ destination: '0.0.0.0/0', target: 'igw-1' }],
          },
        },
        {
          type: 'removeRule',
          rule: {
            id: 'acl',
            type: 'network-acl',
            level: 'network',
            aclId: 'acl-1',
            subnets: ['subnet:b', 'subnet:c'],
            entries: [],
          },
        },
      ],
      { brokenCalls: [], restoredCalls: [], openedPairs: [], closedPairs: [] },
      new Set(['api']),
    );
    expect(marks.segments).toEqual(['subnet:a', 'vpc:main', 'subnet:b', 'subnet:c']);
    expect(marks.services).toEqual([]);
  });
});

describe('planMarks of a host move (DESIGN exposed-colocated: the fix is one critical container per VM)', () => {
  it('marks a service a placeService command moves to another host, and no segment for the hosts', () => {
    const marks = planMarks(
      [
        {
          type: 'applyPlan',
          label: 'own VM',
          commands: [{ type: 'placeService', service: 'web', from: 'host-1', to: 'vm-web' }],
        },
      ],
      { brokenCalls: [], restoredCalls: [], openedPairs: [], closedPairs: [] },
      new Set(['web', 'db']),
    );
    expect([marks.services, marks.segments]).toEqual([['web'], []]);
  });
});
