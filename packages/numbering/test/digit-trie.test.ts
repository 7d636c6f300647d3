import { describe, expect, it } from 'vitest';
import { DigitTrie } from '../src/digit-trie.js';

describe('DigitTrie', () => {
  it('finds the longest stored prefix', () => {
    const trie = new DigitTrie<string>();
    trie.set('44', 'gb');
    trie.set('4477', 'mobile');
    trie.set('447700900', 'drama');
    expect(trie.longestMatch('447700900123')).toBe('drama');
    expect(trie.longestMatch('447700800123')).toBe('mobile');
    expect(trie.longestMatch('4420')).toBe('gb');
    expect(trie.longestMatch('4')).toBeUndefined();
    expect(trie.longestMatch('33')).toBeUndefined();
    expect(trie.longestMatch('')).toBeUndefined();
    expect(trie.longestMatch('44x77')).toBe('gb');
  });

  it('replaces a value and rejects non-digit prefixes', () => {
    const trie = new DigitTrie<number>();
    trie.set('1', 1);
    trie.set('1', 2);
    expect(trie.longestMatch('1416')).toBe(2);
    expect(() => trie.set('1a', 3)).toThrow(RangeError);
  });
});
