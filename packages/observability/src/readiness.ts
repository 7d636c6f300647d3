/**
 * Named readiness conditions a service flips as it starts (consumer joined, ClickHouse reachable, …) and stops.
 * Kubernetes stops routing to, and supervisors stop waiting on, a process whose /readyz is not 200.
 */
export class Readiness {
  readonly #conditions = new Map<string, boolean>();
  #shuttingDown = false;

  /** Registers a condition as not yet met. */
  require(name: string): void {
    if (!this.#conditions.has(name)) this.#conditions.set(name, false);
  }

  set(name: string, ready: boolean): void {
    this.#conditions.set(name, ready);
  }

  /** Once shutting down, the process never reports ready again. */
  shutdown(): void {
    this.#shuttingDown = true;
  }

  get ready(): boolean {
    return !this.#shuttingDown && [...this.#conditions.values()].every(Boolean);
  }

  /** The conditions not met, for the /readyz body and the logs. */
  get pending(): string[] {
    const pending = [...this.#conditions].filter(([, ready]) => !ready).map(([name]) => name);
    return this.#shuttingDown ? ['shutting-down', ...pending] : pending;
  }
}
