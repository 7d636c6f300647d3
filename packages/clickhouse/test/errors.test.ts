import { describe, expect, it } from 'vitest';
import { clickHouseErrorCode, quoteIdentifier } from '../src/index.js';

describe('clickHouseErrorCode', () => {
  it('reads the code from 18.16 and from current server messages', () => {
    expect(clickHouseErrorCode(new Error('Code: 60, e.displayText() = DB::Exception: Table x.y doesn’t exist'))).toBe(60);
    expect(clickHouseErrorCode(new Error('Code: 81. DB::Exception: Database nope does not exist'))).toBe(81);
    expect(clickHouseErrorCode(Object.assign(new Error('x'), { code: '516' }))).toBe(516);
  });

  it('returns null for anything else', () => {
    expect(clickHouseErrorCode(new Error('socket hang up'))).toBeNull();
    expect(clickHouseErrorCode('Code: 1,')).toBeNull();
    expect(clickHouseErrorCode(null)).toBeNull();
  });
});

describe('quoteIdentifier', () => {
  it('quotes plain identifiers and refuses anything that could change a statement', () => {
    expect(quoteIdentifier('gtwatch_test_1')).toBe('`gtwatch_test_1`');
    for (const bad of ['', '1abc', 'a-b', 'a`b', 'a; DROP TABLE x', 'a b', 'x'.repeat(64)]) {
      expect(() => quoteIdentifier(bad)).toThrow(/unsafe ClickHouse identifier/);
    }
  });
});
