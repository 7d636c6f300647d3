import { type ClickHouseClient, clickHouseErrorCode, render, type Sql } from '@gtwatch/clickhouse';
import type * as z from 'zod';

/** ClickHouse's TIMEOUT_EXCEEDED: the server stopped the query at `max_execution_time`. */
const TIMEOUT_EXCEEDED = 159;

/** A query that was stopped at the configured timeout, by the server or by the client's abort. */
export class QueryTimeoutError extends Error {
  constructor(readonly timeoutMs: number, options?: { cause?: unknown }) {
    super(`query cancelled after ${timeoutMs} ms`, options);
    this.name = 'QueryTimeoutError';
  }
}

export interface QueryRunnerOptions {
  timeoutMs: number;
}

/**
 * Runs the api's read queries with a deadline. Two mechanisms, because either alone is not enough on 18.16:
 * `max_execution_time` (whole seconds on 18.16, rounded up) makes the server itself stop the query and free its
 * threads, and an abort of the HTTP request at the deadline (plus a little slack for the server's own error to
 * arrive first) makes sure the caller is answered even if the server is stuck before it checks the limit.
 * `readonly = 2` makes every query read-only whatever the ClickHouse user may do, while still allowing the
 * timeout setting (a profile with readonly = 1 would refuse it: use readonly = 2 for the api's user).
 */
export class QueryRunner {
  readonly #client: ClickHouseClient;
  readonly #timeoutMs: number;

  constructor(client: ClickHouseClient, options: QueryRunnerOptions) {
    this.#client = client;
    this.#timeoutMs = options.timeoutMs;
  }

  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  async rows<Schema extends z.ZodType>(query: Sql, schema: Schema): Promise<Array<z.output<Schema>>> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.#timeoutMs + 500);
    try {
      const result = await this.#client.query({
        query: render(query),
        format: 'JSONEachRow',
        abort_signal: abort.signal,
        clickhouse_settings: { max_execution_time: Math.ceil(this.#timeoutMs / 1000), readonly: '2' },
      });
      const json = await result.json();
      return (json as unknown[]).map((row) => schema.parse(row) as z.output<Schema>);
    } catch (error) {
      if (abort.signal.aborted || clickHouseErrorCode(error) === TIMEOUT_EXCEEDED) {
        throw new QueryTimeoutError(this.#timeoutMs, { cause: error });
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
