import { expect, test } from '@playwright/test';
import { callClasses, focusBand, openSample } from './helpers';

test('opens the cluster-policies sample; the policy band draws the ANP-denied call broken and reach names the ANP rule and its line', async ({
  page,
}) => {
  await openSample(
    page,
    'Kubernetes cluster policies: AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy',
  );
  await expect
    .poll(() =>
      page.evaluate(() => window.segscope.workspace()?.rules.filter((r) => r.type === 'admin-network-policy').length),
    )
    .toBe(5);
  await expect.poll(() => page.evaluate(() => window.segscope.focus())).toBe('policy');
  const classes = (from: string, to: string) => callClasses(page, from, to);
  await expect
    .poll(() => classes('k8s:sandbox/experiment', 'k8s:payments/gateway'))
    .toEqual([expect.stringContaining('broken')]);
  await expect
    .poll(() => classes('k8s:web/storefront', 'k8s:payments/gateway'))
    .toEqual([expect.stringContaining('allowed')]);

  const v = await page.evaluate(() => window.segscope.reach('k8s:sandbox/experiment', 'k8s:payments/gateway', 8443));
  expect(v.reachable).toBe(false);
  expect(v.levels.policy.verdict).toBe('deny');
  expect(v.levels.policy.rule?.id).toBe('k8s:anp/pci-isolation');
  expect(v.levels.policy.rule?.summary).toContain(
    'AdminNetworkPolicy pci-isolation (priority 10) ingress rule 3: "deny-everyone-else" Deny',
  );
  expect(v.levels.policy.rule?.source).toEqual({ file: 'admin-policies.yaml', line: 167, column: 7 });
  const banp = await page.evaluate(() => window.segscope.reach('k8s:sandbox/experiment', 'k8s:web/storefront', 8080));
  expect(banp.levels.policy.rule?.id).toBe('k8s:banp/default');

  // The inspector says the same for the broken call, with the rule's file and line: found as a person finds
  // it, through the broken-call group, then its segment pair.
  const group = page.locator('[data-testid="finding-group"][data-rule="broken-call"]');
  await group.click();
  const pairs = group.locator('xpath=..').getByTestId('finding-subgroup');
  await expect(pairs.first()).toBeVisible();
  for (const pair of await pairs.all()) {
    if ((await pair.getAttribute('aria-expanded')) !== 'true') await pair.click();
  }
  const finding = page.locator('[data-testid="finding"][data-finding="broken-call"]', {
    hasText: 'experiment → gateway',
  });
  await finding.click();
  await expect(page.getByTestId('verdict-policy')).toHaveAttribute('data-verdict', 'deny');
  await expect(page.getByTestId('verdict-policy')).toContainText('deny-everyone-else');
  await expect(page.getByTestId('source-policy')).toHaveText('admin-policies.yaml:167');
});

test('opens the user-defined networks sample: the call across primary networks is broken at the network level', async ({
  page,
}) => {
  await openSample(page, 'Kubernetes user-defined networks (OVN-Kubernetes) and Multus secondary networks');
  await expect.poll(() => page.evaluate(() => window.segscope.workspace()?.services.length)).toBe(5);
  const v = await page.evaluate(() => window.segscope.reach('k8s:blue/app', 'k8s:red-back/api', 8080));
  expect(v.levels.network.verdict).toBe('deny');
  expect(v.levels.network.rule?.id).toBe('network:k8s:udn:blue/blue-net');
  // blue/app and the backup agent meet on the secondary network shared/storage, whose MultiNetworkPolicy
  // admits TCP 873 only (k8snetworkplumbingwg/multi-networkpolicy: NetworkPolicy semantics on that network).
  const rsync = await page.evaluate(() => window.segscope.reach('k8s:blue/app', 'k8s:shared/backup-agent', 873));
  expect(rsync.reachable).toBe(true);
  expect(rsync.levels.network.rule?.id).toBe('network:k8s:net:shared/storage');
  expect(rsync.levels.policy.rule?.id).toBe('k8s:shared/multinetpol/storage-rsync-only');
  const ssh = await page.evaluate(() => window.segscope.reach('k8s:blue/app', 'k8s:shared/backup-agent', 22));
  expect(ssh.reachable).toBe(false);
  expect(ssh.levels.policy.verdict).toBe('deny');
  expect(ssh.levels.policy.reason).toContain('Over secondary network shared/storage');
  await focusBand(page, 'network');
  await expect
    .poll(() =>
      page.evaluate(() =>
        window.segscope.cy
          ?.nodes('[kind = "segment"]')
          .map((n) => n.data('segmentId') as string)
          .filter((id) => id.includes('udn') || id.includes('cudn') || id.includes(':net:'))
          .sort(),
      ),
    )
    .toEqual(['network:k8s:cudn:red-tenant', 'network:k8s:net:shared/storage', 'network:k8s:udn:blue/blue-net']);
});

