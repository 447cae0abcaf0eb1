import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../src/api/object.js';
import { Validator, type FieldProblem } from '../../../src/validation/index.js';
import * as fx from './fixtures.js';

const validator = new Validator();

function problems(obj: KubeObject): FieldProblem[] {
  return validator.validate(obj).problems;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk arbitrary JSON
function stored(obj: KubeObject): any {
  const result = validator.validate(obj);
  assert.deepEqual(result.problems, []);
  return result.object;
}

describe('Service', () => {
  test('valid, with the API server defaults', () => {
    const svc = stored(fx.service());
    assert.equal(svc.metadata.namespace, 'apps');
    assert.deepEqual(svc.spec, { selector: { app: 'api' }, ports: [{ port: 8080, protocol: 'TCP', targetPort: 8080 }], type: 'ClusterIP', sessionAffinity: 'None' });
  });

  test('port range, protocol, named targetPort', () => {
    const svc = fx.service();
    fx.spec(svc).ports = [{ port: 0, protocol: 'HTTP', targetPort: 'Web_Port' }];
    assert.deepEqual(problems(svc), [
      { path: 'spec.ports[0].port', message: 'Invalid value: 0: must be between 1 and 65535, inclusive' },
      { path: 'spec.ports[0].protocol', message: 'Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"' },
      { path: 'spec.ports[0].targetPort', message: 'Invalid value: "Web_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)' },
    ]);
    fx.spec(svc).ports = [{ port: 80, targetPort: 'http' }];
    assert.equal(stored(svc).spec.ports[0].targetPort, 'http');
  });

  test('names are required and unique when there are several ports', () => {
    const svc = fx.service();
    fx.spec(svc).ports = [{ port: 80 }, { name: 'b', port: 81 }, { name: 'b', port: 81 }];
    assert.deepEqual(problems(svc), [
      { path: 'spec.ports[0].name', message: 'Required value' },
      { path: 'spec.ports[2].name', message: 'Duplicate value: "b"' },
      { path: 'spec.ports[2]', message: 'Duplicate value: {"port":81,"protocol":"TCP"}' },
    ]);
  });

  test('ports are required unless headless or ExternalName; types', () => {
    const svc = fx.service();
    fx.spec(svc).ports = [];
    assert.deepEqual(problems(svc), [{ path: 'spec.ports', message: 'Required value' }]);
    fx.spec(svc).clusterIP = 'None';
    assert.deepEqual(problems(svc), []);
    const ext = fx.service();
    ext.spec = { type: 'ExternalName', externalName: 'db.example.com' };
    assert.deepEqual(problems(ext), []);
    ext.spec = { type: 'ExternalName' };
    assert.deepEqual(problems(ext), [{ path: 'spec.externalName', message: 'Required value' }]);
    fx.spec(svc).type = 'Internal';
    assert.equal(problems(svc)[0]?.message, 'Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"');
    const typed = fx.service();
    fx.spec(typed).ports = [{ port: '80' }];
    assert.deepEqual(problems(typed), [{ path: 'spec.ports[0].port', message: 'Invalid value: "string": must be of type integer' }]);
  });

  test('Service names are DNS-1035 labels', () => {
    const svc = fx.service();
    svc.metadata.name = '1api';
    assert.match(problems(svc)[0]?.message ?? '', /^Invalid value: "1api": a DNS-1035 label must consist of/);
  });
});

describe('EndpointSlice', () => {
  test('valid, with port defaults', () => {
    const slice = stored(fx.endpointSlice());
    assert.deepEqual(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  test('addressType is required and must be supported', () => {
    const slice = fx.endpointSlice();
    delete slice.addressType;
    assert.deepEqual(problems(slice), [{ path: 'addressType', message: 'Required value' }]);
    slice.addressType = 'IP';
    assert.deepEqual(problems(slice), [{ path: 'addressType', message: 'Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"' }]);
  });

  test('every endpoint needs addresses of the slice type', () => {
    const slice = fx.endpointSlice();
    slice.endpoints = [{ addresses: [] }, { addresses: ['2001:db8::1', '0.0.0.0', '169.254.1.1'] }, { conditions: { ready: 'yes' } }];
    assert.deepEqual(problems(slice), [
      { path: 'endpoints[0].addresses', message: 'Required value: must contain at least 1 address' },
      { path: 'endpoints[1].addresses[0]', message: 'Invalid value: "2001:db8::1": must be a valid IPv4 address' },
      { path: 'endpoints[1].addresses[1]', message: 'Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)' },
      { path: 'endpoints[1].addresses[2]', message: 'Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)' },
      { path: 'endpoints[2].addresses', message: 'Required value: must contain at least 1 address' },
      { path: 'endpoints[2].conditions.ready', message: 'Invalid value: "string": must be of type boolean' },
    ]);
  });

  test('loopback endpoints are accepted without a word (local backends are what standalone mode is for)', () => {
    const slice = fx.endpointSlice();
    slice.endpoints = [{ addresses: ['127.0.0.1'] }, { addresses: ['127.0.0.2'] }];
    const result = validator.validate(slice);
    assert.equal(result.ok, true);
    assert.deepEqual(result.warnings, []);
  });

  test('FQDN and IPv6 slices; missing endpoints become an empty list', () => {
    const fqdn = fx.endpointSlice();
    fqdn.addressType = 'FQDN';
    fqdn.endpoints = [{ addresses: ['backend.example.com'] }, { addresses: ['localhost'] }];
    assert.deepEqual(problems(fqdn), [{ path: 'endpoints[1].addresses[0]', message: 'Invalid value: "localhost": should be a domain with at least two segments separated by dots' }]);
    const v6 = fx.endpointSlice();
    v6.addressType = 'IPv6';
    v6.endpoints = [{ addresses: ['2001:db8::1'] }];
    assert.deepEqual(problems(v6), []);
    const empty = fx.endpointSlice();
    delete empty.endpoints;
    assert.deepEqual(stored(empty).endpoints, []);
  });

  test('port names are unique DNS labels and protocols supported', () => {
    const slice = fx.endpointSlice();
    slice.ports = [{ port: 80 }, { port: 81 }, { name: 'Web', port: 82, protocol: 'ICMP' }];
    assert.deepEqual(problems(slice), [
      { path: 'ports[1].name', message: 'Duplicate value: ""' },
      { path: 'ports[2].name', message: "Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
      { path: 'ports[2].protocol', message: 'Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"' },
    ]);
  });
});

describe('Secret', () => {
  test('a TLS secret needs tls.crt and tls.key', () => {
    assert.equal(stored(fx.secret()).type, 'kubernetes.io/tls');
    const secret = fx.secret();
    secret.data = { 'tls.crt': 'Q0VSVA==' };
    assert.deepEqual(problems(secret), [{ path: 'data[tls.key]', message: 'Required value' }]);
    delete secret.data;
    assert.deepEqual(problems(secret), [
      { path: 'data[tls.crt]', message: 'Required value' },
      { path: 'data[tls.key]', message: 'Required value' },
    ]);
  });

  test('stringData is merged into data, base64-encoded, and wins over data', () => {
    const secret = fx.secret();
    secret.stringData = { 'tls.key': 'NEWKEY', extra: 'héllo' };
    const s = stored(secret);
    assert.equal(s.stringData, undefined);
    assert.equal(Buffer.from(s.data['tls.key'], 'base64').toString(), 'NEWKEY');
    assert.equal(Buffer.from(s.data.extra, 'base64').toString(), 'héllo');
    assert.equal(Buffer.from(s.data['tls.crt'], 'base64').toString(), 'CERT');

    const onlyStringData = fx.secret();
    delete onlyStringData.data;
    onlyStringData.stringData = { 'tls.crt': 'C', 'tls.key': 'K' };
    assert.deepEqual(Object.keys(stored(onlyStringData).data), ['tls.crt', 'tls.key']);
  });

  test('data must be base64; keys must be valid; type defaults to Opaque', () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { 'bad key': 'aGk=', token: 'not base64!' } };
    assert.deepEqual(problems(secret), [
      { path: 'data[token]', message: 'Invalid value: "<secret data>": illegal base64 data' },
      { path: 'data[bad key]', message: "Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')" },
    ]);
    assert.equal(stored({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }).type, 'Opaque');
  });

  test('other built-in types: basic-auth, dockerconfigjson, service-account-token', () => {
    const basic: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' }, type: 'kubernetes.io/basic-auth' };
    assert.deepEqual(problems(basic).map((p) => p.path), ['data[username]', 'data[password]']);
    basic.stringData = { password: 'p' };
    assert.deepEqual(problems(basic), []);
    const docker: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'd' }, type: 'kubernetes.io/dockerconfigjson' };
    assert.deepEqual(problems(docker), [{ path: 'data[.dockerconfigjson]', message: 'Required value' }]);
    const token: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 't' }, type: 'kubernetes.io/service-account-token' };
    assert.deepEqual(problems(token), [{ path: 'metadata.annotations[kubernetes.io/service-account.name]', message: 'Required value' }]);
  });
});

