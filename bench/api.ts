// npm run bench:api — p50/p99 latency of every analyst-API endpoint over a day of minute-level aggregates.
//
// A throwaway database gets one simulated day: per-minute traffic_minute rows for ≥ 10 million summarised records
// (transactions) from a few thousand sources seen by five reporters, with 2 % of the rows written twice as a replay
// would, plus a few thousand alerts with their lifecycle events. The rows are generated here directly (seeded),
// not by scoring 10 million simulated lines, which would take the 2-core machine many minutes for the same table
// contents. Then the day's hours are rolled up into traffic_hour with `rollupHours`, the function the sink's
// rollup loop runs. Then the api (in this process, its clock at the end of the day, so its last hour is still
// read from traffic_minute as a live api's would be) answers each endpoint at each concurrency of --concurrency
// (default 1 and 4); latency is measured at the client, including HTTP and JSON. The database is dropped at the
// end unless --keep.
import { parseArgs } from 'node:util';
import { hashToken, loadApiConfig, parseTokens, startApi } from '@gtwatch/api';
import {
  type AlertRow,
  alertSequence,
  createClickHouseClient,
  dropDatabase,
  migrate,
  rollupHours,
  rollupVersion,
  type TrafficMinuteRow,
} from '@gtwatch/clickhouse';
import { PATTERN_IDS, TLP_LABELS } from '@gtwatch/schema';
import { formatNumber, printTable, type Row, writeResult } from './report.js';

const { values } = parseArgs({
  options: {
    sources: { type: 'string', default: '2500' },
    alerts: { type: 'string', default: '3000' },
    requests: { type: 'string', default: '60' },
    /** Comma-separated concurrencies, each measured in turn. */
    concurrency: { type: 'string', default: '1,4' },
    seed: { type: 'string', default: '11' },
    keep: { type: 'boolean', default: false },
    /** Reuse a database loaded by an earlier `--keep` run instead of loading a new one. */
    database: { type: 'string' },
    'load-only': { type: 'boolean', default: false },
    /**
     * Afterwards, drop traffic_hour's rows and measure the traffic rankings again: the minute-only path every
     * read took before the hourly rollup, under the same machine load, for comparison.
     */
    'compare-minutes': { type: 'boolean', default: false },
  },
});
const SOURCES = Number(values.sources);
const ALERTS = Number(values.alerts);
const REQUESTS = Number(values.requests);
const CONCURRENCIES = values.concurrency.split(',').map(Number);
if (CONCURRENCIES.some((c) => !Number.isSafeInteger(c) || c < 1)) throw new Error('--concurrency takes positive integers, e.g. 1,4');
const DAY_START = Date.parse('2026-11-29T00:00:00Z') / 1000;
const MINUTES = 1_440;
const REPORTERS = ['234-15', '310-410', '302-910', '505-91', '530-91'];
const JURISDICTIONS = ['gb', 'us', 'ca', 'au', 'nz'];
const COUNTRIES = ['CI', 'GB', 'US', 'CN', 'DE', 'ID', 'LI', 'KW', 'PH', 'BR', 'IN', 'ZA'];
const OPERATIONS = [2, 7, 22, 23, 44, 45, 46, 56, 70, 71];

let state = Number(values.seed) >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

interface Source {
  entity: string;
  type: 'gt' | 'realm';
  country: string;
  reporter: string;
  activity: number;
  weight: number;
}

function makeSources(count: number): Source[] {
  return Array.from({ length: count }, (_, index) => {
    const realm = index % 10 === 9;
    return {
      entity: realm ? `epc.mnc${String(index % 1000).padStart(3, '0')}.mcc${200 + (index % 600)}.3gppnetwork.org` : `${225_076_000_0000 + index * 7919}`,
      type: realm ? 'realm' : 'gt',
      country: pick(COUNTRIES),
      reporter: pick(REPORTERS),
      // A few heavy talkers, many occasional ones.
      activity: 0.15 + 0.8 * random() ** 2,
      weight: 1 + Math.floor(6 * random() ** 3),
    };
  });
}

