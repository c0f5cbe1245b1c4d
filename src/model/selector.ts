// Label selectors: Kubernetes LabelSelector matching and the Calico selector language (parse, cache, evaluate).
import type { LabelSelector } from './types';

// ---------------------------------------------------------------------------------------------
// Kubernetes

/**
 * Kubernetes semantics: every matchLabels pair AND every matchExpressions requirement; `{}` matches
 * everything. An absent selector also matches everything here: callers decide what absence means
 * where the API gives it another meaning.
 */
export const matchLabelSelector = (sel: LabelSelector | undefined, labels: Record<string, string>): boolean => {
  if (!sel) return true;
  // Without Object.entries: the analysis calls this millions of times on large estates, and the
  // arrays it would allocate per call cost more than the matching (own keys only, as entries gives).
  const ml = sel.matchLabels;
  if (ml) {
    for (const k in ml) {
      if (!Object.hasOwn(ml, k)) continue;
      if (!Object.hasOwn(labels, k) || labels[k] !== ml[k]) return false;
    }
  }
  const exprs = sel.matchExpressions;
  if (!exprs) return true;
  for (const req of exprs) {
    const has = Object.hasOwn(labels, req.key);
    const value = has ? labels[req.key] : undefined;
    switch (req.operator) {
      case 'In':
        if (!has || !(req.values ?? []).includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && (req.values ?? []).includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        // An operator the API does not know selects nothing (the API server would reject it).
        return false;
    }
  }
  return true;
};

/** The selector as kubectl prints it (`app=db,tier in (a,b),!legacy`); `{}` is the empty string. */
export const labelSelectorText = (sel: LabelSelector | undefined): string => {
  if (!sel) return '';
  const parts: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push({ key: k, text: `${k}=${v}` });
  for (const req of sel.matchExpressions ?? []) {
    const values = [...(req.values ?? [])].sort().join(',');
    const text =
      req.operator === 'In'
        ? `${req.key} in (${values})`
        : req.operator === 'NotIn'
          ? `${req.key} notin (${values})`
          : req.operator === 'Exists'
            ? req.key
            : `!${req.key}`;
    parts.push({ key: req.key, text });
  }
  // Sorted by key like apimachinery, so equal selectors written differently get one name.
  parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return parts.map((p) => p.text).join(',');
};

// ---------------------------------------------------------------------------------------------
// Calico (projectcalico.org/v3 selector expressions, as libcalico-go's tokenizer and parser read them)

export type CalicoExpr =
  | { op: 'all' }
  | { op: 'global' }
  | { op: 'has'; key: string }
  | { op: '==' | '!=' | 'contains' | 'starts with' | 'ends with'; key: string; value: string }
  | { op: 'in' | 'not in'; key: string; values: string[] }
  | { op: 'not'; expr: CalicoExpr }
  | { op: 'and' | 'or'; exprs: CalicoExpr[] };

export type CalicoParseResult =
  | { ok: true; expr: CalicoExpr }
  | {
      ok: false;
      error: string;
      /** 0-based offset into the selector text of the offending character. */
      offset: number;
    };

type TokKind =
  | 'label'
  | 'string'
  | '{'
  | '}'
  | ','
  | '=='
  | '!='
  | 'in'
  | 'not in'
  | '!'
  | 'contains'
  | 'starts with'
  | 'ends with'
  | 'all'
  | 'global'
  | 'has'
  | '('
  | ')'
  | '&&'
  | '||'
  | 'eof';

interface Token {
  kind: TokKind;
  value: string;
  offset: number;
}

class SelectorError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Calico label keys: the characters libcalico-go accepts, at most 512 of them. */
const isKeyChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_./-]/.test(c);
const MAX_KEY = 512;
const OPERATORS = 'expected an operator (==, !=, in, not in, contains, starts with, ends with)';
// Calico itself only skips spaces and tabs; YAML block scalars add newlines, so those are skipped too.
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  const skip = () => {
    while (isSpace(text[i])) i++;
  };
  const keyAt = (start: number): string => {
    let j = start;
    while (isKeyChar(text[j])) j++;
    return text.slice(start, j);
  };
  /** A keyword that must not run on into a label key (`inside` is not `in`). */
  const word = (w: string): boolean => text.startsWith(w, i) && !/[A-Za-z0-9_]/.test(text[i + w.length] ?? '');
  const push = (kind: TokKind, offset: number, value = '') => tokens.push({ kind, value, offset });
  for (;;) {
    skip();
    if (i >= text.length) {
      push('eof', i);
      return tokens;
    }
    const start = i;
    const c = text[i] as string;
    const last = tokens[tokens.length - 1]?.kind;
    if (c === '(' || c === ')' || c === '{' || c === '}' || c === ',') {
      push(c, start);
      i++;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new SelectorError('unterminated string', start);
      push('string', start, text.slice(i + 1, end));
      i = end + 1;
    } else if (c === '=') {
      if (text[i + 1] !== '=') throw new SelectorError("expected '=='", start);
      push('==', start);
      i += 2;
    } else if (c === '!') {
      if (text[i + 1] === '=') {
        push('!=', start);
        i += 2;
      } else {
        push('!', start);
        i++;
      }
    } else if (c === '&') {
      if (text[i + 1] !== '&') throw new SelectorError("expected '&&'", start);
      push('&&', start);
      i += 2;
    } else if (c === '|') {
      if (text[i + 1] !== '|') throw new SelectorError("expected '||'", start);
      push('||', start);
      i += 2;
    } else if (last === 'label') {
      // After a label only an operator word may follow.
      const label = tokens[tokens.length - 1]?.value;
      const expectOp = (at = start) => new SelectorError(`${OPERATORS} after label '${label}'`, at);
      if (word('contains')) {
        push('contains', start);
        i += 'contains'.length;
      } else if (word('starts') || word('ends')) {
        const w = word('starts') ? 'starts' : 'ends';
        i += w.length;
        skip();
        if (!word('with')) throw expectOp(i);
        i += 4;
        push(w === 'starts' ? 'starts with' : 'ends with', start);
      } else if (word('not')) {
        i += 3;
        skip();
        if (!word('in')) throw expectOp(i);
        i += 2;
        push('not in', start);
      } else if (word('in')) {
        push('in', start);
        i += 2;
      } else throw expectOp();
    } else if (text.startsWith('has(', i)) {
      i += 4;
      skip();
      const key = keyAt(i);
      if (key === '') throw new SelectorError('expected a label name in has(…)', i);
      if (key.length > MAX_KEY) throw new SelectorError(`label name longer than ${MAX_KEY} characters`, i);
      i += key.length;
      skip();
      if (text[i] !== ')') throw new SelectorError("expected ')' to close has(", i);
      i++;
      push('has', start, key);
    } else if (text.startsWith('all(', i) || text.startsWith('global(', i)) {
      const kind = text.startsWith('all(', i) ? 'all' : 'global';
      i += kind.length + 1;
      skip();
      if (text[i] !== ')') throw new SelectorError(`expected ')' after ${kind}(`, i);
      i++;
      push(kind, start);
    } else if (isKeyChar(c)) {
      const key = keyAt(i);
      if (key.length > MAX_KEY) throw new SelectorError(`label name longer than ${MAX_KEY} characters`, start);
      push('label', start, key);
      i += key.length;
    } else {
      throw new SelectorError(`unexpected character '${c}'`, start);
    }
  }
};

