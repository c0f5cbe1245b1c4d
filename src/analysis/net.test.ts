import { describe, expect, it } from 'vitest';
import { cidrContains, cidrSize, cidrsOverlap, isAnyCidr, isValidCidr } from './net';

describe('net', () => {
  it.each([
    ['10.0.0.0/16', '10.0.3.4', true],
    ['10.0.0.0/16', '10.1.0.1', false],
    ['0.0.0.0/0', '192.168.1.1', true],
    ['10.0.0.5', '10.0.0.5', true],
    ['10.0.0.5/32', '10.0.0.6', false],
    ['::/0', '10.0.0.1', false],
    ['fd00::/8', 'fd00::1', true],
    ['10.0.0.0/8', '::ffff:10.2.3.4', true],
    ['not-a-cidr', '10.0.0.1', false],
  ])('%s contains %s: %s', (cidr, addr, expected) => {
    expect(cidrContains(cidr, addr)).toBe(expected);
  });

  it.each([
    ['10.0.0.0/16', '10.0.128.0/17', true],
    ['10.0.0.0/16', '10.1.0.0/16', false],
    ['10.0.0.0/8', '10.200.0.0/16', true],
    ['10.0.0.0/16', 'fd00::/8', false],
  ])('%s overlaps %s: %s', (a, b, expected) => {
    expect(cidrsOverlap(a, b)).toBe(expected);
    expect(cidrsOverlap(b, a)).toBe(expected);
  });

  it('sizes and validates', () => {
    expect(cidrSize('10.0.0.0/28')).toBe(16);
    expect(cidrSize('10.0.0.0/16')).toBe(65536);
    expect(cidrSize('junk')).toBe(0);
    expect(isValidCidr('10.0.0.0/33')).toBe(false);
    expect(isAnyCidr('0.0.0.0/0')).toBe(true);
    expect(isAnyCidr('::/0')).toBe(true);
    expect(isAnyCidr('10.0.0.0/8')).toBe(false);
  });
});
