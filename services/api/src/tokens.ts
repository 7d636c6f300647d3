import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TLP_LABELS, type TlpLabel } from '@gtwatch/schema';
import { z } from 'zod';

/**
 * Bearer tokens, from an NDJSON file (one token per line; blank lines and `#` comments allowed):
 *
 *     {"name":"ofcom","role":"regulator","jurisdiction":"gb","clearance":"amber","sha256":"<64 hex>"}
 *     {"name":"albion-soc","role":"operator","reporter":"234-15","clearance":"amber","sha256":"…"}
 *     {"name":"analysts","role":"analyst","sha256":"…"}
 *
 * Only the SHA-256 of each token is stored, so the file is not itself a credential. One object per line keeps
 * every error at a file:line and a field. A regulator sees alerts whose jurisdictions include its own and whose TLP
 * its clearance allows; an operator sees its own reporter's traffic and the alerts it contributed to; analysts and
 * admins see everything up to their clearance, which defaults to amber+strict (red only when cleared for it).
 */

export const ROLES = ['regulator', 'operator', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits (the SHA-256 of the token)');
const name = z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'must be 1–64 chars of [A-Za-z0-9._@-]');
const clearance = z.enum(TLP_LABELS);

const TokenEntrySchema = z.discriminatedUnion('role', [
  z.strictObject({
    name,
    role: z.literal('regulator'),
    jurisdiction: z.string().regex(/^[a-z]{2}$/, 'must be a lower-case ISO 3166 alpha-2 code'),
    clearance,
    sha256: sha256Hex,
  }),
  z.strictObject({
    name,
    role: z.literal('operator'),
    reporter: z.string().regex(/^\d{3}-\d{2,3}$/, 'must be a PLMN id like 234-15'),
    clearance,
    sha256: sha256Hex,
  }),
  z.strictObject({ name, role: z.literal('analyst'), clearance: clearance.default('amber+strict'), sha256: sha256Hex }),
  z.strictObject({ name, role: z.literal('admin'), clearance: clearance.default('amber+strict'), sha256: sha256Hex }),
]);

export type TokenEntry = z.output<typeof TokenEntrySchema>;

/** Who is asking: the part of a token entry the queries need. */
export type Principal =
  | { name: string; role: 'regulator'; jurisdiction: string; clearance: TlpLabel }
  | { name: string; role: 'operator'; reporter: string; clearance: TlpLabel }
  | { name: string; role: 'analyst' | 'admin'; clearance: TlpLabel };

export class TokensFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ReadonlyArray<{ line: number; field: string; message: string }>,
  ) {
    super(`${file}: invalid token file\n${problems.map((p) => `  line ${p.line}, ${p.field}: ${p.message}`).join('\n')}`);
    this.name = 'TokensFileError';
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function principalOf(entry: TokenEntry): Principal {
  const { sha256: _hash, ...principal } = entry;
  return Object.freeze(principal);
}

/** Parses the file's text; `file` is only used in messages. Every bad line is reported, not just the first. */
export function parseTokens(text: string, file: string): TokenStore {
  const problems: Array<{ line: number; field: string; message: string }> = [];
  const entries: TokenEntry[] = [];
  const seenHashes = new Map<string, number>();
  const seenNames = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (error) {
      problems.push({ line, field: '(line)', message: `not JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = TokenEntrySchema.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || '(line)';
        problems.push({ line, field, message: issue.message });
      }
      return;
    }
    const entry = parsed.data;
    const hashLine = seenHashes.get(entry.sha256);
    if (hashLine !== undefined) problems.push({ line, field: 'sha256', message: `same token as line ${hashLine}` });
    const nameLine = seenNames.get(entry.name);
    if (nameLine !== undefined) problems.push({ line, field: 'name', message: `same name as line ${nameLine}` });
    seenHashes.set(entry.sha256, line);
    seenNames.set(entry.name, line);
    entries.push(entry);
  });
  if (entries.length === 0 && problems.length === 0) {
    problems.push({ line: 1, field: '(file)', message: 'no tokens: every request would be refused' });
  }
  if (problems.length > 0) throw new TokensFileError(file, problems);
  return new TokenStore(entries);
}

export function loadTokensFile(path: string): TokenStore {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TokensFileError(path, [{ line: 0, field: '(file)', message: (error as Error).message }]);
  }
  return parseTokens(text, path);
}

export class TokenStore {
  readonly #entries: ReadonlyArray<{ hash: Buffer; principal: Principal }>;

  constructor(entries: readonly TokenEntry[]) {
    this.#entries = entries.map((entry) => ({ hash: Buffer.from(entry.sha256, 'hex'), principal: principalOf(entry) }));
  }

  get size(): number {
    return this.#entries.length;
  }

  /** The principal a presented token belongs to, or null. Compares hashes in constant time. */
  authenticate(token: string): Principal | null {
    const presented = Buffer.from(hashToken(token), 'hex');
    let found: Principal | null = null;
    for (const entry of this.#entries) {
      if (timingSafeEqual(entry.hash, presented)) found = entry.principal;
    }
    return found;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/;

/** The token of an `Authorization: Bearer …` header, or null when absent or malformed. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  return BEARER.exec(header.trim())?.[1] ?? null;
}
