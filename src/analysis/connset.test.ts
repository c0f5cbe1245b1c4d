import { describe, expect, it } from 'vitest';
import {
  ALL,
  conn,
  connSet,
  contains,
  EMPTY,
  equals,
  formatConnSet,
  intersect,
  isAll,
  isEmpty,
  protocolsSet,
  size,
  subtract,
  toStrings,
  union,
} from './connset';

describe('connset', () => {
  it.each([
    ['single port', conn('TCP', 8080), ['TCP 8080']],
    ['range', connSet('TCP', 10053, 10054), ['TCP 10053-10054']],
    ['all of one protocol', connSet('UDP'), ['UDP 1-65535']],
    ['everything', ALL, ['all']],
    ['nothing', EMPTY, []],
    ['merged adjacent', union(conn('TCP', 80), conn('TCP', 81)), ['TCP 80-81']],
    [
      'sorted by protocol then port',
      union(conn('UDP', 53), union(conn('TCP', 443), conn('TCP', 80))),
      ['TCP 80', 'TCP 443', 'UDP 53'],
    ],
    ['clamped', connSet('TCP', 0, 70000), ['TCP 1-65535']],
    ['three protocols full', protocolsSet(['TCP', 'UDP', 'SCTP']), ['all']],
  ])('%s prints %j', (_n, set, expected) => {
    expect(toStrings(set)).toEqual(expected);
  });

  it('intersects and subtracts ranges exactly', () => {
    const a = connSet('TCP', 1000, 2000);
    const b = union(connSet('TCP', 1500, 2500), conn('UDP', 53));
    expect(toStrings(intersect(a, b))).toEqual(['TCP 1500-2000']);
    expect(toStrings(subtract(a, b))).toEqual(['TCP 1000-1499']);
    expect(toStrings(subtract(b, a))).toEqual(['TCP 2001-2500', 'UDP 53']);
    expect(toStrings(subtract(ALL, conn('TCP', 80)))).toEqual([
      'TCP 1-79',
      'TCP 81-65535',
      'UDP 1-65535',
      'SCTP 1-65535',
    ]);
    expect(isEmpty(subtract(a, ALL))).toBe(true);
    expect(isEmpty(intersect(conn('TCP', 1), conn('UDP', 1)))).toBe(true);
  });

  it('answers membership, size, equality and the connlist form', () => {
    const s = union(connSet('TCP', 8000, 8100), conn('SCTP', 9));
    expect(contains(s, { protocol: 'TCP', port: 8050 })).toBe(true);
    expect(contains(s, { protocol: 'TCP', port: 8101 })).toBe(false);
    expect(contains(s, { protocol: 'UDP', port: 8050 })).toBe(false);
    expect(size(s)).toBe(102);
    expect(equals(s, union(conn('SCTP', 9), connSet('TCP', 8000, 8100)))).toBe(true);
    expect(equals(s, connSet('TCP', 8000, 8100))).toBe(false);
    expect(formatConnSet(s)).toEqual(['TCP 8000-8100', 'SCTP 9']);
    expect(formatConnSet(union(subtract(ALL, conn('TCP', 5)), conn('TCP', 5)))).toBe('all');
    expect(isAll(union(subtract(ALL, conn('TCP', 5)), conn('TCP', 5)))).toBe(true);
  });
});