test('the user-defined networks sample: a pod on a secondary network is one node in its namespace network, joined to the secondary network it attaches to', async ({
  page,
}) => {
  await openSample(page, 'Kubernetes user-defined networks (OVN-Kubernetes) and Multus secondary networks');
  await expect.poll(() => page.evaluate(() => window.segscope.workspace()?.services.length)).toBe(5);
  await focusBand(page, 'network');
  // Five services: the band is drawn in detail, every service as a node.
  const drawn = () =>
    page.evaluate(() =>
      (
        window.segscope.cy?.nodes('[kind = "service"]').map((n) => `${n.data('serviceId')}@${n.data('segmentId')}`) ??
        []
      ).sort(),
    );
  await expect
    .poll(drawn)
    .toEqual([
      'k8s:blue/app@network:k8s:ns:blue',
      'k8s:blue/cache@network:k8s:ns:blue',
      'k8s:red-back/api@network:k8s:ns:red-back',
      'k8s:red-front/web@network:k8s:ns:red-front',
      'k8s:shared/backup-agent@network:k8s:ns:shared',
    ]);
  const attachments = await page.evaluate(() =>
    (
      window.segscope.cy?.edges('[kind = "attachment"]').map((e) => `${e.data('serviceId')}>${e.data('segmentId')}`) ??
      []
    ).sort(),
  );
  expect(attachments).toEqual([
    'k8s:blue/app>network:k8s:net:shared/storage',
    'k8s:shared/backup-agent>network:k8s:net:shared/storage',
  ]);
  const storage = await page.evaluate(() =>
    window.segscope.cy?.getElementById('seg:network:k8s:net:shared/storage').data('full'),
  );
  expect(storage).toBe('shared/storage · 2 attached');

  // Clicking the one app node: the inspector lists both networks it belongs to at this level.
  const box = await page.getByTestId('graph-canvas').boundingBox();
  const at = await page.evaluate(() =>
    window.segscope.cy?.nodes('[kind = "service"][serviceId = "k8s:blue/app"]').first().renderedPosition(),
  );
  if (!box || !at) throw new Error('app is not drawn');
  await page.mouse.click(box.x + at.x, box.y + at.y);
  await expect(page.getByTestId('membership-network')).toHaveText('blue, shared/storage');
});

