const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * ClickHouse 18.16 has no server-side query parameters, so identifiers that come from configuration are checked
 * against a strict pattern and back-quoted before they are spliced into SQL; anything else is refused.
 */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`unsafe ClickHouse identifier: ${JSON.stringify(name)}`);
  return `\`${name}\``;
}
