/** One problem with one environment variable, named so an operator can fix it without reading code. */
export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Thrown at startup when the environment cannot produce a valid configuration; lists every bad variable at once. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration:\n${issues.map((issue) => `  - ${issue.variable}: ${issue.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
