export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

export function minuteOf(timeMs: number): number {
  return Math.floor(timeMs / MINUTE_MS);
}

/** RFC 3339 UTC with milliseconds, the form every alert timestamp takes. */
export function isoTime(timeMs: number): string {
  return new Date(timeMs).toISOString();
}
