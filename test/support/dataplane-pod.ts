/**
 * What a kubelet would do with a data plane Deployment's pod spec, done as a process on this
 * machine: each mounted volume becomes a directory (a Secret's keys its files), the container's
 * arguments and environment are taken as they are (POD_IP and POD_NAME from the downward API
 * filled in), and `portico dataplane` runs. Inside a pod 0.0.0.0 is the pod's own address; here
 * several "pods" share one network, so it becomes the pod's address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../../src/api/object.js';
import { cliArgs } from '../e2e/support.js';
import type { TestKubeClient } from './kube-client.js';

interface Container {
  args: string[];
  env: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  volumeMounts: { name: string; mountPath: string }[];
}

interface PodSpec {
  containers: Container[];
  volumes: { name: string; secret?: { secretName: string } }[];
}

export async function startDataPlanePod(admin: TestKubeClient, namespace: string, deploymentName: string, pod: { ip: string; name: string; dir: string; debug?: boolean }): Promise<ChildProcess> {
  const get = async (p: string) => {
    const r = await admin.raw('GET', p);
    if (r.status !== 200) throw new Error(`GET ${p}: ${r.status}`);
    return r.body as KubeObject & { spec?: unknown; data?: Record<string, string> };
  };
  const deployment = await get(`/apis/apps/v1/namespaces/${namespace}/deployments/${deploymentName}`);
  const spec = (deployment.spec as { template: { spec: PodSpec } }).template.spec;
  const container = spec.containers[0] as Container;
  const root = mkdtempSync(path.join(pod.dir, 'pod-'));
  const mounts = new Map<string, string>();
  for (const m of container.volumeMounts) {
    const local = path.join(root, m.name);
    mkdirSync(local, { recursive: true });
    const secret = spec.volumes.find((v) => v.name === m.name)?.secret;
    if (secret) {
      const s = await get(`/api/v1/namespaces/${namespace}/secrets/${secret.secretName}`);
      for (const [k, v] of Object.entries(s.data ?? {})) writeFileSync(path.join(local, k), Buffer.from(v, 'base64'));
    }
    mounts.set(m.mountPath, local);
  }
  const args = container.args.map((a) => {
    for (const [from, to] of mounts) if (a.startsWith(from)) return to + a.slice(from.length);
    return a.replace(/^0\.0\.0\.0:/, `${pod.ip}:`);
  });
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin:/usr/sbin' };
  for (const e of container.env) {
    const field = e.valueFrom?.fieldRef?.fieldPath;
    if (field === 'status.podIP') env[e.name] = pod.ip;
    else if (field === 'metadata.name') env[e.name] = pod.name;
    else if (e.value !== undefined) env[e.name] = e.value;
  }
  return spawn(process.execPath, [...cliArgs(), ...args], { env, stdio: ['ignore', 'ignore', pod.debug ? 'inherit' : 'ignore'] });
}
