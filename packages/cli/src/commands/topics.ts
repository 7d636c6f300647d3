import { parseArgs } from 'node:util';
import { createKafkaClient, defaultTopicSpecs, ensureTopics } from '@gtwatch/kafka';
import { type Command, EXIT_OK, UsageError } from '../command.js';
import { CommandFailure, commandConfig, commandLogger } from '../environment.js';

const USAGE = 'gtwatch topics create [--partitions N] [--replication-factor N] [--jurisdictions gb,us,…] [--reporters 234-15,…]';

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`--${name} must be a positive integer`);
  return Number(value);
}

export const topicsCommand: Command = {
  name: 'topics',
  summary: 'create the Kafka topics gtwatch uses (KAFKA_BROKERS, GTWATCH_TOPIC_PREFIX)',
  usage: USAGE,
  async run(args, io) {
    let parsed: ReturnType<typeof parseArgs<{ options: Record<string, { type: 'string' }>; allowPositionals: true }>>;
    try {
      parsed = parseArgs({
        args,
        options: {
          partitions: { type: 'string' },
          'replication-factor': { type: 'string' },
          jurisdictions: { type: 'string' },
          reporters: { type: 'string' },
        },
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.positionals[0] !== 'create' || parsed.positionals.length !== 1) throw new UsageError('expected the subcommand `create`');
    const jurisdictions = (parsed.values.jurisdictions ?? 'gb,us,ca,au,nz').split(',').map((j) => j.trim().toLowerCase());
    if (!jurisdictions.every((j) => /^[a-z]{2}$/.test(j))) throw new UsageError('--jurisdictions takes ISO alpha-2 codes, e.g. gb,us');
    const reporters = parsed.values.reporters === undefined ? [] : parsed.values.reporters.split(',').map((r) => r.trim());
    if (!reporters.every((r) => /^\d{3}-\d{2,3}$/.test(r))) throw new UsageError('--reporters takes PLMN ids (MCC-MNC), e.g. 234-15,262-02');
    const config = commandConfig(io);
    const specs = defaultTopicSpecs(config.topics, {
      signallingPartitions: positiveInt('partitions', parsed.values.partitions, 12),
      replicationFactor: positiveInt('replication-factor', parsed.values['replication-factor'], 1),
      jurisdictions,
      reporters,
    });
    const kafka = createKafkaClient({
      brokers: config.kafka.brokers,
      clientId: config.kafka.clientId,
      logger: commandLogger('topics', config),
      security: config.kafka.security,
    });
    let created: string[];
    try {
      created = await ensureTopics(kafka, specs);
    } catch (error) {
      throw new CommandFailure(`Kafka at ${config.kafka.brokers.join(',')}: ${(error as Error).message}`);
    }
    for (const spec of specs) {
      io.stdout.write(`${created.includes(spec.topic) ? 'created ' : 'exists  '} ${spec.topic} (${spec.partitions} partitions)\n`);
    }
    return EXIT_OK;
  },
};
