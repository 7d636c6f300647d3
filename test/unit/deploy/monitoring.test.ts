import { beforeAll, describe, expect, it } from 'vitest';
import { type RegisteredMetric, seriesCatalogue } from './support/metrics.js';
import { selectorsOf, unknownNames } from './support/promql.js';
import { filesUnder, isRecord, readJson, readText, readYaml } from './support/repo.js';
import { namesInSql, type Schema, schemaFromMigrations, unknownSqlNames } from './support/sql.js';

interface Panel {
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Array<Record<string, unknown> & { datasource?: { type?: string; uid?: string } }>;
  panels?: Panel[];
}

interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

const DASHBOARD_FILES = filesUnder('deploy/grafana/dashboards', ['.json']);

function dashboards(): Array<{ file: string; dashboard: Dashboard }> {
  return DASHBOARD_FILES.map((file) => ({ file, dashboard: readJson<Dashboard>(file) }));
}

function allPanels(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}

interface Query {
  where: string;
  datasourceType: string;
  datasourceUid: string;
  text: string;
}

/** Every query of every dashboard, with the data source it runs on (the target's, else the panel's). */
function dashboardQueries(): Query[] {
  const queries: Query[] = [];
  for (const { file, dashboard } of dashboards()) {
    for (const panel of allPanels(dashboard.panels)) {
      for (const target of panel.targets ?? []) {
        const datasource = target.datasource ?? panel.datasource ?? {};
        const text = typeof target.expr === 'string' ? target.expr : typeof target.rawSql === 'string' ? target.rawSql : '';
        queries.push({
          where: `${file} › ${panel.title ?? panel.type} › ${String(target.refId)}`,
          datasourceType: datasource.type ?? '',
          datasourceUid: datasource.uid ?? '',
          text,
        });
      }
    }
  }
  return queries;
}

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string; expr: string }> }>;
}

function ruleExpressions(): Array<{ where: string; expr: string }> {
  return filesUnder('deploy/prometheus/rules', ['.yml', '.yaml']).flatMap((file) =>
    readYaml<RuleFile>(file).groups.flatMap((group) =>
      group.rules.map((rule) => ({ where: `${file} › ${rule.alert ?? rule.record}`, expr: rule.expr })),
    ),
  );
}

let series: Map<string, ReadonlySet<string>>;
let sourceMetrics: RegisteredMetric[];
let scanProblems: string[];

beforeAll(async () => {
  ({ series, sourceMetrics, problems: scanProblems } = await seriesCatalogue());
});

describe('metric catalogue read from the sources', () => {
  it('finds every metric the sink documents, and only literal names', async () => {
    const { METRIC_NAMES } = await import('@gtwatch/sink');
    const sink = sourceMetrics.filter((metric) => metric.origin.startsWith('services/sink/')).map((metric) => metric.name);
    expect(scanProblems).toEqual([]);
    expect([...sink].sort()).toEqual([...METRIC_NAMES].sort());
  });

  it('finds the scorer metrics and their labels', () => {
    const rejected = sourceMetrics.find((metric) => metric.name === 'gtwatch_scorer_rejected_total');
    expect(rejected?.type).toBe('counter');
    expect([...(rejected?.labels ?? [])]).toEqual(['reason']);
    expect(series.get('gtwatch_scorer_batch_seconds_bucket')?.has('le')).toBe(true);
  });
});

