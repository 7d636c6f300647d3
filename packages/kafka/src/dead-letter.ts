/**
 * Dead letters to `gtwatch.signalling.dlq.v1` (signalling-summary-v1.md "Bad input"): the value is the dead letter
 * as JSON (already redacted by `toDeadLetter`), the key is the reporter's PLMN when known, so one operator's bad
 * records stay together and in order, and the `gtwatch-reason` header carries the reason code so a consumer can
 * count or filter without parsing.
 */
import type { DeadLetter } from '@gtwatch/schema';
import type { Producer, SentRecords } from './producer.js';
import type { OutgoingRecord } from './records.js';

export const REASON_HEADER = 'gtwatch-reason';

export function deadLetterRecord(deadLetter: DeadLetter): OutgoingRecord {
  return {
    key: deadLetter.reporter ?? null,
    value: JSON.stringify(deadLetter),
    headers: { [REASON_HEADER]: deadLetter.reason.code, 'content-type': 'application/json' },
  };
}

export class DeadLetterWriter {
  constructor(
    private readonly producer: Producer,
    readonly topic: string,
  ) {}

  write(deadLetter: DeadLetter): Promise<SentRecords[]> {
    return this.producer.send(this.topic, [deadLetterRecord(deadLetter)]);
  }

  /** Several dead letters in one request, e.g. all the rejects of one consumed batch. */
  writeMany(deadLetters: readonly DeadLetter[]): Promise<SentRecords[]> {
    return this.producer.send(this.topic, deadLetters.map(deadLetterRecord));
  }
}
