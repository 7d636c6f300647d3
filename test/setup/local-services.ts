import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const LOCAL = resolve(import.meta.dirname, '../../deploy/local');

export type LocalService = 'kafka' | 'clickhouse';

async function isRunning(service: LocalService): Promise<boolean> {
  try {
    await run('bash', [`${LOCAL}/${service}.sh`, 'status'], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Parses the `export NAME=value` lines that deploy/local/up.sh prints on stdout. */
export function parseExports(stdout: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const match = /^export ([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) env[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

/**
 * Starts the missing services with the project's own scripts (real Kafka from Maven Central jars, Debian's
 * ClickHouse). Returns the environment they answer on and a stop function that stops only what this call started,
 * so a developer's already-running local stack survives a test run.
 */
export async function startLocalServices(
  given: { kafka: boolean; clickhouse: boolean },
): Promise<{ env: Record<string, string>; stop: () => Promise<void> }> {
  const wanted = (['kafka', 'clickhouse'] as const).filter((service) => !given[service]);
  const alreadyRunning = new Set<LocalService>();
  for (const service of wanted) if (await isRunning(service)) alreadyRunning.add(service);

  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  // up.sh skips a service whose variable is set; it must start exactly the ones not given.
  if (!given.kafka) delete childEnv.KAFKA_BROKERS;
  if (!given.clickhouse) delete childEnv.CLICKHOUSE_URL;
  let stdout: string;
  try {
    ({ stdout } = await run('bash', [`${LOCAL}/up.sh`], { env: childEnv, timeout: 600_000, maxBuffer: 1 << 24 }));
  } catch (error) {
    const detail = error as { stderr?: string; message: string };
    throw new Error(`deploy/local/up.sh failed: ${detail.message}\n${detail.stderr ?? ''}`);
  }
  const started = wanted.filter((service) => !alreadyRunning.has(service));
  return {
    env: parseExports(stdout),
    stop: async () => {
      for (const service of started) await run('bash', [`${LOCAL}/${service}.sh`, 'stop'], { timeout: 120_000 });
    },
  };
}
