import { runCli } from '@gtwatch/cli';
import { createClickHouseClient, dropDatabase, MIGRATIONS } from '@gtwatch/clickhouse';
import { deleteTopics } from '@gtwatch/kafka';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { clickHouseOptions, testKafka, uniqueName } from '../support/services.js';

function io(env: Record<string, string>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => { out += String(chunk); });
  stderr.on('data', (chunk) => { err += String(chunk); });
  return { stdin: new PassThrough(), stdout, stderr, env, cwd: process.cwd(), out: () => out, err: () => err };
}

describe('gtwatch migrate and topics create against the real servers', () => {
  const database = uniqueName('migrate');
  const prefix = uniqueName('topics').replace(/_/g, '-');
  const env = {
    KAFKA_BROKERS: inject('kafkaBrokers'),
    CLICKHOUSE_URL: inject('clickhouseUrl'),
    CLICKHOUSE_USER: inject('clickhouseUser'),
    CLICKHOUSE_PASSWORD: inject('clickhousePassword'),
    CLICKHOUSE_DATABASE: database,
    GTWATCH_TOPIC_PREFIX: prefix,
  };

  afterAll(async () => {
    const admin = createClickHouseClient(clickHouseOptions());
    await dropDatabase(admin, database);
    await admin.close();
    const kafka = testKafka('cli-admin');
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    const mine = (await kafkaAdmin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
    await kafkaAdmin.disconnect();
    await deleteTopics(kafka, mine);
  });

  it('migrates an empty server once, then finds nothing to do', async () => {
    const first = io(env);
    expect(await runCli(['migrate'], first)).toBe(0);
    expect(first.out()).toContain('applied  1 ');
    expect(first.out()).toContain(`database ${database}: ${MIGRATIONS.length} applied, 0 already up to date`);
    const second = io(env);
    expect(await runCli(['migrate'], second)).toBe(0);
    expect(second.out()).toBe(`database ${database}: 0 applied, ${MIGRATIONS.length} already up to date\n`);
    const client = createClickHouseClient(clickHouseOptions(database));
    const tables = await (await client.query({ query: 'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name', format: 'JSONEachRow' })).json();
    await client.close();
    expect(tables).toEqual(
      expect.arrayContaining([{ name: 'alerts' }, { name: 'entity_scores' }, { name: 'traffic_hour' }, { name: 'traffic_minute' }]),
    );
  });

  it('creates every topic once with the requested partitions', async () => {
    const first = io(env);
    expect(await runCli(['topics', 'create', '--partitions', '4', '--jurisdictions', 'gb,au'], first)).toBe(0);
    expect(first.out()).toContain(`created  ${prefix}.signalling.v1 (4 partitions)`);
    expect(first.out()).toContain(`created  ${prefix}.alerts.v1.gb`);
    const second = io(env);
    expect(await runCli(['topics', 'create', '--partitions', '4', '--jurisdictions', 'gb,au'], second)).toBe(0);
    expect(second.out()).not.toContain('created');
    expect(second.out()).toContain(`exists   ${prefix}.signalling.v1`);
  });

  it('fails with exit 1 and a clear message when ClickHouse is unreachable', async () => {
    const failing = io({ ...env, CLICKHOUSE_URL: 'http://127.0.0.1:1' });
    expect(await runCli(['migrate'], failing)).toBe(1);
    expect(failing.err()).toContain('ClickHouse at http://127.0.0.1:1');
  });
});
