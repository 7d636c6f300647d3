/**
 * `gtwatch alerts withdraw|tail|export`: the operator's and the regulator's side of the alert topics. The logic
 * lives in @gtwatch/alerting; this file parses arguments, talks to Kafka and files, and prints.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  atLeast,
  followAlerts,
  formatTailLine,
  loadRoutingPolicy,
  PolicyError,
  parseAlertEvent,
  type RoutingPolicy,
  readAlertState,
  routeAlerts,
  routingPolicy,
  selectForExport,
  toMispDocument,
  toStixBundle,
  useColour,
  WithdrawError,
  withdrawEvent,
} from '@gtwatch/alerting';
import type { GtwatchConfig } from '@gtwatch/config';
import { createKafkaClient, type Kafka, Producer } from '@gtwatch/kafka';
import type { Logger } from '@gtwatch/observability';
import { type Alert, SEVERITIES, type Severity } from '@gtwatch/schema';
import { type Command, type CommandIo, EXIT_FAILURE, EXIT_OK, UsageError } from '../command.js';
import { CommandFailure, commandConfig, commandLogger } from '../environment.js';
import { openInput, readLines } from '../lines.js';

const USAGE = [
  'gtwatch alerts withdraw ALERT_ID --reason TEXT [--by NAME] [--policy FILE]',
  '       gtwatch alerts tail [--jurisdiction J] [--min-severity low|medium|high|critical] [--json] [--from-beginning]',
  '       gtwatch alerts export --format stix|misp|ndjson [--since RFC3339] [--jurisdiction J] [--input FILE|-] [--output FILE|-]',
  '       (KAFKA_BROKERS, GTWATCH_TOPIC_PREFIX, GTWATCH_INSTANCE)',
].join('\n');

type Values = Record<string, string | boolean | undefined>;

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean' }>): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function stringOption(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function jurisdictionOption(values: Values): string | undefined {
  const value = stringOption(values, 'jurisdiction');
  if (value === undefined) return undefined;
  if (!/^[a-z]{2}$/.test(value)) throw new UsageError('--jurisdiction takes a lower-case ISO alpha-2 code, e.g. gb');
  return value;
}

function kafkaOf(config: Readonly<GtwatchConfig>, logger: Logger): Kafka {
  return createKafkaClient({ brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-alerts`, logger, security: config.kafka.security });
}

function kafkaFailure(config: Readonly<GtwatchConfig>, error: unknown): CommandFailure {
  return new CommandFailure(`Kafka at ${config.kafka.brokers.join(',')}: ${(error as Error).message}`);
}

async function requireTopic(kafka: Kafka, topic: string, config: Readonly<GtwatchConfig>): Promise<void> {
  const admin = kafka.admin();
  let topics: string[];
  try {
    await admin.connect();
    topics = await admin.listTopics();
  } catch (error) {
    throw kafkaFailure(config, error);
  } finally {
    await admin.disconnect().catch(() => {});
  }
  if (!topics.includes(topic)) throw new CommandFailure(`topic ${topic} does not exist (create it with \`gtwatch topics create\`)`);
}

async function policyOption(values: Values): Promise<RoutingPolicy> {
  const path = stringOption(values, 'policy');
  try {
    return path === undefined ? routingPolicy() : await loadRoutingPolicy(path);
  } catch (error) {
    if (error instanceof PolicyError) throw new CommandFailure(error.message);
    throw error;
  }
}

async function latestStates(kafka: Kafka, config: Readonly<GtwatchConfig>, logger: Logger): Promise<Map<string, Alert>> {
  const topic = config.topics.alertState;
  await requireTopic(kafka, topic, config);
  try {
    const state = await readAlertState(kafka, topic, { logger, groupPrefix: `${config.kafka.clientId}-alert-state` });
    if (state.skipped > 0) logger.warn({ topic, skipped: state.skipped }, 'records that are not alert-v1 events were skipped');
    return state.alerts;
  } catch (error) {
    throw kafkaFailure(config, error);
  }
}

// ---------------------------------------------------------------------------------------------------- withdraw

async function withdraw(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parse(args, { reason: { type: 'string' }, by: { type: 'string' }, policy: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('withdraw takes exactly one ALERT_ID');
  const alertId = positionals[0] as string;
  const reason = stringOption(values, 'reason');
  if (reason === undefined || reason.trim() === '') throw new UsageError('--reason is required');
  const by = stringOption(values, 'by') ?? io.env.USER ?? io.env.LOGNAME ?? 'operator';
  const policy = await policyOption(values);
  const config = commandConfig(io);
  const logger = commandLogger('alerts', config);
  const kafka = kafkaOf(config, logger);

  const latest = (await latestStates(kafka, config, logger)).get(alertId);
  if (!latest) throw new CommandFailure(`alert ${alertId} is unknown: it is not in ${config.topics.alertState}`);
  let event: Alert;
  try {
    event = withdrawEvent(latest, { reason, by, now: Date.now(), instance: config.instance });
  } catch (error) {
    if (error instanceof WithdrawError) throw new CommandFailure(error.message);
    throw error;
  }
  const { batches, refusals } = routeAlerts([event], policy, config.topics);
  for (const refusal of refusals) io.stderr.write(`not written to ${refusal.topic}: ${refusal.detail}\n`);
  if (batches.length === 0) return EXIT_FAILURE;
  const producer = new Producer(kafka, { logger });
  try {
    await producer.connect();
    await producer.sendBatch(batches);
  } catch (error) {
    throw kafkaFailure(config, error);
  } finally {
    await producer.disconnect().catch(() => {});
  }
  io.stdout.write(`withdrew alert ${alertId} (event ${event.id}, was ${latest.data.status}) → ${batches.map((b) => b.topic).join(', ')}\n`);
  return refusals.length > 0 ? EXIT_FAILURE : EXIT_OK;
}

// ---------------------------------------------------------------------------------------------------- tail

export interface TailOptions {
  jurisdiction: string | undefined;
  minSeverity: Severity | undefined;
  json: boolean;
  fromBeginning: boolean;
}

function tailOptions(args: string[]): TailOptions {
  const { values, positionals } = parse(args, {
    jurisdiction: { type: 'string' },
    'min-severity': { type: 'string' },
    json: { type: 'boolean' },
    'from-beginning': { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const minSeverity = stringOption(values, 'min-severity');
  if (minSeverity !== undefined && !(SEVERITIES as readonly string[]).includes(minSeverity)) {
    throw new UsageError(`--min-severity must be one of ${SEVERITIES.join(', ')}`);
  }
  return {
    jurisdiction: jurisdictionOption(values),
    minSeverity: minSeverity as Severity | undefined,
    json: values.json === true,
    fromBeginning: values['from-beginning'] === true,
  };
}

function isTty(stream: unknown): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/**
 * Follows the jurisdiction's topic (or the shared one) until `signal` aborts; exported so tests can run it with
 * injected streams and stop it. Resolves to the exit code.
 */
