// What test/setup/global-setup.ts provides to integration tests through vitest's `inject`, declared once for the
// whole repository. Package test files pull it in with `/// <reference path>`: each package typechecks on its own
// with rootDir at the package, which refuses a .ts file from outside but accepts a declaration file.
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    clickhouseUrl: string;
    clickhouseUser: string;
    clickhousePassword: string;
    /** Unique per test run: prefixes every topic and ClickHouse database the run creates. */
    runId: string;
  }
}
