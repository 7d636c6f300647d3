import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CsvSyntaxError, type CsvRecord, parseCsv } from './csv.js';
import { countryOfGt } from './e164.js';
import { isKnownCountry } from './geo.js';
import { canonicalPlmn, countryOfPlmn } from './plmn.js';
import { normalizeRealm } from './realm.js';

/** One row of gt-ranges.csv, validated. `country` is already derived from the prefix when the file left it empty. */
export interface GtRange {
  readonly prefix: string;
  /** Canonical PLMN id (see formatPlmn) or null. */
  readonly plmn: string | null;
  readonly operator: string | null;
  readonly country: string | null;
  readonly leased: boolean;
  readonly line: number;
}

/** One row of realms.csv. `realm` is lower case without a trailing dot; `country` falls back to the PLMN's MCC. */
export interface RealmEntry {
  readonly realm: string;
  readonly plmn: string | null;
  readonly operator: string | null;
  readonly country: string | null;
  readonly line: number;
}

/** One row of allowlist.csv. `reporter` is a canonical PLMN id or '*'; `operations` is a list of codes or '*'. */
export interface AllowlistEntry {
  readonly prefix: string;
  readonly reporter: string;
  readonly operations: readonly number[] | '*';
  readonly line: number;
}

/** Everything read from a reference directory, validated. */
export interface ReferenceData {
  readonly gtRanges: readonly GtRange[];
  readonly realms: readonly RealmEntry[];
  readonly allowlist: readonly AllowlistEntry[];
  /** Where each table came from; null for an optional file that was absent. */
  readonly files: {
    readonly gtRanges: string;
    readonly realms: string | null;
    readonly allowlist: string | null;
  };
}

/** The texts of the three files, for tests and the simulator; gt-ranges.csv is required. */
export interface ReferenceFiles {
  readonly 'gt-ranges.csv'?: string;
  readonly 'realms.csv'?: string;
  readonly 'allowlist.csv'?: string;
}

export const GT_RANGES_FILE = 'gt-ranges.csv';
export const REALMS_FILE = 'realms.csv';
export const ALLOWLIST_FILE = 'allowlist.csv';

const GT_RANGES_HEADER = ['prefix', 'plmn', 'operator', 'country', 'leased'] as const;
const REALMS_HEADER = ['realm', 'plmn', 'operator', 'country'] as const;
const ALLOWLIST_HEADER = ['prefix', 'reporter', 'operations'] as const;

/**
 * A missing or malformed reference file. The message names the file, the 1-based line (the header is line 1
 * unless comments or blank lines precede it) and the field, so an operator can fix the file without reading code.
 */
export class ReferenceDataError extends Error {
  readonly file: string;
  readonly line: number | null;
  readonly field: string | null;
  readonly reason: string;

  constructor(file: string, line: number | null, field: string | null, reason: string) {
    super(`${file}${line === null ? '' : ` line ${line}`}${field === null ? '' : `, field "${field}"`}: ${reason}`);
    this.name = 'ReferenceDataError';
    this.file = file;
    this.line = line;
    this.field = field;
    this.reason = reason;
  }
}

/** Reads gt-ranges.csv (required), realms.csv and allowlist.csv (optional) from `dir`. Throws ReferenceDataError. */
export function loadReferenceData(dir: string): ReferenceData {
  const gtRangesPath = join(dir, GT_RANGES_FILE);
  const realmsPath = join(dir, REALMS_FILE);
  const allowlistPath = join(dir, ALLOWLIST_FILE);
  const gtRangesText = readText(gtRangesPath, true);
  const realmsText = readText(realmsPath, false);
  const allowlistText = readText(allowlistPath, false);
  return buildReferenceData(
    { path: gtRangesPath, text: gtRangesText ?? '' },
    realmsText === null ? null : { path: realmsPath, text: realmsText },
    allowlistText === null ? null : { path: allowlistPath, text: allowlistText },
  );
}

