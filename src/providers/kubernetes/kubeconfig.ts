import { KubeConfig } from '@kubernetes/client-node';

/**
 * Credentials for the API server: the kubeconfig file when one is named, otherwise the Pod's
 * own ServiceAccount (in-cluster: KUBERNETES_SERVICE_HOST and the mounted token and CA).
 */
export function loadKubeConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  if (file !== undefined) {
    kc.loadFromFile(file);
  } else if (env.KUBERNETES_SERVICE_HOST) {
    kc.loadFromCluster();
  } else {
    throw new Error('no --kubeconfig given, and not running in a cluster (KUBERNETES_SERVICE_HOST is not set)');
  }
  if (!kc.getCurrentCluster()) throw new Error(`kubeconfig${file ? ` ${file}` : ''}: no current cluster`);
  return kc;
}
