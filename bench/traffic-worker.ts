/**
 * Echo backends and the probe of bench/convergence in a thread of their own. Portico runs in the
 * bench's main thread; were the clients and backends there too, any work Portico does after a
 * change reached HAProxy (writing the new files, say) would hold up the answer that proves the
 * change, and be counted as convergence time, which no real client would see. In a worker they
 * share the machine's two cores with Portico, as real ones would, but not its event loop.
 *
 * Messages in: { type: 'probe', id, address, port, host, status, pod? } probes until an answer
 * has that status (and comes from that echo server); { type: 'close' }. Out: { type: 'ready',
 * echo: [{ host, port, name }] } once the servers listen; { type: 'answered', id, at } with the
 * moment of the accepted answer (performance.timeOrigin + performance.now(): comparable across
 * threads); { type: 'failed', id, message }.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { startEcho, type EchoServer } from '../test/support/echo-server.js';
import { probe } from './support.js';

export interface TrafficWorkerData {
  /** Echo servers to start: all on the first one's port. */
  echo: { host: string; name: string }[];
}

export type TrafficWorkerRequest =
  | { type: 'probe'; id: number; address: string; port: number; host: string; status: number; pod?: string; timeoutMs: number }
  | { type: 'close' };

export type TrafficWorkerReply =
  | { type: 'ready'; echo: { host: string; port: number; name: string }[] }
  | { type: 'answered'; id: number; at: number }
  | { type: 'failed'; id: number; message: string };

const port = parentPort;
if (!port) throw new Error('bench/traffic-worker runs as a worker thread');
const data = workerData as TrafficWorkerData;
const servers: EchoServer[] = [];
for (const e of data.echo) {
  servers.push(await startEcho({ host: e.host, port: servers[0]?.port, name: e.name, namespace: 'default', protocol: 'http1' }));
}
const send = (reply: TrafficWorkerReply) => port.postMessage(reply);
send({ type: 'ready', echo: servers.map((s, i) => ({ host: s.host, port: s.port, name: data.echo[i]?.name ?? '' })) });

port.on('message', (message: TrafficWorkerRequest) => {
  if (message.type === 'close') {
    void Promise.all(servers.map((s) => s.close())).then(() => port.close());
    return;
  }
  void (async () => {
    const deadline = performance.now() + message.timeoutMs;
    const pod = message.pod === undefined ? undefined : new RegExp(`"pod": ?"${message.pod}"`);
    for (;;) {
      const answer = await probe(message.address, message.port, message.host);
      if (answer.status === message.status && (!pod || pod.test(answer.text))) {
        send({ type: 'answered', id: message.id, at: performance.timeOrigin + performance.now() });
        return;
      }
      if (performance.now() > deadline) {
        send({ type: 'failed', id: message.id, message: `no matching answer within ${message.timeoutMs} ms (last: ${answer.status} ${answer.text.slice(0, 200)})` });
        return;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
});
