import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readJson, readText, repoPath, workspaceFolders } from './support/repo.js';

interface Instruction {
  keyword: string;
  args: string;
  stage: string;
}

/** The Dockerfile as instructions (continuation lines joined, comments dropped), each tagged with its stage. */
function instructions(): Instruction[] {
  const joined = readText('Dockerfile')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const list: Instruction[] = [];
  let stage = '';
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const keyword = (match[1] as string).toUpperCase();
    const args = (match[2] as string).trim();
    if (keyword === 'FROM') stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? args;
    list.push({ keyword, args, stage });
  }
  return list;
}

const all = instructions();
const stages = all.filter((instruction) => instruction.keyword === 'FROM');
const finalStage = stages.at(-1)?.stage ?? '';
const inFinal = all.filter((instruction) => instruction.stage === finalStage);

// A .dockerignore pattern as a RegExp over repository-relative paths: a double star spans folders, a single one does not.
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    if (pattern.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (pattern.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (pattern[index] === '*') {
      source += '[^/]*';
    } else {
      source += (pattern[index] as string).replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}(?:/.*)?$`);
}

function ignored(path: string): boolean {
  return readText('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .some((pattern) => globToRegExp(pattern).test(path));
}

describe('Dockerfile', () => {
  it('builds in several stages from a pinned node:20 bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const argDefault = /ARG\s+NODE_IMAGE=(\S+)/.exec(readText('Dockerfile'))?.[1];
    // Every stage starts FROM the NODE_IMAGE build argument; its default is what gets built.
    const bases = stages.map((stage) => stage.args.split(/\s+/)[0]?.replace(/^\$\{NODE_IMAGE\}$/, argDefault ?? '') ?? '');
    for (const base of bases) expect(base).toMatch(/^node:20(\.\d+){0,2}-bookworm-slim$/);
  });

  it('the runtime stage has production dependencies only, from `npm ci --omit=dev`', () => {
    const copies = inFinal.filter((instruction) => instruction.keyword === 'COPY' && /--from=(\S+)/.test(instruction.args));
    const installIn = (stage: string) => all.find((instruction) => instruction.stage === stage && instruction.keyword === 'RUN' && /npm ci\b/.test(instruction.args));
    const problems: string[] = [];
    let production = 0;
    for (const copy of copies) {
      const from = /--from=(\S+)/.exec(copy.args)?.[1] as string;
      const source = copy.args.split(/\s+/).slice(-2)[0];
      const install = installIn(from);
      if (install === undefined) continue;
      if (/--omit=dev/.test(install.args)) production += 1;
      // A stage with dev dependencies reaches the runtime only through the collected package files.
      else if (source !== '/out/') problems.push(`copies ${source} from ${from}, which has dev dependencies`);
    }
    expect(problems).toEqual([]);
    expect(production).toBe(1);
    expect(inFinal.some((instruction) => instruction.keyword === 'RUN' && /npm (ci|install)/.test(instruction.args))).toBe(false);
  });

  it('runs as a numeric non-root user, with the CLI as entrypoint and a /healthz healthcheck', () => {
    const user = inFinal.filter((instruction) => instruction.keyword === 'USER').at(-1)?.args;
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    const entrypoint = JSON.parse(inFinal.find((instruction) => instruction.keyword === 'ENTRYPOINT')?.args ?? '[]') as string[];
    expect(entrypoint[0]).toBe('node');
    const bin = entrypoint[1]?.replace(/^\/app\//, '') ?? '';
    expect(existsSync(repoPath(bin)), bin).toBe(true);
    expect(readJson<{ bin: Record<string, string> }>('packages/cli/package.json').bin.gtwatch).toBe(`./${bin.replace('packages/cli/', '')}`);
    const healthcheck = inFinal.find((instruction) => instruction.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(healthcheck).toContain('/healthz');
    expect(inFinal.find((instruction) => instruction.keyword === 'ENV')?.args).toMatch(/HOME=\/tmp/);
  });

  it('every path it copies from the build context exists and is not excluded by .dockerignore', () => {
    const sources = all
      .filter((instruction) => instruction.keyword === 'COPY' && !instruction.args.includes('--from='))
      .flatMap((instruction) => {
        const parts = instruction.args.split(/\s+/).filter((part) => !part.startsWith('--'));
        return parts.slice(0, -1);
      });
    expect(sources.length).toBeGreaterThan(0);
    const problems = sources.flatMap((source) => [
      ...(existsSync(repoPath(source)) ? [] : [`${source} does not exist`]),
      ...(ignored(source) ? [`${source} is excluded by .dockerignore`] : []),
    ]);
    expect(problems).toEqual([]);
    for (const needed of ['package-lock.json', 'packages/cli/bin/gtwatch.js', 'packages/numbering/fixtures/reference/gt-ranges.csv']) {
      expect(ignored(needed), needed).toBe(false);
    }
    for (const excluded of ['node_modules/x', 'packages/cli/dist/main.js', 'deploy/compose/secrets/clickhouse_admin_password']) {
      expect(ignored(excluded), excluded).toBe(true);
    }
  });

  it('COPY --from names a stage defined before it', () => {
    const seen = new Set<string>();
    for (const instruction of all) {
      if (instruction.keyword === 'FROM') seen.add(instruction.stage);
      const from = /--from=(\S+)/.exec(instruction.args)?.[1];
      if (instruction.keyword === 'COPY' && from !== undefined) expect(seen.has(from), from).toBe(true);
    }
  });

  it('`npm ci` works for the workspace layout: every workspace is in the lockfile, no production install script', () => {
    interface Lock {
      packages: Record<string, { link?: boolean; resolved?: string; dev?: boolean; hasInstallScript?: boolean; name?: string }>;
    }
    const lock = readJson<Lock>('package-lock.json');
    const root = readJson<{ workspaces: string[] }>('package.json');
    expect(root.workspaces).toEqual(['packages/*', 'services/*']);
    const linked = new Set(
      Object.values(lock.packages)
        .filter((entry) => entry.link)
        .map((entry) => entry.resolved),
    );
    expect(workspaceFolders().filter((folder) => !linked.has(folder) || lock.packages[folder] === undefined)).toEqual([]);
    // The production stage installs with --ignore-scripts, which is only safe while no production package needs one.
    const scripted = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript && !entry.dev)
      .map(([path]) => path);
    expect(scripted).toEqual([]);
  });

  it('each workspace ships what its package.json `files` lists, and the runtime needs nothing else', () => {
    const problems: string[] = [];
    for (const folder of workspaceFolders()) {
      const manifest = readJson<{ files?: string[]; exports?: Record<string, Record<string, string> | string> }>(folder, 'package.json');
      const files = manifest.files ?? ['dist'];
      for (const entry of files) {
        // dist/ is built inside the image; everything else must be in the repository.
        if (entry !== 'dist' && !existsSync(repoPath(folder, entry))) problems.push(`${folder}: files entry ${entry} missing`);
      }
      const main = manifest.exports?.['.'];
      const target = typeof main === 'string' ? main : main?.default;
      if (target !== undefined && !files.some((entry) => target.replace(/^\.\//, '').startsWith(`${entry}/`))) {
        problems.push(`${folder}: exports ${target} outside its files ${files.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
