import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../import/index';
import { applyCommand } from '../model/commands';
import { memberCount } from './attachments';
import { buildBand, type ElementDef } from './elements';

const udn = () =>
  importFiles([
    {
      name: 'user-defined-networks.yaml',
      text: readFileSync('public/samples/k8s/user-defined-networks.yaml', 'utf8'),
    },
  ]).workspace;
const serviceNodes = (els: ElementDef[]) => els.filter((e) => e.group === 'nodes' && e.data.kind === 'service');
const attachments = (els: ElementDef[]) =>
  els
    .filter((e) => e.group === 'edges' && e.data.kind === 'attachment')
    .map((e) => `${String(e.data.source)} > ${String(e.data.target)}`);

describe('secondary networks in the network band (DESIGN.md: one network per service, secondary attachments besides)', () => {
  it('a pod on a Multus secondary network is one node, in its namespace network, joined to the secondary network', () => {
    const ws = udn();
    expect(ws.services.find((s) => s.id === 'k8s:blue/app')?.memberships.network).toEqual([
      'network:k8s:ns:blue',
      'network:k8s:net:shared/storage',
    ]);
    for (const mode of ['detail', 'summary'] as const) {
      // Summary mode with every segment opened draws every service too.
      const expanded = new Set(ws.segments.filter((g) => g.level === 'network').map((g) => g.id));
      const { elements } = buildBand(ws, { focus: 'network', mode, expanded });
      const nodes = serviceNodes(elements);
      const ids = nodes.map((n) => String(n.data.serviceId));
      expect(ids.sort(), mode).toEqual([
        'k8s:blue/app',
        'k8s:blue/cache',
        'k8s:red-back/api',
        'k8s:red-front/web',
        'k8s:shared/backup-agent',
      ]);
      expect(nodes.find((n) => n.data.serviceId === 'k8s:blue/app')?.data.segmentId).toBe('network:k8s:ns:blue');
      expect(attachments(elements).sort(), mode).toEqual([
        'svc:network:k8s:blue/app:network:k8s:ns:blue > seg:network:k8s:net:shared/storage',
        'svc:network:k8s:shared/backup-agent:network:k8s:ns:shared > seg:network:k8s:net:shared/storage',
      ]);
    }
  });

  it("the secondary network's title counts its attached services", () => {
    const { elements } = buildBand(udn(), { focus: 'network', mode: 'detail' });
    const storage = elements.find((e) => e.data.id === 'seg:network:k8s:net:shared/storage');
    expect(storage?.data.full).toBe('shared/storage · 2 attached');
    // The cell is wide enough to draw the count, not only the name.
    expect(storage?.data.label).toBe('shared/storage · 2 attached');
    expect(storage?.data.members).toBe(0);
  });

  it('folded, the attachment joins the cells that hold each end', () => {
    const { elements, folded } = buildBand(udn(), { focus: 'network', mode: 'summary' });
    expect(folded.has('network:k8s:net:shared/storage')).toBe(true);
    const storage = elements.find((e) => e.data.id === 'seg:network:k8s:net:shared/storage');
    expect(String(storage?.data.label).split('\n').slice(0, 2)).toEqual(['shared/storage', '2 attached']);
    for (const e of attachments(elements)) expect(e.endsWith('> seg:network:k8s:net:shared/storage')).toBe(true);
    expect(attachments(elements).length).toBeGreaterThan(0);
  });

  it('a service on a secondary network only is drawn inside it (it has no other home)', () => {
    const ws = udn();
    const moved = applyCommand(ws, {
      type: 'moveService',
      service: 'k8s:shared/backup-agent',
      level: 'network',
      from: 'network:k8s:ns:shared',
      to: 'network:k8s:net:shared/storage',
    });
    const { elements } = buildBand(moved, { focus: 'network', mode: 'detail' });
    const agent = serviceNodes(elements).filter((n) => n.data.serviceId === 'k8s:shared/backup-agent');
    expect(agent.map((n) => n.data.segmentId)).toEqual(['network:k8s:net:shared/storage']);
  });

  it.each([
    [3, 0, '3'],
    [0, 2, '2 attached'],
    [1, 2, '1 + 2 attached'],
    [1200, 0, '1,200'],
  ])('memberCount(%i, %i) = %s', (services, attached, want) => {
    expect(memberCount(services, attached)).toBe(want);
  });
});
