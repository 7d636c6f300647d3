import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type AccessFile, parseAccessFile } from '@gtwatch/config';
import { accessPrincipals, applyAcls, createKafkaClient, formatAclTable, planAcls } from '@gtwatch/kafka';
import { type Command, EXIT_OK, UsageError } from '../command.js';
import { CommandFailure, commandConfig, commandLogger } from '../environment.js';

const USAGE = 'gtwatch acl plan --access FILE [--apply] [--json]   (GTWATCH_TOPIC_PREFIX; --apply: KAFKA_* of an admin principal)';

function readAccess(path: string, cwd: string): AccessFile {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CommandFailure(`cannot read the access file ${file}: ${(error as Error).message}`);
  }
  try {
    return parseAccessFile(text, file);
  } catch (error) {
    throw new CommandFailure((error as Error).message);
  }
}

export const aclCommand: Command = {
  name: 'acl',
  summary: 'derive the Kafka ACLs from an access file; --apply makes the broker match (creates missing, removes stale)',
  usage: USAGE,
  async run(args, io) {
    let parsed: ReturnType<typeof parseArgs<{ options: Record<string, { type: 'string' | 'boolean' }>; allowPositionals: true }>>;
    try {
      parsed = parseArgs({
        args,
        options: { access: { type: 'string' }, apply: { type: 'boolean' }, json: { type: 'boolean' } },
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.positionals[0] !== 'plan' || parsed.positionals.length !== 1) throw new UsageError('expected the subcommand `plan`');
    const accessPath = parsed.values.access;
    if (typeof accessPath !== 'string') throw new UsageError('--access FILE is required');

    const config = commandConfig(io);
    const access = readAccess(accessPath, io.cwd);
    let plan: ReturnType<typeof planAcls>;
    try {
      plan = planAcls(access, config.topics, config.topicPrefix);
    } catch (error) {
      throw new CommandFailure((error as Error).message);
    }

    if (!parsed.values.apply) {
      io.stdout.write(parsed.values.json ? `${JSON.stringify(plan, null, 2)}\n` : `${formatAclTable(plan)}\n`);
      return EXIT_OK;
    }

    const kafka = createKafkaClient({
      brokers: config.kafka.brokers,
      clientId: config.kafka.clientId,
      logger: commandLogger('acl', config),
      security: config.kafka.security,
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const result = await applyAcls(admin, plan, config.topicPrefix, accessPrincipals(access));
      if (parsed.values.json) {
        io.stdout.write(`${JSON.stringify({ created: result.create, removed: result.remove, unchanged: result.unchanged.length, untouched: result.untouched }, null, 2)}\n`);
      } else {
        if (result.create.length > 0) io.stdout.write(`created:\n${formatAclTable(result.create)}\n`);
        if (result.remove.length > 0) io.stdout.write(`removed:\n${formatAclTable(result.remove)}\n`);
        io.stdout.write(
          `${result.create.length} created, ${result.remove.length} removed, ${result.unchanged.length} unchanged` +
            (result.untouched > 0 ? `, ${result.untouched} rule(s) of kinds gtwatch does not manage left alone (DENY, ALL, transactional ids…)` : '') +
            '\n',
        );
      }
      return EXIT_OK;
    } catch (error) {
      throw new CommandFailure(`Kafka at ${config.kafka.brokers.join(',')}: ${(error as Error).message}`);
    } finally {
      await admin.disconnect();
    }
  },
};
