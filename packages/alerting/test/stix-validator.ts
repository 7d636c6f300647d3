/**
 * Validates STIX output against the vendored OASIS schemas (see stix-schemas/README.md for what is where and why
 * TLP 2.0 markings are checked against their own schema).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';

const ROOT = new URL('./stix-schemas/', import.meta.url).pathname;
const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

export interface StixValidator {
  bundle(bundle: unknown): string[];
  object(schemaPath: string, object: unknown): string[];
  tlpMarking(object: unknown): string[];
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

export function stixValidator(): StixValidator {
  // The OASIS files mix draft-07 and 2020-12 and use `definitions`; strict mode would refuse them as written.
  // Their patterns are ECMA-262 without the u flag (`\\-` is an invalid escape under it).
  const ajv = new Ajv2020({ strict: false, validateSchema: false, validateFormats: false, unicodeRegExp: false });
  for (const file of jsonFiles(join(ROOT, 'schemas'))) ajv.addSchema(JSON.parse(readFileSync(file, 'utf8')));
  const tlp2 = JSON.parse(readFileSync(join(ROOT, 'tlp-2.0', 'marking-definition.json'), 'utf8'));
  // Each TLP 2.0 definition on its own: the file's outer oneOf refers to extension.json, which no vendored copy has.
  const tlpDefinitions = Object.values(tlp2.definitions as Record<string, object>).map((definition) => ajv.compile(definition));
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  const validate = (id: string, value: unknown) => {
    let fn = compiled.get(id);
    if (!fn) {
      const schema = ajv.getSchema(id);
      if (!schema) throw new Error(`no schema ${id}`);
      fn = schema;
      compiled.set(id, fn);
    }
    return fn(value) ? [] : describe(fn.errors);
  };
  return {
    bundle: (bundle) => validate(`${BASE}common/bundle.json`, bundle),
    object: (schemaPath, object) => validate(`${BASE}${schemaPath}`, object),
    tlpMarking: (object) => {
      const matches = tlpDefinitions.filter((definition) => definition(object)).length;
      const base = validateMarkingBase(object, tlp2.oneOf[1].required as string[]);
      return matches === 1 ? base : [`matches ${matches} TLP 2.0 marking definitions, not exactly one`, ...base];
    },
  };
}

function validateMarkingBase(object: unknown, required: readonly string[]): string[] {
  const o = object as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of required) if (!(field in o)) problems.push(`missing ${field}`);
  if (o.type !== 'marking-definition') problems.push('type is not marking-definition');
  if (o.spec_version !== '2.1') problems.push('spec_version is not 2.1');
  return problems;
}
