/**
 * At most `limit` tasks at once per key (a tenant, or an integration's key for mutations); others
 * queue in order. Entries go away when idle, so the map holds only active keys.
 */
interface Lane {
  running: number;
  queue: (() => void)[];
}

export class KeyedLimiter {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly limit: number) {}

  /**
   * Runs `task` when a slot is free. With a `deadline` (epoch ms), a task still queued then is dropped
   * from the queue and `onLate` is thrown instead: a request never waits past its own time.
   */
  async run<T>(key: string, task: () => Promise<T>, deadline?: number, onLate?: () => Error): Promise<T> {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { running: 0, queue: [] }));
    if (lane.running >= this.limit) await this.waitTurn(lane, deadline, onLate);
    lane.running++;
    try {
      return await task();
    } finally {
      lane.running--;
      const next = lane.queue.shift();
      if (next) next();
      else if (lane.running === 0) this.lanes.delete(key);
    }
  }

  /** A queued waiter whose deadline passes leaves the queue (the lane is still busy: someone holds every slot). */
  private waitTurn(lane: Lane, deadline?: number, onLate?: () => Error): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (deadline === undefined) return void lane.queue.push(resolve);
      const timer = setTimeout(() => {
        const at = lane.queue.indexOf(turn);
        if (at >= 0) lane.queue.splice(at, 1);
        reject(onLate?.() ?? new Error("timed out waiting for a slot"));
      }, Math.max(0, deadline - Date.now()));
      const turn = () => {
        clearTimeout(timer);
        resolve();
      };
      lane.queue.push(turn);
    });
  }

  /** Keys with running or queued work (for tests and metrics). */
  get activeKeys(): number {
    return this.lanes.size;
  }
}
