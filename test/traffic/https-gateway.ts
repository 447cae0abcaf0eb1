/** Upstream's Gateway "same-namespace-with-https-listener" (conformance/base), shared by HTTPS tests. */
import { INFRA_NS } from './cases.js';
import { extraGatewayYaml, tlsSecretYaml } from './harness.js';

export const HTTPS_GW = 'same-namespace-with-https-listener';
const listener = (name: string, hostname?: string) => `  - name: ${name}
    port: 443
    protocol: HTTPS
    allowedRoutes: {namespaces: {from: Same}}
${hostname ? `    hostname: "${hostname}"\n` : ''}    tls: {certificateRefs: [{group: "", kind: Secret, name: tls-validity-checks-certificate, namespace: ${INFRA_NS}}]}
`;
/** Four listeners on 443 sharing one certificate; add after a gatewayYaml(), which declares the class. */
export const httpsGatewayYaml = [
  extraGatewayYaml(
    HTTPS_GW,
    INFRA_NS,
    listener('https') + listener('https-with-hostname', 'second-example.org') + listener('https-with-wildcard-hostname', '*.wildcard.org') + listener('https-with-hostname-matching-wildcard', 'fourth-example.wildcard.org'),
  ),
  tlsSecretYaml('tls-validity-checks-certificate', INFRA_NS),
].join('---\n');
