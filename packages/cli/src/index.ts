export { type Command, type CommandIo, UsageError } from './command.js';
export { COMMANDS } from './registry.js';
export { helpText, runCli } from './run.js';
export { CommandFailure } from './environment.js';
