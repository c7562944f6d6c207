import { Semaphore, TimeoutError } from "redis-semaphore";
import type { SharedLimitsLink } from "../../limits/shared-limits";
import { KeyedLimiter } from "./keyed-limiter";

/** How long a slot stays taken once its holder stops refreshing it: an instance that died holding one. */
const SLOT_LEASE_MS = 10_000;
/** How often a waiter asks Redis again while every slot of its key is held elsewhere. */
const RETRY_MS = 10;

/**
 * At most `limit` tasks at once per key (a workspace's upstream calls; a key's mutations), across every
 * instance when REDIS_URL is set. A task first takes a slot in this instance's own lane (KeyedLimiter, the
 * same limit, in order), then one of the key's slots in Redis (redis-semaphore, `semaphore:cg:<name>:<key>`,
 * refreshed while held): so at most `limit` waiters per instance and key poll Redis. While Redis is away,
 * slower than REDIS_TIMEOUT_MS or failing, the instance's own lane alone decides, counted as a fallback,
 * as without REDIS_URL. Nobody waits past its deadline, in either lane.
 */
export class SharedSlots {
  private readonly local: KeyedLimiter;

  constructor(private readonly name: string, private readonly limit: number, private readonly link?: SharedLimitsLink) {
    this.local = new KeyedLimiter(limit);
  }

  run<T>(key: string, task: () => Promise<T>, deadline: number, onLate: () => Error): Promise<T> {
    return this.local.run(key, () => this.inSharedSlot(key, task, deadline, onLate), deadline, onLate);
  }

  private async inSharedSlot<T>(key: string, task: () => Promise<T>, deadline: number, onLate: () => Error): Promise<T> {
    const slot = await this.acquire(key, deadline, onLate);
    try {
      return await task();
    } finally {
      // Not awaited: the answer does not wait for Redis. A release that fails leaves the slot to its lease.
      if (slot) slot.release().catch(() => this.link?.fellBack(this.name));
    }
  }

  private async acquire(key: string, deadline: number, onLate: () => Error): Promise<Semaphore | undefined> {
    if (!this.link) return undefined;
    if (!this.link.available) {
      this.link.fellBack(this.name);
      return undefined;
    }
    const slot = new Semaphore(this.link.client, `cg:${this.name}:${key}`, this.limit, {
      lockTimeout: SLOT_LEASE_MS,
      acquireTimeout: Math.max(1, deadline - Date.now()),
      retryInterval: RETRY_MS,
      // Lost while the call runs (Redis restarted empty, or a refresh failed): the call goes on, counted.
      onLockLost: () => this.link?.fellBack(this.name),
    });
    try {
      await slot.acquire();
      return slot;
    } catch (e) {
      // Every slot held elsewhere until the caller's time ran out: the caller's own refusal.
      if (e instanceof TimeoutError) throw onLate();
      this.link.fellBack(this.name);
      return undefined;
    }
  }
}
