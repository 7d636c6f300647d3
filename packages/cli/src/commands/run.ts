import { type Command, EXIT_OK, UsageError } from '../command.js';

const SERVICES = ['scorer', 'sink', 'api'] as const;

export const runCommand: Command = {
  name: 'run',
  summary: `run a service until SIGTERM/SIGINT (${SERVICES.join(', ')}), configured by the environment`,
  usage: `gtwatch run ${SERVICES.join('|')}   (KAFKA_BROKERS, GTWATCH_TOPIC_PREFIX, GTWATCH_REFERENCE_DIR, PORT, LOG_LEVEL, …)`,
  async run(args, io) {
    const [service, ...rest] = args;
    if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    switch (service) {
      case 'scorer': {
        // Loaded on demand so the offline commands never pay for the services' dependencies.
        const { runScorer } = await import('@gtwatch/scorer');
        await runScorer(io.env);
        return process.exitCode === undefined ? EXIT_OK : Number(process.exitCode);
      }
      case 'sink': {
        const { runSink } = await import('@gtwatch/sink');
        await runSink(io.env);
        return process.exitCode === undefined ? EXIT_OK : Number(process.exitCode);
      }
      case 'api': {
        const { runApi } = await import('@gtwatch/api');
        await runApi(io.env);
        return process.exitCode === undefined ? EXIT_OK : Number(process.exitCode);
      }
      default:
        throw new UsageError(`expected a service: ${SERVICES.join(', ')}`);
    }
  },
};