describe('PromQL names only metrics the code registers', () => {
  it('recognises a misspelt metric and a label the metric lacks', () => {
    expect(unknownNames('sum by (reason) (rate(gtwatch_scorer_rejectd_total[5m]))', series)).toEqual([
      'unknown series gtwatch_scorer_rejectd_total',
    ]);
    expect(unknownNames('sum(rate(gtwatch_scorer_rejected_total{pattern="x"}[5m]))', series)).toEqual([
      'gtwatch_scorer_rejected_total has no label pattern',
    ]);
    expect(selectorsOf('histogram_quantile(0.99, sum by (le) (rate(a_bucket{job=~"x"}[$__rate_interval]))) > 1e3 or b offset 5m')).toEqual([
      { metric: 'a_bucket', labels: ['job'] },
      { metric: 'b', labels: [] },
    ]);
  });

  it('alert rules', () => {
    const rules = ruleExpressions();
    expect(rules.length).toBeGreaterThanOrEqual(5);
    const problems = rules.flatMap(({ where, expr }) => unknownNames(expr, series).map((problem) => `${where}: ${problem}`));
    expect(problems).toEqual([]);
  });

  it('rules cover consumer lag, rejects and missing input', () => {
    const exprs = ruleExpressions().map((rule) => rule.expr);
    expect(exprs.some((expr) => expr.includes('gtwatch_scorer_consumer_lag'))).toBe(true);
    expect(exprs.some((expr) => expr.includes('gtwatch_sink_consumer_lag'))).toBe(true);
    expect(exprs.some((expr) => expr.includes('gtwatch_scorer_rejected_total'))).toBe(true);
    expect(exprs.some((expr) => /absent\(|== 0/.test(expr) && expr.includes('gtwatch_scorer_records_total'))).toBe(true);
  });

  it('Grafana Prometheus panels', () => {
    const queries = dashboardQueries().filter((query) => query.datasourceType === 'prometheus');
    expect(queries.length).toBeGreaterThanOrEqual(10);
    const problems = queries.flatMap((query) =>
      query.text.trim() === '' ? [`${query.where}: empty expr`] : unknownNames(query.text, series).map((problem) => `${query.where}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });
});

describe('ClickHouse SQL names only tables and columns the migrations create', () => {
  let schema: Schema;
  beforeAll(() => {
    const read = schemaFromMigrations();
    expect(read.problems).toEqual([]);
    schema = read.schema;
  });

  it('reads the migrations’ tables', () => {
    expect(schema.get('traffic_minute')?.has('transactions')).toBe(true);
    expect(schema.get('alerts')?.has('jurisdictions')).toBe(true);
  });

  it('recognises an unknown column and an unknown table', () => {
    expect(unknownSqlNames('SELECT sum(transactionz) AS tx FROM traffic_minute FINAL', schema)).toEqual([
      'unknown column transactionz (tables: traffic_minute)',
    ]);
    expect(unknownSqlNames('SELECT count() AS n FROM traffic_week', schema)).toEqual(['unknown table traffic_week']);
    expect(namesInSql("SELECT a AS b FROM gtwatch.alerts ARRAY JOIN jurisdictions AS j WHERE x = 'y z'")).toEqual({
      tables: ['alerts'],
      columns: ['a', 'jurisdictions', 'x'],
    });
  });

  it('Grafana ClickHouse panels', () => {
    const queries = dashboardQueries().filter((query) => query.datasourceType === 'grafana-clickhouse-datasource');
    expect(queries.length).toBeGreaterThanOrEqual(5);
    const problems = queries.flatMap((query) => unknownSqlNames(query.text, schema).map((problem) => `${query.where}: ${problem}`));
    expect(problems).toEqual([]);
  });

  it('avoids what ClickHouse 18.16 lacks, and the plugin macros that expand to it', () => {
    // $__timeFilter/$__fromTime expand to DateTime64 and $__timeInterval to toStartOfInterval: neither exists in 18.16.
    const forbidden = /\$__time(Filter|Interval)|\$__(from|to)Time|toStartOfInterval|DateTime64|JSONExtract|\bWITH\s+\w+\s+AS\s*\(|\bOVER\s*\(/i;
    const offending = dashboardQueries()
      .filter((query) => query.datasourceType === 'grafana-clickhouse-datasource' && forbidden.test(query.text))
      .map((query) => query.where);
    expect(offending).toEqual([]);
  });
});

describe('Grafana provisioning', () => {
  interface Datasources {
    datasources: Array<{ uid: string; type: string; jsonData?: Record<string, unknown>; secureJsonData?: Record<string, string> }>;
  }

  it('every query runs on a provisioned data source, by uid', () => {
    const provisioned = readYaml<Datasources>('deploy/grafana/provisioning/datasources/gtwatch.yaml').datasources;
    const byUid = new Map(provisioned.map((source) => [source.uid, source.type]));
    const mismatched = dashboardQueries()
      .filter((query) => byUid.get(query.datasourceUid) !== query.datasourceType)
      .map((query) => `${query.where}: ${query.datasourceType}/${query.datasourceUid}`);
    expect(mismatched).toEqual([]);
  });

  it('the ClickHouse data source reads as the read-only user, its password from a file', () => {
    const clickhouse = readYaml<Datasources>('deploy/grafana/provisioning/datasources/gtwatch.yaml').datasources.find(
      (source) => source.type === 'grafana-clickhouse-datasource',
    );
    expect(clickhouse?.jsonData?.username).toBe('gtwatch_grafana');
    expect(clickhouse?.secureJsonData?.password).toMatch(/^\$__file\{\/run\/secrets\/[\w-]+\}$/);
    expect(readText('deploy/compose/clickhouse/create-users.sh')).toMatch(/GRANT SELECT ON \$\{db\}\.\* TO \$\{user\}/);
  });

  it('has the two dashboards, with unique uids', () => {
    const titles = dashboards().map(({ dashboard }) => dashboard.title).sort();
    expect(titles).toEqual(['gtwatch — abuse overview', 'gtwatch — pipeline health']);
    const uids = dashboards().map(({ dashboard }) => dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('the pipeline dashboard shows lag, throughput, rejects, alerts, insert latency and batch sizes', () => {
    const pipeline = dashboards().find(({ dashboard }) => dashboard.title === 'gtwatch — pipeline health');
    const text = JSON.stringify(pipeline?.dashboard);
    for (const needle of [
      'gtwatch_scorer_consumer_lag',
      'gtwatch_sink_consumer_lag',
      'gtwatch_scorer_records_total',
      'gtwatch_sink_rows_written_total',
      'gtwatch_scorer_rejected_total',
      'gtwatch_scorer_alert_events_total',
      'gtwatch_sink_insert_duration_seconds_bucket',
      'gtwatch_sink_batch_rows_bucket',
      'gtwatch_scorer_batch_records_sum',
    ]) {
      expect(text, needle).toContain(needle);
    }
  });

  it('dashboard files are what the provider loads', () => {
    interface Providers {
      providers: Array<{ options: { path: string } }>;
    }
    const provider = readYaml<Providers>('deploy/grafana/provisioning/dashboards/gtwatch.yaml').providers[0];
    const compose = readYaml<{ services: Record<string, { volumes?: string[] }> }>('deploy/compose/compose.yaml');
    const mounts = compose.services.grafana?.volumes ?? [];
    expect(mounts).toContain(`../grafana/dashboards:${provider?.options.path}:ro`);
    expect(isRecord(provider)).toBe(true);
  });
});
