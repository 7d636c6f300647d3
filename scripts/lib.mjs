// Helpers for the repository's top-level scripts. Plain Node with no dependencies: these run on a fresh clone
// before `npm ci` has installed anything.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function step(title) {
  process.stderr.write(`\n── ${title}\n`);
}

/** Runs a command inheriting stdio; exits the script with the command's status when it fails. */
export function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    process.stderr.write(`\n✗ ${command} ${args.join(' ')} exited with ${result.status ?? result.signal}\n`);
    process.exit(result.status ?? 1);
  }
}

/** Installs dependencies when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const installed = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  step('installing dependencies (npm ci)');
  sh('npm', ['ci', '--no-audit', '--no-fund']);
}

export function build() {
  step('building every package');
  sh('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
}
