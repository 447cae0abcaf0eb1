/**
 * A gRPC echo backend and client for traffic tests, with @grpc/grpc-js. The service has upstream's
 * names (gateway_api_conformance.echo_basic.grpcecho.GrpcEcho with Echo, EchoTwo, EchoThree) so
 * routes read like upstream's; messages are JSON, which the gateway never looks into. Each answer
 * says which backend served it, which method was called and the metadata that arrived.
 */
import * as grpc from '@grpc/grpc-js';
import type { BackendServer } from './harness.js';

export const GRPC_SERVICE = 'gateway_api_conformance.echo_basic.grpcecho.GrpcEcho';
export const GRPC_METHODS = ['Echo', 'EchoTwo', 'EchoThree'] as const;

export interface GrpcEchoAnswer {
  pod: string;
  namespace: string;
  method: string;
  /** Request metadata as the backend got it (first value of each key). */
  metadata: Record<string, string>;
}

const json = {
  serialize: (value: unknown): Buffer => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer): unknown => JSON.parse(bytes.toString('utf8') || 'null'),
};

function definition(): grpc.ServiceDefinition {
  return Object.fromEntries(
    GRPC_METHODS.map((m) => [
      m,
      {
        path: `/${GRPC_SERVICE}/${m}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: json.serialize,
        requestDeserialize: json.deserialize,
        responseSerialize: json.serialize,
        responseDeserialize: json.deserialize,
      },
    ]),
  );
}

/** A gRPC server (plaintext HTTP/2) on a free loopback port answering every method with an echo. */
export async function startGrpcEcho(pod: string, namespace: string): Promise<BackendServer> {
  const server = new grpc.Server();
  const handler = (method: string): grpc.handleUnaryCall<unknown, GrpcEchoAnswer> => (call, callback) => {
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(call.metadata.getMap())) metadata[k] = String(v);
    callback(null, { pod, namespace, method, metadata });
  };
  server.addService(definition(), Object.fromEntries(GRPC_METHODS.map((m) => [m, handler(m)])));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    host: '127.0.0.1',
    port,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

export interface GrpcCall {
  method: (typeof GRPC_METHODS)[number];
  /** The :authority the client sends (the route's hostname). */
  authority: string;
  metadata?: Record<string, string>;
}

export type GrpcResult = { ok: true; answer: GrpcEchoAnswer } | { ok: false; code: grpc.status; details: string };

/** One unary call through the gateway at address:port. */
export function grpcCall(address: string, port: number, call: GrpcCall, timeoutMs = 5000): Promise<GrpcResult> {
  const Client = grpc.makeGenericClientConstructor(definition(), 'GrpcEcho');
  const client = new Client(`${address}:${port}`, grpc.credentials.createInsecure(), { 'grpc.default_authority': call.authority });
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(call.metadata ?? {})) metadata.set(k, v);
  return new Promise<GrpcResult>((resolve) => {
    const method = client[call.method] as (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: GrpcEchoAnswer) => void) => void;
    method.call(client, {}, metadata, { deadline: Date.now() + timeoutMs }, (err, res) => {
      client.close();
      if (err) resolve({ ok: false, code: err.code, details: err.details });
      else resolve({ ok: true, answer: res as GrpcEchoAnswer });
    });
  });
}
