import { describe, expect, it } from 'vitest';
import { LogLimit } from '../src/log-limit.js';

describe('LogLimit', () => {
  it('lets `limit` lines through per window and reports how many it held back', () => {
    let now = 0;
    const limit = new LogLimit(2, 1_000, () => now);
    expect(limit.take()).toEqual({ suppressed: 0 });
    expect(limit.take()).toEqual({ suppressed: 0 });
    expect(limit.take()).toBeNull();
    expect(limit.take()).toBeNull();
    now = 1_000;
    expect(limit.take()).toEqual({ suppressed: 2 });
    expect(limit.take()).toEqual({ suppressed: 0 });
  });
});
