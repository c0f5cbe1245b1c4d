import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CalicoExpr,
  evalCalicoSelector,
  labelSelectorText,
  matchCalicoSelector,
  matchLabelSelector,
  parseCalicoSelector,
} from './selector';
import type { LabelSelector } from './types';

describe('matchLabelSelector (Kubernetes)', () => {
  const pod = { app: 'db', tier: 'data', 'app.kubernetes.io/part-of': 'shop' };
  const cases: [string, LabelSelector | undefined, boolean][] = [
    ['absent selector', undefined, true],
    ['{} matches everything', {}, true],
    ['matchLabels equal', { matchLabels: { app: 'db' } }, true],
    ['matchLabels differ', { matchLabels: { app: 'web' } }, false],
    ['matchLabels key missing', { matchLabels: { env: 'prod' } }, false],
    ['matchLabels two keys AND', { matchLabels: { app: 'db', tier: 'web' } }, false],
    ['In hit', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['data', 'cache'] }] }, true],
    ['In miss', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, false],
    ['In key absent', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }, false],
    ['NotIn hit', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['data'] }] }, false],
    ['NotIn miss', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, true],
    ['NotIn key absent', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, true],
    ['Exists present', { matchExpressions: [{ key: 'app.kubernetes.io/part-of', operator: 'Exists' }] }, true],
    ['Exists absent', { matchExpressions: [{ key: 'env', operator: 'Exists' }] }, false],
    ['DoesNotExist absent', { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, true],
    ['DoesNotExist present', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [
      'matchLabels AND matchExpressions',
      { matchLabels: { app: 'db' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] },
      false,
    ],
  ];
  it.each(cases)('%s', (_name, sel, want) => {
    expect(matchLabelSelector(sel, pod)).toBe(want);
  });
  it('does not see prototype keys as labels', () => {
    expect(matchLabelSelector({ matchExpressions: [{ key: 'toString', operator: 'Exists' }] }, {})).toBe(false);
  });
});

describe('labelSelectorText', () => {
  it.each([
    [{}, ''],
    [{ matchLabels: { app: 'db' } }, 'app=db'],
    [{ matchLabels: { tier: 'x', app: 'db' } }, 'app=db,tier=x'],
    [
      {
        matchExpressions: [
          { key: 'env', operator: 'NotIn' as const, values: ['qa', 'dev'] },
          { key: 'b', operator: 'Exists' as const },
          { key: 'a', operator: 'DoesNotExist' as const },
          { key: 'c', operator: 'In' as const, values: ['2', '1'] },
        ],
      },
      '!a,b,c in (1,2),env notin (dev,qa)',
    ],
  ])('%j → %s', (sel, want) => {
    expect(labelSelectorText(sel)).toBe(want);
  });
});

