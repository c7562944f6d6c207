/**
 * At most `limit` tasks at once per key (a tenant, or an integration's key for mutations); others
 * queue in order. Entries go away when idle, so the map holds only active keys.
 */
export class KeyedLimiter {
  private readonly lanes = new Map<string, { running: number; queue: (() => void)[] }>();

  constructor(private readonly limit: number) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { running: 0, queue: [] }));
    if (lane.running >= this.limit) await new Promise<void>((resolve) => lane!.queue.push(resolve));
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

  /** Keys with running or queued work (for tests and metrics). */
  get activeKeys(): number {
    return this.lanes.size;
  }
}
