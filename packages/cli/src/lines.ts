import { createReadStream } from 'node:fs';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface Line {
  /** 1-based line number in the input. */
  number: number;
  /** The line's bytes without the line ending; a view into the read buffer, valid until the next line. */
  bytes: Buffer;
}

/**
 * Splits a byte stream into lines without decoding it, so invalid UTF-8 reaches the parser as it is and is
 * rejected with its own reason instead of being silently replaced. Memory stays flat: one chunk at a time.
 */
export async function* readLines(input: NodeJS.ReadableStream): AsyncGenerator<Line> {
  let carry: Buffer | null = null;
  let number = 0;
  for await (const chunk of input) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    if (carry) {
      buffer = Buffer.concat([carry, buffer]);
      carry = null;
    }
    let start = 0;
    for (let end = buffer.indexOf(NEWLINE, start); end !== -1; end = buffer.indexOf(NEWLINE, start)) {
      number++;
      const stop = end > start && buffer[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
      yield { number, bytes: buffer.subarray(start, stop) };
      start = end + 1;
    }
    if (start < buffer.length) carry = Buffer.from(buffer.subarray(start));
  }
  if (carry && carry.length > 0) yield { number: number + 1, bytes: carry };
}

export function openInput(path: string, stdin: NodeJS.ReadableStream): NodeJS.ReadableStream {
  return path === '-' ? stdin : createReadStream(path, { highWaterMark: 1 << 20 });
}