function* trafficRows(sources: readonly Source[]): Generator<TrafficMinuteRow> {
  for (let minute = 0; minute < MINUTES; minute++) {
    for (const source of sources) {
      if (random() > source.activity) continue;
      const operations = 1 + Math.floor(random() * 3);
      for (let i = 0; i < operations; i++) {
        const transactions = 1 + Math.floor(random() * 4 * source.weight);
        const errors = Math.floor(transactions * random() * 0.2);
        yield {
          minute: DAY_START + minute * 60,
          reporter: random() < 0.9 ? source.reporter : pick(REPORTERS),
          entity_type: source.type,
          entity: source.entity,
          protocol: source.type === 'realm' ? 'DIAMETER' : 'MAP',
          operation: source.type === 'realm' ? 316 + i : (OPERATIONS[(i * 3 + minute) % OPERATIONS.length] ?? 2),
          transactions,
          errors,
          scanning_errors: 0,
          subscribers: Math.min(transactions, 1 + Math.floor(random() * transactions)),
          late: 0,
          source_country: source.country,
          source_plmn: '',
          source_operator: '',
          leased: 0,
          category: i === 0 ? 1 : 0,
          version: 1,
        };
      }
    }
  }
}

function alertRows(sources: readonly Source[], count: number): AlertRow[] {
  const rows: AlertRow[] = [];
  for (let a = 0; a < count; a++) {
    const source = sources[Math.floor(random() ** 2 * sources.length)] as Source;
    const pattern = pick(PATTERN_IDS);
    const opened = DAY_START + Math.floor(random() * (MINUTES - 60) * 60);
    const events = 1 + Math.floor(random() * 6);
    const tlp = pick(TLP_LABELS.slice(0, 4));
    const jurisdictions = JURISDICTIONS.filter(() => random() < 0.35);
    for (let e = 0; e < events; e++) {
      const status = e === 0 ? 'open' : e === events - 1 && random() < 0.5 ? 'resolved' : 'update';
      const time = opened + e * 120;
      const sequence = alertSequence(time * 1000, status);
      const score = Math.min(100, 40 + Math.floor(random() * 50) + e);
      rows.push({
        alert_id: `bench${a.toString(16).padStart(8, '0')}`,
        event_id: `bench${a}-${e}`,
        event_source: 'urn:gtwatch:bench:api',
        type: `org.gtwatch.alert.${status === 'open' ? 'opened' : status === 'update' ? 'updated' : 'resolved'}.v1`,
        status,
        pattern,
        category: pattern === 'category-1' ? 1 : pattern === 'category-2' ? 2 : null,
        severity: score >= 90 ? 'critical' : score >= 70 ? 'high' : score >= 50 ? 'medium' : 'low',
        score,
        tlp,
        subject: source.entity,
        source_type: source.type,
        source_id: source.entity,
        source_country: source.country,
        source_plmn: '',
        source_operator: '',
        source_leased: pattern === 'gt-leasing' ? 1 : 0,
        victim_plmns: [pick(REPORTERS)],
        victim_countries: [pick(['GB', 'US', 'CA', 'AU', 'NZ'])],
        victim_subscribers: 10 + e,
        reporters: [source.reporter],
        jurisdictions,
        cross_border: 1,
        first_seen: opened - 300,
        last_seen: time,
        event_time: time,
        sequence,
        count: 10 * (e + 1),
        operations: '[]',
        evidence: JSON.stringify({ bench: true, event: e }),
        explanation: `bench ${pattern} from ${source.entity}`,
        version: sequence,
      });
    }
  }
  return rows;
}

const url = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const user = process.env.CLICKHOUSE_USER ?? 'default';
const password = process.env.CLICKHOUSE_PASSWORD ?? '';
const database = values.database ?? `bench_api_${Date.now().toString(36)}`;
const keep = values.keep || values.database !== undefined;
const client = createClickHouseClient({ url, user, password, requestTimeoutMs: 300_000 });

async function insert(table: string, rows: readonly object[]): Promise<void> {
  await client.insert({ table: `${database}.${table}`, format: 'JSONEachRow', values: [...rows] });
}

async function load(sources: readonly Source[]) {
  const started = Date.now();
  await migrate(client, database);
  let rows = 0;
  let transactions = 0;
  let replayed = 0;
  let batch: TrafficMinuteRow[] = [];
  for (const row of trafficRows(sources)) {
    batch.push(row);
    rows++;
    transactions += row.transactions;
    if (random() < 0.02) {
      batch.push(row);
      replayed++;
    }
    if (batch.length >= 200_000) {
      await insert('traffic_minute', batch);
      batch = [];
    }
  }
  if (batch.length > 0) await insert('traffic_minute', batch);
  const alerts = alertRows(sources, ALERTS);
  await insert('alerts', alerts);
  const loadSeconds = (Date.now() - started) / 1000;
  const rollupSeconds = await rollUp();
  return { trafficRows: rows, replayedRows: replayed, transactions, alertEvents: alerts.length, alerts: ALERTS, loadSeconds, rollupSeconds };
}

