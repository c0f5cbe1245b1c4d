// The Calico selector language's tokenizer and parser (projectcalico.org/v3, as libcalico-go reads it): text to an expression or a located error.

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

/** Parse without the cache: the expression, or the error and the offset of the character it is at. */
export const parseCalicoSelectorText = (text: string): CalicoParseResult => {
  try {
    const tokens = tokenize(text);
    if (tokens[0]?.kind === 'eof') return { ok: true, expr: { op: 'all' } }; // empty selector = all()
    return { ok: true, expr: parseTokens(tokens) };
  } catch (e) {
    if (e instanceof SelectorError) return { ok: false, error: e.message, offset: e.offset };
    return { ok: false, error: (e as Error).message, offset: 0 };
  }
};
