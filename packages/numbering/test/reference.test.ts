import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_REFERENCE_DIR } from '../src/fixtures.js';
import {
  loadReferenceData,
  loadReferenceDataFromStrings,
  type ReferenceData,
  ReferenceDataError,
  type ReferenceFiles,
} from '../src/reference.js';

const GT_HEADER = 'prefix,plmn,operator,country,leased';
const REALM_HEADER = 'realm,plmn,operator,country';
const ALLOW_HEADER = 'prefix,reporter,operations';

function gtRanges(...rows: string[]): ReferenceFiles {
  return { 'gt-ranges.csv': [GT_HEADER, ...rows].join('\n') };
}

function errorOf(load: () => ReferenceData): ReferenceDataError {
  try {
    load();
  } catch (error) {
    if (error instanceof ReferenceDataError) return error;
    throw error;
  }
  throw new Error('expected a ReferenceDataError');
}

function expectError(files: ReferenceFiles, file: string, line: number, field: string, message: RegExp): void {
  const error = errorOf(() => loadReferenceDataFromStrings(files));
  expect({ file: error.file, line: error.line, field: error.field }).toEqual({ file, line, field });
  expect(error.message).toMatch(message);
  expect(error.message.startsWith(`${file} line ${line}, field "${field}": `)).toBe(true);
}

describe('reference data: valid files', () => {
  it('loads the example directory', () => {
    const ref = loadReferenceData(EXAMPLE_REFERENCE_DIR);
    expect(ref.gtRanges.length).toBeGreaterThan(15);
    expect(ref.realms.length).toBe(3);
    expect(ref.allowlist.length).toBe(3);
    expect(ref.files.gtRanges).toBe(join(EXAMPLE_REFERENCE_DIR, 'gt-ranges.csv'));
    const acme = ref.gtRanges.find((row) => row.prefix === '1212555');
    expect(acme).toMatchObject({ plmn: '310-920', operator: 'Acme, Inc. (fictional)', country: 'US', leased: false });
    const leased = ref.gtRanges.find((row) => row.prefix === '4477009009');
    expect(leased).toMatchObject({ operator: 'Globex Messaging, Ltd. (fictional; leased from Albion Mobile)', leased: true });
  });

  it('derives an empty country from the prefix and keeps an explicit one', () => {
    const ref = loadReferenceDataFromStrings(
      gtRanges('4477,234-91,A,,false', '447797555,234-93,B,JE,false', '1416,,C,,', '88299,901-91,D,,false'),
    );
    expect(ref.gtRanges.map((row) => row.country)).toEqual(['GB', 'JE', 'CA', null]);
  });

  it('normalises PLMN ids, treats an empty leased as false and empty text as null', () => {
    const ref = loadReferenceDataFromStrings(gtRanges('4477,234-091,,,', '1416,302-91,Maple,,true'));
    expect(ref.gtRanges[0]).toMatchObject({ plmn: '234-91', operator: null, leased: false, line: 2 });
    expect(ref.gtRanges[1]).toMatchObject({ plmn: '302-091', operator: 'Maple', leased: true, line: 3 });
  });

  it('accepts comments, blank lines, CRLF and a trailing newline; lines stay physical', () => {
    const text = `# provenance: IR.21 export 2025-01-01\r\n${GT_HEADER}\r\n\r\n# GB\r\n4477,234-91,"Acme, Inc.",,false\r\n`;
    const ref = loadReferenceDataFromStrings({ 'gt-ranges.csv': text });
    expect(ref.gtRanges).toEqual([
      { prefix: '4477', plmn: '234-91', operator: 'Acme, Inc.', country: 'GB', leased: false, line: 5 },
    ]);
  });

  it('reads realms and the allowlist', () => {
    const ref = loadReferenceDataFromStrings({
      ...gtRanges('4477,234-91,A,,false'),
      'realms.csv': `${REALM_HEADER}\nDiameter.Example.COM.,234-91,"Example, plc",\nipx.example,,IPX,CH\n`,
      'allowlist.csv': `${ALLOW_HEADER}\n4477,*,3;7;7\n1416,234-091,*\n`,
    });
    expect(ref.realms).toEqual([
      { realm: 'diameter.example.com', plmn: '234-91', operator: 'Example, plc', country: 'GB', line: 2 },
      { realm: 'ipx.example', plmn: null, operator: 'IPX', country: 'CH', line: 3 },
    ]);
    expect(ref.allowlist).toEqual([
      { prefix: '4477', reporter: '*', operations: [3, 7], line: 2 },
      { prefix: '1416', reporter: '234-91', operations: '*', line: 3 },
    ]);
  });

  it('allows a header with no rows and absent optional files', () => {
    const ref = loadReferenceDataFromStrings({ 'gt-ranges.csv': `${GT_HEADER}\n` });
    expect(ref).toMatchObject({ gtRanges: [], realms: [], allowlist: [], files: { realms: null, allowlist: null } });
  });
});