/** Rolls up every hour of the day that has no snapshot yet, as the sink does for the hours it wrote. */
async function rollUp(): Promise<number> {
  const started = Date.now();
  const result = await client.query({ query: `SELECT DISTINCT toUInt32(hour) AS h FROM ${database}.traffic_hour`, format: 'JSONEachRow' });
  const done = new Set(((await result.json()) as Array<{ h: number }>).map((row) => Number(row.h)));
  const hours = Array.from({ length: MINUTES / 60 }, (_, h) => DAY_START + h * 3_600).filter((hour) => !done.has(hour));
  await rollupHours(client, database, hours, rollupVersion());
  return (Date.now() - started) / 1000;
}

async function describeLoaded() {
  const result = await client.query({
    query: `SELECT count() AS rows, sum(transactions) AS transactions FROM ${database}.traffic_minute FINAL`,
    format: 'JSONEachRow',
  });
  const row = ((await result.json()) as Array<{ rows: string; transactions: string }>)[0];
  const alerts = await client.query({ query: `SELECT count() AS n, uniqExact(alert_id) AS a FROM ${database}.alerts`, format: 'JSONEachRow' });
  const a = ((await alerts.json()) as Array<{ n: string; a: string }>)[0];
  await migrate(client, database); // a database kept by an older build gets traffic_hour
  const rollupSeconds = await rollUp();
  return { trafficRows: Number(row?.rows), replayedRows: Number.NaN, transactions: Number(row?.transactions), alertEvents: Number(a?.n), alerts: Number(a?.a), loadSeconds: 0, rollupSeconds };
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function measure(base: string, token: string, paths: readonly string[], concurrency: number): Promise<{ p50: number; p99: number; max: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const one = async (path: string) => {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status !== 200) errors++;
    return performance.now() - started;
  };
  for (const path of paths.slice(0, 3)) await one(path); // warm-up: connections, server caches
  const worker = async () => {
    while (next < REQUESTS) {
      const path = paths[next++ % paths.length] as string;
      latencies.push(await one(path));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? Number.NaN, errors };
}

async function main(): Promise<void> {
  const sources = makeSources(SOURCES);
  process.stdout.write(`loading a day of aggregates into ${database} (${SOURCES} sources, ${ALERTS} alerts)…\n`);
  const loaded = values.database !== undefined ? await describeLoaded() : await load(sources);
  process.stdout.write(
    `loaded ${formatNumber(loaded.trafficRows)} traffic rows (${formatNumber(loaded.transactions)} transactions) in ${loaded.loadSeconds.toFixed(1)} s, rolled up in ${loaded.rollupSeconds.toFixed(1)} s\n`,
  );
  if (loaded.transactions < 10_000_000) throw new Error('the day holds fewer than 10 million summarised records; raise --sources');
  if (values['load-only']) {
    process.stdout.write(`kept ${database}\n`);
    await client.close();
    return;
  }

  const personas = [
    { token: 'bench-analyst-token-0001', entry: { name: 'analyst', role: 'analyst' } },
    { token: 'bench-regulator-token-01', entry: { name: 'ofcom', role: 'regulator', jurisdiction: 'gb', clearance: 'amber' } },
    { token: 'bench-operator-token-001', entry: { name: 'albion', role: 'operator', reporter: '234-15', clearance: 'amber' } },
  ];
  const tokens = parseTokens(personas.map(({ token, entry }) => JSON.stringify({ ...entry, sha256: hashToken(token) })).join('\n'), 'bench tokens');
  const config = loadApiConfig({
    CLICKHOUSE_URL: url,
    CLICKHOUSE_USER: user,
    CLICKHOUSE_PASSWORD: password,
    CLICKHOUSE_DATABASE: database,
    GTWATCH_API_TOKENS_FILE: '(in memory)',
    GTWATCH_API_PORT: '0',
    GTWATCH_API_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  });
  const api = await startApi(config, { tokens, health: false, numbering: null, now: () => (DAY_START + 86_400) * 1000 });
  const [analyst, regulator, operator] = personas.map((p) => p.token) as [string, string, string];
  try {
    const top = (await (await fetch(`${api.url}/api/v1/sources/top?by=transactions&limit=50`, { headers: { authorization: `Bearer ${analyst}` } })).json()) as { items: Array<{ entity: string }> };
    const alertList = (await (await fetch(`${api.url}/api/v1/alerts?limit=50`, { headers: { authorization: `Bearer ${analyst}` } })).json()) as { items: Array<{ alertId: string }> };
    const sourcePaths = top.items.map((i) => `/api/v1/sources/${encodeURIComponent(i.entity)}`);
    const alertPaths = alertList.items.map((a) => `/api/v1/alerts/${a.alertId}`);
    const cases: Array<[string, string, string[]]> = [
      ['overview (24 h)', analyst, ['/api/v1/overview']],
      ['sources/top by=score', analyst, ['/api/v1/sources/top?by=score']],
      ['sources/top by=transactions', analyst, ['/api/v1/sources/top?by=transactions']],
      ['sources/top by=transactions, protocol=MAP, country', analyst, COUNTRIES.map((c) => `/api/v1/sources/top?by=transactions&protocol=MAP&country=${c}`)],
      ['sources/top by=transactions (regulator gb)', regulator, ['/api/v1/sources/top?by=transactions']],
      ['sources/top by=transactions (operator)', operator, ['/api/v1/sources/top?by=transactions']],
      // Ranges that do not start and end on whole hours: their partial first and last hours come from traffic_minute.
      ['sources/top by=transactions, unaligned range', analyst, [17, 1234, 2999].map((s) => `/api/v1/sources/top?by=transactions&from=${iso(DAY_START + s)}&to=${iso(DAY_START + 86_400 - s)}`)],
      ['sources/{id} (1,440-minute series)', analyst, sourcePaths],
      ['alerts', analyst, ['/api/v1/alerts', '/api/v1/alerts?severity=critical', '/api/v1/alerts?pattern=scanning']],
      ['alerts (regulator gb)', regulator, ['/api/v1/alerts']],
      ['alerts/{alertId}', analyst, alertPaths],
      ['jurisdictions/gb/summary', regulator, ['/api/v1/jurisdictions/gb/summary']],
    ];
    const runs: Array<{ concurrency: number; endpoints: Row[] }> = [];
    for (const concurrency of CONCURRENCIES) {
      const rows: Row[] = [];
      for (const [name, token, paths] of cases) {
        const result = await measure(api.url, token, paths, concurrency);
        rows.push({ endpoint: name, requests: REQUESTS, 'p50 ms': Math.round(result.p50), 'p99 ms': Math.round(result.p99), 'max ms': Math.round(result.max), errors: result.errors, 'p99 ≤ 300 ms': result.p99 <= 300 ? 'yes' : 'NO' });
      }
      printTable(`analyst API latency, concurrency ${concurrency}, ${formatNumber(loaded.trafficRows)} traffic rows / ${formatNumber(loaded.transactions)} records`, rows);
      runs.push({ concurrency, endpoints: rows });
    }
    if (values['compare-minutes']) {
      const month = new Date(DAY_START * 1000).toISOString().slice(0, 7).replace('-', ''); // traffic_hour's partition
      await client.command({ query: `ALTER TABLE ${database}.traffic_hour DROP PARTITION ${month}` });
      await new Promise((resolve) => setTimeout(resolve, 6_000)); // the api remembers which hours are rolled up for 5 s
      const trafficCases = cases.filter(([name]) => name.startsWith('sources/top by=transactions'));
      for (const concurrency of CONCURRENCIES) {
        const rows: Row[] = [];
        for (const [name, token, paths] of trafficCases) {
          const result = await measure(api.url, token, paths, concurrency);
          rows.push({ endpoint: `${name} (minutes only)`, requests: REQUESTS, 'p50 ms': Math.round(result.p50), 'p99 ms': Math.round(result.p99), 'max ms': Math.round(result.max), errors: result.errors, 'p99 ≤ 300 ms': result.p99 <= 300 ? 'yes' : 'NO' });
        }
        printTable(`without traffic_hour (the minute-only path), concurrency ${concurrency}`, rows);
        runs.push({ concurrency, endpoints: rows });
      }
    }
    const load = (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2)));
    process.stdout.write(`load average at the end (1/5/15 min): ${load.join(' ')}\n`);
    writeResult('api', { conditions: { concurrencies: CONCURRENCIES, requestsPerEndpoint: REQUESTS, clickhouse: url, loadAverageAtEnd: load, ...loaded }, runs });
  } finally {
    await api.close();
    if (!keep) await dropDatabase(client, database);
    await client.close();
  }
}

main().catch(async (error: unknown) => {
  process.stderr.write(`bench:api failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  if (!keep) await dropDatabase(client, database).catch(() => {});
  await client.close();
  process.exit(1);
});
