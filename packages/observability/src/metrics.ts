import { collectDefaultMetrics, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface MetricsOptions {
  service: string;
  instance?: string;
}

/**
 * A registry per process component rather than prom-client's global one, so tests and several services in one
 * process (the demo) never collide on metric names.
 */
export function createMetricsRegistry(options: MetricsOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service, ...(options.instance ? { instance: options.instance } : {}) });
  collectDefaultMetrics({ register: registry });
  return registry;
}
