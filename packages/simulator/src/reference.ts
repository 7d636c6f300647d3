/**
 * Reference data for the simulated world in the formats of shared/spec/detection-v1.md: `gt-ranges.csv`,
 * `realms.csv` and `allowlist.csv`. Pure: returns the file texts; reference-io.ts writes them.
 */
import type { World } from './world.js';

export const GT_RANGES_FILE = 'gt-ranges.csv';
export const REALMS_FILE = 'realms.csv';
export const ALLOWLIST_FILE = 'allowlist.csv';

export interface ReferenceFileTexts {
  readonly 'gt-ranges.csv': string;
  readonly 'realms.csv': string;
  readonly 'allowlist.csv': string;
}

/** RFC 4180 field: quoted only when it holds a comma, a quote or a line break. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}

/** The three reference files of `world`, header first, LF line ends, no comments. */
export function referenceFiles(world: World): ReferenceFileTexts {
  return {
    'gt-ranges.csv': csv(
      ['prefix', 'plmn', 'operator', 'country', 'leased'],
      world.gtRanges.map((r) => [r.prefix, r.plmn ?? '', r.operator, r.country, r.leased ? 'true' : 'false']),
    ),
    'realms.csv': csv(
      ['realm', 'plmn', 'operator', 'country'],
      world.realms.map((r) => [r.realm, r.plmn ?? '', r.operator, r.country]),
    ),
    'allowlist.csv': csv(
      ['prefix', 'reporter', 'operations'],
      world.allowlist.map((a) => [a.prefix, a.reporter, a.operations === '*' ? '*' : a.operations.join(';')]),
    ),
  };
}
