import { createRequire } from 'node:module';
import type { Command } from '../command.js';

const require = createRequire(import.meta.url);

export function cliVersion(): string {
  const pkg = require('../../package.json') as { version: string };
  return pkg.version;
}

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the gtwatch version',
  usage: 'gtwatch version',
  async run(_args, io) {
    io.stdout.write(`gtwatch ${cliVersion()}\n`);
    return 0;
  },
};
