/** The simulator's only I/O: writing the world's reference files to a directory. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { referenceFiles } from './reference.js';
import type { World } from './world.js';

/** Writes gt-ranges.csv, realms.csv and allowlist.csv for `world` into `dir` (created if missing). Returns the paths. */
export async function writeReferenceFiles(world: World, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = referenceFiles(world);
  const paths: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    await writeFile(path, text, 'utf8');
    paths.push(path);
  }
  return paths;
}
