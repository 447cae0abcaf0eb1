/** A scripted API server for unit tests of reflectors and the status writer. */
import type { KubeRequest, KubeResponse, KubeTransport, Query, WatchEnd, WatchHandle } from '../../../../src/providers/kubernetes/transport.js';

export class FakeWatch {
  readonly done: Promise<WatchEnd>;
  private settle!: (end: WatchEnd) => void;
  ended: WatchEnd | undefined;

  constructor(
    readonly path: string,
    readonly query: Query,
    private readonly onEvent: (event: unknown) => void,
  ) {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  emit(type: string, object: unknown): void {
    if (!this.ended) this.onEvent({ type, object });
  }

  end(end: WatchEnd = { type: 'closed' }): void {
    if (this.ended) return;
    this.ended = end;
    this.settle(end);
  }
}

export type Handler = (request: KubeRequest) => KubeResponse | Promise<KubeResponse>;

export class FakeTransport implements KubeTransport {
  readonly requests: KubeRequest[] = [];
  readonly watches: FakeWatch[] = [];

  constructor(public handler: Handler = () => ({ status: 404, body: {} })) {}

  request(request: KubeRequest): Promise<KubeResponse> {
    this.requests.push(request);
    return Promise.resolve().then(() => this.handler(request));
  }

  watch(path: string, query: Query, onEvent: (event: unknown) => void): WatchHandle {
    const watch = new FakeWatch(path, query, onEvent);
    this.watches.push(watch);
    return { done: watch.done, abort: () => watch.end({ type: 'aborted' }) };
  }

  /** The newest watch on `path` that is still open. */
  openWatch(path: string): FakeWatch | undefined {
    return [...this.watches].reverse().find((w) => w.path === path && !w.ended);
  }

  close(): void {
    for (const w of this.watches) w.end({ type: 'aborted' });
  }
}

export function list(items: unknown[], resourceVersion: string, next?: string): KubeResponse {
  return { status: 200, body: { metadata: { resourceVersion, ...(next ? { continue: next } : {}) }, items } };
}

export function obj(name: string, resourceVersion: string, extra: Record<string, unknown> = {}, namespace = 'default'): Record<string, unknown> {
  return { metadata: { name, namespace, resourceVersion, uid: `uid-${name}` }, ...extra };
}
