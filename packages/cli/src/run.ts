import { type Command, type CommandIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './command.js';
import { CommandFailure } from './environment.js';
import { COMMANDS } from './registry.js';

export function helpText(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    'gtwatch — Global Title abuse analytics for SS7/Diameter signalling',
    '',
    'Usage: gtwatch <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `gtwatch help <command>` for a command’s options.',
    '',
  ].join('\n');
}

function isHelpFlag(arg: string | undefined): boolean {
  return arg === '--help' || arg === '-h' || arg === 'help';
}

/** Dispatches argv (without node and script) to a command and maps failures to exit codes. */
export async function runCli(argv: readonly string[], io: CommandIo, commands = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || isHelpFlag(name)) {
    const topic = rest[0] && commands.find((command) => command.name === rest[0]);
    io.stdout.write(topic ? `Usage: ${topic.usage}\n` : helpText(commands));
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') return runCli(['version'], io, commands);
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr.write(`gtwatch: unknown command "${name}"\n\n${helpText(commands)}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`Usage: ${command.usage}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`gtwatch ${command.name}: ${error.message}\n\nUsage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof CommandFailure) {
      io.stderr.write(`gtwatch ${command.name}: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    // Anything else is a bug: keep the stack so it can be reported.
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`gtwatch ${command.name}: ${detail}\n`);
    return EXIT_FAILURE;
  }
}
