import type { RateLimitResource, RateLimitState } from "./types";

const WINDOW_MS = 60 * 60 * 1000;

interface Window {
  used: number;
  resetAt: Date;
}

/**
 * GitHub's primary limits: a budget per user and resource (graphql, core) that refills all at once
 * an hour after the window's first request.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly limit: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The budget as it stands, without starting a window. */
  peek(userId: number, resource: RateLimitResource): RateLimitState {
    const window = this.current(userId, resource) ?? { used: 0, resetAt: new Date(this.now().getTime() + WINDOW_MS) };
    return this.state(window);
  }

  /**
   * Charges `points` when the budget holds them. A query costing more than what remains is refused
   * whole and charges nothing, so `remaining` never goes below 0.
   */
  charge(userId: number, resource: RateLimitResource, points: number): { ok: boolean; state: RateLimitState } {
    const key = `${resource}:${userId}`;
    let window = this.current(userId, resource);
    if (!window) {
      window = { used: 0, resetAt: new Date(this.now().getTime() + WINDOW_MS) };
      this.windows.set(key, window);
    }
    if (points > this.limit - window.used) return { ok: false, state: this.state(window) };
    window.used += points;
    return { ok: true, state: this.state(window) };
  }

  private current(userId: number, resource: RateLimitResource): Window | undefined {
    const window = this.windows.get(`${resource}:${userId}`);
    return window && window.resetAt.getTime() > this.now().getTime() ? window : undefined;
  }

  private state(window: Window): RateLimitState {
    const used = Math.min(window.used, this.limit);
    return { limit: this.limit, used, remaining: this.limit - used, resetAt: window.resetAt };
  }
}