/** Same validation as loadReferenceData, on file contents; errors name the bare file names. */
export function loadReferenceDataFromStrings(files: ReferenceFiles): ReferenceData {
  const gtRanges = files[GT_RANGES_FILE];
  if (gtRanges === undefined) throw new ReferenceDataError(GT_RANGES_FILE, null, null, 'required reference file is missing');
  const realms = files[REALMS_FILE];
  const allowlist = files[ALLOWLIST_FILE];
  return buildReferenceData(
    { path: GT_RANGES_FILE, text: gtRanges },
    realms === undefined ? null : { path: REALMS_FILE, text: realms },
    allowlist === undefined ? null : { path: ALLOWLIST_FILE, text: allowlist },
  );
}

interface SourceText {
  readonly path: string;
  readonly text: string;
}

function buildReferenceData(gtRanges: SourceText, realms: SourceText | null, allowlist: SourceText | null): ReferenceData {
  return {
    gtRanges: parseGtRanges(gtRanges),
    realms: realms === null ? [] : parseRealms(realms),
    allowlist: allowlist === null ? [] : parseAllowlist(allowlist),
    files: { gtRanges: gtRanges.path, realms: realms?.path ?? null, allowlist: allowlist?.path ?? null },
  };
}

function readText(path: string, required: boolean): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return null;
    if (code === 'ENOENT') throw new ReferenceDataError(path, null, null, 'required reference file is missing');
    throw new ReferenceDataError(path, null, null, `cannot be read: ${(error as Error).message}`);
  }
}

/** A data row with its fields addressable by column name, and errors that name the file, line and field. */
class Row<Column extends string> {
  readonly #source: SourceText;
  readonly #header: readonly Column[];
  readonly #record: CsvRecord;

  constructor(source: SourceText, header: readonly Column[], record: CsvRecord) {
    this.#source = source;
    this.#header = header;
    this.#record = record;
  }

  get line(): number {
    return this.#record.line;
  }

  get(column: Column): string {
    return this.#record.fields[this.#header.indexOf(column)] ?? '';
  }

