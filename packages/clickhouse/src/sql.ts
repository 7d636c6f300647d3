import { quoteIdentifier } from './identifiers.js';

/**
 * Safe SQL for ClickHouse 18.16, which has no server-side query parameters (`{x:Type}` arrived in 19.11): values are
 * rendered as literals here, strictly, and anything this module does not know how to render is refused.
 *
 * - strings: well-formed UTF-16 only; `\` and `'` are backslash-escaped, control characters (C0 and DEL) become
 *   `\xHH`, everything else is sent as UTF-8. Both 18.16 and current servers read these escapes.
 * - numbers: finite only. Safe integers as digits; other numbers as floats. Subnormal floats are refused: 18.16's
 *   parser rejects them (`1e-310` is a syntax error there).
 * - bigint: within Int64/UInt64, as digits.
 * - negative numbers are parenthesised, so `5-${-1}` renders `5-(-1)` and never the comment `5--1`.
 * - booleans as `1`/`0` (18.16 has no Bool type); `null` as `NULL`.
 * - Date: whole seconds within the DateTime range, as `toDateTime(<epoch seconds>)` — independent of the server's
 *   time zone. Milliseconds are truncated.
 * - arrays of the above, as `[a, b]`.
 * - identifiers only through `identifier()` (the strict `quoteIdentifier` pattern).
 */

export type SqlScalar = string | number | bigint | boolean | Date | null;
export type SqlValue = SqlScalar | readonly SqlValue[];

const TOKEN = Symbol('gtwatch.sql');

/** A piece of SQL that was built only from trusted text and strictly rendered values. */
export class Sql {
  readonly text: string;

  /** @internal use `sql`, `identifier`, `dateTime`, `list` or `join` */
  constructor(text: string, token: symbol) {
    if (token !== TOKEN) throw new TypeError('Sql fragments are created with the sql tag and its helpers only');
    this.text = text;
  }

  toString(): string {
    return this.text;
  }
}

export class SqlValueError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'SqlValueError';
  }
}

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
const DATETIME_MAX_SECONDS = 4_294_967_295;
const MIN_NORMAL = 2.2250738585072014e-308;
// A lone surrogate cannot be encoded as UTF-8, so the server could never return the same string.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is escaped here
const NEEDS_ESCAPE = /[\\'\u0000-\u001F\u007F]/g;

function escapeChar(char: string): string {
  if (char === '\\') return '\\\\';
  if (char === "'") return "\\'";
  return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** A ClickHouse string literal, quoted. */
export function stringLiteral(value: string): string {
  if (typeof value !== 'string') throw new SqlValueError(`expected a string, got ${describe(value)}`);
  if (LONE_SURROGATE.test(value)) throw new SqlValueError('string contains a lone UTF-16 surrogate');
  return `'${value.replace(NEEDS_ESCAPE, escapeChar)}'`;
}

function negativeSafe(digits: string): string {
  return digits.startsWith('-') ? `(${digits})` : digits;
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new SqlValueError(`number is not finite: ${value}`);
  if (Number.isSafeInteger(value)) return negativeSafe(String(value === 0 ? 0 : value));
  if (value !== 0 && Math.abs(value) < MIN_NORMAL) {
    throw new SqlValueError(`subnormal number ${value} is not accepted by ClickHouse 18.16's parser`);
  }
  // Non-integers print with '.' or an exponent; large integral floats get an exponent so the server reads a Float64.
  const text = String(value);
  return negativeSafe(/[.e]/.test(text) ? text : value.toExponential());
}

function bigintLiteral(value: bigint): string {
  if (value < INT64_MIN || value > UINT64_MAX) throw new SqlValueError(`bigint ${value} is outside Int64/UInt64`);
  return negativeSafe(value.toString());
}

function epochSecondsOf(value: Date | number): number {
  const seconds = value instanceof Date ? Math.floor(value.getTime() / 1000) : value;
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > DATETIME_MAX_SECONDS) {
    throw new SqlValueError(`not a DateTime (whole epoch seconds 0–${DATETIME_MAX_SECONDS}): ${describe(value)}`);
  }
  return seconds;
}

function dateTimeLiteral(value: Date | number): string {
  return `toDateTime(${epochSecondsOf(value)})`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return typeof value;
}

/** Renders one value as a ClickHouse literal, or throws `SqlValueError` for anything outside `SqlValue`. */
export function literal(value: SqlValue): string {
  switch (typeof value) {
    case 'string':
      return stringLiteral(value);
    case 'number':
      return numberLiteral(value);
    case 'bigint':
      return bigintLiteral(value);
    case 'boolean':
      return value ? '1' : '0';
    case 'object':
      if (value === null) return 'NULL';
      if (value instanceof Date) return dateTimeLiteral(value);
      if (Array.isArray(value)) return `[${value.map((item: SqlValue) => literal(item)).join(', ')}]`;
      break;
    default:
      break;
  }
  throw new SqlValueError(`cannot render ${describe(value)} as a ClickHouse literal`);
}

function fragment(text: string): Sql {
  return new Sql(text, TOKEN);
}

/**
 * Tagged template: trusted SQL text with `${}` values rendered by `literal`, and `Sql` fragments (from `identifier`,
 * `dateTime`, `list`, `join` or a nested `sql`) spliced as they are.
 *
 *     sql`SELECT count() FROM ${identifier(db, 'alerts')} WHERE source_id = ${entity} AND event_time >= ${since}`
 */
export function sql(strings: TemplateStringsArray, ...values: ReadonlyArray<SqlValue | Sql>): Sql {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += value instanceof Sql ? value.text : literal(value);
    text += strings[index + 1] ?? '';
  });
  return fragment(text);
}

/** `identifier('t')` → `` `t` ``; `identifier('db', 't')` → `` `db`.`t` ``. Strict names only. */
export function identifier(...parts: [string, ...string[]]): Sql {
  return fragment(parts.map(quoteIdentifier).join('.'));
}

/** `toDateTime(<epoch seconds>)` from a Date or from whole epoch seconds. */
export function dateTime(value: Date | number): Sql {
  return fragment(dateTimeLiteral(value));
}

/** A parenthesised, non-empty list of literals for `IN`: `(1, 2, 3)`. */
export function list(values: readonly SqlValue[]): Sql {
  if (!Array.isArray(values) || values.length === 0) throw new SqlValueError('list() needs at least one value');
  return fragment(`(${values.map((value) => literal(value)).join(', ')})`);
}

/** Joins fragments with a separator fragment (default `, `). */
export function join(parts: readonly Sql[], separator: Sql = fragment(', ')): Sql {
  for (const part of parts) if (!(part instanceof Sql)) throw new SqlValueError('join() takes Sql fragments only');
  return fragment(parts.map((part) => part.text).join(separator.text));
}

/** The SQL text of a fragment, for `client.query({ query })`. */
export function render(query: Sql): string {
  if (!(query instanceof Sql)) throw new SqlValueError('render() takes an Sql fragment');
  return query.text;
}
