/**
 * The numeric ClickHouse error code of a failed request, or null. @clickhouse/client only parses the message format
 * of current servers (`Code: 60. DB::Exception: …`); 18.16 answers `Code: 60, e.displayText() = …`, so both are read.
 */
export function clickHouseErrorCode(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
  const message = (error as { message?: unknown }).message;
  if (typeof message !== 'string') return null;
  const match = /^Code: (\d+)[.,]/.exec(message);
  return match ? Number(match[1]) : null;
}

/** Well-known codes the project reacts to. */
export const CLICKHOUSE_ERRORS = {
  UNKNOWN_TABLE: 60,
  UNKNOWN_DATABASE: 81,
  SYNTAX_ERROR: 62,
  TABLE_ALREADY_EXISTS: 57,
  AUTHENTICATION_FAILED: 516,
  READONLY: 164,
} as const;
