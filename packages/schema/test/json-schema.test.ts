import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AlertSchema } from '../src/alert.js';
import { toDeadLetter } from '../src/dead-letter.js';
import { renderJsonSchemas } from '../src/json-schema.js';
import { SignallingSummarySchema } from '../src/summary.js';
import { hasForbiddenKey, SEED, summaryLike, withRawIdentifier } from './arbitraries.js';
import { diameterRecord, exampleAlert, mapRecord, rejected } from './fixtures.js';

const rendered = renderJsonSchemas();
const committedPath = (file: string) => new URL(`../json-schema/${file}`, import.meta.url);

describe('committed JSON Schema files', () => {
  test.each([...rendered.keys()].map((file) => [file]))('%s is up to date', (file) => {
    const committed = readFileSync(committedPath(file), 'utf8');
    expect(committed, `json-schema/${file} is stale: run \`npm run schemas\` in packages/schema`).toBe(rendered.get(file));
  });

  test('each has an $id, a title and a description', () => {
    for (const text of rendered.values()) {
      expect(JSON.parse(text)).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: expect.stringMatching(/^urn:gtwatch:schema:[a-z-]+:1$/),
        title: expect.any(String),
        description: expect.any(String),
      });
    }
  });
});

// Formats are annotations in draft 2020-12; the patterns zod emits next to them carry the actual rule. The
// cross-field subschemas name no `type` on purpose (the main schema fixes it), which strictTypes would flag.
const ajv = new Ajv2020({ validateFormats: false, allErrors: true, strictTypes: false });
const validator = (file: string) => ajv.compile(JSON.parse(rendered.get(file) as string) as object);
const summaryJson = validator('signalling-summary-v1.schema.json');
const alertJson = validator('alert-v1.schema.json');
const deadLetterJson = validator('dead-letter-v1.schema.json');

describe('the JSON Schema says what the zod schemas say', () => {
  test('valid summaries, alerts and dead letters pass', () => {
    expect(summaryJson(mapRecord())).toBe(true);
    expect(summaryJson({ ...diameterRecord(), unknownField: [1] })).toBe(true);
    expect(alertJson(exampleAlert())).toBe(true);
    expect(deadLetterJson(toDeadLetter(rejected('[]'), { kind: 'file', file: 'in.ndjson', line: 1 }))).toBe(true);
  });

  test('a forbidden key at any depth fails', () => {
    expect(summaryJson({ ...mapRecord(), x: [{ y: { ImSi: '1' } }] })).toBe(false);
    expect(summaryJson({ ...mapRecord(), MSISDN: '1' })).toBe(false);
  });

  test("the alert's cross-field rules are stated", () => {
    const alert = exampleAlert();
    expect(alertJson({ ...alert, type: 'org.gtwatch.alert.resolved.v1' })).toBe(false);
    expect(alertJson({ ...alert, data: { ...alert.data, category: 2 } })).toBe(false);
    expect(alertJson({ ...alert, tlp: 'green' })).toBe(false);
    expect(alertJson({ ...alert, data: { ...alert.data, evidence: { a: [{ calledGt: '1' }] } } })).toBe(false);
    const source = { ...alert.data.source, type: 'realm', id: 'not a realm' };
    expect(alertJson({ ...alert, subject: 'not a realm', data: { ...alert.data, source } })).toBe(false);
    const withdrawal = { reason: 'false positive', by: 'analyst' };
    const withdrawn = { ...alert, type: 'org.gtwatch.alert.withdrawn.v1', data: { ...alert.data, status: 'withdrawn', withdrawal } };
    expect(alertJson(withdrawn)).toBe(true);
    expect(alertJson({ ...withdrawn, data: { ...withdrawn.data, withdrawal: undefined } })).toBe(false);
    expect(alertJson({ ...alert, data: { ...alert.data, withdrawal } })).toBe(false);
  });

  test('on random summary-like records, it accepts exactly what zod and the any-depth rule accept', () => {
    fc.assert(
      fc.property(fc.oneof(summaryLike, withRawIdentifier), (record) => {
        const viaZod = SignallingSummarySchema.safeParse(record).success && !hasForbiddenKey(record);
        expect(summaryJson(record)).toBe(viaZod);
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  test('zod agrees on the alert examples', () => {
    expect(AlertSchema.safeParse(exampleAlert()).success).toBe(true);
  });
});
