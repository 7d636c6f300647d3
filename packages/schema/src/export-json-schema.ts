/**
 * Writes the committed JSON Schema files (`npm run schemas`). Run after changing a zod schema; the schema test
 * fails until the files are regenerated.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJsonSchemas } from './json-schema.js';

// Relative to this module so that it works both from src/ and from the compiled dist/.
const outputDirectory = fileURLToPath(new URL('../json-schema/', import.meta.url));

mkdirSync(outputDirectory, { recursive: true });
for (const [file, text] of renderJsonSchemas()) {
  writeFileSync(join(outputDirectory, file), text);
  console.log(`wrote json-schema/${file}`);
}
