import { describe, expect, test } from 'vitest';
import { DeadLetterSchema, type DeadLetterSource, toDeadLetter } from '../src/dead-letter.js';
import { mapRecord, rejected, withField } from './fixtures.js';

const kafka: DeadLetterSource = { kind: 'kafka', topic: 'gtwatch.signalling.v1', partition: 2, offset: '9007199254740993' };
const file: DeadLetterSource = { kind: 'file', file: 'input.ndjson', line: 17 };

describe('toDeadLetter', () => {
  test('builds the contract record from a rejection and its source', () => {
    const rejection = rejected({ ...mapRecord(), IMSI: '234150123456789' });
    const letter = toDeadLetter(rejection, kafka);
    expect(letter).toEqual({
      schemaVersion: 1,
      reason: { code: 'raw-identifier', message: rejection.message, path: 'IMSI' },
      source: kafka,
      reporter: '234-15',
      original: rejection.original,
      truncated: false,
    });
    expect(DeadLetterSchema.parse(letter)).toEqual(letter);
  });

  test('omits the path when the rejection has none', () => {
    const letter = toDeadLetter(rejected('not json'), file);
    expect(letter.reason).toEqual({ code: 'invalid-json', message: 'the record is not valid JSON' });
    expect(JSON.stringify(letter)).not.toContain('"path"');
    expect(DeadLetterSchema.parse(letter)).toEqual(letter);
  });

  test('is deterministic: the same input gives the same bytes', () => {
    const make = () => JSON.stringify(toDeadLetter(rejected(withField(mapRecord(), 'time', 1)), file));
    expect(make()).toBe(make());
    expect(make()).not.toMatch(/"(?:time|timestamp|at)"\s*:/);
  });

  test('copies only the source fields of the contract', () => {
    const noisy = { ...file, password: 'hunter2' } as DeadLetterSource;
    expect(toDeadLetter(rejected('[]'), noisy).source).toEqual(file);
  });

  test.each([
    [{ kind: 'kafka', topic: '', partition: 0, offset: '0' }],
    [{ kind: 'kafka', topic: 't', partition: -1, offset: '0' }],
    [{ kind: 'kafka', topic: 't', partition: 0, offset: 12 }],
    [{ kind: 'file', file: 'f', line: 0 }],
    [{ kind: 'stdin' }],
  ])('the schema rejects the source %j', (source) => {
    const letter = { ...toDeadLetter(rejected('[]'), file), source };
    expect(DeadLetterSchema.safeParse(letter).success).toBe(false);
  });

  test('the schema rejects an unknown reason code and extra fields', () => {
    const letter = toDeadLetter(rejected('[]'), file);
    expect(DeadLetterSchema.safeParse({ ...letter, reason: { code: 'oops', message: '' } }).success).toBe(false);
    expect(DeadLetterSchema.safeParse({ ...letter, at: 1 }).success).toBe(false);
  });
});
