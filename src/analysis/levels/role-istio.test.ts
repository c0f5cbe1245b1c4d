import { describe, expect, it } from 'vitest';
import { deployment, loadManifests, manifests, namespace } from '../../formats/k8s/testing/cluster';
import type { Diagnostic, Protocol, Workspace } from '../../model/types';
import { analyze } from '../analyze';
import { previewMove } from '../delta';
import { reach } from '../reach';

// Istio authorization as istio.io documents it:
// - reference/config/security/authorization-policy: "CUSTOM, DENY and ALLOW actions": a matching CUSTOM
//   that denies denies; "if there are any DENY policies that match the request, deny the request"; "if there
//   are no ALLOW policies for the workload, allow the request"; "if any of the ALLOW policies match the
//   request, allow the request"; otherwise deny. `rules` not set: "the match will never occur" (an ALLOW
//   policy then denies every request); an empty rule `{}` always matches. A policy in the root namespace
//   (istio-system) applies to every namespace; `selector` narrows to matching workloads; `targetRefs` to a
//   Service. `principals` and `namespaces` "require mTLS enabled".
// - reference/config/security/peer_authentication: STRICT accepts mTLS only, PERMISSIVE both, DISABLE
//   plaintext only; the workload policy wins over the namespace's, which wins over the mesh's (root
//   namespace); UNSET inherits; portLevelMtls overrides per workload port.
// - ops/deployment/application-requirements: the sidecar intercepts TCP; UDP is not proxied.

const BASE = `${manifests(
  namespace('istio-system'),
  namespace('shop', { 'istio-injection': 'enabled' }),
  namespace('ops', { 'istio-injection': 'enabled' }),
  namespace('legacy', { 'istio-injection': 'disabled' }),
  deployment({ name: 'web', namespace: 'shop', serviceAccountName: 'web' }),
  deployment({ name: 'api', namespace: 'shop', serviceAccountName: 'api', ports: [{ containerPort: 8080 }] }),
  deployment({ name: 'probe', namespace: 'ops' }),
  deployment({ name: 'batch', namespace: 'legacy' }),
)}---
`;
const WEB = 'k8s:shop/web';
const API = 'k8s:shop/api';
const PROBE = 'k8s:ops/probe';
const BATCH = 'k8s:legacy/batch';
const LINE0 = BASE.split('\n').length;

/** The import and the diagnostics of the policies (BASE's own warnings — undeclared ServiceAccounts — left out). */
const load = (policies: string): { ws: Workspace; diagnostics: Diagnostic[] } => {
  const { workspace, diagnostics } = loadManifests(BASE + policies, 'mesh.yaml');
  return { ws: workspace, diagnostics: diagnostics.filter((d) => d.line >= LINE0) };
};
const roleOf = (ws: Workspace, from: string, to: string, port?: number, protocol?: Protocol) => {
  const r = reach(ws, from, to, port, protocol).levels.role;
  return { verdict: r.verdict, rule: r.rule?.summary, line: r.rule?.source?.line, reason: r.reason };
};
const verdicts = (ws: Workspace, pairs: [string, string, number][]) =>
  pairs.map(([a, b, p]) => roleOf(ws, a, b, p).verdict);

const allowWeb = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: api-callers, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  action: ALLOW
  rules:
    - from: [{ source: { principals: ["cluster.local/ns/shop/sa/web"] } }]
      to: [{ operation: { ports: ["8080"] } }]
