import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { worldSvg } from './world.js';

/**
 * The dashboard's files: its own folder (plain ES modules, no build step) and uPlot from node_modules. Only the
 * files listed here are served, so no request path ever reaches the file system.
 */
const DASHBOARD_DIR = fileURLToPath(new URL('../dashboard/', import.meta.url));
const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.esm.js'));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const FILES: Record<string, string> = {
  '/': join(DASHBOARD_DIR, 'index.html'),
  '/index.html': join(DASHBOARD_DIR, 'index.html'),
  '/app.js': join(DASHBOARD_DIR, 'app.js'),
  '/charts.js': join(DASHBOARD_DIR, 'charts.js'),
  '/style.css': join(DASHBOARD_DIR, 'style.css'),
  '/vendor/uplot/uPlot.esm.js': join(UPLOT_DIR, 'uPlot.esm.js'),
  '/vendor/uplot/uPlot.min.css': join(UPLOT_DIR, 'uPlot.min.css'),
};

const cache = new Map<string, Buffer>();

const gzipped = new Map<string, Buffer>();

export interface StaticFile {
  body: Buffer;
  type: string;
  /** `gzip` when `body` is compressed. */
  encoding: 'gzip' | null;
}

/** A dashboard file by request path, gzipped when the client accepts it; null for any path not listed. */
export async function staticFile(pathname: string, acceptsGzip: boolean): Promise<StaticFile | null> {
  let body: Buffer;
  let type: string;
  if (pathname === '/world.svg') {
    body = await worldSvg();
    type = TYPES['.svg'] ?? 'image/svg+xml';
  } else {
    const file = FILES[pathname];
    if (!file) return null;
    const known = cache.get(pathname);
    body = known ?? (await readFile(file));
    if (!known) cache.set(pathname, body);
    type = TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
  }
  if (!acceptsGzip || body.length < 1_024) return { body, type, encoding: null };
  let compressed = gzipped.get(pathname);
  if (!compressed) {
    compressed = gzipSync(body);
    gzipped.set(pathname, compressed);
  }
  return { body: compressed, type, encoding: 'gzip' };
}
