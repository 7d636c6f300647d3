import type { Rec } from './record.js';

function before(a: Rec, b: Rec): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** Binary min-heap of pending records by (time, seq). */
export class RecHeap {
  private readonly items: Rec[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Rec | undefined {
    return this.items[0];
  }

  push(rec: Rec): void {
    const items = this.items;
    let i = items.length;
    items.push(rec);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as Rec;
      if (!before(rec, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = rec;
  }

  pop(): Rec | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(items[right] as Rec, items[left] as Rec)) child = right;
      const c = items[child] as Rec;
      if (!before(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
