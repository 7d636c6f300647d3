import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from '../src/csv.js';

describe('CSV parsing', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, tracking lines', () => {
    const text = 'a,b,c\n1,"Acme, Inc.",x\n2,"say ""hi""",y\n3,"two\nlines",z\n4,,\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'Acme, Inc.', 'x'] },
      { line: 3, fields: ['2', 'say "hi"', 'y'] },
      { line: 4, fields: ['3', 'two\nlines', 'z'] },
      { line: 6, fields: ['4', '', ''] },
    ]);
  });

  it('skips blank and comment lines, CRLF and a byte-order mark', () => {
    const text = '\uFEFFa,b\r\n# note, with a comma\r\n\r\n   \r\n1,2\r\n3,"4"\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 5, fields: ['1', '2'] },
      { line: 6, fields: ['3', '4'] },
    ]);
  });

  it('reads a last line without a line break', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    expect(parseCsv('')).toEqual([]);
  });

  it('reports syntax errors with line and field position', () => {
    const cases: Array<[string, number, number]> = [
      ['a,b\n1,"open\n\n', 2, 1],
      ['a,b\n1,x"y\n', 2, 1],
      ['a,b\n"1"x,2\n', 2, 0],
    ];
    for (const [text, line, fieldIndex] of cases) {
      try {
        parseCsv(text);
        expect.unreachable(text);
      } catch (error) {
        expect(error).toBeInstanceOf(CsvSyntaxError);
        expect(error).toMatchObject({ line, fieldIndex });
      }
    }
  });
});
