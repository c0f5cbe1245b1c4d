// Test helper: one level's verdict and deciding rule id for a pair, as the table-driven tests compare them.
import type { Level, Protocol, Workspace } from '../../model/types';
import { reach } from '../reach';

export interface Expected {
  verdict: 'allow' | 'deny' | 'open';
  rule: string | undefined;
}

export const levelVerdict = (
  w: Workspace,
  from: string,
  to: string,
  level: Level,
  port?: number,
  protocol?: Protocol,
): Expected => {
  const v = reach(w, from, to, port, protocol).levels[level];
  return { verdict: v.verdict, rule: v.rule?.id };
};
