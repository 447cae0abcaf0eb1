import type { IR } from './model.js';

/** A copy of the IR safe to print or serve: private keys replaced by a marker. */
export function redactIR(ir: IR): IR {
  return {
    gateways: ir.gateways.map((g) => ({
      ...g,
      ...(g.backendClientCertificate ? { backendClientCertificate: { ...g.backendClientCertificate, keyPem: '(redacted)' } } : {}),
      ports: g.ports.map((p) => ({
        ...p,
        listeners: p.listeners.map((l) =>
          l.tls ? { ...l, tls: { ...l.tls, certificates: l.tls.certificates.map((c) => ({ ...c, keyPem: '(redacted)' })) } } : l,
        ),
      })),
    })),
  };
}
