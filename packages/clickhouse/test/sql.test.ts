import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateTime, identifier, join, list, literal, render, Sql, SqlValueError, sql, stringLiteral } from '../src/index.js';

/** ClickHouse's reading of a quoted string literal, for the escapes `stringLiteral` produces. */
function unquote(text: string): string {
  expect(text.startsWith("'") && text.endsWith("'")).toBe(true);
  const body = text.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === "'") throw new Error(`unescaped quote at ${i}`);
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = body[++i];
    if (next === 'x') {
      out += String.fromCharCode(Number.parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (next === '\\' || next === "'") out += next;
    else throw new Error(`unexpected escape \\${next}`);
  }
  return out;
}

describe('literal', () => {
  it('escapes backslashes, quotes and control characters in strings', () => {
    expect(literal("it's")).toBe("'it\\'s'");
    expect(literal('a\\b')).toBe("'a\\\\b'");
    expect(literal("\\'")).toBe("'\\\\\\''");
    expect(literal('line\nnext\r\tend\0\u007f')).toBe("'line\\x0anext\\x0d\\x09end\\x00\\x7f'");
    expect(literal('ünïcødé ☎ 𝄞')).toBe("'ünïcødé ☎ 𝄞'");
    expect(literal('')).toBe("''");
  });

  it('round-trips any well-formed string through ClickHouse escaping (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (value) => {
        const text = stringLiteral(value);
        expect(text.slice(1, -1)).not.toMatch(/(^|[^\\])(\\\\)*'/);
        expect(unquote(text)).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses lone surrogates, which UTF-8 cannot carry', () => {
    expect(() => literal('a\uD800b')).toThrow(SqlValueError);
    expect(() => literal('\uDC00')).toThrow(/surrogate/);
    expect(literal('\uD834\uDD1E')).toBe("'𝄞'");
  });

  it('renders numbers strictly, negatives parenthesised', () => {
    expect(literal(0)).toBe('0');
    expect(literal(-0)).toBe('0');
    expect(literal(42)).toBe('42');
    expect(literal(-7)).toBe('(-7)');
    expect(literal(0.1)).toBe('0.1');
    expect(literal(-1.5e-7)).toBe('(-1.5e-7)');
    expect(literal(1e300)).toBe('1e+300');
    expect(literal(2 ** 60)).toBe('1.152921504606847e+18');
    expect(literal(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    expect(sql`SELECT 5-${-1}`.text).toBe('SELECT 5-(-1)');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324, -1e-310]) {
      expect(() => literal(bad)).toThrow(SqlValueError);
    }
  });

  it('renders bigints within Int64/UInt64 only', () => {
    expect(literal(18446744073709551615n)).toBe('18446744073709551615');
    expect(literal(-9223372036854775808n)).toBe('(-9223372036854775808)');
    expect(() => literal(18446744073709551616n)).toThrow(/outside/);
    expect(() => literal(-9223372036854775809n)).toThrow(/outside/);
  });

  it('renders booleans, NULL, dates and arrays', () => {
    expect(literal(true)).toBe('1');
    expect(literal(false)).toBe('0');
    expect(literal(null)).toBe('NULL');
    expect(literal(new Date('2026-11-30T10:15:00.999Z'))).toBe('toDateTime(1796033700)');
    expect(literal(['a', 1, null, [true]])).toBe("['a', 1, NULL, [1]]");
    expect(literal([])).toBe('[]');
    expect(dateTime(1796033700).text).toBe('toDateTime(1796033700)');
    for (const bad of [new Date(Number.NaN), new Date(-1000), new Date(2 ** 32 * 1000)]) {
      expect(() => literal(bad)).toThrow(/DateTime/);
    }
    expect(() => dateTime(1.5)).toThrow(SqlValueError);
    expect(() => dateTime(-1)).toThrow(SqlValueError);
  });

  it('refuses everything else', () => {
    const bad: unknown[] = [undefined, {}, { toString: () => "'" }, Symbol('x'), () => 1, new Map(), /x/, [undefined]];
    for (const value of bad) expect(() => literal(value as never)).toThrow(SqlValueError);
  });
});

describe('sql tag', () => {
  it('splices literals and fragments', () => {
    const db = 'gtwatch';
    const query = sql`SELECT count() FROM ${identifier(db, 'alerts')} WHERE source_id = ${"x' OR 1=1 --"} AND event_time >= ${new Date(0)} AND status IN ${list(['open', 'update'])}`;
    expect(render(query)).toBe(
      "SELECT count() FROM `gtwatch`.`alerts` WHERE source_id = 'x\\' OR 1=1 --' AND event_time >= toDateTime(0) AND status IN ('open', 'update')",
    );
    const nested = sql`SELECT ${join([sql`a`, sql`${1}`, identifier('b')])}`;
    expect(nested.text).toBe('SELECT a, 1, `b`');
    expect(`${nested}`).toBe('SELECT a, 1, `b`');
  });

  it('refuses unsafe identifiers, empty lists and hand-made fragments', () => {
    expect(() => identifier('a`b')).toThrow(/unsafe/);
    expect(() => identifier('db', 'x; DROP TABLE y')).toThrow(/unsafe/);
    expect(() => list([])).toThrow(SqlValueError);
    expect(() => new Sql('DROP TABLE x', Symbol('gtwatch.sql'))).toThrow(TypeError);
    expect(() => join([{ text: 'x' } as unknown as Sql])).toThrow(SqlValueError);
    expect(() => render('SELECT 1' as unknown as Sql)).toThrow(SqlValueError);
  });
});
