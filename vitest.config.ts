import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { testTempRoot } from './test/setup/temp-root.js';

// Workspace packages export their TypeScript sources under this condition, so tests run against
// src/ directly and never against a stale dist/.
const sourceCondition = '@gtwatch/source';

export default defineConfig({
  resolve: { conditions: [sourceCondition, 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: [sourceCondition, 'module', 'node', 'import', 'default'] } },
  test: {
    // Every temporary file of a run under .local/test-tmp/run-<pid>, removed by the next run (test/setup/temp-root.ts).
    env: { TMPDIR: testTempRoot(join(import.meta.dirname, '.local', 'test-tmp')) },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{packages,services}/*/test/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/quality/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', '**/test/integration/**'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{packages,services}/*/test/integration/**/*.test.ts', 'test/integration/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: ['./test/setup/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One broker and one ClickHouse on a 2-core machine: run integration files one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
