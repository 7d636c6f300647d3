import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The repository root, from this file's place in test/unit/deploy/support. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export function repoPath(...parts: string[]): string {
  return join(ROOT, ...parts);
}

export function readText(...parts: string[]): string {
  return readFileSync(repoPath(...parts), 'utf8');
}

export function readJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readText(...parts)) as T;
}

/**
 * Every document of a YAML file. Merge keys (`<<: *anchor`) are resolved the way docker compose resolves them, and a
 * syntax error fails loudly with the file name instead of yielding a partial result.
 */
export function readYamlDocuments(...parts: string[]): unknown[] {
  const file = repoPath(...parts);
  const documents = parseAllDocuments(readFileSync(file, 'utf8'), { merge: true });
  const list = Array.isArray(documents) ? documents : [documents];
  const values: unknown[] = [];
  for (const document of list) {
    if (document.errors.length > 0) {
      throw new Error(`${relative(ROOT, file)}: ${document.errors.map((error) => error.message).join('; ')}`);
    }
    const value = document.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

export function readYaml<T = unknown>(...parts: string[]): T {
  const [first, ...rest] = readYamlDocuments(...parts);
  if (rest.length > 0) throw new Error(`${parts.join('/')}: expected one YAML document, found ${rest.length + 1}`);
  return first as T;
}

/** Files under a repository folder whose names end with one of `extensions`, as repository-relative paths. */
export function filesUnder(folder: string, extensions: readonly string[]): string[] {
  const start = repoPath(folder);
  if (!existsSync(start)) return [];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (extensions.some((extension) => name.endsWith(extension))) found.push(relative(ROOT, path));
    }
  };
  walk(start);
  return found.sort();
}

/** The workspace folders (`packages/*`, `services/*`) that have a package.json, repository-relative. */
export function workspaceFolders(): string[] {
  const folders: string[] = [];
  for (const root of ['packages', 'services']) {
    for (const name of readdirSync(repoPath(root))) {
      if (existsSync(repoPath(root, name, 'package.json'))) folders.push(`${root}/${name}`);
    }
  }
  return folders.sort();
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
