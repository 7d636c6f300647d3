export { type HealthServer, type HealthServerOptions, startHealthServer } from './health-server.js';
export { createLogger, type Logger, type LoggerOptions, REDACTED_PATHS } from './logger.js';
export { Counter, createMetricsRegistry, Gauge, Histogram, type MetricsOptions, type Registry } from './metrics.js';
export { Readiness } from './readiness.js';