describe('all core kinds', () => {
  test('unknown top-level fields are dropped with a warning', () => {
    const svc = fx.service() as KubeObject & { selector?: unknown };
    svc.selector = { app: 'misplaced' };
    const result = validator.validate(svc);
    assert.equal(result.ok, true);
    assert.deepEqual(result.warnings, ['selector: unknown field, dropped']);
    assert.equal('selector' in (result.object ?? {}), false);
  });
});

describe('ConfigMap and Namespace', () => {
  test('ConfigMap keys, value types and binaryData', () => {
    assert.deepEqual(stored(fx.configMap()).data, { 'ca.crt': 'PEM' });
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'x', n: 1 }, binaryData: { a: 'eA==', b: '%%' } };
    assert.deepEqual(problems(cm), [
      { path: 'data[n]', message: 'Invalid value: "integer": must be of type string' },
      { path: 'binaryData[a]', message: 'Invalid value: "a": duplicate of key present in data' },
      { path: 'binaryData[b]', message: 'Invalid value: "b": illegal base64 data' },
    ]);
  });

  test('Namespace names are DNS-1123 labels and Namespaces are cluster-scoped', () => {
    const ns = stored(fx.namespace());
    assert.equal(ns.metadata.namespace, undefined);
    const bad = fx.namespace();
    bad.metadata.name = 'a.b';
    assert.match(problems(bad)[0]?.message ?? '', /a lowercase RFC 1123 label must consist/);
  });
});
