import type { Command } from './command.js';
import { aclCommand } from './commands/acl.js';
import { alertsCommand } from './commands/alerts.js';
import { migrateCommand } from './commands/migrate.js';
import { runCommand } from './commands/run.js';
import { scoreCommand } from './commands/score.js';
import { simulateCommand } from './commands/simulate.js';
import { topicsCommand } from './commands/topics.js';
import { versionCommand } from './commands/version.js';

/** Every subcommand, in the order `gtwatch help` lists them. */
export const COMMANDS: readonly Command[] = [scoreCommand, simulateCommand, migrateCommand, topicsCommand, aclCommand, runCommand, alertsCommand, versionCommand];
