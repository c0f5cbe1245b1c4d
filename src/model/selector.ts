// Label selectors: Kubernetes LabelSelector matching and the Calico selector language (parse, cache, evaluate).
import { type CalicoExpr, type CalicoParseResult, parseCalicoSelectorText } from './calico-selector-parse';
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

export type { CalicoExpr, CalicoParseResult } from './calico-selector-parse';

/** Analysis parses the same few selectors many times; results are immutable, so they are shared. */
const cache = new Map<string, CalicoParseResult>();
const CACHE_LIMIT = 20000;

export const parseCalicoSelector = (text: string): CalicoParseResult => {
  const hit = cache.get(text);
  if (hit) return hit;
  const result = parseCalicoSelectorText(text);
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