const tokenText = (t: Token): string =>
  t.kind === 'eof'
    ? 'end of selector'
    : t.kind === 'label'
      ? `label '${t.value}'`
      : t.kind === 'string'
        ? `string '${t.value}'`
        : `'${t.kind}'`;

const parseTokens = (tokens: Token[]): CalicoExpr => {
  let p = 0;
  const peek = (): Token => tokens[p] as Token; // the list always ends with eof
  const next = (): Token => tokens[p++] as Token;
  const orExpr = (): CalicoExpr => {
    const exprs = [andExpr()];
    while (peek().kind === '||') {
      p++;
      exprs.push(andExpr());
    }
    return exprs.length === 1 ? (exprs[0] as CalicoExpr) : { op: 'or', exprs };
  };
  const andExpr = (): CalicoExpr => {
    const exprs = [operation()];
    while (peek().kind === '&&') {
      p++;
      exprs.push(operation());
    }
    return exprs.length === 1 ? (exprs[0] as CalicoExpr) : { op: 'and', exprs };
  };
  const operation = (): CalicoExpr => {
    // Leading `!`s collapse to one negation, as in libcalico-go.
    let negated = false;
    while (peek().kind === '!') {
      negated = !negated;
      p++;
    }
    const t = next();
    let expr: CalicoExpr;
    switch (t.kind) {
      case 'has':
        expr = { op: 'has', key: t.value };
        break;
      case 'all':
        expr = { op: 'all' };
        break;
      case 'global':
        expr = { op: 'global' };
        break;
      case '(': {
        expr = orExpr();
        const close = next();
        if (close.kind !== ')') throw new SelectorError(`expected ')' but found ${tokenText(close)}`, close.offset);
        break;
      }
      case 'label': {
        const op = next();
        switch (op.kind) {
          case '==':
          case '!=':
          case 'contains':
          case 'starts with':
          case 'ends with': {
            const v = next();
            if (v.kind !== 'string') {
              throw new SelectorError(
                `expected a quoted string after '${op.kind}' but found ${tokenText(v)}`,
                v.offset,
              );
            }
            expr = { op: op.kind, key: t.value, value: v.value };
            break;
          }
          case 'in':
          case 'not in': {
            const open = next();
            if (open.kind !== '{') {
              throw new SelectorError(`expected '{' after '${op.kind}' but found ${tokenText(open)}`, open.offset);
            }
            const values: string[] = [];
            while (peek().kind === 'string') {
              values.push(next().value);
              if (peek().kind !== ',') break;
              p++;
            }
            const close = next();
            if (close.kind !== '}') throw new SelectorError(`expected '}' but found ${tokenText(close)}`, close.offset);
            expr = { op: op.kind, key: t.value, values: [...new Set(values)] };
            break;
          }
          default:
            throw new SelectorError(`${OPERATORS} after label '${t.value}'`, op.offset);
        }
        break;
      }
      default:
        throw new SelectorError(`unexpected ${tokenText(t)}`, t.offset);
    }
    return negated ? { op: 'not', expr } : expr;
  };
  const expr = orExpr();
  const rest = peek();
  if (rest.kind !== 'eof') throw new SelectorError(`unexpected ${tokenText(rest)} after the expression`, rest.offset);
  return expr;
};