describe('parseCalicoSelector', () => {
  const eq = (key: string, value: string): CalicoExpr => ({ op: '==', key, value });
  const ok: [string, CalicoExpr][] = [
    ['', { op: 'all' }],
    ['   ', { op: 'all' }],
    ['all()', { op: 'all' }],
    ['all( )', { op: 'all' }],
    ['global()', { op: 'global' }],
    ["app == 'db'", eq('app', 'db')],
    ['app=="db"', eq('app', 'db')],
    ["app != 'db'", { op: '!=', key: 'app', value: 'db' }],
    ["app.kubernetes.io/name == 'cart-v2'", eq('app.kubernetes.io/name', 'cart-v2')],
    ["projectcalico.org/namespace == 'shop'", eq('projectcalico.org/namespace', 'shop')],
    ["role in {'a', 'b'}", { op: 'in', key: 'role', values: ['a', 'b'] }],
    ["role in {'a',}", { op: 'in', key: 'role', values: ['a'] }],
    ['role in {}', { op: 'in', key: 'role', values: [] }],
    ['role not in {"a",\'b\'}', { op: 'not in', key: 'role', values: ['a', 'b'] }],
    ['has(app)', { op: 'has', key: 'app' }],
    ['has( app )', { op: 'has', key: 'app' }],
    ['!has(app)', { op: 'not', expr: { op: 'has', key: 'app' } }],
    ['!!has(app)', { op: 'has', key: 'app' }],
    ["name starts with 'web-'", { op: 'starts with', key: 'name', value: 'web-' }],
    ["name ends with '-v2'", { op: 'ends with', key: 'name', value: '-v2' }],
    ["name contains 'cart'", { op: 'contains', key: 'name', value: 'cart' }],
    ["a == '1' && b == '2'", { op: 'and', exprs: [eq('a', '1'), eq('b', '2')] }],
    ["a == '1' || b == '2'", { op: 'or', exprs: [eq('a', '1'), eq('b', '2')] }],
    [
      // && binds tighter than ||
      "a == '1' || b == '2' && c == '3'",
      { op: 'or', exprs: [eq('a', '1'), { op: 'and', exprs: [eq('b', '2'), eq('c', '3')] }] },
    ],
    [
      "(a == '1' || b == '2') && c == '3'",
      { op: 'and', exprs: [{ op: 'or', exprs: [eq('a', '1'), eq('b', '2')] }, eq('c', '3')] },
    ],
    ["!(a == '1')", { op: 'not', expr: eq('a', '1') }],
    ["a == 'x y' &&\n  b == 'z'", { op: 'and', exprs: [eq('a', 'x y'), eq('b', 'z')] }],
    ['all == "x"', eq('all', 'x')],
  ];
  it.each(ok)('parses %j', (text, expr) => {
    expect(parseCalicoSelector(text)).toEqual({ ok: true, expr });
  });

  const bad: [string, number, string][] = [
    ["app = 'db'", 4, "expected '=='"],
    ["app == 'db", 7, 'unterminated string'],
    ['app == db', 7, "expected a quoted string after '==' but found label 'db'"],
    ['app', 3, "expected an operator (==, !=, in, not in, contains, starts with, ends with) after label 'app'"],
    ["app is 'db'", 4, "after label 'app'"],
    ["a == '1' & b == '2'", 9, "expected '&&'"],
    ["a == '1' | b == '2'", 9, "expected '||'"],
    ["(a == '1'", 9, "expected ')' but found end of selector"],
    ["a == '1')", 8, "unexpected ')' after the expression"],
    ["a in 'x'", 5, "expected '{' after 'in'"],
    ["a in {'x' 'y'}", 10, "expected '}' but found string 'y'"],
    ['has(', 4, 'expected a label name in has(…)'],
    ['has(app', 7, "expected ')' to close has("],
    ['all(x)', 4, "expected ')' after all("],
    ["a == '1' &&", 11, 'unexpected end of selector'],
    ["a == '1' b == '2'", 9, "unexpected label 'b' after the expression"],
    ["a starts 'x'", 9, "after label 'a'"],
    ["a not 'x'", 6, "after label 'a'"],
    ['#app', 0, "unexpected character '#'"],
    ["&& a == 'b'", 0, "unexpected '&&'"],
  ];
  it.each(bad)('rejects %j at offset %i', (text, offset, message) => {
    const r = parseCalicoSelector(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.offset).toBe(offset);
    expect(r.error).toContain(message);
  });

  it('caches by text: the same result object comes back', () => {
    const a = parseCalicoSelector("cache == 'me'");
    expect(parseCalicoSelector("cache == 'me'")).toBe(a);
  });
});

describe('evalCalicoSelector', () => {
  const labels = { app: 'cart', tier: 'web', 'app.kubernetes.io/name': 'cart-v2' };
  const cases: [string, boolean][] = [
    ['', true],
    ['all()', true],
    ["app == 'cart'", true],
    ["app == 'db'", false],
    ["app != 'db'", true],
    ["app != 'cart'", false],
    ["env != 'prod'", true], // absent label is "not equal"
    ["env == 'prod'", false],
    ["tier in {'web', 'api'}", true],
    ["tier in {'api'}", false],
    ["env in {'prod'}", false],
    ["tier not in {'web'}", false],
    ["env not in {'prod'}", true], // absent label is "not in"
    ['has(tier)', true],
    ['has(env)', false],
    ['!has(env)', true],
    ["app.kubernetes.io/name starts with 'cart'", true],
    ["app.kubernetes.io/name ends with '-v2'", true],
    ["app.kubernetes.io/name contains 't-v'", true],
    ["env starts with ''", false], // operators other than != / not in need the label
    ["app == 'cart' && tier == 'db'", false],
    ["app == 'cart' || tier == 'db'", true],
    ["!(app == 'cart' && tier == 'db')", true],
  ];
  it.each(cases)('%j → %s', (text, want) => {
    const r = parseCalicoSelector(text);
    if (!r.ok) throw new Error(r.error);
    expect(evalCalicoSelector(r.expr, labels)).toBe(want);
  });

  it('global() matches only non-namespaced resources when that is known', () => {
    const r = parseCalicoSelector('global()');
    if (!r.ok) throw new Error(r.error);
    expect([
      evalCalicoSelector(r.expr, {}),
      evalCalicoSelector(r.expr, {}, { namespaced: false }),
      evalCalicoSelector(r.expr, {}, { namespaced: true }),
    ]).toEqual([true, true, false]);
  });

  it('an invalid selector matches nothing', () => {
    expect(matchCalicoSelector('app = x', { app: 'x' })).toBe(false);
    expect(matchCalicoSelector("app == 'x'", { app: 'x' })).toBe(true);
  });
});

describe('parseCalicoSelector never throws', () => {
  it('returns a result with an offset inside the text for any input', () => {
    const alphabet = fc.constantFrom(...`ab=!&|(){},'" \thasllglobal()innotcontainsstartswithends`.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: alphabet, maxLength: 60 })), (text) => {
        const r = parseCalicoSelector(text);
        if (!r.ok) expect(r.offset >= 0 && r.offset <= text.length).toBe(true);
        else expect(typeof evalCalicoSelector(r.expr, { a: 'b' })).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });
});