export async function tailAlerts(options: TailOptions, io: CommandIo, signal: AbortSignal, onStarted?: () => void): Promise<number> {
  const config = commandConfig(io);
  const logger = commandLogger('alerts', config);
  const kafka = kafkaOf(config, logger);
  const topic = options.jurisdiction === undefined ? config.topics.alerts : config.topics.alertsFor(options.jurisdiction);
  await requireTopic(kafka, topic, config);
  const colour = !options.json && useColour(isTty(io.stdout), io.env);
  let invalid = 0;
  const follower = followAlerts(kafka, {
    topic,
    fromBeginning: options.fromBeginning,
    logger,
    groupPrefix: `${config.kafka.clientId}-tail`,
    onRecord: ({ raw, parsed }) => {
      if (!parsed.ok) {
        invalid++;
        io.stderr.write(`skipped a record that is not an alert event (${parsed.problem})\n`);
        return;
      }
      if (!atLeast(parsed.event, options.minSeverity)) return;
      io.stdout.write(`${options.json ? raw : formatTailLine(parsed.event, { colour })}\n`);
    },
  });
  const stop = () => void follower.stop();
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  try {
    await follower.started;
    onStarted?.();
    await follower.finished;
  } catch (error) {
    await follower.stop().catch(() => {});
    throw kafkaFailure(config, error);
  } finally {
    signal.removeEventListener('abort', stop);
  }
  if (invalid > 0) logger.warn({ topic, invalid }, 'records that are not alert-v1 events were skipped');
  return EXIT_OK;
}

