/** One vector selector of a PromQL expression: the series it names and the labels it matches on. */
export interface Selector {
  metric: string;
  labels: string[];
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
  'atan2',
]);

/**
 * The vector selectors in a PromQL expression (a Grafana panel's `expr` or a rule's), without a full parser: string
 * literals, Grafana variables, range brackets and grouping label lists are blanked, then every identifier that is
 * neither a keyword nor a function call (followed by `(`) is a series name. Enough for the expressions this project
 * writes; anything it cannot read shows up as an unknown series and fails the check loudly.
 */
export function selectorsOf(expression: string): Selector[] {
  let text = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  text = text.replace(/\$\{[^}]*\}|\$[A-Za-z_]\w*/g, '1m');
  text = text.replace(/\[[^\]]*\]/g, ' ');
  text = text.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const selectors: Selector[] = [];
  const token = /([A-Za-z_:][A-Za-z0-9_:]*)\s*(\{[^}]*\})?|(\{[^}]*\})/g;
  for (const match of text.matchAll(token)) {
    const [whole, name, labelBlock, bareBlock] = match;
    const before = text[match.index - 1] ?? ' ';
    if (name !== undefined) {
      // 1e3, 5m after a number: part of a literal, not a name.
      if (/[0-9.]/.test(before)) continue;
      if (KEYWORDS.has(name)) continue;
      const after = text.slice(match.index + whole.length).trimStart();
      if (labelBlock === undefined && after.startsWith('(')) continue;
      selectors.push({ metric: name, labels: labelNames(labelBlock ?? '') });
    } else if (bareBlock !== undefined) {
      selectors.push({ metric: '', labels: labelNames(bareBlock) });
    }
  }
  return selectors;
}

function labelNames(block: string): string[] {
  return [...block.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((match) => match[1] as string);
}

/** Problems with an expression: series no registered metric exposes, and label matchers on labels it lacks. */
export function unknownNames(expression: string, series: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const problems: string[] = [];
  for (const selector of selectorsOf(expression)) {
    if (selector.metric === '') {
      problems.push(`a selector without a metric name: {${selector.labels.join(', ')}}`);
      continue;
    }
    const labels = series.get(selector.metric);
    if (labels === undefined) {
      problems.push(`unknown series ${selector.metric}`);
      continue;
    }
    for (const label of selector.labels) {
      if (!labels.has(label)) problems.push(`${selector.metric} has no label ${label}`);
    }
  }
  return problems;
}
