/**
 * Which partitions the caller paused, kept here rather than only in kafkajs, because kafkajs 2.2.4
 * - rejects pause()/resume() before `run()` and while a crashed consumer restarts (no consumer group object),
 * - forgets every pause when it restarts a crashed consumer (a new consumer group object),
 * - turns `pause(topic)` followed by `pause(topic, [p])` into "only p paused" (a partition list clears pause-all).
 * This mirror has the obvious semantics and is re-applied to kafkajs, topic by topic, whenever it may have diverged.
 */

interface TopicPause {
  all: boolean;
  /** Paused partitions when `all` is false. */
  paused: Set<number>;
  /** Partitions resumed individually while `all` is true. */
  resumed: Set<number>;
}

/** What kafkajs must be told for one topic to match the mirror: reset, then these calls in order. */
export interface KafkajsPauseCalls {
  topic: string;
  pauseAll: boolean;
  /** With pauseAll: partitions to resume afterwards. Without: partitions to pause. */
  partitions: number[];
}

export class PauseState {
  readonly #topics = new Map<string, TopicPause>();

  #state(topic: string): TopicPause {
    let state = this.#topics.get(topic);
    if (!state) {
      state = { all: false, paused: new Set(), resumed: new Set() };
      this.#topics.set(topic, state);
    }
    return state;
  }

  pause(topic: string, partitions?: readonly number[]): void {
    const state = this.#state(topic);
    if (partitions === undefined) {
      state.all = true;
      state.paused.clear();
      state.resumed.clear();
      return;
    }
    for (const partition of partitions) {
      if (state.all) state.resumed.delete(partition);
      else state.paused.add(partition);
    }
  }

  resume(topic: string, partitions?: readonly number[]): void {
    const state = this.#state(topic);
    if (partitions === undefined) {
      state.all = false;
      state.paused.clear();
      state.resumed.clear();
      return;
    }
    for (const partition of partitions) {
      if (state.all) state.resumed.add(partition);
      else state.paused.delete(partition);
    }
  }

  isPaused(topic: string, partition: number): boolean {
    const state = this.#topics.get(topic);
    if (!state) return false;
    return state.all ? !state.resumed.has(partition) : state.paused.has(partition);
  }

  /** The calls that make kafkajs agree with this mirror for `topic` (after resetting the topic with resume(topic)). */
  callsFor(topic: string): KafkajsPauseCalls {
    const state = this.#topics.get(topic);
    if (!state) return { topic, pauseAll: false, partitions: [] };
    const partitions = [...(state.all ? state.resumed : state.paused)].sort((a, b) => a - b);
    return { topic, pauseAll: state.all, partitions };
  }

  topics(): string[] {
    return [...this.#topics.keys()];
  }
}
