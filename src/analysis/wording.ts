// Plain sentences shared by findings, panels and tooltips: quota lines ("sg-app: 4 of 5 inbound rules"), subject names.
import { DEFAULT_QUOTAS } from '../model/quotas';
import type { QuotaUse } from './types';

const NOUNS = new Map(DEFAULT_QUOTAS.map((d) => [d.id, d.noun]));

/** 1,702 rather than 1702: figures are read aloud in reviews. */
export const figure = (n: number): string => n.toLocaleString('en-US');

/** What a quota counts, plural ("inbound rules"); the label for a quota outside the profile. */
export const quotaNoun = (quota: string, label: string): string => NOUNS.get(quota) ?? label.toLowerCase();

/**
 * A name for a quota subject that is neither a segment nor a service (see quotas.ts subjectIds):
 * "host ip-10-0-1-11", "region eu-west-1 of account 1111", "the workspace".
 */
export const subjectName = (id: string): string => {
  if (id === 'workspace') return 'the workspace';
  if (id === 'cluster:default') return 'the cluster';
  const colon = id.indexOf(':');
  if (colon < 0) return id;
  const kind = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  if (kind === 'region') {
    const [account, region] = rest.split('/');
    return region ? `region ${region} of account ${account}` : `region ${rest}`;
  }
  return ['host', 'project', 'node', 'cluster'].includes(kind) ? `${kind} ${rest}` : id;
};

/** "sg-app: 4 of 5 inbound rules" — the quota line a person reads, for a subject already named. */
export const quotaLine = (u: Pick<QuotaUse, 'quota' | 'label' | 'used' | 'limit'>, who: string): string =>
  `${who}: ${figure(u.used)} of ${figure(u.limit)} ${quotaNoun(u.quota, u.label)}`;

/** "80 %": the share of a limit in use, rounded; 100 % for a zero limit. */
export const quotaPercent = (u: Pick<QuotaUse, 'used' | 'limit'>): number =>
  u.limit > 0 ? Math.round((100 * u.used) / u.limit) : 100;

/** "1 call" / "3 calls". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${figure(n)} ${n === 1 ? one : many}`;

/**
 * A call verdict's shared text ("no ingress rule on sg-db from the caller") with the two services'
 * names put in: bulk verdicts say "the caller"/"the callee" so that many calls share one text.
 */
export const withNames = (text: string, caller: string, callee: string): string =>
  text.replace(/\b([Tt])he (caller|callee)\b/g, (_m, _t: string, who: string) => (who === 'caller' ? caller : callee));
