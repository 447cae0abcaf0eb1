import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsOptions {
  /** Also export process metrics (CPU, memory, event loop lag, ...). Default true. */
  processMetrics?: boolean;
}

/**
 * Every metric Portico exports, on a registry of its own (not prom-client's global one) so
 * several instances can live in one process, as they do in tests.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly translationsTotal = new Counter({
    name: 'portico_translations_total',
    help: 'Translations of the resource snapshot into status and data-plane configuration, by result.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly translationDuration = new Histogram({
    name: 'portico_translation_duration_seconds',
    help: 'Time one translation took (resources to status and IR), in seconds.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly objectsLoaded = new Gauge({
    name: 'portico_objects_loaded',
    help: 'Valid objects in the current snapshot, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly invalidObjects = new Gauge({
    name: 'portico_invalid_objects',
    help: 'Problems in the current input: refused objects, YAML errors, duplicates.',
    registers: [this.registry],
  });

  readonly lastSuccessfulTranslation = new Gauge({
    name: 'portico_last_successful_translation_timestamp_seconds',
    help: 'Unix time at which the last translation was applied to the data plane.',
    registers: [this.registry],
  });

  constructor(options: MetricsOptions = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Replace the per-kind object counts: kinds absent from `counts` drop to 0 rather than linger. */
  setObjectCounts(counts: ReadonlyMap<string, number>): void {
    this.objectsLoaded.reset();
    for (const [kind, n] of counts) this.objectsLoaded.set({ kind }, n);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
