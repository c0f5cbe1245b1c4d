// Generated Kubernetes manifests for the connlist bench and scale tests: namespaces, Deployments, NetworkPolicies.
import { rng } from '../src/gen/random';

const TIERS = ['web', 'api', 'data', 'cache'];

/**
 * Namespaces with team/env labels; Deployments with unique app labels, a tier, a role and named ports;
 * policies of four shapes: per-app ingress (pod, namespace+pod with matchExpressions, named port,
 * endPort), per-tier egress (ipBlock with except, all namespaces, UDP 53), namespace default deny,
 * and egress-only allow lists, so most workloads end up in their own equivalence class.
 */
export const generateManifests = (workloads: number, policies: number, namespaces: number, seed = 7): string => {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const docs: string[] = [];
  for (let n = 0; n < namespaces; n++) {
    docs.push(
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-${n}\n  labels:\n    team: t${n % 5}\n    env: ${n % 2 ? 'dev' : 'prod'}`,
    );
  }
  for (let i = 0; i < workloads; i++) {
    const ns = `ns-${i % namespaces}`;
    const tier = TIERS[i % TIERS.length] as string;
    docs.push(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        `metadata:\n  name: app-${i}\n  namespace: ${ns}`,
        'spec:',
        `  selector:\n    matchLabels:\n      app: app-${i}`,
        '  template:',
        `    metadata:\n      labels:\n        app: app-${i}\n        tier: ${tier}\n        role: r${i % 7}`,
        '    spec:',
        '      containers:',
        '      - name: main',
        '        image: example/app',
        '        ports:',
        `        - {containerPort: ${8000 + (i % 50)}, name: http}`,
        `        - {containerPort: ${9090 + (i % 3)}, name: metrics}`,
        ...(i % 10 === 0 ? ['        - {containerPort: 53, name: dns, protocol: UDP}'] : []),
      ].join('\n'),
    );
  }
  for (let p = 0; p < policies; p++) {
    const shape = p % 10;
    const target = Math.floor(rand() * workloads);
    const ns = `ns-${target % namespaces}`;
    let spec: string;
    if (shape < 6) {
      spec = [
        `  podSelector:\n    matchLabels:\n      app: app-${target}`,
        '  ingress:',
        '  - from:',
        `    - podSelector:\n        matchLabels:\n          tier: ${pick(TIERS)}`,
        `    - namespaceSelector:\n        matchLabels:\n          team: t${Math.floor(rand() * 5)}`,
        `      podSelector:\n        matchExpressions:\n        - {key: role, operator: In, values: [r${p % 7}, r${(p + 3) % 7}]}`,
        '    ports:',
        '    - port: http',
        `    - {port: ${9000 + (p % 50)}, endPort: ${9100 + (p % 50)}}`,
      ].join('\n');
    } else if (shape < 8) {
      spec = [
        `  podSelector:\n    matchLabels:\n      tier: ${pick(TIERS)}`,
        '  policyTypes: [Egress]',
        '  egress:',
        '  - to:',
        `    - ipBlock:\n        cidr: 10.0.0.0/8\n        except: [10.${p % 256}.0.0/16]`,
        '    - namespaceSelector: {}',
        `      podSelector:\n        matchExpressions:\n        - {key: role, operator: NotIn, values: [r${p % 7}]}`,
        '    ports:',
        '    - {protocol: TCP, port: 5432}',
        '    - {protocol: TCP, port: http}',
        '  - ports:',
        '    - {protocol: UDP, port: 53}',
      ].join('\n');
    } else if (shape === 8) {
      spec = '  podSelector: {}\n  policyTypes: [Ingress]';
    } else {
      spec = [
        `  podSelector:\n    matchExpressions:\n    - {key: role, operator: Exists}\n    - {key: legacy, operator: DoesNotExist}`,
        '  policyTypes: [Ingress, Egress]',
        '  ingress:',
        `  - from:\n    - namespaceSelector:\n        matchLabels:\n          env: ${pick(['dev', 'prod'])}`,
        '  egress:',
        `  - to:\n    - podSelector:\n        matchLabels:\n          app: app-${Math.floor(rand() * workloads)}`,
      ].join('\n');
    }
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-${p}\n  namespace: ${ns}\nspec:\n${spec}`,
    );
  }
  return `${docs.join('\n---\n')}\n`;
};
