import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesUnder, readText } from './repo.js';

/** Variables Node.js itself reads; allowed in deployment files beside the project's own. */
export const NODE_VARIABLES: ReadonlySet<string> = new Set(['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS', 'TZ']);

/**
 * Every environment variable the configuration code names: keys of its zod env objects and upper-case string
 * literals in packages/config (e.g. KAFKA_SECURITY_VARIABLES), plus the variables a service's own config module
 * declares (services/<name>/src/config*.ts). `NAME_FILE` forms of secrets are not listed here; they are proven by
 * behaviour (see secretFileIsRead).
 */
export function configVariables(): Set<string> {
  const files = [
    ...filesUnder('packages/config/src', ['.ts']),
    ...filesUnder('services', ['.ts']).filter((file) => /^services\/[^/]+\/src\/config[^/]*\.ts$/.test(file)),
  ];
  const names = new Set<string>();
  for (const file of files) {
    const text = readText(file);
    for (const match of text.matchAll(/^\s*([A-Z][A-Z0-9_]{2,}):/gm)) names.add(match[1] as string);
    for (const match of text.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) names.add(match[1] as string);
  }
  return names;
}

let scratch: string | undefined;

/** A file with the given content in a per-process temporary folder (stands in for a mounted Secret). */
export function scratchFile(name: string, content: string): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'gtwatch-deploy-'));
  const path = join(scratch, name.replace(/[^A-Za-z0-9._-]/g, '_'));
  writeFileSync(path, content);
  return path;
}

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQm9ndXMgdGVzdCBjZXJ0aWZpY2F0ZQ==\n-----END CERTIFICATE-----\n';

/** What a mounted file would hold, close enough for the configuration to accept it. */
export function stubContent(variable: string): string {
  return /_(CA|CERT|KEY)_FILE$/.test(variable) ? PEM : 'not-a-real-secret';
}
