// Fixes for calls Istio refuses at the role level, on the bookinfo sample (DENY before ALLOW, STRICT mTLS).
// istio.io/latest/docs/reference/config/security/authorization-policy: CUSTOM, then DENY, then ALLOW; a
// workload some ALLOW policy applies to takes only what one of them matches; `notPrincipals` leaves a source out.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze';
import { importFiles } from '../import/index';
import { applyCommand } from '../model/commands';
import type { Workspace } from '../model/types';
import { fixesFor } from './fixes';
import { describePlan } from './plan';
import { previewPlan } from './preview';

const bookinfo = (): Workspace =>
  importFiles([{ name: 'istio-bookinfo.yaml', text: readFileSync('public/samples/k8s/istio-bookinfo.yaml', 'utf8') }])
    .workspace;

const fixesOf = (w: Workspace, from: string, to: string) => {
  const a = analyze(w);
  const finding = a.findings.find((f) => f.key === `broken-call:k8s:${from}->k8s:${to}:9080/TCP`);
  expect(finding, `${from} → ${to} is broken`).toBeDefined();
  return fixesFor(w, a, finding as never);
};

const DENY_NARROWED =
  'change AuthorizationPolicy istio-system/deny-tools (DENY): rules[0]: from namespaces tools to ' +
  'AuthorizationPolicy istio-system/deny-tools (DENY): rules[0]: from notPrincipals cluster.local/ns/tools/sa/debug and namespaces tools';

describe('Fix… for a call Istio refuses', () => {
  it('a mesh-wide DENY naming the caller: narrowed to leave the caller out (details has no ALLOW policy)', () => {
    const w = bookinfo();
    const fixes = fixesOf(w, 'tools/debug', 'bookinfo/details');
    expect(fixes.map((f) => [f.title, f.closes, f.broken, f.levels])).toEqual([
      [
        'narrow Istio DENY istio-system/deny-tools rules[0] so it leaves out cluster.local/ns/tools/sa/debug',
        true,
        0,
        ['role'],
      ],
    ]);
    expect(describePlan(w, fixes[0]?.commands ?? [])).toEqual([DENY_NARROWED]);
  });

  it('a DENY and ALLOW policies that all miss the caller: both edits in one fix', () => {
    const w = bookinfo();
    const fixes = fixesOf(w, 'tools/debug', 'bookinfo/ratings');
    expect(fixes.map((f) => [f.closes, f.broken])).toEqual([[true, 0]]);
    expect(describePlan(w, fixes[0]?.commands ?? [])).toEqual([
      DENY_NARROWED,
      'add AuthorizationPolicy bookinfo/allow-debug-to-ratings (ALLOW) on workloads {app=ratings}: rules[0]: from principals cluster.local/ns/tools/sa/debug; to ports 9080',
    ]);
  });

  it('without the DENY, only the ALLOW', () => {
    const base = bookinfo();
    const w = { ...base, rules: base.rules.filter((r) => r.id !== 'k8s:istio-authz/istio-system/deny-tools') };
    const fixes = fixesOf(w, 'tools/debug', 'bookinfo/ratings');
    expect(fixes.map((f) => [f.title, f.closes])).toEqual([
      [
        'add Istio ALLOW bookinfo/allow-debug-to-ratings: cluster.local/ns/tools/sa/debug to ratings on port 9080',
        true,
      ],
    ]);
  });

  it('a caller without a sidecar refused by STRICT mTLS: no rule edit lets it through, so no fix is offered', () => {
    expect(fixesOf(bookinfo(), 'legacy/reports', 'bookinfo/reviews')).toEqual([]);
  });

  it("a plan's preview sees an Istio policy edit: its findings equal a full analysis of the edited workspace", () => {
    const w = bookinfo();
    const [fix] = fixesOf(w, 'tools/debug', 'bookinfo/details');
    const commands = fix?.commands ?? [];
    const after = commands.reduce(applyCommand, w);
    const keys = (fs: { key: string }[]) => fs.map((f) => f.key).sort();
    expect(keys(previewPlan(w, analyze(w), commands).analysis.findings)).toEqual(keys(analyze(after).findings));
    expect(keys(analyze(after).findings)).not.toContain('broken-call:k8s:tools/debug->k8s:bookinfo/details:9080/TCP');
  });

  it("a plan's preview sees a mesh-wide PeerAuthentication edit (root namespace): every call judged as a full analysis does", () => {
    const w = bookinfo();
    const before = w.rules.find((r) => r.type === 'istio-peer-authentication' && r.namespace === 'istio-system');
    expect(before?.type).toBe('istio-peer-authentication');
    if (before?.type !== 'istio-peer-authentication') return;
    const commands = [{ type: 'replaceRule' as const, before, after: { ...before, mode: 'PERMISSIVE' as const } }];
    const after = commands.reduce(applyCommand, w);
    const roleOf = (a: ReturnType<typeof analyze>) =>
      a.calls.map((c) => `${c.from}>${c.to}: ${c.verdict.levels.role.verdict} ${c.verdict.levels.role.reason}`);
    const preview = roleOf(previewPlan(w, analyze(w), commands).analysis);
    expect(preview).toEqual(roleOf(analyze(after)));
    // The legacy job is no longer refused for plaintext; reviews' ALLOW policies still want a principal it lacks.
    const reports = preview.find((l) => l.startsWith('k8s:legacy/reports>'));
    expect(reports).not.toContain('mTLS STRICT');
    expect(reports).toContain('deny');
  });
});
