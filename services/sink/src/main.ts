/**
 * `node services/sink/dist/main.js`: runs the sink configured by the environment (KAFKA_BROKERS, CLICKHOUSE_URL,
 * CLICKHOUSE_DATABASE, GTWATCH_TOPIC_PREFIX, PORT, LOG_LEVEL, …) until SIGTERM/SIGINT.
 */
import { runSink } from './run.js';

runSink(process.env).catch((error: unknown) => {
  // runSink has logged the reason and asked to exit; this only covers a failure before the logger existed.
  process.stderr.write(`gtwatch sink: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
