// `npm test`: everything from a fresh clone — install, build, typecheck, lint, then unit and integration tests.
// The integration setup starts real Kafka and ClickHouse with deploy/local when none are configured and stops
// what it started. Ends with one `tests: N passed, N failed` line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, ensureDependencies, ROOT, sh, step } from './lib.mjs';

ensureDependencies();
build();

step('typechecking (packages, services, cross-service tests)');
sh('npx', ['turbo', 'run', 'typecheck', '--output-logs=errors-only'], {
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
});
sh('npx', ['tsc', '-p', 'test/tsconfig.json']);

step('linting');
sh('npx', ['biome', 'lint', '.']);

step('unit and integration tests');
const resultsDir = join(ROOT, 'test-artifacts');
mkdirSync(resultsDir, { recursive: true });
const resultsFile = join(resultsDir, 'vitest-results.json');
rmSync(resultsFile, { force: true });
const extra = process.argv.slice(2);
const vitest = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...extra];
const run = spawnSync('npx', vitest, { cwd: ROOT, stdio: 'inherit' });
let passed = 0;
let failed = 1;
try {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests + (results.numTotalTests === 0 ? 1 : 0);
} catch {
  // No results file: vitest itself failed (e.g. the integration services could not start).
}
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed\n`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
