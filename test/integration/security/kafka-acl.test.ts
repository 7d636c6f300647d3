import { parseAccessFile, topicNames } from '@gtwatch/config';
import { accessPrincipals, applyAcls, defaultTopicSpecs, deleteTopics, ensureTopics, isAuthenticationError, type Kafka, planAcls, TransactionalProducer } from '@gtwatch/kafka';
import { createLogger } from '@gtwatch/observability';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aclCommand } from '../../../packages/cli/src/commands/acl.js';
import { captureIo } from '../../../packages/cli/test/helpers.js';
import { kafkaAs, rejection, type SecureKafka, secureDown, secureKafkaEnv, startSecureKafka } from './support.js';

/**
 * Against a real broker with a SASL_SSL (SCRAM-SHA-512) listener, the KRaft StandardAuthorizer and
 * allow.everyone.if.no.acl.found=false, with the ACLs `gtwatch acl plan --apply` derives from an access file.
 */
const prefix = `${inject('runId')}.gtwatch`;
const topics = topicNames(prefix);
const accessJson = {
  operators: { '234-15': 'op-234-15', '310-260': 'op-310-260' },
  regulators: { gb: 'reg-gb', us: 'reg-us' },
  services: { scorer: 'gtwatch-scorer', sink: 'gtwatch-sink', api: 'gtwatch-api' },
};
const access = parseAccessFile(JSON.stringify(accessJson));
const plan = planAcls(access, topics, prefix);
const principals = accessPrincipals(access);

let secure: SecureKafka;
let admin: Kafka;

async function produce(kafka: Kafka, topic: string, value: string, idempotent = false): Promise<void> {
  const producer = kafka.producer({ idempotent, allowAutoTopicCreation: false, retry: { retries: idempotent ? 5 : 1 } });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value }] });
  } finally {
    await producer.disconnect();
  }
}

/** Errors of a broker that has only just started (its offsets topic still loading): worth another try. */
const STARTING_UP = new Set(['COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR']);

/** Is this error, or one it wraps (kafkajs wraps retried errors), a start-up condition? */
function startingUp(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current !== null && typeof current === 'object' && !seen.has(current); ) {
    seen.add(current);
    const { type, message, cause, originalError } = current as { type?: unknown; message?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof type === 'string' && STARTING_UP.has(type)) return true;
    if (typeof message === 'string' && /coordinator is loading|coordinator is not available/i.test(message)) return true;
    current = cause ?? originalError;
  }
  return false;
}

