import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Row = Record<string, string | number>;

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
}

export function machine(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Prints rows as an aligned table; numbers right-aligned. */
export function printTable(title: string, rows: readonly Row[]): void {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: string | number | undefined) =>
    typeof value === 'number' ? formatNumber(value, Number.isInteger(value) ? 0 : 1) : (value ?? '');
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (values: string[], numeric: boolean[]) =>
    values.map((value, i) => (numeric[i] ? value.padStart(widths[i] ?? 0) : value.padEnd(widths[i] ?? 0))).join('  ');
  const numeric = columns.map((column) => rows.some((row) => typeof row[column] === 'number'));
  process.stdout.write(`\n${title}\n`);
  process.stdout.write(`${line(columns, numeric)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((column) => cell(row[column])), numeric)}\n`);
}

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** Writes the figures with the machine they were measured on, for the issue notes and regressions. */
export function writeResult(name: string, result: object): string {
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.json`);
  const body = { name, measuredAt: new Date().toISOString(), machine: machine(), freeMemoryGiB: Math.round(freemem() / 2 ** 30), ...result };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
  process.stdout.write(`\nwrote ${path}\n`);
  return path;
}
