import { type Migration, MIGRATIONS } from '@gtwatch/clickhouse';

/** Table → its columns, as the migrations leave the schema. */
export type Schema = Map<string, Set<string>>;

function statementText(statement: Migration['statements'][number]): string {
  return typeof statement === 'string' ? statement : statement.sql;
}

/** Splits at commas that are not inside parentheses (Enum8('a' = 1, 'b' = 2) stays one piece). */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const char of text) {
    if (char === "'") quoted = !quoted;
    if (!quoted && char === '(') depth += 1;
    if (!quoted && char === ')') depth -= 1;
    if (!quoted && depth === 0 && char === ',') {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim() !== '') parts.push(current);
  return parts;
}

function unquote(identifier: string): string {
  return identifier.replace(/^[`"]|[`"]$/g, '');
}

/**
 * The schema the exported MIGRATIONS create: columns of every `CREATE TABLE … ( … ) ENGINE`, changed by every
 * `ALTER TABLE … ADD|DROP|RENAME|MODIFY COLUMN`. A CREATE TABLE this reader cannot parse is reported, not ignored.
 */
export function schemaFromMigrations(migrations: readonly Migration[] = MIGRATIONS): { schema: Schema; problems: string[] } {
  const schema: Schema = new Map();
  const problems: string[] = [];
  for (const migration of migrations) {
    for (const statement of migration.statements) {
      const sql = statementText(statement).trim();
      const create = /^CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:\{db\}\.)?([`"]?\w+[`"]?)\s*\(([\s\S]*)\)\s*ENGINE\b/i.exec(sql);
      const alter = /^ALTER\s+TABLE\s+(?:\{db\}\.)?([`"]?\w+[`"]?)\s+(ADD|DROP|RENAME|MODIFY)\s+COLUMN\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?([`"]?\w+[`"]?)(?:\s+TO\s+([`"]?\w+[`"]?))?/i.exec(sql);
      if (create) {
        const columns = new Set<string>();
        for (const part of topLevelParts(create[2] as string)) {
          const name = /^\s*([`"]?[A-Za-z_]\w*[`"]?)\s+\S/.exec(part)?.[1];
          if (name === undefined) problems.push(`migration ${migration.version}: cannot read column definition "${part.trim()}"`);
          else columns.add(unquote(name));
        }
        schema.set(unquote(create[1] as string), columns);
      } else if (/^CREATE\s+TABLE\b/i.test(sql)) {
        problems.push(`migration ${migration.version}: CREATE TABLE not understood: ${sql.split('\n')[0]}`);
      } else if (alter) {
        const table = unquote(alter[1] as string);
        const [action, column, renamed] = [(alter[2] as string).toUpperCase(), unquote(alter[3] as string), alter[4]];
        const columns = schema.get(table);
        if (columns === undefined) problems.push(`migration ${migration.version}: ALTER of unknown table ${table}`);
        else if (action === 'ADD') columns.add(column);
        else if (action === 'DROP') columns.delete(column);
        else if (action === 'RENAME' && renamed !== undefined) {
          columns.delete(column);
          columns.add(unquote(renamed));
        } else if (!columns.has(column)) problems.push(`migration ${migration.version}: MODIFY of unknown column ${table}.${column}`);
      }
      // Other statements (views, indexes, settings, data copies) leave the tables' columns as they are.
    }
  }
  return { schema, problems };
}

const KEYWORDS = new Set(
  (
    'select from where group by order limit and or not as desc asc final in having on join left right inner outer full ' +
    'cross any all array distinct union case when then else end between is null like ilike with totals prewhere sample ' +
    'using global true false format settings offset'
  ).split(' '),
);

/**
 * The tables and column names a dashboard query uses. Grafana macros and variables are replaced first, string
 * literals are blanked; then each identifier is a keyword, a function (followed by `(`), a table (after FROM/JOIN),
 * an alias (after AS), or a column. Qualified names (db.table) count by their last part.
 */
export function namesInSql(sql: string): { tables: string[]; columns: string[] } {
  const text = sql
    .replace(/\$\{[^}]*\}|\$[A-Za-z_]\w*/g, '0')
    .replace(/'(?:[^'\\]|\\.)*'/g, "''")
    .replace(/--[^\n]*/g, ' ');
  // ARRAY JOIN unnests a column of the same table; it names no table.
  const tables = [...text.matchAll(/\b(?:FROM|(?<!\bARRAY\s+)JOIN)\s+(?!\()((?:[A-Za-z_]\w*\.)?[A-Za-z_]\w*)/gi)].map(
    (match) => (match[1] as string).split('.').pop() as string,
  );
  const aliases = new Set([...text.matchAll(/\bAS\s+([A-Za-z_]\w*)/gi)].map((match) => (match[1] as string).toLowerCase()));
  const tableSet = new Set(tables.map((table) => table.toLowerCase()));
  const columns: string[] = [];
  for (const match of text.matchAll(/(?<![\w.])([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?/g)) {
    const name = (match[2] ?? match[1]) as string;
    const lower = name.toLowerCase();
    const after = text.slice(match.index + match[0].length).trimStart();
    if (KEYWORDS.has(lower) || aliases.has(lower) || tableSet.has(lower)) continue;
    if (after.startsWith('(')) continue;
    columns.push(name);
  }
  return { tables, columns };
}

/** Problems with one query: tables no migration creates, names that are no column of the tables it reads. */
export function unknownSqlNames(sql: string, schema: Schema): string[] {
  const { tables, columns } = namesInSql(sql);
  const problems: string[] = [];
  if (tables.length === 0) problems.push('reads no table');
  const available = new Set<string>();
  for (const table of tables) {
    const known = schema.get(table);
    if (known === undefined) problems.push(`unknown table ${table}`);
    else for (const column of known) available.add(column);
  }
  for (const column of new Set(columns)) {
    if (!available.has(column)) problems.push(`unknown column ${column} (tables: ${tables.join(', ')})`);
  }
  return problems;
}
