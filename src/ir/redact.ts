import type { IR, IRListener, IRTrafficPolicy } from './model.js';

const REDACTED = '(redacted)';

/** HMAC secrets of JWT keys verify and forge tokens alike, API keys are credentials, password hashes can be attacked offline. */
function redactPolicy(p: IRTrafficPolicy | undefined): IRTrafficPolicy | undefined {
  if (!p || (!p.jwtAuth && !p.basicAuth && !p.apiKeyAuth)) return p;
  return {
    ...p,
    ...(p.jwtAuth ? { jwtAuth: { ...p.jwtAuth, providers: p.jwtAuth.providers.map((pr) => ({ ...pr, keys: pr.keys.map((k) => (k.secret !== undefined ? { ...k, secret: REDACTED } : k)) })) } } : {}),
    ...(p.basicAuth ? { basicAuth: { users: p.basicAuth.users.map((u) => ({ ...u, sha1: REDACTED })) } } : {}),
    ...(p.apiKeyAuth ? { apiKeyAuth: { ...p.apiKeyAuth, keys: p.apiKeyAuth.keys.map((k) => ({ ...k, key: REDACTED })) } } : {}),
  };
}

function redactListener(l: IRListener): IRListener {
  const tls = l.tls ? { tls: { ...l.tls, certificates: l.tls.certificates.map((c) => ({ ...c, keyPem: REDACTED })) } } : {};
  const policy = redactPolicy(l.policy);
  return {
    ...l,
    ...tls,
    ...(policy ? { policy } : {}),
    virtualHosts: l.virtualHosts.map((v) => ({ ...v, rules: v.rules.map((r) => (r.policy ? { ...r, policy: redactPolicy(r.policy) as IRTrafficPolicy } : r)) })),
  };
}

/** A copy of the IR safe to print or serve: private keys, HMAC secrets, API keys and password hashes replaced by a marker. */
export function redactIR(ir: IR): IR {
  return {
    gateways: ir.gateways.map((g) => ({
      ...g,
      ...(g.backendClientCertificate ? { backendClientCertificate: { ...g.backendClientCertificate, keyPem: REDACTED } } : {}),
      ports: g.ports.map((p) => ({
        ...p,
        ...(p.backendClientCertificate ? { backendClientCertificate: { ...p.backendClientCertificate, keyPem: REDACTED } } : {}),
        listeners: p.listeners.map(redactListener),
      })),
    })),
  };
}
