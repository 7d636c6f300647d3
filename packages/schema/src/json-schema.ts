/**
 * JSON Schema (draft 2020-12) for the public contracts, generated from the zod schemas so that the two can
 * never disagree. The committed copies in json-schema/ are written by export-json-schema.ts and checked for
 * staleness by a test.
 */
import * as z from 'zod';
import { ALERT_STATUS_BY_TYPE, AlertSchema, PATTERN_CATEGORY } from './alert.js';
import { TrafficAggregateSchema } from './aggregate.js';
import { TrafficAggregateBatchSchema } from './aggregate-batch.js';
import { DeadLetterSchema } from './dead-letter.js';
import { DNS_NAME_MAX_LENGTH, DNS_NAME_PATTERN, GT_PATTERN } from './formats.js';
import { SignallingSummarySchema } from './summary.js';

type JsonSchema = Record<string, unknown>;

interface ContractSchema {
  file: string;
  id: string;
  title: string;
  description: string;
  schema: z.ZodType;
  io: 'input' | 'output';
  /** Adds the rules that zod states as code (refinements, parse.ts) and JSON Schema can state as data. */
  augment?: (generated: JsonSchema) => JsonSchema;
}

/** A pattern matching exactly these words in any letter case (JSON Schema patterns take no flags). */
function anyCase(words: readonly string[]): string {
  const letters = (word: string) => [...word].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join('');
  return `^(?:${words.map(letters).join('|')})$`;
}

/** Forbids the words as object keys at any depth: objects and arrays recurse into themselves. */
function noKeysAtAnyDepth(name: string, words: readonly string[]): JsonSchema {
  const ref = `#/$defs/${name}`;
  return {
    [name]: { propertyNames: { not: { pattern: anyCase(words) } }, additionalProperties: { $ref: ref }, items: { $ref: ref } },
  };
}

/** `{properties: {a: {properties: {b: leaf}}}}` for the path a.b. */
function at(path: readonly string[], leaf: JsonSchema): JsonSchema {
  return path.reduceRight<JsonSchema>((inner, key) => ({ properties: { [key]: inner } }), leaf);
}

function when(path: readonly string[], condition: JsonSchema, then: JsonSchema): JsonSchema {
  // Each level is required, so that an absent field does not satisfy the `if` vacuously.
  const ifSchema = path.reduceRight<JsonSchema>((inner, key) => ({ required: [key], properties: { [key]: inner } }), condition);
  return { if: ifSchema, then };
}

const RAW_IDENTIFIER_KEYS = ['imsi', 'msisdn', 'imei', 'imeisv'] as const;

function augmentSummary(generated: JsonSchema): JsonSchema {
  return {
    ...generated,
    allOf: [{ $ref: '#/$defs/noRawIdentifier' }],
    $defs: noKeysAtAnyDepth('noRawIdentifier', RAW_IDENTIFIER_KEYS),
  };
}

function alertRules(): JsonSchema[] {
  const status = Object.entries(ALERT_STATUS_BY_TYPE).map(([type, expected]) =>
    when(['type'], { const: type }, at(['data', 'status'], { const: expected })),
  );
  const category = Object.entries(PATTERN_CATEGORY).map(([pattern, expected]) =>
    when(['data', 'pattern'], { const: pattern }, at(['data', 'category'], { const: expected })),
  );
  const gtId = at(['id'], { pattern: GT_PATTERN.source });
  const realmId = at(['id'], { pattern: DNS_NAME_PATTERN.source, maxLength: DNS_NAME_MAX_LENGTH });
  const sourceId = at(['data', 'source'], { ...when(['type'], { const: 'gt' }, gtId), else: realmId });
  const fewSubscribers = at(['data', 'victims', 'subscribers'], { not: { minimum: 1, maximum: 9 } });
  const tlp = when(['tlp'], { enum: ['clear', 'green'] }, fewSubscribers);
  const withdrawal = {
    ...when(['data', 'status'], { const: 'withdrawn' }, at(['data'], { required: ['withdrawal'] })),
    else: at(['data'], { not: { required: ['withdrawal'] } }),
  };
  return [...status, ...category, sourceId, tlp, withdrawal];
}

function augmentAlert(generated: JsonSchema): JsonSchema {
  const properties = generated.properties as Record<string, JsonSchema>;
  const data = properties.data as JsonSchema;
  const dataProperties = data.properties as Record<string, JsonSchema>;
  const evidence = { ...dataProperties.evidence, $ref: '#/$defs/noBannedKey' };
  const withEvidence = { ...data, properties: { ...dataProperties, evidence } };
  return {
    ...generated,
    properties: { ...properties, data: withEvidence },
    allOf: alertRules(),
    $defs: noKeysAtAnyDepth('noBannedKey', [...RAW_IDENTIFIER_KEYS, 'subscriber', 'calledGt']),
  };
}