const parseUncached = (text: string): CalicoParseResult => {
  try {
    const tokens = tokenize(text);
    if (tokens[0]?.kind === 'eof') return { ok: true, expr: { op: 'all' } }; // empty selector = all()
    return { ok: true, expr: parseTokens(tokens) };
  } catch (e) {
    if (e instanceof SelectorError) return { ok: false, error: e.message, offset: e.offset };
    return { ok: false, error: (e as Error).message, offset: 0 };
  }
};

/** Analysis parses the same few selectors many times; results are immutable, so they are shared. */
const cache = new Map<string, CalicoParseResult>();
const CACHE_LIMIT = 20000;

export const parseCalicoSelector = (text: string): CalicoParseResult => {
  const hit = cache.get(text);
  if (hit) return hit;
  const result = parseUncached(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, result);
  return result;
};

export interface CalicoEvalContext {
  /**
   * True when the labels belong to a namespaced resource. Calico's `global()` only matches
   * non-namespaced resources; when unknown (undefined) it matches, as libcalico-go's evaluator does.
   */
  namespaced?: boolean;
}

export const evalCalicoSelector = (
  expr: CalicoExpr,
  labels: Record<string, string>,
  ctx: CalicoEvalContext = {},
): boolean => {
  switch (expr.op) {
    case 'all':
      return true;
    case 'global':
      return ctx.namespaced !== true;
    case 'has':
      return Object.hasOwn(labels, expr.key);
    case 'not':
      return !evalCalicoSelector(expr.expr, labels, ctx);
    case 'and':
      return expr.exprs.every((e) => evalCalicoSelector(e, labels, ctx));
    case 'or':
      return expr.exprs.some((e) => evalCalicoSelector(e, labels, ctx));
    default:
      break;
  }
  const has = Object.hasOwn(labels, expr.key);
  const v = labels[expr.key] as string;
  switch (expr.op) {
    case '==':
      return has && v === expr.value;
    case '!=':
      // A missing label is "not equal" in Calico.
      return !has || v !== expr.value;
    case 'contains':
      return has && v.includes(expr.value);
    case 'starts with':
      return has && v.startsWith(expr.value);
    case 'ends with':
      return has && v.endsWith(expr.value);
    case 'in':
      return has && expr.values.includes(v);
    case 'not in':
      return !has || !expr.values.includes(v);
  }
};

/** Parse (cached) and evaluate; an invalid selector selects nothing. */
export const matchCalicoSelector = (
  text: string,
  labels: Record<string, string>,
  ctx: CalicoEvalContext = {},
): boolean => {
  const r = parseCalicoSelector(text);
  return r.ok && evalCalicoSelector(r.expr, labels, ctx);
};