`;

describe('Istio AuthorizationPolicy evaluation (istio.io reference/config/security/authorization-policy)', () => {
  it('no policy: the level does not restrict the pair', () => {
    const { ws } = load('');
    expect(roleOf(ws, WEB, API, 8080).verdict).toBe('open');
  });

  it('with an ALLOW policy on the workload, only a request matching one of its rules is allowed', () => {
    const { ws, diagnostics } = load(allowWeb);
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(roleOf(ws, WEB, API, 8080)).toMatchObject({
      verdict: 'allow',
      rule: 'AuthorizationPolicy shop/api-callers (ALLOW) rules[0]: from principals cluster.local/ns/shop/sa/web; to ports 8080',
      line: LINE0 + 7,
    });
    // Another identity, another port: no rule matches.
    expect(roleOf(ws, PROBE, API, 8080)).toMatchObject({
      verdict: 'deny',
      rule: 'AuthorizationPolicy shop/api-callers (ALLOW): no rule matches',
      line: LINE0 + 4,
      reason: 'AuthorizationPolicy shop/api-callers applies to api (ALLOW) and no rule matches probe on TCP 8080.',
    });
    expect(roleOf(ws, WEB, API, 9090).verdict).toBe('deny');
    // The policy selects api only: web is not restricted.
    expect(roleOf(ws, API, WEB, 8080).verdict).toBe('open');
  });

  it('DENY is evaluated before ALLOW: a matching DENY rule wins over an ALLOW rule that matches too', () => {
    const { ws } = load(`${allowWeb}---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: no-web, namespace: shop }
spec:
  action: DENY
  rules:
    - from: [{ source: { principals: ["*/sa/web"] } }]
`);
    expect(roleOf(ws, WEB, API, 8080)).toMatchObject({
      verdict: 'deny',
      rule: 'AuthorizationPolicy shop/no-web (DENY) rules[0]: from principals */sa/web',
      line: LINE0 + 16,
    });
    expect(roleOf(ws, WEB, API, 8080).reason).toContain('a DENY policy wins over every ALLOW');
  });

  it('an ALLOW policy without rules denies every request; `rules: [{}]` allows every request', () => {
    const none = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-nothing, namespace: shop }
spec: {}
`);
    expect(roleOf(none.ws, WEB, API, 8080)).toMatchObject({
      verdict: 'deny',
      rule: 'AuthorizationPolicy shop/allow-nothing (ALLOW): no rules, allows nothing',
    });
    expect(roleOf(none.ws, API, WEB, 8080).verdict).toBe('deny');
    const all = load(`apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: { name: allow-all, namespace: shop }
spec:
  rules: [{}]
`);
    expect(roleOf(all.ws, PROBE, API, 8080)).toMatchObject({
      verdict: 'allow',
      rule: 'AuthorizationPolicy shop/allow-all (ALLOW) rules[0]: every request',
    });
  });

  it('a DENY policy without rules never matches', () => {
    const { ws } = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny-nothing, namespace: shop }
spec: { action: DENY }
`);
    expect(roleOf(ws, PROBE, API, 8080).verdict).toBe('allow');
  });

  it('principals and namespaces need mTLS: a caller without a sidecar matches no principal rule, notPrincipals does', () => {
    const { ws } = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: in-mesh, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  rules:
    - from: [{ source: { principals: ["*"] } }]
    - from: [{ source: { namespaces: ["legacy"] } }]
`);
    expect(roleOf(ws, PROBE, API, 8080).verdict).toBe('allow');
    const batch = roleOf(ws, BATCH, API, 8080);
    expect(batch.verdict).toBe('deny');
    expect(batch.reason).toContain(
      'principal and namespace rules need mutual TLS, and batch has no Istio sidecar: namespace legacy has istio-injection=disabled',
    );
    const not = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: outsiders, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  rules: [{ from: [{ source: { notPrincipals: ["*"] } }] }]
`);
    expect(
      verdicts(not.ws, [
        [BATCH, API, 8080],
        [PROBE, API, 8080],
      ]),
    ).toEqual(['allow', 'deny']);
  });

  it('mTLS DISABLE on the callee: no peer identity, so principal rules do not match callers in the mesh either', () => {
    const { ws } = load(`${allowWeb}---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: plain, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  mtls: { mode: DISABLE }
