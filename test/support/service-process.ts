/**
 * A gtwatch service (`gtwatch run scorer|sink`) as a real child process, the way an orchestrator runs it: the test
 * can SIGKILL and restart it on purpose, and an exit nobody asked for is recorded and, like a Deployment would,
 * answered with a restart. Every generation logs to its own file, so a failure can be read afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `gtwatch` command as installed: it runs the built dist/, like a deployment. */
export const CLI = join(import.meta.dirname, '../../packages/cli/bin/gtwatch.js');

export type ServiceName = 'scorer' | 'sink';

export interface UnexpectedExit {
  instance: string;
  generation: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last log lines of that generation, to say why. */
  lastLines: string[];
}

export interface ServiceProcessOptions {
  service: ServiceName;
  /** Also the file name stem of the logs and the suffix of `GTWATCH_INSTANCE`. */
  instance: string;
  env: Record<string, string>;
  logDir: string;
  /** Called for every exit the test did not cause, before the restart. */
  onUnexpectedExit: (exit: UnexpectedExit) => void;
  /** Wait before restarting after an unexpected exit, as a supervisor's back-off would. Default 1 000 ms. */
  restartDelayMs?: number;
}

export class ServiceProcess {
  readonly #options: ServiceProcessOptions;
  #child: ChildProcess | undefined;
  #generation = -1;
  #intended = false;
  #closed = false;
  #restartTimer: NodeJS.Timeout | undefined;
  #startupFailedAt: number | undefined;

  constructor(options: ServiceProcessOptions) {
    this.#options = options;
    this.#spawn();
  }

  get instance(): string {
    return this.#options.instance;
  }

  /** How many times the process was (re)started after the first start, on purpose or by supervision. */
  get restarts(): number {
    return this.#generation;
  }

  get pid(): number | undefined {
    return this.alive ? this.#child?.pid : undefined;
  }

  /**
   * When the current generation logged that it could not start but is still running: a process in that state does
   * nothing and, its /healthz still answering, is restarted by no supervisor.
   */
  get hungAfterStartupFailureSince(): number | undefined {
    return this.alive ? this.#startupFailedAt : undefined;
  }

  get alive(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  logFile(generation = this.#generation): string {
    return join(this.#options.logDir, `${this.#options.instance}-${generation}.log`);
  }

  /** Every log line of every generation, in order. */
  logLines(): string[] {
    const lines: string[] = [];
    for (let generation = 0; generation <= this.#generation; generation++) {
      try {
        lines.push(...readFileSync(this.logFile(generation), 'utf8').split('\n').filter((line) => line.length > 0));
      } catch {
        // A generation killed before it wrote anything has no file content yet.
      }
    }
    return lines;
  }

  /** SIGKILL, as a crash or an OOM kill would; not restarted until `start()`. */
  async kill(): Promise<void> {
    clearTimeout(this.#restartTimer);
    const child = this.#child;
    this.#intended = true;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts a new generation (after `kill()`). */
  start(): void {
    if (this.alive || this.#closed) return;
    this.#spawn();
  }

  /** Kills the process for good: no supervision restarts afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.kill();
  }

  #spawn(): void {
    this.#generation += 1;
    this.#intended = false;
    this.#startupFailedAt = undefined;
    const generation = this.#generation;
    const child = spawn(process.execPath, [CLI, 'run', this.#options.service], {
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...this.#options.env, GTWATCH_INSTANCE: this.#options.instance },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(this.logFile(generation));
    // Both streams into one file: neither may end it alone, or the other's last words would be lost.
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (this.#child === child && this.#startupFailedAt === undefined && chunk.includes('could not start')) this.#startupFailedAt = Date.now();
    });
    this.#child = child;
    // 'close' comes after 'exit' once stdout and stderr are drained, so the log holds the process's last words.
    child.once('close', (code, signal) => {
      log.end(() => {
        if (this.#intended || this.#closed || this.#child !== child) return;
        const lines = this.logLines();
        this.#options.onUnexpectedExit({ instance: this.#options.instance, generation, code, signal, lastLines: lines.slice(-8) });
        this.#restartTimer = setTimeout(() => {
          if (!this.#closed && this.#child === child) this.#spawn();
        }, this.#options.restartDelayMs ?? 1_000);
      });
    });
  }
}
