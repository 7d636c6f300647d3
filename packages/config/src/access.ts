import { z } from 'zod';

/**
 * Who may connect, read from an access file kept next to the deployment (not in the environment: it lists every
 * party and changes by review). Principals are Kafka principals; a bare name means `User:name`, which is what SASL
 * logins produce.
 */
const principalSchema = z
  .string()
  .trim()
  .regex(/^(User:)?[A-Za-z0-9._@=-]{1,128}$/, 'must be a SASL user name, optionally written User:name')
  .transform((value) => (value.startsWith('User:') ? value : `User:${value}`));

const plmnSchema = z.string().regex(/^\d{3}-\d{2,3}$/, 'must be a PLMN id MCC-MNC, e.g. 234-15');
const jurisdictionSchema = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 code, e.g. gb')
  .transform((value) => value.toLowerCase());
const groupPrefixSchema = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'must be 1–200 chars of [A-Za-z0-9._-]');

const regulatorSchema = z.union([
  principalSchema.transform((principal) => ({ principal, groupPrefix: undefined as string | undefined })),
  z.object({ principal: principalSchema, groupPrefix: groupPrefixSchema.optional() }).strict(),
]);

export const DEFAULT_JURISDICTIONS = ['gb', 'us', 'ca', 'au', 'nz'] as const;

export const accessFileSchema = z
  .object({
    /** Reporting operator PLMN → the principal that may write that PLMN's input topic. */
    operators: z.record(plmnSchema, principalSchema).default({}),
    /** Jurisdiction → the regulator principal that may read its alert topic (string or { principal, groupPrefix }). */
    regulators: z.record(jurisdictionSchema, regulatorSchema).default({}),
    services: z
      .object({ scorer: principalSchema.optional(), sink: principalSchema.optional(), api: principalSchema.optional() })
      .strict()
      .default({}),
    /** Jurisdictions the scorer publishes per-jurisdiction alert topics for. */
    jurisdictions: z.array(jurisdictionSchema).min(1).default([...DEFAULT_JURISDICTIONS]),
  })
  .strict()
  .superRefine((access, context) => {
    for (const jurisdiction of Object.keys(access.regulators)) {
      if (!access.jurisdictions.includes(jurisdiction)) {
        context.addIssue({
          code: 'custom',
          path: ['regulators', jurisdiction],
          message: `jurisdiction ${jurisdiction} is not in "jurisdictions" (${access.jurisdictions.join(', ')}), so no alert topic exists for it`,
        });
      }
    }
    // One principal acting for two parties would let it read or write in the other's name.
    const owners = new Map<string, string>();
    const claim = (principal: string | undefined, role: string) => {
      if (principal === undefined) return;
      const previous = owners.get(principal);
      if (previous !== undefined) {
        context.addIssue({ code: 'custom', path: [], message: `${principal} is used for both ${previous} and ${role}; each party needs its own principal` });
      }
      owners.set(principal, role);
    };
    for (const [plmn, principal] of Object.entries(access.operators)) claim(principal, `operator ${plmn}`);
    for (const [jurisdiction, regulator] of Object.entries(access.regulators)) claim(regulator.principal, `regulator ${jurisdiction}`);
    for (const [service, principal] of Object.entries(access.services)) claim(principal, `service ${service}`);
  });

export type AccessFile = z.output<typeof accessFileSchema>;

/** Parses an access file's JSON text; errors name the file and the path inside it. */
export function parseAccessFile(text: string, source = 'access file'): AccessFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON: ${(error as Error).message}`);
  }
  const result = accessFileSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
    throw new Error(`${source}:\n  - ${problems.join('\n  - ')}`);
  }
  return result.data;
}