describe('reference data: every error names the file, line and field', () => {
  it('wrong header', () => {
    expectError({ 'gt-ranges.csv': 'prefix,plmn,operator,country\n4477,234-91,A,GB\n' }, 'gt-ranges.csv', 1, 'leased', /header must be exactly "prefix,plmn,operator,country,leased"/);
    expectError({ 'gt-ranges.csv': 'Prefix,plmn,operator,country,leased\n' }, 'gt-ranges.csv', 1, 'prefix', /found "Prefix,/);
    expectError({ 'gt-ranges.csv': '' }, 'gt-ranges.csv', 1, 'header', /empty/);
    expectError({ ...gtRanges(), 'realms.csv': 'realm,plmn,operator\n' }, 'realms.csv', 1, 'country', /header/);
    expectError({ ...gtRanges(), 'allowlist.csv': 'prefix,reporter,ops\n' }, 'allowlist.csv', 1, 'operations', /header/);
  });

  it('bad prefix', () => {
    expectError(gtRanges('4477,234-91,A,,false', '+4477,234-91,A,,false'), 'gt-ranges.csv', 3, 'prefix', /"\+4477" is not a prefix/);
    expectError(gtRanges('1234567890123456,,A,,'), 'gt-ranges.csv', 2, 'prefix', /not a prefix \(1 to 15 digits\)/);
    expectError(gtRanges(',,A,,'), 'gt-ranges.csv', 2, 'prefix', /"" is not a prefix/);
    expectError({ ...gtRanges(), 'allowlist.csv': `${ALLOW_HEADER}\n44x,*,*\n` }, 'allowlist.csv', 2, 'prefix', /"44x"/);
  });

  it('bad plmn', () => {
    const files = gtRanges('4477,234-91,A,,false', '4478,234-91,A,,', '4479,234-91,A,,', '4480,234-91,A,,', '4481,234-91,A,,', '4482,23415,A,,');
    expectError(files, 'gt-ranges.csv', 7, 'plmn', /^gt-ranges\.csv line 7, field "plmn": "23415" is not a PLMN id \(MCC-MNC\)$/);
    expectError({ ...gtRanges(), 'realms.csv': `${REALM_HEADER}\nx.example,262-1,A,\n` }, 'realms.csv', 2, 'plmn', /"262-1"/);
  });

  it('bad country', () => {
    expectError(gtRanges('4477,234-91,A,UK,false'), 'gt-ranges.csv', 2, 'country', /"UK" is not an ISO 3166-1 alpha-2.*"GB"/);
    expectError(gtRanges('4477,234-91,A,gb,false'), 'gt-ranges.csv', 2, 'country', /"gb"/);
    expectError(gtRanges('4477,234-91,A,ZZ,false'), 'gt-ranges.csv', 2, 'country', /"ZZ"/);
    expectError({ ...gtRanges(), 'realms.csv': `${REALM_HEADER}\nx.example,,A,GBR\n` }, 'realms.csv', 2, 'country', /"GBR"/);
  });

  it('bad leased', () => {
    expectError(gtRanges('4477,234-91,A,,yes'), 'gt-ranges.csv', 2, 'leased', /"yes" is not true, false or empty/);
    expectError(gtRanges('4477,234-91,A,,TRUE'), 'gt-ranges.csv', 2, 'leased', /"TRUE"/);
  });

  it('duplicate prefix or realm', () => {
    expectError(gtRanges('4477,234-91,A,,', '1416,,B,,', '4477,234-92,C,,'), 'gt-ranges.csv', 4, 'prefix', /duplicate prefix "4477" \(first on line 2\)/);
    expectError({ ...gtRanges(), 'realms.csv': `${REALM_HEADER}\na.example,,A,\nA.EXAMPLE.,,B,\n` }, 'realms.csv', 3, 'realm', /duplicate realm "a.example"/);
  });

  it('bad realm, reporter and operations', () => {
    expectError({ ...gtRanges(), 'realms.csv': `${REALM_HEADER}\nnot a realm,,A,\n` }, 'realms.csv', 2, 'realm', /not a realm/);
    expectError({ ...gtRanges(), 'allowlist.csv': `${ALLOW_HEADER}\n4477,any,*\n` }, 'allowlist.csv', 2, 'reporter', /"any" is not a PLMN id \(MCC-MNC\) or "\*"/);
    for (const bad of ['', '3,7', '3;', ';3', 'x', '3; 7', '*;3']) {
      const allow = `${ALLOW_HEADER}\n4477,*,"${bad}"\n`;
      expectError({ ...gtRanges(), 'allowlist.csv': allow }, 'allowlist.csv', 2, 'operations', /is not "\*" or a ";"-separated list/);
    }
  });

  it('wrong number of fields', () => {
    expectError(gtRanges('4477,234-91,Acme, Inc.,,false'), 'gt-ranges.csv', 2, 'leased', /expected 5 fields.*found 6 \(quote a value that contains a comma\)/);
    expectError(gtRanges('4477,234-91,Acme'), 'gt-ranges.csv', 2, 'country', /expected 5 fields.*found 3/);
  });

  it('unterminated quote', () => {
    expectError(gtRanges('4477,234-91,A,,false', '4478,234-91,"Acme, Inc.,,false', '4479,,B,,'), 'gt-ranges.csv', 3, 'operator', /unterminated quoted field/);
    expectError(gtRanges('4477,234-91,A"B,,false'), 'gt-ranges.csv', 2, 'operator', /quote inside an unquoted field/);
  });

  it('missing gt-ranges.csv', () => {
    const error = errorOf(() => loadReferenceDataFromStrings({ 'realms.csv': `${REALM_HEADER}\n` }));
    expect(error).toMatchObject({ file: 'gt-ranges.csv', line: null, field: null });
    expect(error.message).toBe('gt-ranges.csv: required reference file is missing');
  });
});

describe('reference data from a directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'gtwatch-numbering-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names the full path of a missing gt-ranges.csv', () => {
    const dir = join(root, 'empty');
    mkdirSync(dir);
    const error = errorOf(() => loadReferenceData(dir));
    expect(error.file).toBe(join(dir, 'gt-ranges.csv'));
    expect(error.message).toBe(`${join(dir, 'gt-ranges.csv')}: required reference file is missing`);
  });

  it('names the full path, line and field of a malformed optional file', () => {
    const dir = join(root, 'bad-allowlist');
    mkdirSync(dir);
    writeFileSync(join(dir, 'gt-ranges.csv'), `${GT_HEADER}\n4477,234-91,A,,false\n`);
    writeFileSync(join(dir, 'allowlist.csv'), `${ALLOW_HEADER}\n4477,*,*\n\n4478,*,MAP\n`);
    const error = errorOf(() => loadReferenceData(dir));
    expect(error).toMatchObject({ file: join(dir, 'allowlist.csv'), line: 4, field: 'operations' });
    expect(error.message).toMatch(/allowlist\.csv line 4, field "operations": "MAP"/);
  });

  it('reads optional files only when present', () => {
    const dir = join(root, 'only-ranges');
    mkdirSync(dir);
    writeFileSync(join(dir, 'gt-ranges.csv'), `${GT_HEADER}\n4477,234-91,A,,false\n`);
    const ref = loadReferenceData(dir);
    expect(ref.files).toEqual({ gtRanges: join(dir, 'gt-ranges.csv'), realms: null, allowlist: null });
    expect(ref.gtRanges).toHaveLength(1);
  });

  it('reports an unreadable path', () => {
    const dir = join(root, 'is-a-dir');
    mkdirSync(join(dir, 'gt-ranges.csv'), { recursive: true });
    const error = errorOf(() => loadReferenceData(dir));
    expect(error.file).toBe(join(dir, 'gt-ranges.csv'));
    expect(error.message).toMatch(/cannot be read/);
  });
});
