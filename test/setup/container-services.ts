import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** True when a Docker engine answers (not merely when the docker CLI is installed). */
export async function dockerAnswers(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The testcontainers path for machines with Docker: the same Kafka version as deploy/local and a current ClickHouse
 * LTS. Kafka advertises the host port it is published on, so it is pinned to a free port chosen up front.
 */
export async function startContainerServices(
  given: { kafka: boolean; clickhouse: boolean },
): Promise<{ env: Record<string, string>; stop: () => Promise<void> }> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const env: Record<string, string> = {};
  const stops: Array<() => Promise<unknown>> = [];
  if (!given.kafka) {
    const port = await freePort();
    const kafka = await new GenericContainer('apache/kafka:3.9.1')
      .withExposedPorts({ container: port, host: port })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: `PLAINTEXT://:${port},CONTROLLER://:9093`,
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start();
    env.KAFKA_BROKERS = `127.0.0.1:${port}`;
    stops.push(() => kafka.stop());
  }
  if (!given.clickhouse) {
    const clickhouse = await new GenericContainer('clickhouse/clickhouse-server:24.8')
      .withExposedPorts(8123)
      .withEnvironment({ CLICKHOUSE_USER: 'default', CLICKHOUSE_PASSWORD: 'gtwatch' })
      .withWaitStrategy(Wait.forHttp('/ping', 8123).forStatusCode(200))
      .start();
    env.CLICKHOUSE_URL = `http://${clickhouse.getHost()}:${clickhouse.getMappedPort(8123)}`;
    env.CLICKHOUSE_USER = 'default';
    env.CLICKHOUSE_PASSWORD = 'gtwatch';
    stops.push(() => clickhouse.stop());
  }
  return { env, stop: async () => void (await Promise.all(stops.map((stop) => stop()))) };
}
