import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { dataPlaneName, sharedServiceName } from '../../../src/api/data-plane-names.js';
import { dataPlaneObjects, sharedDataPlaneObjects, sharedGatewayService, type DataPlaneGateway } from '../../../src/deployment/data-plane-objects.js';
import { kubeParameters, mergeKubeParameters, type KubeParameters } from '../../../src/graph/parameters.js';
import { projectRoot } from '../../e2e/support.js';

const GOLDEN_DIR = path.join(projectRoot, 'test/unit/deployment');

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, `${name}.golden.yaml`);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `${file} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

const gateway: DataPlaneGateway = {
  namespace: 'apps',
  name: 'web',
  uid: '6b1f4c3e-0000-4000-8000-000000000001',
  labels: { team: 'payments', 'app.kubernetes.io/name': 'ignored' },
  annotations: { 'example.com/owner': 'payments' },
  ports: [
    { port: 80, protocol: 'TCP' },
    { port: 443, protocol: 'TCP' },
    { port: 5353, protocol: 'UDP' },
  ],
};
const settings = { image: 'ghcr.io/portico/portico:1.2.3', controllerUrl: 'https://portico.portico-system.svc:9443', token: 'tok' };

test('dataPlaneObjects: the default objects of a Gateway (golden)', () => {
  golden('default', stringify(dataPlaneObjects(gateway, {}, settings), { aliasDuplicateObjects: false }));
});

test('dataPlaneObjects: GatewayParameters shape every object (golden)', () => {
  const kube = kubeParameters(
    {
      deployment: { replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } } },
      podTemplate: { extraLabels: { tier: 'edge' }, extraAnnotations: { 'prometheus.io/scrape': 'true' }, nodeSelector: { role: 'edge' }, tolerations: [{ key: 'edge', operator: 'Exists' }], gracefulShutdown: { enabled: true, sleepTimeSeconds: 5 } },
      envoyContainer: { image: { registry: 'registry.example.com', repository: 'portico', tag: '9.9.9' }, resources: { requests: { cpu: '500m' } } },
      service: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }], extraAnnotations: { 'lb.example.com/internal': 'true' }, externalTrafficPolicy: 'Local' },
      serviceAccount: { extraLabels: { sa: 'yes' } },
      podDisruptionBudget: { spec: { minAvailable: 1 } },
    },
    'spec.kube',
  );
  assert.ok(typeof kube !== 'string', String(kube));
  golden('parameters', stringify(dataPlaneObjects(gateway, kube, settings), { aliasDuplicateObjects: false }));
});

test('dataPlaneObjects: selector labels win over infrastructure labels; owner is the Gateway', () => {
  const objects = dataPlaneObjects(gateway, {}, settings);
  for (const o of objects) {
    assert.equal(o.metadata.labels?.['app.kubernetes.io/name'], 'portico-dataplane', `${o.kind}`);
    assert.equal(o.metadata.labels?.['gateway.networking.k8s.io/gateway-name'], 'web');
    assert.equal(o.metadata.labels?.team, 'payments');
    assert.equal(o.metadata.annotations?.['example.com/owner'], 'payments');
    assert.deepEqual(o.metadata.ownerReferences, [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'web', uid: gateway.uid, controller: true, blockOwnerDeletion: true }]);
  }
  assert.deepEqual(objects.map((o) => o.kind), ['ServiceAccount', 'Secret', 'Deployment', 'Service']);
});

test('dataPlaneObjects: an autoscaler owns the replica count', () => {
  const objects = dataPlaneObjects(gateway, { deployment: { replicas: 2 }, horizontalPodAutoscaler: { spec: { minReplicas: 2, maxReplicas: 5 } } }, settings);
  const d = objects.find((o) => o.kind === 'Deployment') as { spec: { replicas?: number } };
  assert.equal(d.spec.replicas, undefined);
  const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler') as { spec: { scaleTargetRef: { name: string }; maxReplicas: number } };
  assert.deepEqual([hpa.spec.scaleTargetRef.name, hpa.spec.maxReplicas], ['portico-web', 5]);
});

test('dataPlaneName: within 63 characters, distinct for long names', () => {
  assert.equal(dataPlaneName('web'), 'portico-web');
  const a = dataPlaneName('a'.repeat(100));
  const b = dataPlaneName(`${'a'.repeat(99)}b`);
  assert.ok(a.length <= 63 && b.length <= 63);
  assert.notEqual(a, b);
});

test('kubeParameters: what Portico cannot carry is refused by path; merge is per section, per field', () => {
  assert.equal(kubeParameters({ istio: {} }, 'spec.kube'), 'spec.kube.istio is not supported by Portico');
  assert.equal(kubeParameters({ envoyContainer: { bootstrap: { logLevel: 'debug' } } }, 'spec.kube'), 'spec.kube.envoyContainer.bootstrap is not supported by Portico');
  assert.equal(kubeParameters({ service: { type: 'ExternalName' } }, 'spec.kube'), 'spec.kube.service.type "ExternalName": LoadBalancer, NodePort or ClusterIP');
  const base: KubeParameters = { service: { type: 'ClusterIP', extraLabels: { a: '1' } }, deployment: { replicas: 2 } };
  assert.deepEqual(mergeKubeParameters(base, { service: { type: 'NodePort' } }), { service: { type: 'NodePort', extraLabels: { a: '1' } }, deployment: { replicas: 2 } });
  assert.equal(mergeKubeParameters(undefined, undefined), undefined);
});

test('sharedDataPlaneObjects and sharedGatewayService: a class data plane and a Gateway Service mapping its ports (golden)', () => {
  const cls = { name: 'portico', uid: '6b1f4c3e-0000-4000-8000-0000000000c1', namespace: 'portico-system' };
  const kube = kubeParameters({ deployment: { replicas: 2 }, podDisruptionBudget: { spec: { minAvailable: 1 } } }, 'kube') as KubeParameters;
  const moved: DataPlaneGateway = { ...gateway, ports: gateway.ports.map((p, i) => ({ ...p, targetPort: 10_000 + i })) };
  const objects = [...sharedDataPlaneObjects(cls, kube, settings), sharedGatewayService(cls, moved, { service: { type: 'NodePort' } })];
  golden('shared', stringify(objects, { aliasDuplicateObjects: false }));
  const service = objects.at(-1) as { metadata: { namespace: string; name: string; ownerReferences: { kind: string }[] }; spec: { selector: Record<string, string> } };
  assert.equal(service.metadata.namespace, 'portico-system', 'beside the pods it selects');
  assert.equal(service.metadata.name, sharedServiceName('apps', 'web'));
  assert.equal(service.metadata.ownerReferences[0]?.kind, 'GatewayClass');
  const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as { spec: { selector: { matchLabels: Record<string, string> }; template: { spec: { containers: { args: string[] }[] } } } };
  assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
  assert.deepEqual(deployment.spec.template.spec.containers[0]?.args.slice(0, 3), ['dataplane', '--gateway-class', 'portico']);
});

test('sharedServiceName: within 63 characters, and apart for names that would read alike', () => {
  assert.notEqual(sharedServiceName('a-b', 'c'), sharedServiceName('a', 'b-c'));
  const long = sharedServiceName('n'.repeat(63), 'g'.repeat(63));
  assert.ok(long.length <= 63, long);
  assert.match(long, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
});