const CONTRACTS: readonly ContractSchema[] = [
  {
    file: 'signalling-summary-v1.schema.json',
    id: 'urn:gtwatch:schema:signalling-summary:1',
    title: 'gtwatch signalling summary, version 1',
    description:
      'One anonymised signalling transaction as an operator streams it (shared/spec/signalling-summary-v1.md). ' +
      'This is the producer (input) side: `time` is an RFC 3339 string with offset or integer epoch milliseconds, ' +
      '`count` may be omitted (default 1), unknown fields are allowed and ignored. ' +
      'No key named imsi, msisdn, imei or imeisv (any letter case) may appear at any depth, including inside unknown ' +
      'fields and arrays: zod cannot state that rule, so it is added here as the recursive `$defs/noRawIdentifier`. ' +
      'Rules JSON Schema cannot express, which the processor also enforces: ' +
      '`time` no earlier than 2000-01-01T00:00:00Z and at most 1 hour after the processor clock; ' +
      'the whole record at most 16384 bytes of UTF-8.',
    schema: SignallingSummarySchema,
    io: 'input',
    augment: augmentSummary,
  },
  {
    file: 'alert-v1.schema.json',
    id: 'urn:gtwatch:schema:alert:1',
    title: 'gtwatch cross-border alert, version 1',
    description:
      'A CloudEvents 1.0 event in JSON structured mode (shared/spec/alert-v1.md). ' +
      'The cross-field rules of the contract are stated in `allOf`: `data.status` matches `type`, `data.category` is ' +
      'the pattern\'s category, `data.source.id` is 1–15 digits for source type gt and a DNS name for realm, and under ' +
      'TLP clear or green `data.victims.subscribers` is 0 or at least 10; `data.evidence` carries no imsi, msisdn, ' +
      'imei, imeisv, subscriber or calledGt key at any depth (`$defs/noBannedKey`). ' +
      'Rules JSON Schema cannot express, which the zod schema also enforces: `subject` equals `data.source.id`, and ' +
      '`data.firstSeen` is not after `data.lastSeen`.',
    schema: AlertSchema,
    io: 'output',
    augment: augmentAlert,
  },
  {
    file: 'dead-letter-v1.schema.json',
    id: 'urn:gtwatch:schema:dead-letter:1',
    title: 'gtwatch signalling dead letter, version 1',
    description:
      'A rejected signalling summary as written to gtwatch.signalling.dlq.v1 or the --dlq file: the stable reason code, ' +
      'a human message, where it was read, the reporter when known, and the original text with raw identifiers masked ' +
      '(first 5 characters kept, one * per remaining character; cut to 4096 characters when `truncated`).',
    schema: DeadLetterSchema,
    io: 'output',
  },
  {
    file: 'traffic-aggregate-v1.schema.json',
    id: 'urn:gtwatch:schema:traffic-aggregate:1',
    title: 'gtwatch traffic aggregate, version 1',
    description:
      'One minute of one source entity\'s inbound traffic for one reporter and operation, as written by ' +
      '`gtwatch score --aggregates` and carried, many at a time, in gtwatch.aggregates.v1 records ' +
      '(traffic-aggregate-batch-v1). Deterministic for a given input, so replays produce identical rows. Carries ' +
      'counts only: never a subscriber pseudonym or a called GT.',
    schema: TrafficAggregateSchema,
    io: 'output',
  },
  {
    file: 'traffic-aggregate-batch-v1.schema.json',
    id: 'urn:gtwatch:schema:traffic-aggregate-batch:1',
    title: 'gtwatch traffic aggregate batch, version 1',
    description:
      'The value of a gtwatch.aggregates.v1 record: traffic aggregate rows of one scored batch, at most 256 KiB per ' +
      'record. Readers also accept a bare traffic aggregate as a record value.',
    schema: TrafficAggregateBatchSchema,
    io: 'output',
  },
];

function generate(contract: ContractSchema): JsonSchema {
  const { $schema, ...generated } = z.toJSONSchema(contract.schema, { target: 'draft-2020-12', io: contract.io });
  const body = contract.augment === undefined ? generated : contract.augment(generated);
  return { $schema, $id: contract.id, title: contract.title, description: contract.description, ...body };
}

/** File name → pretty-printed JSON Schema text, exactly as committed under json-schema/. */
export function renderJsonSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const contract of CONTRACTS) files.set(contract.file, `${JSON.stringify(generate(contract), null, 2)}\n`);
  return files;
}
