import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Batches NDJSON lines into large writes and honours back-pressure, so output never buffers without bound. */
export class LineWriter {
  readonly #stream: Writable;
  readonly #ownsStream: boolean;
  #pending: string[] = [];
  #pendingChars = 0;
  lines = 0;

  constructor(stream: Writable, ownsStream: boolean) {
    this.#stream = stream;
    this.#ownsStream = ownsStream;
  }

  static open(path: string, stdout: Writable): LineWriter {
    return path === '-' ? new LineWriter(stdout, false) : new LineWriter(createWriteStream(path), true);
  }

  async write(line: string): Promise<void> {
    this.#pending.push(line);
    this.#pendingChars += line.length + 1;
    this.lines++;
    if (this.#pendingChars >= 1 << 16) await this.#drain();
  }

  async #drain(): Promise<void> {
    if (this.#pending.length === 0) return;
    const text = `${this.#pending.join('\n')}\n`;
    this.#pending = [];
    this.#pendingChars = 0;
    if (!this.#stream.write(text)) await once(this.#stream, 'drain');
  }

  async close(): Promise<void> {
    await this.#drain();
    if (this.#ownsStream) {
      this.#stream.end();
      await once(this.#stream, 'finish');
    }
  }
}
