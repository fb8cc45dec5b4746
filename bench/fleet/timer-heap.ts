// A binary min-heap of timers ordered by (time, insertion order): equal times
// fire in the order they were set, as Node's own timers do.

export interface HeapTimer {
  at: number;
  seq: number;
}

export interface TimerHeap<T extends HeapTimer> {
  push(timer: T): void;
  /** The earliest timer, removed. */
  pop(): T | undefined;
  /** The earliest timer, left in place. */
  peek(): T | undefined;
  readonly size: number;
}

function before(a: HeapTimer, b: HeapTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export function createTimerHeap<T extends HeapTimer>(): TimerHeap<T> {
  const heap: T[] = [];

  function swap(i: number, j: number): void {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  }

  return {
    push(timer) {
      heap.push(timer);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(heap[i]!, heap[parent]!)) break;
        swap(i, parent);
        i = parent;
      }
    },
    pop() {
      const top = heap[0];
      const last = heap.pop();
      if (top === undefined || last === undefined || heap.length === 0) return top;
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        swap(i, smallest);
        i = smallest;
      }
      return top;
    },
    peek: () => heap[0],
    get size() { return heap.length; },
  };
}
