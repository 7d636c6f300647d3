import { fileURLToPath } from 'node:url';

/**
 * The example reference directory shipped with this package (fictional operators), for tests, the simulator
 * and demos. Resolved from this module so it works from src/ and from dist/ alike.
 */
export const EXAMPLE_REFERENCE_DIR: string = fileURLToPath(new URL('../fixtures/reference', import.meta.url));
