import type { RateLimitResource, RateLimitState } from "./types";

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

interface Window {
  used: number;
  resetAt: Date;
}

export interface BudgetRule {
  limit: number;
  windowMs: number;
}

/** GitHub's budgets: graphql and core per hour, code_search (REST) per minute. */
export function budgetRules(perHour: number, codeSearchPerMinute: number): Record<RateLimitResource, BudgetRule> {
  return {
    graphql: { limit: perHour, windowMs: HOUR_MS },
    core: { limit: perHour, windowMs: HOUR_MS },
    code_search: { limit: codeSearchPerMinute, windowMs: MINUTE_MS },
  };
}

/**
 * GitHub's primary limits: a budget per user and resource that refills all at once when the window
 * that started with the first request ends (an hour; a minute for code search).
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly rules: Record<RateLimitResource, BudgetRule>;

  constructor(
    rules: number | Record<RateLimitResource, BudgetRule>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.rules = typeof rules === "number" ? budgetRules(rules, 10) : rules;
  }

  /** The budget as it stands, without starting a window. */
  peek(userId: number, resource: RateLimitResource): RateLimitState {
    const window = this.current(userId, resource) ?? this.fresh(resource);
    return this.state(window, resource);
  }

  /**
   * Charges `points` when the budget holds them. A query costing more than what remains is refused
   * whole and charges nothing, so `remaining` never goes below 0.
   */
  charge(userId: number, resource: RateLimitResource, points: number): { ok: boolean; state: RateLimitState } {
    let window = this.current(userId, resource);
    if (!window) {
      window = this.fresh(resource);
      this.windows.set(`${resource}:${userId}`, window);
    }
    if (points > this.rules[resource].limit - window.used) return { ok: false, state: this.state(window, resource) };
    window.used += points;
    return { ok: true, state: this.state(window, resource) };
  }

  private fresh(resource: RateLimitResource): Window {
    return { used: 0, resetAt: new Date(this.now().getTime() + this.rules[resource].windowMs) };
  }

  private current(userId: number, resource: RateLimitResource): Window | undefined {
    const window = this.windows.get(`${resource}:${userId}`);
    return window && window.resetAt.getTime() > this.now().getTime() ? window : undefined;
  }

  private state(window: Window, resource: RateLimitResource): RateLimitState {
    const limit = this.rules[resource].limit;
    const used = Math.min(window.used, limit);
    return { limit, used, remaining: limit - used, resetAt: window.resetAt };
  }
}
