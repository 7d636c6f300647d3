/**
 * One temporary directory per test run, inside the repository's ignored `.local/`, given to the tests as TMPDIR
 * (so `os.tmpdir()`, every `mkdtemp` and the service processes the tests start all land there).
 *
 * Tests leave their temporary files behind on purpose when they fail (logs of services and dedicated servers), and
 * the rest were left by oversight; either way /tmp filled up run after run. Here a run removes the directories of
 * earlier runs whose process has ended, so a failed run's files stay until the next run and nothing accumulates.
 * A run still going (two vitest processes at once) keeps its directory.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const PREFIX = 'run-';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes finished runs' directories below `parent` and creates this run's; returns its path. */
export function testTempRoot(parent: string, pid = process.pid): string {
  mkdirSync(parent, { recursive: true });
  for (const name of readdirSync(parent)) {
    const owner = Number(name.slice(PREFIX.length));
    if (!name.startsWith(PREFIX) || !Number.isInteger(owner) || owner === pid || isRunning(owner)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
  const root = join(parent, `${PREFIX}${pid}`);
  mkdirSync(root, { recursive: true });
  return root;
}
