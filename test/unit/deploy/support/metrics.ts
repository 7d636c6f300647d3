import { createMetricsRegistry } from '@gtwatch/observability';
import { filesUnder, readText } from './repo.js';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

export interface RegisteredMetric {
  name: string;
  type: MetricType;
  labels: ReadonlySet<string>;
  /** Where it is registered: a source file, or prom-client's default metrics. */
  origin: string;
}

const CONSTRUCTOR = /new\s+(Counter|Gauge|Histogram|Summary)\b\s*(?:<[^>(]*>)?\s*\(/g;

/**
 * Metrics the services register, read from their TypeScript sources (`new Counter({ name: '…', labelNames: […] })`),
 * so a service added later (the api) is covered without editing this file. A metric whose name is not a string
 * literal cannot be checked and is reported as a problem instead of being skipped.
 */
export function metricsInSources(): { metrics: RegisteredMetric[]; problems: string[] } {
  const metrics: RegisteredMetric[] = [];
  const problems: string[] = [];
  const files = [...filesUnder('packages', ['.ts']), ...filesUnder('services', ['.ts'])].filter(
    (file) => /^(packages|services)\/[^/]+\/src\//.test(file) && !file.endsWith('.d.ts'),
  );
  for (const file of files) {
    const text = readText(file);
    const starts = [...text.matchAll(CONSTRUCTOR)];
    starts.forEach((match, index) => {
      const end = starts[index + 1]?.index ?? text.length;
      const body = text.slice(match.index, Math.min(end, match.index + 2_000));
      const name = /\bname:\s*(['"`])([^'"`$]+)\1/.exec(body)?.[2];
      if (name === undefined) {
        problems.push(`${file}: a ${match[1]} whose name is not a string literal`);
        return;
      }
      const labelList = /\blabelNames:\s*\[([^\]]*)\]/.exec(body)?.[1] ?? '';
      const labels = new Set([...labelList.matchAll(/(['"`])([^'"`]+)\1/g)].map((label) => label[2] as string));
      metrics.push({ name, type: (match[1] as string).toLowerCase() as MetricType, labels, origin: file });
    });
  }
  return { metrics, problems };
}

/** prom-client's process and Node.js metrics, as `createMetricsRegistry` really registers them. */
export async function defaultMetrics(): Promise<RegisteredMetric[]> {
  const registry = createMetricsRegistry({ service: 'deploy-check' });
  const json = await registry.getMetricsAsJSON();
  registry.clear();
  return json.map((metric) => {
    const labels = new Set<string>();
    for (const value of metric.values ?? []) for (const label of Object.keys(value.labels ?? {})) labels.add(label);
    return { name: metric.name, type: String(metric.type) as MetricType, labels, origin: 'prom-client default metrics' };
  });
}

/** Labels every scraped series carries: the registry's default labels plus Prometheus' target labels. */
export const COMMON_LABELS: ReadonlySet<string> = new Set(['service', 'instance', 'exported_instance', 'job']);

/** Series Prometheus itself writes for every scrape target. */
const SCRAPE_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added'];

/** Series name → the labels it may carry, for every series the registered metrics expose. */
export function exposedSeries(metrics: readonly RegisteredMetric[]): Map<string, ReadonlySet<string>> {
  const series = new Map<string, ReadonlySet<string>>();
  const add = (name: string, labels: Iterable<string>) => series.set(name, new Set([...COMMON_LABELS, ...labels]));
  for (const metric of metrics) {
    switch (metric.type) {
      case 'histogram':
        add(`${metric.name}_bucket`, [...metric.labels, 'le']);
        add(`${metric.name}_sum`, metric.labels);
        add(`${metric.name}_count`, metric.labels);
        break;
      case 'summary':
        add(metric.name, [...metric.labels, 'quantile']);
        add(`${metric.name}_sum`, metric.labels);
        add(`${metric.name}_count`, metric.labels);
        break;
      default:
        add(metric.name, metric.labels);
    }
  }
  for (const name of SCRAPE_SERIES) add(name, []);
  return series;
}

/** Every series the deployment's queries may name: the sources' metrics, the default metrics, scrape series. */
export async function seriesCatalogue(): Promise<{ series: Map<string, ReadonlySet<string>>; sourceMetrics: RegisteredMetric[]; problems: string[] }> {
  const { metrics, problems } = metricsInSources();
  return { series: exposedSeries([...metrics, ...(await defaultMetrics())]), sourceMetrics: metrics, problems };
}
