#!/usr/bin/env node
// Committed shim so npm can link the `gtwatch` bin on a fresh clone before anything is compiled.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('gtwatch: not built yet — run `npm run build` at the repository root first\n');
  process.exit(1);
}
await import(main.href);
