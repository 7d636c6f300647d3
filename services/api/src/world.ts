import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The world map behind the dashboard's bubbles: every country outline from the world-countries package
 * (mledoze/countries, ODbL-1.0), projected equirectangularly onto a 360 × 180 view box (x = lon + 180,
 * y = 90 − lat) and thinned to a quarter of a degree (about 800 kB, 110 kB gzipped), as one SVG document. Built once, on first request.
 */
let cached: Promise<Buffer> | undefined;

type Ring = number[][];

function ringPath(ring: Ring): string {
  let path = '';
  let points = 0;
  let lastX = Number.NaN;
  let lastY = Number.NaN;
  for (const point of ring) {
    const x = Math.round(((point[0] ?? 0) + 180) * 4) / 4;
    const y = Math.round((90 - (point[1] ?? 0)) * 4) / 4;
    if (x === lastX && y === lastY) continue;
    path += `${path === '' ? 'M' : 'L'}${x} ${y}`;
    points++;
    lastX = x;
    lastY = y;
  }
  // Islands smaller than the grid collapse to a point or a line; at this scale they are not missed.
  return points < 3 ? '' : `${path}Z`;
}

async function build(): Promise<Buffer> {
  const dir = join(dirname(createRequire(import.meta.url).resolve('world-countries/package.json')), 'data');
  const files = (await readdir(dir)).filter((name) => name.endsWith('.geo.json')).sort();
  const paths: string[] = [];
  for (const file of files) {
    const geo = JSON.parse(await readFile(join(dir, file), 'utf8')) as {
      features: Array<{ properties?: { cca2?: string }; geometry?: { type: string; coordinates: unknown } | null }>;
    };
    for (const feature of geo.features) {
      // A few territories (e.g. Bouvet Island in some releases) ship a feature without a geometry.
      if (!feature.geometry) continue;
      const polygons = (feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates) as Ring[][];
      const d = polygons.flatMap((polygon) => polygon.map(ringPath)).join('');
      const code = (feature.properties?.cca2 ?? '').toUpperCase().replace(/[^A-Z]/g, '');
      if (d !== '') paths.push(`<path data-country="${code}" d="${d}"/>`);
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180" preserveAspectRatio="xMidYMid meet">
<g fill="#d8dee9" stroke="#ffffff" stroke-width="0.15">${paths.join('')}</g></svg>`;
  return Buffer.from(svg, 'utf8');
}

export function worldSvg(): Promise<Buffer> {
  cached ??= build();
  return cached;
}