`);
    const r = roleOf(ws, WEB, API, 8080);
    expect(r.verdict).toBe('deny');
    expect(r.reason).toContain('mTLS is disabled for api on this port');
  });

  it('a policy in the root namespace applies to every namespace; its selector narrows in all of them', () => {
    const { ws } = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: no-ops, namespace: istio-system }
spec:
  action: DENY
  rules: [{ from: [{ source: { namespaces: ["ops"] } }] }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: web-only-from-shop, namespace: istio-system }
spec:
  selector: { matchLabels: { app: web } }
  rules: [{ from: [{ source: { namespaces: ["shop"] } }] }]
`);
    expect(roleOf(ws, PROBE, API, 8080).rule).toBe(
      'AuthorizationPolicy istio-system/no-ops (DENY) rules[0]: from namespaces ops',
    );
    expect(roleOf(ws, PROBE, WEB, 8080).verdict).toBe('deny');
    expect(
      verdicts(ws, [
        [API, WEB, 80],
        [WEB, API, 8080],
        [WEB, PROBE, 80],
      ]),
    ).toEqual(['allow', 'allow', 'allow']);
    // A namespace's own policy stays in its namespace: ops/probe is not selected by shop's.
    const own = load(allowWeb.replace('selector: { matchLabels: { app: api } }', 'selector: { matchLabels: {} }'));
    expect(roleOf(own.ws, WEB, PROBE, 80).verdict).toBe('open');
  });

  it('targetRefs to a Service select the workloads behind it', () => {
    const { ws, diagnostics } = load(`apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec: { selector: { app: api }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: via-service, namespace: shop }
spec:
  targetRefs: [{ kind: Service, group: "", name: api }, { kind: Gateway, group: gateway.networking.k8s.io, name: edge }]
  action: DENY
  rules: [{}]
`);
    expect(
      verdicts(ws, [
        [WEB, API, 8080],
        [API, WEB, 80],
      ]),
    ).toEqual(['deny', 'open']);
    expect(diagnostics.filter((d) => d.severity === 'warn').map((d) => d.message)).toEqual([
      'AuthorizationPolicy shop/via-service: targetRef Gateway edge is not modelled (segscope resolves Service targets only): it selects no workload here',
    ]);
  });

  it('to.operation.ports and notPorts narrow a rule to connection ports', () => {
    const { ws } = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ports, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  rules: [{ to: [{ operation: { notPorts: ["9090"] } }] }]
`);
    expect(
      verdicts(ws, [
        [WEB, API, 8080],
        [WEB, API, 9090],
      ]),
    ).toEqual(['allow', 'deny']);
  });

  it('a workload outside the mesh is not checked by Istio; UDP passes the sidecar unchecked', () => {
    const { ws } = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny-all, namespace: legacy }
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny-all, namespace: shop }
spec: {}
`);
    expect(roleOf(ws, WEB, BATCH, 80)).toMatchObject({
      verdict: 'open',
      reason:
        'No identity policy restricts calls to batch. Istio does not check calls to batch: namespace legacy has istio-injection=disabled.',
    });
    expect(roleOf(ws, WEB, API, 53, 'UDP').verdict).toBe('open');
    // Asked for any connection: only UDP and SCTP get through.
    const any = roleOf(ws, WEB, API);
    expect(any.verdict).toBe('allow');
    expect(any.reason).toMatch(/^Only UDP and SCTP get through/);
    expect(reach(ws, WEB, API).connections).toEqual(['UDP 1-65535', 'SCTP 1-65535']);
  });
});

