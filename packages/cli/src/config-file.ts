import { readFileSync } from 'node:fs';
import { type DetectionConfig, detectionConfigSchema } from '@gtwatch/detection';

/** A configuration file that cannot be used; the message names the file, the line and the field. */
export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
}

/** 1-based line of the last key of `path` in the JSON text, found by walking the keys in order. */
export function lineOfPath(text: string, path: ReadonlyArray<PropertyKey>): number {
  let position = 0;
  for (const key of path) {
    if (typeof key !== 'string') continue;
    const found = text.indexOf(JSON.stringify(key), position);
    if (found === -1) break;
    position = found;
  }
  return text.slice(0, position).split('\n').length;
}

/** Reads a JSON detection configuration (any subset of the thresholds); the defaults fill the rest. */
export function loadDetectionConfigFile(path: string): DetectionConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(`${path}: cannot read the configuration file: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message;
    const offset = Number(/position (\d+)/.exec(detail)?.[1] ?? Number.NaN);
    const line = Number.isFinite(offset) ? text.slice(0, offset).split('\n').length : 1;
    throw new ConfigFileError(`${path} line ${line}: not valid JSON: ${detail}`);
  }
  const parsed = detectionConfigSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.') || '(top level)';
    return `${path} line ${lineOfPath(text, issue.path)}, field "${field}": ${issue.message}`;
  });
  throw new ConfigFileError(problems.join('\n'));
}
