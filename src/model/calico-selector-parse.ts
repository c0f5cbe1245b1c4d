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

/** The lexer's state: the text, the position and the tokens so far. */
interface Scan {
  text: string;
  i: number;
  tokens: Token[];
}

const skip = (sc: Scan) => {
  while (isSpace(sc.text[sc.i])) sc.i++;
};
const keyAt = (sc: Scan, start: number): string => {
  let j = start;
  while (isKeyChar(sc.text[j])) j++;
  return sc.text.slice(start, j);
};
/** A keyword that must not run on into a label key (`inside` is not `in`). */
const word = (sc: Scan, w: string): boolean =>
  sc.text.startsWith(w, sc.i) && !/[A-Za-z0-9_]/.test(sc.text[sc.i + w.length] ?? '');
const push = (sc: Scan, kind: TokKind, offset: number, value = '') => sc.tokens.push({ kind, value, offset });

/** Punctuation, strings and the symbol operators (`==`, `!=`, `!`, `&&`, `||`); false when none starts here. */
const scanSymbol = (sc: Scan): boolean => {
  const { text } = sc;
  const start = sc.i;
  const c = text[start] as string;
  const pair = (second: string, kind: TokKind, message: string) => {
    if (text[start + 1] !== second) throw new SelectorError(message, start);
    push(sc, kind, start);
    sc.i += 2;
  };
  if (c === '(' || c === ')' || c === '{' || c === '}' || c === ',') {
    push(sc, c, start);
    sc.i++;
  } else if (c === '"' || c === "'") {
    const end = text.indexOf(c, start + 1);
    if (end < 0) throw new SelectorError('unterminated string', start);
    push(sc, 'string', start, text.slice(start + 1, end));
    sc.i = end + 1;
  } else if (c === '=') pair('=', '==', "expected '=='");
  else if (c === '!') {
    if (text[start + 1] === '=') pair('=', '!=', '');
    else {
      push(sc, '!', start);
      sc.i++;
    }
  } else if (c === '&') pair('&', '&&', "expected '&&'");
  else if (c === '|') pair('|', '||', "expected '||'");
  else return false;
  return true;
};

/** After a label only an operator word may follow (`contains`, `starts with`, `ends with`, `not in`, `in`). */
const scanOperatorWord = (sc: Scan) => {
  const start = sc.i;
  const label = sc.tokens[sc.tokens.length - 1]?.value;
  const expectOp = (at = start) => new SelectorError(`${OPERATORS} after label '${label}'`, at);
  if (word(sc, 'contains')) {
    push(sc, 'contains', start);
    sc.i += 'contains'.length;
  } else if (word(sc, 'starts') || word(sc, 'ends')) {
    const w = word(sc, 'starts') ? 'starts' : 'ends';
    sc.i += w.length;
    skip(sc);
    if (!word(sc, 'with')) throw expectOp(sc.i);
    sc.i += 4;
    push(sc, w === 'starts' ? 'starts with' : 'ends with', start);
  } else if (word(sc, 'not')) {
    sc.i += 3;
    skip(sc);
    if (!word(sc, 'in')) throw expectOp(sc.i);
    sc.i += 2;
    push(sc, 'not in', start);
  } else if (word(sc, 'in')) {
    push(sc, 'in', start);
    sc.i += 2;
  } else throw expectOp();
};

/** `has(key)`, `all()`, `global()` or a label key. */
const scanName = (sc: Scan) => {
  const { text } = sc;
  const start = sc.i;
  if (text.startsWith('has(', start)) {
    sc.i += 4;
    skip(sc);
    const key = keyAt(sc, sc.i);
    if (key === '') throw new SelectorError('expected a label name in has(…)', sc.i);
    if (key.length > MAX_KEY) throw new SelectorError(`label name longer than ${MAX_KEY} characters`, sc.i);
    sc.i += key.length;
    skip(sc);
    if (text[sc.i] !== ')') throw new SelectorError("expected ')' to close has(", sc.i);
    sc.i++;
    push(sc, 'has', start, key);
  } else if (text.startsWith('all(', start) || text.startsWith('global(', start)) {
    const kind = text.startsWith('all(', start) ? 'all' : 'global';
    sc.i += kind.length + 1;
    skip(sc);
    if (text[sc.i] !== ')') throw new SelectorError(`expected ')' after ${kind}(`, sc.i);
    sc.i++;
    push(sc, kind, start);
  } else if (isKeyChar(text[start])) {
    const key = keyAt(sc, start);
    if (key.length > MAX_KEY) throw new SelectorError(`label name longer than ${MAX_KEY} characters`, start);
    push(sc, 'label', start, key);
    sc.i += key.length;
  } else {
    throw new SelectorError(`unexpected character '${text[start]}'`, start);
  }
};

