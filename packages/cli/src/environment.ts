import { ConfigError, type GtwatchConfig, loadConfig } from '@gtwatch/config';
import { createLogger, type Logger } from '@gtwatch/observability';
import type { CommandIo } from './command.js';

/** Configuration from the command's environment; a bad variable is reported by name and stops the command. */
export function commandConfig(io: CommandIo): Readonly<GtwatchConfig> {
  try {
    return loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CommandFailure(error.message);
    throw error;
  }
}

/** Logs of administrative commands go to stderr, so stdout stays for results. */
export function commandLogger(name: string, config: Readonly<GtwatchConfig>): Logger {
  return createLogger({ service: `gtwatch-${name}`, level: config.logLevel === 'info' ? 'warn' : config.logLevel, destination: process.stderr });
}

/** A failure the user can act on: its message is printed as is and the command exits 1. */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
}