async function consume(kafka: Kafka, groupId: string, subscribe: (string | RegExp)[], count: number): Promise<string[]> {
  // A loaded CI machine has seen the offsets topic still loading well after the broker answered.
  for (let attempt = 1; ; attempt++) {
    try {
      return await consumeOnce(kafka, groupId, subscribe, count);
    } catch (error) {
      if (attempt >= 30 || !startingUp(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/** Reads from the beginning of `topics` in `groupId` until `count` values arrived. */
async function consumeOnce(kafka: Kafka, groupId: string, subscribe: (string | RegExp)[], count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId, retry: { retries: 1 }, maxWaitTimeInMs: 200, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: subscribe, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after 30 s with ${values.length}/${count} messages`)), 30_000);
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        clearTimeout(timer);
        reject(payload.error);
      });
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value?.toString() ?? '');
            if (values.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

beforeAll(async () => {
  secure = await startSecureKafka();
  admin = kafkaAs(secure, 'admin');
  await ensureTopics(admin, [
    ...defaultTopicSpecs(topics, { signallingPartitions: 1, replicationFactor: 1, jurisdictions: access.jurisdictions }),
    { topic: topics.signallingFor('234-15'), partitions: 1 },
    { topic: topics.signallingFor('310-260'), partitions: 1 },
  ]);
  const kafkaAdmin = admin.admin();
  await kafkaAdmin.connect();
  try {
    await applyAcls(kafkaAdmin, plan, prefix, principals);
  } finally {
    await kafkaAdmin.disconnect();
  }
});

afterAll(async () => {
  if (admin) {
    const kafkaAdmin = admin.admin();
    await kafkaAdmin.connect();
    try {
      // An empty plan removes every managed rule of this run's prefix.
      await applyAcls(kafkaAdmin, [], prefix, new Set());
    } finally {
      await kafkaAdmin.disconnect();
    }
    const names = [topics.signalling, topics.deadLetter, topics.bySubscriber, topics.aggregates, topics.alerts, topics.alertState];
    await deleteTopics(admin, [...names, ...access.jurisdictions.map(topics.alertsFor), topics.signallingFor('234-15'), topics.signallingFor('310-260')]);
  }
  await secureDown('kafka');
});

describe('gtwatch acl plan --apply on a secured broker', () => {
  it('is idempotent and removes stale managed rules but nothing else', async () => {
    const kafkaAdmin = admin.admin();
    await kafkaAdmin.connect();
    try {
      const again = await applyAcls(kafkaAdmin, plan, prefix, principals);
      expect(again.create).toEqual([]);
      expect(again.remove).toEqual([]);
      expect(again.unchanged).toHaveLength(plan.length);

      const withoutUs = planAcls(parseAccessFile(JSON.stringify({ ...access, regulators: { gb: 'reg-gb' } })), topics, prefix);
      const shrunk = await applyAcls(kafkaAdmin, withoutUs, prefix, principals);
      expect(shrunk.remove.map((rule) => `${rule.principal} ${rule.operation} ${rule.resourceName}`).sort()).toEqual([
        `User:reg-us DESCRIBE ${topics.alertsFor('us')}`,
        `User:reg-us READ ${prefix}-regulator-us-`,
        `User:reg-us READ ${topics.alertsFor('us')}`,
      ]);
      const restored = await applyAcls(kafkaAdmin, plan, prefix, principals);
      expect(restored.create).toHaveLength(3);
    } finally {
      await kafkaAdmin.disconnect();
    }
  });
});

describe('gtwatch acl plan', () => {
  it('prints the plan without touching Kafka, and --apply as admin reports the broker already matches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtwatch-acl-'));
    writeFileSync(join(dir, 'access.json'), JSON.stringify(accessJson));
    const planIo = captureIo('', { GTWATCH_TOPIC_PREFIX: prefix, KAFKA_BROKERS: '127.0.0.1:1' }, dir);
    expect(await aclCommand.run(['plan', '--access', 'access.json', '--json'], planIo)).toBe(0);
    expect(JSON.parse(planIo.out())).toEqual(plan);
    const tableIo = captureIo('', { GTWATCH_TOPIC_PREFIX: prefix }, dir);
    expect(await aclCommand.run(['plan', '--access', 'access.json'], tableIo)).toBe(0);
    expect(tableIo.out()).toContain('User:reg-gb');
    expect(tableIo.out().trim().split('\n')).toHaveLength(plan.length + 1);
    expect((await rejection(aclCommand.run(['plan'], tableIo))).name).toBe('UsageError');
    expect((await rejection(aclCommand.run(['plan', '--access', 'missing.json'], tableIo))).message).toContain('cannot read the access file');

    const applyIo = captureIo('', { ...secureKafkaEnv(secure, 'admin'), GTWATCH_TOPIC_PREFIX: prefix, LOG_LEVEL: 'silent' }, dir);
    expect(await aclCommand.run(['plan', '--access', 'access.json', '--apply'], applyIo)).toBe(0);
    expect(applyIo.out()).toContain(`0 created, 0 removed, ${plan.length} unchanged`);

    // A principal without ALTER on the cluster cannot change ACLs, and the command says where it failed.
    const denied = captureIo('', { ...secureKafkaEnv(secure, 'reg-gb'), GTWATCH_TOPIC_PREFIX: prefix, LOG_LEVEL: 'silent' }, dir);
    const failure = await rejection(aclCommand.run(['plan', '--access', 'access.json', '--apply'], denied));
    expect(failure.message).toContain(secure.brokers);
  });
});

describe('regulators', () => {
  it('a gb regulator reads gb alerts but is refused us alerts', async () => {
    await produce(kafkaAs(secure, 'gtwatch-scorer'), topics.alertsFor('gb'), 'alert-for-gb', true);
    await produce(kafkaAs(secure, 'gtwatch-scorer'), topics.alertsFor('us'), 'alert-for-us', true);
    const gb = kafkaAs(secure, 'reg-gb');
    expect(await consume(gb, `${prefix}-regulator-gb-ofcom`, [topics.alertsFor('gb')], 1)).toEqual(['alert-for-gb']);

    const refused = await rejection(consume(gb, `${prefix}-regulator-gb-ofcom`, [topics.alertsFor('us')], 1));
    expect(refused.type ?? refused.message).toMatch(/TOPIC_AUTHORIZATION_FAILED|[Nn]ot authorized/);
    // Its grant is the gb topic only: no group outside its prefix either. kafkajs reports a refused FindCoordinator
    // as "Failed to find group coordinator" and keeps the broker's reason in its debug log, so read that.
    const lines: string[] = [];
    const logger = createLogger({ service: 'reg-gb', level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
    const otherGroup = await rejection(consume(kafkaAs(secure, 'reg-gb', { logger }), `${prefix}-regulator-us-fcc`, [topics.alertsFor('gb')], 1));
    expect(otherGroup.message).toMatch(/group coordinator|GROUP_AUTHORIZATION_FAILED/);
    expect(lines.some((line) => line.includes('GROUP_AUTHORIZATION_FAILED'))).toBe(true);
  });
});

describe('operators', () => {
  it('an operator writes its own input topic, which the scorer then reads', async () => {
    await produce(kafkaAs(secure, 'op-234-15'), topics.signallingFor('234-15'), 'summary-from-234-15');
    const scorer = kafkaAs(secure, 'gtwatch-scorer');
    // The scorer subscribes by pattern, as it does for per-operator topics.
    const pattern = new RegExp(`^${topics.signalling.replace(/[.]/g, '\\.')}\\.\\d{3}-\\d{2,3}$`);
    expect(await consume(scorer, `${prefix}-scorer-source`, [pattern], 1)).toEqual(['summary-from-234-15']);
  });

  it("an operator cannot write another operator's topic or the shared one, nor read alerts", async () => {
    const operator = kafkaAs(secure, 'op-234-15');
    for (const topic of [topics.signallingFor('310-260'), topics.signalling]) {
      const refused = await rejection(produce(operator, topic, 'forged'));
      expect(refused.type ?? refused.message, topic).toMatch(/TOPIC_AUTHORIZATION_FAILED|[Nn]ot authorized/);
    }
    const reading = await rejection(consume(operator, `${prefix}-regulator-gb-x`, [topics.alertsFor('gb')], 1));
    expect(reading.type ?? reading.message).toMatch(/AUTHORIZATION_FAILED|[Nn]ot authorized/);
  });
});

describe('services', () => {
  it('the scorer publishes every output idempotently; the sink reads aggregates and alerts but cannot write', async () => {
    const scorer = kafkaAs(secure, 'gtwatch-scorer');
    for (const topic of [topics.aggregates, topics.alerts, topics.deadLetter, topics.alertState, topics.bySubscriber]) {
      await produce(scorer, topic, `from-scorer:${topic}`, true);
    }
    const sink = kafkaAs(secure, 'gtwatch-sink');
    const read = await consume(sink, `${prefix}-sink`, [topics.aggregates, topics.alerts], 2);
    expect(read.sort()).toEqual([`from-scorer:${topics.aggregates}`, `from-scorer:${topics.alerts}`]);

    const write = await rejection(produce(sink, topics.alerts, 'forged-alert'));
    expect(write.type ?? write.message).toMatch(/TOPIC_AUTHORIZATION_FAILED|[Nn]ot authorized/);
    const dlq = await rejection(consume(sink, `${prefix}-sink`, [topics.deadLetter], 1));
    expect(dlq.type ?? dlq.message).toMatch(/TOPIC_AUTHORIZATION_FAILED|[Nn]ot authorized/);
  });

  it('the scorer publishes and commits in one transaction under its own transactional ids; the sink may not', async () => {
    const logger = createLogger({ service: 'acl-test', level: 'silent' });
    const scorer = new TransactionalProducer(kafkaAs(secure, 'gtwatch-scorer'), { logger, transactionalId: `${prefix}-scorer-source-acl` });
    await scorer.connect();
    await scorer.publishAndCommit([{ topic: topics.alerts, records: [{ key: 'a', value: 'in-a-transaction' }] }], {
      groupId: `${prefix}-scorer-source`,
      offsets: [{ topic: topics.signalling, partition: 0, offset: '0', metadata: '{"v":1,"emittedUntil":"0"}' }],
    });
    await scorer.disconnect();
    const sink = new TransactionalProducer(kafkaAs(secure, 'gtwatch-sink'), { logger, transactionalId: `${prefix}-scorer-source-forged` });
    const refused = await rejection(sink.connect());
    expect(refused.type ?? refused.message).toMatch(/TRANSACTIONAL_ID_AUTHORIZATION_FAILED|CLUSTER_AUTHORIZATION_FAILED|[Nn]ot authorized/);
  });

  it('the api principal holds nothing on Kafka', async () => {
    const api = kafkaAs(secure, 'gtwatch-api');
    const refused = await rejection(consume(api, `${prefix}-sink`, [topics.alerts], 1));
    expect(refused.type ?? refused.message).toMatch(/AUTHORIZATION_FAILED|[Nn]ot authorized/);
  });
});

describe('authentication', () => {
  it('a wrong password fails fast, naming user and mechanism but not the password', async () => {
    const wrong = 'not-the-password-0123456789';
    const client = kafkaAs(secure, 'reg-gb', { password: wrong }).admin();
    const started = Date.now();
    const error = await rejection(client.connect());
    const elapsedMs = Date.now() - started;
    await client.disconnect();
    expect(isAuthenticationError(error)).toBe(true);
    expect(error.retriable).toBe(false);
    expect(error.message).toContain('"reg-gb"');
    expect(error.message).toContain('SCRAM-SHA-512');
    expect(error.message).not.toContain(wrong);
    expect(elapsedMs).toBeLessThan(5_000);
  });
});
