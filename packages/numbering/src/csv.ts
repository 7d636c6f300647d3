/** One CSV record and the 1-based line it starts on (a quoted field may span lines). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/** A syntax error at a line and a 0-based field position, for the loader to turn into a named-field error. */
export class CsvSyntaxError extends Error {
  readonly line: number;
  readonly fieldIndex: number;

  constructor(message: string, line: number, fieldIndex: number) {
    super(message);
    this.name = 'CsvSyntaxError';
    this.line = line;
    this.fieldIndex = fieldIndex;
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const HASH = 35;

interface Cursor {
  readonly text: string;
  pos: number;
  line: number;
}

/**
 * RFC 4180 CSV: fields may be quoted, a quoted field may hold commas, doubled quotes and line breaks. On top of
 * that, blank (or whitespace-only) lines are skipped, and so are lines starting with '#', which lets reference
 * files carry provenance notes (no field of these files can start with '#'). LF or CRLF line ends; a leading
 * byte-order mark is ignored.
 */
export function parseCsv(text: string): CsvRecord[] {
  const cursor: Cursor = { text, pos: text.charCodeAt(0) === 0xfeff ? 1 : 0, line: 1 };
  const records: CsvRecord[] = [];
  while (cursor.pos < text.length) {
    if (skipIgnorableLine(cursor)) continue;
    const line = cursor.line;
    records.push({ line, fields: readRecord(cursor) });
  }
  return records;
}

/** Skips a blank or comment line; false when the cursor is at the start of a record. */
function skipIgnorableLine(cursor: Cursor): boolean {
  const { text } = cursor;
  const end = lineEnd(text, cursor.pos);
  const content = text.slice(cursor.pos, end);
  if (text.charCodeAt(cursor.pos) !== HASH && content.trim() !== '') return false;
  cursor.pos = end + 1;
  cursor.line += 1;
  return true;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

function readRecord(cursor: Cursor): string[] {
  const fields: string[] = [];
  for (;;) {
    const { text } = cursor;
    fields.push(text.charCodeAt(cursor.pos) === QUOTE ? readQuoted(cursor, fields.length) : readBare(cursor, fields.length));
    const c = text.charCodeAt(cursor.pos);
    if (c === COMMA) {
      cursor.pos += 1;
      continue;
    }
    skipLineBreak(cursor);
    return fields;
  }
}

/** Consumes CRLF, LF or end of text after the last field of a record. */
function skipLineBreak(cursor: Cursor): void {
  const { text } = cursor;
  if (text.charCodeAt(cursor.pos) === CR) cursor.pos += 1;
  if (cursor.pos < text.length) {
    cursor.pos += 1; // the LF that readBare or readQuoted stopped at
    cursor.line += 1;
  }
}

function readBare(cursor: Cursor, fieldIndex: number): string {
  const { text } = cursor;
  const start = cursor.pos;
  let pos = start;
  for (; pos < text.length; pos++) {
    const c = text.charCodeAt(pos);
    if (c === COMMA || isLineBreak(text, pos)) break;
    if (c === QUOTE) {
      throw new CsvSyntaxError('a quote inside an unquoted field (quote the whole field and double the quote)', cursor.line, fieldIndex);
    }
  }
  cursor.pos = pos;
  return text.slice(start, pos);
}

function readQuoted(cursor: Cursor, fieldIndex: number): string {
  const { text } = cursor;
  const startLine = cursor.line;
  let value = '';
  let pos = cursor.pos + 1;
  for (;;) {
    const close = text.indexOf('"', pos);
    if (close < 0) throw new CsvSyntaxError('unterminated quoted field', startLine, fieldIndex);
    value += text.slice(pos, close);
    cursor.line += countLineFeeds(text, pos, close);
    if (text.charCodeAt(close + 1) === QUOTE) {
      value += '"';
      pos = close + 2;
      continue;
    }
    cursor.pos = close + 1;
    assertFieldEnds(cursor, fieldIndex);
    return value;
  }
}

function assertFieldEnds(cursor: Cursor, fieldIndex: number): void {
  const { text, pos } = cursor;
  const c = text.charCodeAt(pos);
  const ends = pos >= text.length || c === COMMA || isLineBreak(text, pos);
  if (!ends) throw new CsvSyntaxError('text after the closing quote of a quoted field', cursor.line, fieldIndex);
}

/** LF, or a CR that ends the line (before LF or at the end of the text). */
function isLineBreak(text: string, pos: number): boolean {
  const c = text.charCodeAt(pos);
  if (c === LF) return true;
  return c === CR && (pos + 1 === text.length || text.charCodeAt(pos + 1) === LF);
}

function countLineFeeds(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === LF) count++;
  return count;
}
