// Runs a TypeScript entry point (benchmarks, eval) against the compiled packages, after making sure dependencies
// are installed and every package is built. Usage: node scripts/run-ts.mjs [node flags] FILE [args...]
import { build, ensureDependencies, sh } from './lib.mjs';

const args = process.argv.slice(2);
const fileIndex = args.findIndex((arg) => !arg.startsWith('--'));
if (fileIndex === -1) {
  process.stderr.write('usage: node scripts/run-ts.mjs [node flags] FILE [args...]\n');
  process.exit(2);
}
ensureDependencies();
build();
sh('node', [...args.slice(0, fileIndex), '--import', 'tsx', ...args.slice(fileIndex)]);
