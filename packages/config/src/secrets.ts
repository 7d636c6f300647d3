import { readFileSync } from 'node:fs';
import type { ConfigIssue } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Resolves `NAME` or `NAME_FILE` so secrets can come from mounted files (Kubernetes/compose secrets) instead of the
 * process environment, which leaks into crash dumps and `ps e`. Setting both is ambiguous and rejected.
 */
export function readSecret(env: Env, name: string, issues: ConfigIssue[]): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct !== undefined && file !== undefined) {
    issues.push({ variable: name, message: `set either ${name} or ${name}_FILE, not both` });
    return undefined;
  }
  if (file === undefined) return direct;
  try {
    // Files written by editors or `echo` end with a newline that is never part of the secret.
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    issues.push({ variable: `${name}_FILE`, message: `cannot read ${file}: ${reason}` });
    return undefined;
  }
}