describe('request attributes Istio checks and segscope does not model: "some requests", never all or none', () => {
  it('an ALLOW rule on methods/paths allows on some requests only, with a warning at load', () => {
    const { ws, diagnostics } = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: reads, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  rules:
    - to: [{ operation: { methods: ["GET"], paths: ["/api/*"] } }]
      when: [{ key: "request.headers[x-team]", values: ["shop"] }]
`);
    const r = roleOf(ws, WEB, API, 8080);
    expect(r.verdict).toBe('allow');
    expect(r.reason).toContain('on some requests only: allowed by shop/reads rules[0]');
    expect(diagnostics.filter((d) => d.severity === 'warn').map((d) => [d.line, d.message])).toEqual([
      [
        LINE0 + 7,
        'AuthorizationPolicy shop/reads: rules[0].when (request.headers[x-team] in [shop]) is not modelled: the rule is taken to match some requests only',
      ],
      [
        LINE0 + 6,
        'AuthorizationPolicy shop/reads: rules[0] tests request attributes segscope does not model (methods GET; paths /api/*): the rule is taken to match some requests only',
      ],
    ]);
  });

  it('`when` on connection facts (istio.io …/security/conditions: destination.port, source.namespace, source.principal, source.ip) is modelled exactly', () => {
    const { ws, diagnostics } = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: cond, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  rules:
    - when:
        - { key: destination.port, values: ["8080"] }
        - { key: source.namespace, notValues: ["ops"] }
`);
    expect(diagnostics).toEqual([]);
    const r = roleOf(ws, WEB, API, 8080);
    expect(r).toMatchObject({
      verdict: 'allow',
      rule: 'AuthorizationPolicy shop/cond (ALLOW) rules[0]: when destination.port in [8080] and source.namespace not in [ops]',
    });
    expect(r.reason).not.toContain('some requests');
    // Another port, the excluded namespace: no rule matches. A caller without a sidecar has no namespace
    // (no mTLS), so notValues holds for it — as notNamespaces does.
    expect(
      verdicts(ws, [
        [WEB, API, 9090],
        [PROBE, API, 8080],
        [BATCH, API, 8080],
      ]),
    ).toEqual(['deny', 'deny', 'allow']);
    const bad = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: cond, namespace: shop }
spec:
  rules: [{ when: [{ key: destination.port, values: ["http"] }] }]
`);
    expect(bad.diagnostics.map((d) => d.message)).toEqual([
      'AuthorizationPolicy shop/cond: "http" is not a port',
      'AuthorizationPolicy shop/cond: rules[0] is left out: it allows nothing',
    ]);
  });

  it('a DENY rule on paths denies some requests only: the connection is not denied, the reason says so', () => {
    const { ws } = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: no-admin, namespace: shop }
spec:
  action: DENY
  rules: [{ to: [{ operation: { paths: ["/admin*"] } }] }]
`);
    const r = roleOf(ws, WEB, API, 8080);
    expect(r.verdict).toBe('allow');
    expect(r.reason).toContain('denied by shop/no-admin rules[0]: to paths /admin*');
  });

  it('CUSTOM is warned and taken to deny nothing; AUDIT does not change the verdict', () => {
    const { ws, diagnostics } = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ext, namespace: shop }
spec:
  action: CUSTOM
  provider: { name: opa }
  rules: [{}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: audit, namespace: shop }
spec: { action: AUDIT, rules: [{}] }
`);
    const r = roleOf(ws, WEB, API, 8080);
    expect(r.verdict).toBe('allow');
    expect(r.reason).toContain('CUSTOM shop/ext asks an external authorizer');
    expect(diagnostics.some((d) => d.severity === 'warn' && d.message.includes('CUSTOM (provider opa)'))).toBe(true);
  });
});

describe('PeerAuthentication (istio.io reference/config/security/peer_authentication)', () => {
  const strict = (extra = '') => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT } }
${extra}`;

  it('mesh-wide STRICT: a caller without a sidecar is refused, callers in the mesh are not', () => {
    const { ws } = load(strict());
    expect(roleOf(ws, BATCH, API, 8080)).toMatchObject({
      verdict: 'deny',
      rule: 'PeerAuthentication istio-system/default: mTLS STRICT',
      line: LINE0 + 3,
    });
    expect(roleOf(ws, WEB, API, 8080).verdict).toBe('open');
  });

  it('the namespace policy wins over the mesh one, the workload policy over both, portLevelMtls per port', () => {
    const { ws } = load(
      strict(`---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: ops }
spec: { mtls: { mode: PERMISSIVE } }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: api, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  mtls: { mode: UNSET }
  portLevelMtls: { "8080": { mode: PERMISSIVE } }
`),
    );
    expect(
      verdicts(ws, [
        [BATCH, PROBE, 80],
        [BATCH, API, 8080],
        [BATCH, API, 9090],
        [BATCH, WEB, 80],
      ]),
    ).toEqual(['open', 'open', 'deny', 'deny']);
  });
});

