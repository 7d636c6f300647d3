/**
 * Where alert events may go: the configured jurisdictions and each topic's minimum TLP label. Loaded from a JSON
 * file or built from defaults; either way validated with zod, so a typo in a label or a jurisdiction stops startup
 * with the file and the field named instead of silently widening who receives an alert.
 */
import { readFile } from 'node:fs/promises';
import { TLP_LABELS, type TlpLabel } from '@gtwatch/schema';
import * as z from 'zod';

export const DEFAULT_JURISDICTIONS = ['gb', 'us', 'ca', 'au', 'nz'] as const;

const jurisdiction = z
  .string()
  .regex(/^[a-z]{2}$/, 'must be a lower-case ISO 3166-1 alpha-2 code, e.g. "gb"');
const tlp = z.enum(TLP_LABELS);

export const RoutingPolicySchema = z.strictObject({
  jurisdictions: z
    .array(jurisdiction)
    .min(1)
    .refine((list) => new Set(list).size === list.length, 'must not list a jurisdiction twice')
    .default([...DEFAULT_JURISDICTIONS]),
  minimumTlp: z
    .strictObject({
      /** The shared `alerts.v1` topic (every operator and dashboard reads it). */
      shared: tlp.default('clear'),
      /** The compacted `alert-state.v1` topic: it is read as widely as the shared topic. */
      state: tlp.default('clear'),
      /** Default for every `alerts.v1.<j>` topic. */
      jurisdiction: tlp.default('clear'),
      /** Per-jurisdiction overrides, e.g. `{ "us": "amber" }`. */
      byJurisdiction: z.record(jurisdiction, tlp).default({}),
    })
    .prefault({}),
});

export type RoutingPolicy = z.output<typeof RoutingPolicySchema>;
export type RoutingPolicyInput = z.input<typeof RoutingPolicySchema>;

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

function describeIssues(error: z.ZodError, where: string): string {
  const lines = error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `${where}: ${field}: ${issue.message}`;
  });
  return lines.join('\n');
}

export function routingPolicy(input: RoutingPolicyInput = {}, where = 'routing policy'): RoutingPolicy {
  const parsed = RoutingPolicySchema.safeParse(input);
  if (!parsed.success) throw new PolicyError(describeIssues(parsed.error, where));
  const policy = parsed.data;
  const unknown = Object.keys(policy.minimumTlp.byJurisdiction).filter((j) => !policy.jurisdictions.includes(j));
  if (unknown.length > 0) {
    // A floor for a jurisdiction that gets no topic is almost certainly a typo of one that does.
    throw new PolicyError(`${where}: minimumTlp.byJurisdiction.${unknown[0]}: not a configured jurisdiction (${policy.jurisdictions.join(', ')})`);
  }
  return policy;
}

export async function loadRoutingPolicy(path: string): Promise<RoutingPolicy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PolicyError(`${path}: cannot read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  return routingPolicy(json as RoutingPolicyInput, path);
}

/** The floor of `alerts.v1.<j>`. */
export function jurisdictionFloor(policy: RoutingPolicy, j: string): TlpLabel {
  return policy.minimumTlp.byJurisdiction[j] ?? policy.minimumTlp.jurisdiction;
}
