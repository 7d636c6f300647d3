import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bearerToken, hashToken, loadTokensFile, parseTokens, TokensFileError } from '../src/tokens.js';

const line = (fields: Record<string, string>) => JSON.stringify(fields);
const REGULATOR = { name: 'ofcom', role: 'regulator', jurisdiction: 'gb', clearance: 'amber', sha256: hashToken('secret-ofcom-token-1234') };

function problems(text: string) {
  try {
    parseTokens(text, 'tokens.ndjson');
  } catch (error) {
    expect(error).toBeInstanceOf(TokensFileError);
    return (error as TokensFileError).problems;
  }
  throw new Error('expected the file to be refused');
}

describe('token file', () => {
  it('authenticates a token by its SHA-256 and returns its role, scope and clearance, never the hash', () => {
    const store = parseTokens(`# comment\n\n${line(REGULATOR)}\n${line({ name: 'soc', role: 'analyst', sha256: hashToken('analyst-token-1234567') })}\n`, 'f');
    expect(store.size).toBe(2);
    expect(store.authenticate('secret-ofcom-token-1234')).toEqual({ name: 'ofcom', role: 'regulator', jurisdiction: 'gb', clearance: 'amber' });
    // Analysts default to amber+strict: everything except red.
    expect(store.authenticate('analyst-token-1234567')).toEqual({ name: 'soc', role: 'analyst', clearance: 'amber+strict' });
    expect(store.authenticate('secret-ofcom-token-1235')).toBeNull();
    expect(store.authenticate('')).toBeNull();
  });

  it('names the file, the line and the field of every bad entry', () => {
    const text = [
      '# tokens',
      line({ ...REGULATOR, jurisdiction: 'GB' }),
      line({ name: 'op', role: 'operator', clearance: 'amber', sha256: hashToken('x-operator-token-123') }),
      '{not json',
      line({ name: 'a', role: 'auditor', sha256: hashToken('y') }),
      line({ name: 'b', role: 'analyst', sha256: 'ABC' }),
      // Line 7: the same token as line 2, but line 2 was refused, so this one stands.
      line({ ...REGULATOR, name: 'other' }),
      line({ name: 'c', role: 'admin', sha256: hashToken('z-admin-token-123456'), colour: 'red' }),
    ].join('\n');
    const found = problems(text).map((p) => `${p.line}:${p.field}`);
    expect(problems(`${line(REGULATOR)}\n${line({ ...REGULATOR, name: 'copy' })}\n${line({ ...REGULATOR, sha256: hashToken('another-token-12345') })}`).map((p) => `${p.line}:${p.field}: ${p.message}`)).toEqual([
      '2:sha256: same token as line 1',
      '3:name: same name as line 1',
    ]);
    expect(found).toEqual(['2:jurisdiction', '3:reporter', '4:(line)', '5:role', '6:sha256', '8:colour']);
    expect(() => parseTokens(text, '/etc/gtwatch/tokens.ndjson')).toThrow(/^\/etc\/gtwatch\/tokens\.ndjson: invalid token file\n {2}line 2, jurisdiction:/);
  });

  it('refuses a file with no tokens and a file that cannot be read', () => {
    expect(problems('# nothing here\n')[0]?.message).toMatch(/no tokens/);
    const missing = join(mkdtempSync(join(tmpdir(), 'gtwatch-tokens-')), 'absent.ndjson');
    expect(() => loadTokensFile(missing)).toThrow(/absent\.ndjson: invalid token file\n {2}line 0, \(file\): ENOENT/);
  });

  it('loads the file from disk', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gtwatch-tokens-')), 'tokens.ndjson');
    writeFileSync(file, `${line(REGULATOR)}\r\n`);
    expect(loadTokensFile(file).authenticate('secret-ofcom-token-1234')?.name).toBe('ofcom');
  });

  it('reads only well-formed bearer headers', () => {
    expect(bearerToken('Bearer secret-ofcom-token-1234')).toBe('secret-ofcom-token-1234');
    expect(bearerToken('  Bearer secret-ofcom-token-1234  ')).toBe('secret-ofcom-token-1234');
    expect(bearerToken('bearer secret-ofcom-token-1234')).toBeNull();
    expect(bearerToken('Basic dXNlcjpwYXNzd29yZA==')).toBeNull();
    expect(bearerToken('Bearer short')).toBeNull();
    expect(bearerToken('Bearer a b c d e f g h i j k l')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