test('opens the Cilium sample: the call the ingressDeny blocks is drawn broken, and reach and the inspector name the Cilium rule and its line', async ({
  page,
}) => {
  await openSample(
    page,
    'Kubernetes on Cilium: CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy (deny rules, default deny, FQDN, L7)',
  );
  await expect
    .poll(() =>
      page.evaluate(() => window.segscope.workspace()?.rules.filter((r) => r.type === 'cilium-network-policy').length),
    )
    .toBe(6);
  await focusBand(page, 'policy');
  const classes = (from: string, to: string) => callClasses(page, from, to);
  await expect.poll(() => classes('k8s:tools/debug', 'k8s:store/db')).toEqual([expect.stringContaining('broken')]);
  await expect.poll(() => classes('k8s:store/api', 'k8s:store/db')).toEqual([expect.stringContaining('allowed')]);

  const v = await page.evaluate(() => window.segscope.reach('k8s:tools/debug', 'k8s:store/db', 5432));
  expect(v.reachable).toBe(false);
  expect(v.levels.policy.verdict).toBe('deny');
  expect(v.levels.policy.rule?.summary).toBe(
    'CiliumNetworkPolicy store/db-ingress ingressDeny[0]: Deny from endpoints {io.kubernetes.pod.namespace in (tools)} on all ports',
  );
  expect(v.levels.policy.rule?.source).toEqual({ file: 'cilium-policies.yaml', line: 151, column: 7 });

  const group = page.locator('[data-testid="finding-group"][data-rule="broken-call"]');
  await group.click();
  const pairs = group.locator('xpath=..').getByTestId('finding-subgroup');
  await expect(pairs.first()).toBeVisible();
  for (const pair of await pairs.all()) {
    if ((await pair.getAttribute('aria-expanded')) !== 'true') await pair.click();
  }
  await page.locator('[data-testid="finding"][data-finding="broken-call"]', { hasText: 'debug → db' }).click();
  await expect(page.getByTestId('verdict-policy')).toHaveAttribute('data-verdict', 'deny');
  await expect(page.getByTestId('verdict-policy')).toContainText('ingressDeny[0]');
  await expect(page.getByTestId('source-policy')).toHaveText('cilium-policies.yaml:151');
});

test("Cilium's policy enforcement mode is a View setting: always breaks the call no rule allows, never lets the denied one through; undo restores", async ({
  page,
}) => {
  await openSample(
    page,
    'Kubernetes on Cilium: CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy (deny rules, default deny, FQDN, L7)',
  );
  await focusBand(page, 'policy');
  const classOf = (from: string, to: string) =>
    page.evaluate(
      ([f, t]) =>
        window.segscope.cy
          ?.edges('[kind = "call"]')
          .filter((e) => e.data('from') === f && e.data('to') === t)
          .map((e) => (e.hasClass('broken') ? 'broken' : e.hasClass('allowed') ? 'allowed' : e.classes().join(' '))),
      [from, to],
    );
  const PROM = ['k8s:tools/prometheus', 'k8s:store/api'] as const;
  const DEBUG = ['k8s:tools/debug', 'k8s:store/db'] as const;
  await expect.poll(() => classOf(...PROM)).toEqual(['allowed']);
  await expect.poll(() => classOf(...DEBUG)).toEqual(['broken']);

  await page.getByTestId('view-menu').click();
  const mode = page.getByTestId('cilium-enforcement');
  await expect(mode).toHaveValue('default');
  // always: prometheus's egress is selected by no rule, so under always nothing lets it out.
  await mode.selectOption('always');
  await expect
    .poll(() => page.evaluate(() => window.segscope.workspace()?.settings?.ciliumPolicyEnforcement))
    .toBe('always');
  await expect.poll(() => classOf(...PROM)).toEqual(['broken']);
  const always = await page.evaluate(() => window.segscope.reach('k8s:tools/prometheus', 'k8s:store/api', 8080));
  expect(always.levels.policy.rule?.summary).toBe(
    "Cilium's policy enforcement mode always puts prometheus in default deny for egress (Cilium: traffic no policy allows is dropped)",
  );
  // never: the ingressDeny that broke debug → db is not enforced either.
  await mode.selectOption('never');
  await expect.poll(() => classOf(...DEBUG)).toEqual(['allowed']);
  await expect.poll(() => classOf(...PROM)).toEqual(['allowed']);
  const never = await page.evaluate(() => window.segscope.reach('k8s:tools/debug', 'k8s:store/db', 5432));
  expect(never.levels.policy.verdict).toBe('open');

  await page.keyboard.press('Escape');
  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  await expect.poll(() => classOf(...DEBUG)).toEqual(['broken']);
  await expect.poll(() => classOf(...PROM)).toEqual(['allowed']);
  expect(await page.evaluate(() => window.segscope.workspace()?.settings?.ciliumPolicyEnforcement)).toBeUndefined();
});