async function tail(args: string[], io: CommandIo): Promise<number> {
  const options = tailOptions(args);
  const controller = new AbortController();
  // Ctrl-C (or a supervisor's SIGTERM) ends the feed: leave the group and exit 0, as `tail -f` users expect.
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await tailAlerts(options, io, controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// ---------------------------------------------------------------------------------------------------- export

const FORMATS = ['stix', 'misp', 'ndjson'] as const;
type Format = (typeof FORMATS)[number];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

async function readNdjson(path: string, io: CommandIo): Promise<{ events: Alert[]; invalid: number }> {
  const events: Alert[] = [];
  let invalid = 0;
  try {
    for await (const line of readLines(openInput(path, io.stdin))) {
      const text = line.bytes.toString('utf8').trim();
      if (text === '') continue;
      const parsed = parseAlertEvent(text);
      if (parsed.ok) events.push(parsed.event);
      else if (++invalid <= 5) io.stderr.write(`${path}:${line.number}: ${parsed.problem}\n`);
    }
  } catch (error) {
    throw new CommandFailure(`${path}: ${(error as Error).message}`);
  }
  return { events, invalid };
}

function render(format: Format, alerts: Alert[]): string {
  switch (format) {
    case 'stix':
      return `${JSON.stringify(toStixBundle(alerts), null, 2)}\n`;
    case 'misp':
      return `${JSON.stringify(toMispDocument(alerts), null, 2)}\n`;
    case 'ndjson':
      return alerts.map((alert) => `${JSON.stringify(alert)}\n`).join('');
  }
}

async function exportAlerts(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: 'string' },
    since: { type: 'string' },
    jurisdiction: { type: 'string' },
    input: { type: 'string' },
    output: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const format = stringOption(values, 'format');
  if (!(FORMATS as readonly (string | undefined)[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const since = stringOption(values, 'since');
  if (since !== undefined && !(RFC3339.test(since) && Number.isFinite(Date.parse(since)))) {
    throw new UsageError('--since must be an RFC 3339 date-time with Z or an offset, e.g. 2026-11-30T00:00:00Z');
  }
  const jurisdiction = jurisdictionOption(values);
  const input = stringOption(values, 'input');
  const output = stringOption(values, 'output') ?? '-';

  let events: Iterable<Alert>;
  let invalid = 0;
  if (input !== undefined) {
    ({ events, invalid } = await readNdjson(input, io));
  } else {
    const config = commandConfig(io);
    const logger = commandLogger('alerts', config);
    events = (await latestStates(kafkaOf(config, logger), config, logger)).values();
  }
  const filter = { ...(since !== undefined ? { sinceMs: Date.parse(since) } : {}), ...(jurisdiction !== undefined ? { jurisdiction } : {}) };
  const selection = selectForExport(events, filter);
  const text = render(format as Format, selection.alerts);
  if (output === '-') io.stdout.write(text);
  else await writeFile(output, text);
  const withheld = selection.redWithheld > 0 ? `, ${selection.redWithheld} TLP:RED withheld` : '';
  const skipped = invalid > 0 ? `, ${invalid} input lines were not alert events` : '';
  io.stderr.write(`exported ${selection.alerts.length} alerts as ${format}${withheld}${skipped}\n`);
  return invalid > 0 ? EXIT_FAILURE : EXIT_OK;
}

// ---------------------------------------------------------------------------------------------------- command

export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'withdraw a false positive, follow a regulator’s alert feed, export alerts as STIX 2.1, MISP or NDJSON',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'withdraw':
        return withdraw(rest, io);
      case 'tail':
        return tail(rest, io);
      case 'export':
        return exportAlerts(rest, io);
      default:
        throw new UsageError('expected a subcommand: withdraw, tail or export');
    }
  },
};
