import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { CanvasKeys, type CursorEvents, firstPlace, nextInDirection, type Place } from './keyboard';

// A 3×2 grid of services 100 apart, and one far down-right.
const grid: Place[] = [
  { id: 'a', x: 0, y: 0 },
  { id: 'b', x: 100, y: 0 },
  { id: 'c', x: 200, y: 0 },
  { id: 'd', x: 0, y: 100 },
  { id: 'e', x: 100, y: 100 },
  { id: 'f', x: 200, y: 100 },
  { id: 'g', x: 420, y: 380 },
];
const at = (id: string) => grid.find((p) => p.id === id) as Place;

describe('nextInDirection: the nearest place ahead, sideways counting double', () => {
  it.each([
    ['a', 'right', 'b'],
    ['b', 'right', 'c'],
    ['c', 'left', 'b'],
    ['a', 'down', 'd'],
    ['e', 'up', 'b'],
    ['a', 'left', undefined],
    ['a', 'up', undefined],
    // Nothing within 45° to the right of f: the nearest on that side, g, far below.
    ['f', 'right', 'g'],
    // From g, e lies within 45° to the left and f does not: the cone comes first.
    ['g', 'left', 'e'],
  ] as const)('from %s going %s: %s', (from, dir, expected) => {
    expect(nextInDirection(at(from), grid, dir)).toBe(expected);
  });

  it('starts a walk at the first place in reading order', () => {
    expect(firstPlace([...grid].reverse())).toBe('a');
    expect(firstPlace([])).toBeUndefined();
  });
});

describe('CanvasKeys on a drawn band', () => {
  const setup = (selected?: string) => {
    const cy = cytoscape({ headless: true, styleEnabled: true });
    cy.add([
      { data: { id: 'seg:g:1', kind: 'segment', segmentId: 'g:1' }, position: { x: 50, y: 0 } },
      ...grid.slice(0, 3).map((p) => ({
        data: { id: `svc:${p.id}`, kind: 'service', serviceId: p.id, segmentId: 'g:1' },
        position: { x: p.x, y: p.y },
      })),
      {
        data: { id: 'seg:g:2', kind: 'segment', segmentId: 'g:2', unit: 'g:2', members: 40 },
        position: { x: 100, y: 200 },
        classes: 'summary',
      },
      {
        data: { id: 'ctx:vpc-b', kind: 'context', segmentId: 'network:vpc-b', unit: 'network:vpc-b', members: 300 },
        position: { x: 100, y: 400 },
        classes: 'context folded',
      },
    ]);
    let listener: ((e: KeyboardEvent) => void) | undefined;
    const container = { addEventListener: (_: string, f: typeof listener) => (listener = f), removeEventListener() {} };
    const log: string[] = [];
    const events: CursorEvents = {
      onSelectService: (id) => log.push(`select ${id}`),
      onSelectSegment: (id) => log.push(`select segment ${id}`),
      onToggleUnit: (key) => log.push(`toggle ${key}`),
      onClear: () => log.push('clear'),
      onCursor: (n) => log.push(`cursor ${n?.id()}`),
      selectedService: () => selected,
    };
    const keys = new CanvasKeys(cy, container as unknown as HTMLElement, events);
    const press = (key: string, mods: Partial<KeyboardEvent> = {}) => {
      let prevented = false;
      listener?.({
        key,
        ctrlKey: false,
        metaKey: false,
        altKey: false,
        ...mods,
        preventDefault: () => (prevented = true),
      } as KeyboardEvent);
      return prevented;
    };
    return { cy, keys, log, press };
  };

  it('arrows walk services, summary cells and folded units, Enter selects or opens, Escape clears', () => {
    const { cy, log, press } = setup();
    expect(press('ArrowRight')).toBe(true);
    expect(press('ArrowRight')).toBe(true);
    expect(press('Enter')).toBe(true);
    expect(press('ArrowDown')).toBe(true);
    press(' ');
    press('ArrowDown');
    press('Enter');
    expect(press('Escape')).toBe(true);
    expect(log).toEqual([
      'cursor svc:a',
      'cursor svc:b',
      'select b',
      'cursor seg:g:2',
      'toggle g:2',
      'select segment g:2',
      // A folded VPC cell opens; it is no segment of this band, so nothing is selected.
      'cursor ctx:vpc-b',
      'toggle network:vpc-b',
      'clear',
    ]);
    // One node carries the cursor: the last one walked to. Segments that are containers are not walked.
    expect(cy.nodes('.cursor').map((n) => n.id())).toEqual(['ctx:vpc-b']);
  });

  it('a walk starts at the selected service; keys with Ctrl or Alt are left to others', () => {
    const { log, press } = setup('c');
    expect(press('ArrowLeft', { ctrlKey: true })).toBe(false);
    expect(press('Enter')).toBe(false); // no cursor yet: nothing to select
    press('ArrowLeft');
    expect(log).toEqual(['cursor svc:b']);
  });

  it('a redraw that removes the cursor node drops the cursor', () => {
    const { cy, keys, press } = setup();
    press('ArrowRight');
    expect(keys.current()?.id()).toBe('svc:a');
    cy.getElementById('svc:a').remove();
    keys.refresh();
    expect(keys.current()).toBeUndefined();
  });
});
