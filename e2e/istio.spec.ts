// Istio authorization as a reviewer meets it: the bookinfo mesh's calls drawn in the role band, a denied one explained.
import { expect, test } from '@playwright/test';
import { drawnCalls, openSampleBand, selectBrokenCall } from './helpers';

const SAMPLE = 'Kubernetes on Istio: bookinfo with AuthorizationPolicy (DENY before ALLOW) and STRICT mTLS';

test('opens the Istio sample: the root DENY breaks debug → details before its ALLOW, STRICT mTLS refuses the job without a sidecar', async ({
  page,
}) => {
  await openSampleBand(page, SAMPLE, 'istio-bookinfo.yaml', 'role');
  await expect
    .poll(() => drawnCalls(page))
    .toEqual([
      'debug>details broken',
      'debug>ratings broken',
      'productpage>details allowed',
      'productpage>reviews allowed',
      'ratings>mysqldb allowed',
      'reports>reviews broken',
      'reviews>ratings allowed',
    ]);

  // details-viewer allows the tools namespace, but deny-tools in istio-system applies mesh-wide and DENY comes first.
  await selectBrokenCall(page, 'debug → details');
  await expect(page.getByTestId('call-verdict')).toHaveText('broken: denied at role');
  const role = page.getByTestId('verdict-role');
  await expect(role).toHaveAttribute('data-verdict', 'deny');
  await expect(role).toContainText(
    'AuthorizationPolicy istio-system/deny-tools (DENY) rules[0]: from namespaces tools',
  );
  await expect(role).toContainText('a DENY policy wins over every ALLOW');
  await expect(page.getByTestId('source-role')).toHaveText('istio-bookinfo.yaml:197');

  // The legacy job runs without a sidecar: the mesh-wide STRICT PeerAuthentication refuses its plaintext.
  await selectBrokenCall(page, 'reports → reviews');
  await expect(role).toContainText('PeerAuthentication istio-system/default: mTLS STRICT');
  await expect(role).toContainText('reports has no Istio sidecar');

  const state = await page.evaluate(async () => {
    const pair = async (a: string, b: string, port: number) => {
      const v = await window.segscope.reach(a, b, port);
      return [v.reachable, v.levels.policy.verdict, v.levels.role.verdict, v.levels.role.rule?.id ?? null];
    };
    return {
      rules: window.segscope.workspace()?.rules.filter((r) => r.type.startsWith('istio-')).length,
      debug: await pair('k8s:tools/debug', 'k8s:bookinfo/details', 9080),
      // Layered: the NetworkPolicy and Istio both allow ratings → mysqldb.
      db: await pair('k8s:bookinfo/ratings', 'k8s:bookinfo/mysqldb', 3306),
      // Another port: both levels deny it, each naming its own rule.
      other: await pair('k8s:bookinfo/ratings', 'k8s:bookinfo/mysqldb', 33060),
    };
  });
  expect(state).toEqual({
    rules: 7,
    debug: [false, 'open', 'deny', 'k8s:istio-authz/istio-system/deny-tools'],
    db: [true, 'allow', 'allow', 'k8s:istio-authz/bookinfo/mysqldb-clients'],
    other: [false, 'deny', 'deny', 'k8s:istio-authz/bookinfo/mysqldb-clients'],
  });
});

test('Fix… on a call the mesh-wide DENY refuses: the DENY narrowed to leave the caller out, applied as one undoable step', async ({
  page,
}) => {
  await openSampleBand(page, SAMPLE, 'istio-bookinfo.yaml', 'role');
  await page.locator('[data-testid="finding-group"][data-rule="broken-call"]').click();
  const row = page.locator('li.finding-row', {
    has: page.locator('[data-testid="finding"][data-finding="broken-call"]', { hasText: 'debug → details' }),
  });
  await row.getByTestId('finding-fix').click();
  const panel = page.getByTestId('plan-panel');
  const best = panel.getByTestId('fix-option').first();
  await expect(best).toContainText(
    'narrow Istio DENY istio-system/deny-tools rules[0] so it leaves out cluster.local/ns/tools/sa/debug',
  );
  await expect(best).toContainText('✓ closes it');
  await expect(panel.getByTestId('delta-restored')).toContainText('debug → details:9080');
  await panel.getByTestId('plan-apply').click();
  await expect(panel).toBeHidden();
  await expect.poll(() => drawnCalls(page)).toContain('debug>details allowed');
  const notPrincipals = () =>
    page.evaluate(() => {
      const rule = window.segscope.workspace()?.rules.find((r) => r.id === 'k8s:istio-authz/istio-system/deny-tools');
      return rule?.type === 'istio-authorization' ? (rule.rules?.[0]?.from?.[0]?.notPrincipals ?? []) : null;
    });
  expect(await notPrincipals()).toEqual(['cluster.local/ns/tools/sa/debug']);
  await page.keyboard.press('Control+z');
  await expect.poll(() => drawnCalls(page)).toContain('debug>details broken');
  expect(await notPrincipals()).toEqual([]);
});
