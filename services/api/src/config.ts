import { ConfigError, type ConfigIssue, type Env, type GtwatchConfig, loadConfig } from '@gtwatch/config';
import { z } from 'zod';

/**
 * The api's own variables, beside the shared ones `loadConfig` reads. They are validated the same way: every bad
 * variable is reported at once, by name, and nothing else in the service reads the environment.
 */
export interface ApiSettings {
  /** Port of the API and dashboard (the health/metrics server keeps `PORT`). */
  port: number;
  host: string;
  /** NDJSON file of bearer tokens (see tokens.ts). */
  tokensFile: string;
  /** A ClickHouse query is cancelled after this long (server-side `max_execution_time` and a client abort). */
  queryTimeoutMs: number;
  /** How often the live feed asks ClickHouse for new alert events. */
  streamPollMs: number;
  /** Concurrent live-feed connections at most; more get 503. */
  maxStreams: number;
}

export interface ApiConfig {
  base: Readonly<GtwatchConfig>;
  api: Readonly<ApiSettings>;
}

export const API_DEFAULTS = {
  port: 8080,
  host: '0.0.0.0',
  queryTimeoutMs: 10_000,
  streamPollMs: 2_000,
  maxStreams: 50,
} as const;

const intIn = (min: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(min, `must be ${min}–${max}`).max(max, `must be ${min}–${max}`);

const apiEnvSchema = z.object({
  GTWATCH_API_PORT: intIn(0, 65_535).default(API_DEFAULTS.port),
  GTWATCH_API_HOST: z.string().regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or address').default(API_DEFAULTS.host),
  GTWATCH_API_TOKENS_FILE: z.string({ error: 'is required: the path of the bearer-token file' }).min(1),
  GTWATCH_API_QUERY_TIMEOUT_MS: intIn(1_000, 300_000).default(API_DEFAULTS.queryTimeoutMs),
  GTWATCH_API_STREAM_POLL_MS: intIn(200, 60_000).default(API_DEFAULTS.streamPollMs),
  GTWATCH_API_MAX_STREAMS: intIn(1, 10_000).default(API_DEFAULTS.maxStreams),
});

/** `loadConfig(env)` plus the api's variables; throws one ConfigError naming every bad variable of both. */
export function loadApiConfig(env: Env): ApiConfig {
  const issues: ConfigIssue[] = [];
  let base: Readonly<GtwatchConfig> | undefined;
  try {
    base = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  const picked: Record<string, string> = {};
  for (const name of Object.keys(apiEnvSchema.shape)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') picked[name] = value.trim();
  }
  const parsed = apiEnvSchema.safeParse(picked);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? 'environment');
      const shown = picked[variable] === undefined ? '(unset)' : JSON.stringify(picked[variable]);
      issues.push({ variable, message: `${shown}: ${issue.message}` });
    }
  }
  if (issues.length > 0 || !base || !parsed.success) throw new ConfigError(issues);
  const e = parsed.data;
  return Object.freeze({
    base,
    api: Object.freeze({
      port: e.GTWATCH_API_PORT,
      host: e.GTWATCH_API_HOST,
      tokensFile: e.GTWATCH_API_TOKENS_FILE,
      queryTimeoutMs: e.GTWATCH_API_QUERY_TIMEOUT_MS,
      streamPollMs: e.GTWATCH_API_STREAM_POLL_MS,
      maxStreams: e.GTWATCH_API_MAX_STREAMS,
    }),
  });
}