  fail(column: Column, reason: string): never {
    throw new ReferenceDataError(this.#source.path, this.#record.line, column, reason);
  }
}

/** Parses the CSV and checks the header and field counts; returns the data rows. */
function readRows<Column extends string>(source: SourceText, header: readonly Column[]): Row<Column>[] {
  const records = parseRecords(source, header);
  const [first, ...rest] = records;
  checkHeader(source, header, first);
  return rest.map((record) => {
    checkFieldCount(source, header, record);
    return new Row(source, header, record);
  });
}

function parseRecords(source: SourceText, header: readonly string[]): CsvRecord[] {
  try {
    return parseCsv(source.text);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    const field = header[error.fieldIndex] ?? `column ${error.fieldIndex + 1}`;
    throw new ReferenceDataError(source.path, error.line, field, error.message);
  }
}

function checkHeader(source: SourceText, header: readonly string[], record: CsvRecord | undefined): void {
  const expected = header.join(',');
  if (record === undefined) {
    throw new ReferenceDataError(source.path, 1, 'header', `the file is empty; its first line must be "${expected}"`);
  }
  if (record.fields.join(',') === expected) return;
  const wrong = header.find((name, i) => record.fields[i] !== name) ?? 'header';
  throw new ReferenceDataError(
    source.path,
    record.line,
    wrong,
    `the header must be exactly "${expected}", found "${record.fields.join(',')}"`,
  );
}

function checkFieldCount(source: SourceText, header: readonly string[], record: CsvRecord): void {
  const found = record.fields.length;
  if (found === header.length) return;
  const hint = found > header.length ? ' (quote a value that contains a comma)' : '';
  const field = header[Math.min(found, header.length - 1)] ?? 'header';
  throw new ReferenceDataError(
    source.path,
    record.line,
    field,
    `expected ${header.length} fields (${header.join(',')}), found ${found}${hint}`,
  );
}

const PREFIX = /^\d{1,15}$/;
const COUNTRY = /^[A-Z]{2}$/;
const DNS_NAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;
const OPERATIONS = /^\d{1,10}(;\d{1,10})*$/;

function prefixField<C extends string>(row: Row<C>, column: C): string {
  const value = row.get(column);
  if (!PREFIX.test(value)) row.fail(column, `"${value}" is not a prefix (1 to 15 digits)`);
  return value;
}

function plmnField<C extends string>(row: Row<C>, column: C): string | null {
  const value = row.get(column);
  if (value === '') return null;
  return canonicalPlmn(value) ?? row.fail(column, `"${value}" is not a PLMN id (MCC-MNC)`);
}

function textField<C extends string>(row: Row<C>, column: C): string | null {
  const value = row.get(column);
  return value === '' ? null : value;
}

function countryField<C extends string>(row: Row<C>, column: C): string | null {
  const value = row.get(column);
  if (value === '') return null;
  if (COUNTRY.test(value) && isKnownCountry(value)) return value;
  const hint = value.toUpperCase() === 'UK' ? ' (the United Kingdom is "GB")' : '';
  return row.fail(column, `"${value}" is not an ISO 3166-1 alpha-2 country code (upper case)${hint}`);
}

// An empty `leased` means "not known to be leased", which is what false means in the contract.
function leasedField<C extends string>(row: Row<C>, column: C): boolean {
  const value = row.get(column);
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  return row.fail(column, `"${value}" is not true, false or empty`);
}

function realmField<C extends string>(row: Row<C>, column: C): string {
  const value = row.get(column);
  const realm = normalizeRealm(value);
  if (realm.length > 253 || !DNS_NAME.test(realm)) row.fail(column, `"${value}" is not a realm (a DNS name)`);
  return realm;
}

function reporterField<C extends string>(row: Row<C>, column: C): string {
  const value = row.get(column);
  if (value === '*') return '*';
  return canonicalPlmn(value) ?? row.fail(column, `"${value}" is not a PLMN id (MCC-MNC) or "*"`);
}

function operationsField<C extends string>(row: Row<C>, column: C): readonly number[] | '*' {
  const value = row.get(column);
  if (value === '*') return '*';
  if (!OPERATIONS.test(value)) row.fail(column, `"${value}" is not "*" or a ";"-separated list of operation codes`);
  return [...new Set(value.split(';').map(Number))];
}

function rejectDuplicate<C extends string>(row: Row<C>, column: C, key: string, seen: Map<string, number>): void {
  const first = seen.get(key);
  if (first !== undefined) row.fail(column, `duplicate ${column} "${key}" (first on line ${first})`);
  seen.set(key, row.line);
}

function parseGtRanges(source: SourceText): GtRange[] {
  const seen = new Map<string, number>();
  return readRows(source, GT_RANGES_HEADER).map((row) => {
    const prefix = prefixField(row, 'prefix');
    rejectDuplicate(row, 'prefix', prefix, seen);
    const plmn = plmnField(row, 'plmn');
    const operator = textField(row, 'operator');
    const country = countryField(row, 'country') ?? countryOfGt(prefix).country;
    const leased = leasedField(row, 'leased');
    return Object.freeze({ prefix, plmn, operator, country, leased, line: row.line });
  });
}

function parseRealms(source: SourceText): RealmEntry[] {
  const seen = new Map<string, number>();
  return readRows(source, REALMS_HEADER).map((row) => {
    const realm = realmField(row, 'realm');
    rejectDuplicate(row, 'realm', realm, seen);
    const plmn = plmnField(row, 'plmn');
    const operator = textField(row, 'operator');
    const country = countryField(row, 'country') ?? (plmn === null ? null : countryOfPlmn(plmn));
    return Object.freeze({ realm, plmn, operator, country, line: row.line });
  });
}

function parseAllowlist(source: SourceText): AllowlistEntry[] {
  return readRows(source, ALLOWLIST_HEADER).map((row) => {
    const prefix = prefixField(row, 'prefix');
    const reporter = reporterField(row, 'reporter');
    const operations = operationsField(row, 'operations');
    return Object.freeze({ prefix, reporter, operations, line: row.line });
  });
}
