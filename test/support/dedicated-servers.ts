/**
 * A Kafka broker or ClickHouse server of a test's own, started with the project's deploy/local scripts in a
 * temporary state directory on free ports, so a test can stop, kill and restart it while the shared servers that
 * other test files use carry on. The Kafka broker runs the jars the shared broker already downloaded
 * (KAFKA_LIBS_DIR), so nothing is downloaded again.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { sleep, waitFor } from './pipeline-scenario.js';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../..');
const LOCAL = join(REPO, 'deploy/local');

/** The kernel's range for outgoing connections' local ports (Linux default 32768–60999). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // not Linux: assume the IANA range
  }
  return [49152, 65535];
}

async function bindable(port: number): Promise<boolean> {
  const server = createServer();
  const ok = await new Promise<boolean>((done) => {
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => done(true));
  });
  if (ok) await new Promise((done) => server.close(done));
  return ok;
}

/**
 * A TCP port nothing listens on, outside the ephemeral range. A server that is down for a while on an ephemeral
 * port can lose it to its own clients: a client reconnecting to 127.0.0.1:P may be given P as its local port and
 * connect to itself (TCP simultaneous open), and then holds the port the server wants back.
 */
export async function freePort(): Promise<number> {
  const [low] = ephemeralRange();
  const from = 20_000;
  const to = Math.max(from + 1_000, Math.min(low, 32_768)) - 1;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = from + Math.floor(Math.random() * (to - from));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${from} and ${to}`);
}

const onPath = (command: string) => spawnSync('bash', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** The Kafka jars the shared local broker downloaded, if it did (its state root is .local unless moved). */
function sharedKafkaLibs(): string | undefined {
  const libs = join(resolve(process.env.GTWATCH_LOCAL_DIR ?? join(REPO, '.local')), 'kafka/libs');
  return existsSync(join(libs, '.gtwatch-kafka-version')) ? libs : undefined;
}

export type DedicatedKind = 'kafka' | 'clickhouse';

/**
 * Why the deploy/local scripts cannot start a server of this kind here, or undefined when they can. CI and the
 * development machines have everything (`npm test` starts the shared servers with the same scripts).
 */
export function cannotStart(kind: DedicatedKind): string | undefined {
  if (kind === 'kafka') {
    if (!onPath('java')) return 'no java on PATH (deploy/local/kafka.sh needs Java 17)';
    if (!sharedKafkaLibs() && !onPath('mvn')) return 'no downloaded Kafka jars and no Maven to fetch them';
    return undefined;
  }
  const binaries = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server', '/usr/bin/clickhouse'];
  if (binaries.some((path) => existsSync(path)) || onPath('clickhouse-server')) return undefined;
  if (process.getuid?.() === 0) return undefined; // clickhouse.sh installs the package
  return 'clickhouse-server is not installed and this is not root (deploy/local/clickhouse.sh cannot install it)';
}

export class DedicatedServer {
  readonly kind: DedicatedKind;
  readonly dir: string;
  readonly #env: Record<string, string>;
  readonly #pidFile: string;
  /** Every port the server listens on. */
  readonly #ports: readonly number[];
  /** `host:port` for Kafka, the HTTP URL for ClickHouse. */
  readonly address: string;

  private constructor(kind: DedicatedKind, dir: string, env: Record<string, string>, address: string, ports: readonly number[]) {
    this.kind = kind;
    this.dir = dir;
    this.#env = env;
    this.address = address;
    this.#ports = ports;
    this.#pidFile = kind === 'kafka' ? join(dir, 'kafka/kafka.pid') : join(dir, 'clickhouse/clickhouse.pid');
  }

  static async kafka(): Promise<DedicatedServer> {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gtwatch-test-kafka-')));
    const port = await freePort();
    let controller = await freePort();
    while (controller === port) controller = await freePort();
    const libs = sharedKafkaLibs();
    return new DedicatedServer(
      'kafka',
      dir,
      {
        GTWATCH_LOCAL_DIR: dir,
        KAFKA_PORT: String(port),
        KAFKA_CONTROLLER_PORT: String(controller),
        KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
        KAFKA_START_TIMEOUT: '120',
        ...(libs ? { KAFKA_LIBS_DIR: libs } : {}),
      },
      `127.0.0.1:${port}`,
      [port, controller],
    );
  }

  static async clickhouse(): Promise<DedicatedServer> {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gtwatch-test-clickhouse-')));
    const http = await freePort();
    let tcp = await freePort();
    while (tcp === http) tcp = await freePort();
    return new DedicatedServer(
      'clickhouse',
      dir,
      { GTWATCH_LOCAL_DIR: dir, CLICKHOUSE_HTTP_PORT: String(http), CLICKHOUSE_TCP_PORT: String(tcp), CLICKHOUSE_START_TIMEOUT: '120' },
      `http://127.0.0.1:${http}`,
      [http, tcp],
    );
  }

  async #script(command: 'start' | 'stop'): Promise<void> {
    try {
      await run('bash', [join(LOCAL, `${this.kind}.sh`), command], {
        env: { ...process.env, ...this.#env },
        timeout: 300_000,
        maxBuffer: 1 << 24,
      });
    } catch (error) {
      const detail = error as { stderr?: string; message: string };
      throw new Error(`deploy/local/${this.kind}.sh ${command} (${this.dir}) failed: ${detail.message}\n${detail.stderr ?? ''}`);
    }
  }

  /** Starts the server (again, on the same state and ports) and waits until it answers. */
  start(): Promise<void> {
    return this.#script('start');
  }

  /** Graceful stop: SIGTERM, up to 20 s, then SIGKILL (the script's own stop). */
  stop(): Promise<void> {
    return this.#script('stop');
  }

  /** The server's pid, if it runs. */
  pid(): number | undefined {
    try {
      const pid = Number(readFileSync(this.#pidFile, 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 && isLive(pid) && cmdline(pid).includes(this.dir) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /** SIGKILL, as a power cut or an OOM kill of the server would be; resolves once the process is gone. */
  async kill(): Promise<void> {
    const pid = this.pid();
    if (pid === undefined) throw new Error(`${this.kind} in ${this.dir} is not running`);
    process.kill(pid, 'SIGKILL');
    await waitFor(`${this.kind} pid ${pid} to die`, () => !isLive(pid), 30_000, 100);
    // The main thread turns zombie before the JVM's other threads have exited, and those still hold the listening
    // sockets: a restart at that moment finds its ports "already in use" (seen once in CI).
    const ports = this.#ports;
    await waitFor(`${this.kind} ports ${ports.join(', ')} to be released`, async () => (await Promise.all(ports.map(bindable))).every(Boolean), 30_000, 100);
  }

  /** Stops the server and removes its state; safe when it never started. */
  async destroy(): Promise<void> {
    try {
      if (existsSync(this.#pidFile)) await this.stop();
    } finally {
      // The stop may have raced with a process still writing its logs.
      await sleep(100);
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Alive and not a zombie waiting to be reaped. */
function isLive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
