import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { testTempRoot } from '../../setup/temp-root.js';

const parents: string[] = [];
afterEach(() => {
  for (const parent of parents.splice(0)) rmSync(parent, { recursive: true, force: true });
});

it("removes finished runs' directories, keeps a running one's and anything else, and makes this run's", () => {
  const parent = mkdtempSync(join(tmpdir(), 'temp-root-'));
  parents.push(parent);
  const finished = spawnSync(process.execPath, ['-e', '']).pid;
  if (finished === undefined) throw new Error('no pid for the finished process');
  const stale = join(parent, `run-${finished}`, 'logs');
  const running = join(parent, `run-${process.ppid}`);
  const unrelated = join(parent, 'notes');
  for (const dir of [stale, running, unrelated]) mkdirSync(dir, { recursive: true });

  const root = testTempRoot(parent, process.pid);

  expect(root).toBe(join(parent, `run-${process.pid}`));
  expect(existsSync(root)).toBe(true);
  expect(existsSync(join(parent, `run-${finished}`))).toBe(false);
  expect(existsSync(running)).toBe(true);
  expect(existsSync(unrelated)).toBe(true);
});

it('gives the tests that directory as their temporary directory', () => {
  expect(tmpdir()).toMatch(/[/\\]\.local[/\\]test-tmp[/\\]run-\d+$/);
});
