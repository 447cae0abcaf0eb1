import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deployRbacObjects, porticoClusterRules } from '../../../support/kube-rbac.js';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

const deploy = deployRbacObjects();

test('deploy/rbac.yaml grants the portico ClusterRole every request the controller makes', { skip: deploy ? false : 'no deploy/rbac.yaml' }, () => {
  const role = deploy?.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'portico') as { rules?: Rule[] } | undefined;
  assert.ok(role, 'a ClusterRole "portico"');
  const missing: string[] = [];
  for (const need of porticoClusterRules()) {
    for (const group of need.apiGroups) {
      for (const resource of need.resources) {
        for (const verb of need.verbs) {
          const granted = (role.rules ?? []).some(
            (r) => !r.resourceNames?.length && r.apiGroups?.includes(group) && r.resources?.includes(resource) && r.verbs?.includes(verb),
          );
          if (!granted) missing.push(`${verb} ${group || 'core'}/${resource}`);
        }
      }
    }
  }
  assert.deepEqual(missing, []);
});
