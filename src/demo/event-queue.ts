/**
 * The demo's simulated time: what happens next, in order of time and, for one moment, in the
 * order it was scheduled (so a run never depends on how the heap breaks ties).
 */
interface Scheduled {
  at: number;
  seq: number;
  run: () => void | Promise<void>;
}

export class EventQueue {
  private readonly heap: Scheduled[] = [];
  private seq = 0;
  /** The time of the event being run. */
  now = 0;

  at(at: number, run: () => void | Promise<void>): void {
    this.push({ at: Math.round(at), seq: this.seq++, run });
  }

  /** Runs every event, including those events schedule, until none is left. */
  async drain(): Promise<void> {
    while (this.heap.length > 0) {
      const next = this.pop();
      this.now = Math.max(this.now, next.at);
      const done = next.run();
      if (done) await done;
    }
  }

  private before(a: Scheduled, b: Scheduled): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(item: Scheduled): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Scheduled {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && this.before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}
