import { parseArgs } from 'node:util';
import { createClickHouseClient, migrate } from '@gtwatch/clickhouse';
import { type Command, EXIT_OK, UsageError } from '../command.js';
import { CommandFailure, commandConfig } from '../environment.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'create or upgrade the ClickHouse database (CLICKHOUSE_URL, CLICKHOUSE_DATABASE, …)',
  usage: 'gtwatch migrate   (configured by CLICKHOUSE_URL, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD[_FILE], CLICKHOUSE_DATABASE)',
  async run(args, io) {
    try {
      parseArgs({ args, options: {}, strict: true, allowPositionals: false });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { clickhouse } = commandConfig(io);
    // Unbound to any database: the database itself may not exist yet.
    const client = createClickHouseClient({ url: clickhouse.url, user: clickhouse.user, password: clickhouse.password });
    try {
      const result = await migrate(client, clickhouse.database);
      for (const applied of result.applied) io.stdout.write(`applied  ${applied.version} ${applied.name}\n`);
      io.stdout.write(
        `database ${result.database}: ${result.applied.length} applied, ${result.unchanged.length} already up to date` +
          (result.unknown.length > 0 ? `, ${result.unknown.length} from a newer gtwatch (${result.unknown.join(', ')})` : '') +
          '\n',
      );
      return EXIT_OK;
    } catch (error) {
      // Migration errors name the migration and statement; the server is added so the operator knows where.
      throw new CommandFailure(`ClickHouse at ${clickhouse.url}: ${(error as Error).message}`);
    } finally {
      await client.close();
    }
  },
};
