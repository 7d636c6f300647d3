import { describe, expect, it } from 'vitest';
import { PauseState } from '../src/pause-state.js';

describe('PauseState (the pause mirror)', () => {
  it('pauses single partitions and whole topics, and resumes individually from a whole-topic pause', () => {
    const state = new PauseState();
    state.pause('a', [1, 2]);
    expect([0, 1, 2].map((p) => state.isPaused('a', p))).toEqual([false, true, true]);
    expect(state.callsFor('a')).toEqual({ topic: 'a', pauseAll: false, partitions: [1, 2] });
    state.resume('a', [2]);
    expect(state.callsFor('a').partitions).toEqual([1]);

    state.pause('b');
    state.pause('b', [7]); // still everything: kafkajs would narrow this to partition 7 only
    expect([0, 7, 99].map((p) => state.isPaused('b', p))).toEqual([true, true, true]);
    state.resume('b', [3, 0]);
    expect(state.callsFor('b')).toEqual({ topic: 'b', pauseAll: true, partitions: [0, 3] });
    expect(state.isPaused('b', 3)).toBe(false);
    state.pause('b', [3]);
    expect(state.isPaused('b', 3)).toBe(true);
    state.resume('b');
    expect(state.isPaused('b', 7)).toBe(false);
    expect(state.callsFor('b')).toEqual({ topic: 'b', pauseAll: false, partitions: [] });
    expect(state.isPaused('unknown', 0)).toBe(false);
    expect(state.topics()).toEqual(['a', 'b']);
  });
});