describe('reading Istio objects (located errors, warnings, never wider)', () => {
  it('an action Istio does not know skips the policy with a located error', () => {
    const { ws, diagnostics } = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: odd, namespace: shop }
spec: { action: REJECT }
`);
    expect(ws.rules.filter((r) => r.type === 'istio-authorization')).toEqual([]);
    expect(diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.message])).toEqual([
      [LINE0 + 3, 'AuthorizationPolicy shop/odd: action "REJECT" is not ALLOW, DENY, CUSTOM or AUDIT; skipped'],
      [LINE0, 'AuthorizationPolicy shop/odd is skipped: Istio would not accept it (see the errors above)'],
    ]);
  });

  it('an unreadable ipBlock leaves its ALLOW rule out (allows nothing more) but keeps a DENY rule (denies no less)', () => {
    const { ws } = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-net, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  rules: [{ from: [{ source: { ipBlocks: ["10.0.0.0/33"] } }] }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny-net, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  action: DENY
  rules: [{ from: [{ source: { ipBlocks: ["10.0.0.0/33"] } }] }]
`);
    expect(roleOf(ws, PROBE, API, 8080).verdict).toBe('deny');
    expect(roleOf(ws, PROBE, WEB, 8080).verdict).toBe('deny');
  });

  it('a dry-run policy (istio.io/dry-run annotation, authz-dry-run task) is only logged: verdicts leave it out, with a warning', () => {
    const { ws, diagnostics } = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: trial, namespace: shop, annotations: { istio.io/dry-run: "true" } }
spec: {}
`);
    expect(roleOf(ws, WEB, API, 8080).verdict).toBe('open');
    expect(diagnostics.map((d) => [d.severity, d.message])).toEqual([
      [
        'warn',
        'AuthorizationPolicy shop/trial: istio.io/dry-run: the policy is only logged, not enforced; verdicts leave it out',
      ],
    ]);
  });

  it('fields Istio has and segscope does not read are warned where they are written; an empty selector is the whole namespace', () => {
    const { ws, diagnostics } = load(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: odd-fields, namespace: shop }
spec:
  selector: { matchLabels: {} }
  rules:
    - from: [{ source: { principals: ["*"] }, extra: 1 }]
      later: true
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: ns, namespace: shop }
spec: { mtls: { mode: STRICT }, future: {} }
`);
    expect(diagnostics.map((d) => [d.line - LINE0, d.message])).toEqual([
      [7, 'AuthorizationPolicy shop/odd-fields: rules[0] field later is not read'],
      [6, 'AuthorizationPolicy shop/odd-fields: rules[0].from[0] field extra is not read'],
      [12, 'PeerAuthentication shop/ns: spec field future is not read'],
    ]);
    // selector {} selects every workload of shop; STRICT refuses batch (no sidecar) everywhere in shop.
    expect(
      verdicts(ws, [
        [PROBE, WEB, 80],
        [BATCH, WEB, 80],
      ]),
    ).toEqual(['allow', 'deny']);
  });

  it('a pod opting out of injection is outside the mesh in an injected namespace', () => {
    const job = deployment({
      name: 'job',
      namespace: 'shop',
      labels: { app: 'job', 'sidecar.istio.io/inject': 'false' },
    });
    const { ws } = load(
      manifests(
        job,
        `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-nothing, namespace: shop }
spec: {}
`,
      ),
    );
    expect(roleOf(ws, WEB, 'k8s:shop/job', 80)).toMatchObject({
      verdict: 'open',
      reason:
        'No identity policy restricts calls to job. Istio does not check calls to job: its pods opt out of sidecar injection.',
    });
    expect(ws.services.find((s) => s.id === 'k8s:shop/job')?.sidecar).toBe(false);
  });
});

describe('the role band is where Istio identities live: moving a service to another service account changes its principal', () => {
  it("what-if: web moved onto api's service account no longer has the principal api's ALLOW rule names, so its call breaks", () => {
    const { ws } = load(allowWeb);
    const sa = (ns: string, name: string) =>
      ws.segments.find((s) => s.level === 'role' && s.name === `${ns}/${name}`)?.id ?? '';
    const webSa = sa('shop', 'web');
    const apiSa = sa('shop', 'api');
    expect([webSa, apiSa].every(Boolean)).toBe(true);
    ws.calls.push({ from: WEB, to: API, port: 8080, origin: 'declared' });
    const d = previewMove(ws, analyze(ws), { service: WEB, level: 'role', from: webSa, to: apiSa });
    expect(d.brokenCalls.map((c) => `${c.from} > ${c.to} ${c.deniedBy.join(',')}`)).toEqual([`${WEB} > ${API} role`]);
  });
});