const tokenize = (text: string): Token[] => {
  const sc: Scan = { text, i: 0, tokens: [] };
  for (;;) {
    skip(sc);
    if (sc.i >= text.length) {
      push(sc, 'eof', sc.i);
      return sc.tokens;
    }
    if (scanSymbol(sc)) continue;
    if (sc.tokens[sc.tokens.length - 1]?.kind === 'label') scanOperatorWord(sc);
    else scanName(sc);
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

/** The parser's state: the tokens (always ending with eof) and the position. */
interface Parse {
  tokens: Token[];
  p: number;
}

const peek = (ps: Parse): Token => ps.tokens[ps.p] as Token; // the list always ends with eof
const next = (ps: Parse): Token => ps.tokens[ps.p++] as Token;

/** Items separated by `sep`: one item alone, else their `and`/`or`. */
const joined = (ps: Parse, sep: '||' | '&&', op: 'or' | 'and', item: (ps: Parse) => CalicoExpr): CalicoExpr => {
  const exprs = [item(ps)];
  while (peek(ps).kind === sep) {
    ps.p++;
    exprs.push(item(ps));
  }
  return exprs.length === 1 ? (exprs[0] as CalicoExpr) : { op, exprs };
};

const orExpr = (ps: Parse): CalicoExpr => joined(ps, '||', 'or', andExpr);
const andExpr = (ps: Parse): CalicoExpr => joined(ps, '&&', 'and', operation);

/** A comparison on label `key`: an operator and a quoted string, or `in`/`not in` and a set of strings. */
const labelOperation = (ps: Parse, key: string): CalicoExpr => {
  const op = next(ps);
  switch (op.kind) {
    case '==':
    case '!=':
    case 'contains':
    case 'starts with':
    case 'ends with': {
      const v = next(ps);
      if (v.kind !== 'string') {
        throw new SelectorError(`expected a quoted string after '${op.kind}' but found ${tokenText(v)}`, v.offset);
      }
      return { op: op.kind, key, value: v.value };
    }
    case 'in':
    case 'not in': {
      const open = next(ps);
      if (open.kind !== '{') {
        throw new SelectorError(`expected '{' after '${op.kind}' but found ${tokenText(open)}`, open.offset);
      }
      const values: string[] = [];
      while (peek(ps).kind === 'string') {
        values.push(next(ps).value);
        if (peek(ps).kind !== ',') break;
        ps.p++;
      }
      const close = next(ps);
      if (close.kind !== '}') throw new SelectorError(`expected '}' but found ${tokenText(close)}`, close.offset);
      return { op: op.kind, key, values: [...new Set(values)] };
    }
    default:
      throw new SelectorError(`${OPERATORS} after label '${key}'`, op.offset);
  }
};

const operation = (ps: Parse): CalicoExpr => {
  // Leading `!`s collapse to one negation, as in libcalico-go.
  let negated = false;
  while (peek(ps).kind === '!') {
    negated = !negated;
    ps.p++;
  }
  const t = next(ps);
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
      expr = orExpr(ps);
      const close = next(ps);
      if (close.kind !== ')') throw new SelectorError(`expected ')' but found ${tokenText(close)}`, close.offset);
      break;
    }
    case 'label':
      expr = labelOperation(ps, t.value);
      break;
    default:
      throw new SelectorError(`unexpected ${tokenText(t)}`, t.offset);
  }
  return negated ? { op: 'not', expr } : expr;
};

const parseTokens = (tokens: Token[]): CalicoExpr => {
  const ps: Parse = { tokens, p: 0 };
  const expr = orExpr(ps);
  const rest = peek(ps);
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
