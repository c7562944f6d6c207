import { performance } from "node:perf_hooks";

/** The stages a /graphql answer reports in its Server-Timing header, in this order. */
const STAGES = ["body", "auth", "key", "github"] as const;
export type Stage = (typeof STAGES)[number];

/**
 * Where one request's milliseconds went, sent back in a `Server-Timing` header (W3C Server Timing) on
 * /graphql answers: `body` reading and parsing the JSON, `auth` the caller token, the workspace's
 * budget and its turn (limits/fair-turns.ts), `key` loading the workspace's key, `github` the time with
 * at least one look-up or upstream call of the request under way (a batch window's wait included),
 * `total` from arrival to the answer. What `total` holds beyond the four is Apollo's and the resolvers'
 * own work. The benchmark reads it to show the gateway's stages at one client (bench/README.md).
 * Durations only: nothing of the request's content.
 */
export class RequestTiming {
  private readonly start = performance.now();
  private readonly spent: Record<Stage, number> = { body: 0, auth: 0, key: 0, github: 0 };
  private githubOpen = 0;
  private githubSince = 0;

  /** Times `work` as part of `stage`. */
  async time<T>(stage: Stage, work: Promise<T>): Promise<T> {
    const from = performance.now();
    try {
      return await work;
    } finally {
      this.spent[stage] += performance.now() - from;
    }
  }

  add(stage: Stage, ms: number): void {
    this.spent[stage] += ms;
  }

  /** GitHub work of the request began; call the returned function when it ends. Overlapping work counts once. */
  githubStarted(): () => void {
    if (this.githubOpen++ === 0) this.githubSince = performance.now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.githubOpen === 0) this.spent.github += performance.now() - this.githubSince;
    };
  }

  header(): string {
    const ms = (n: number) => Math.round(n * 100) / 100;
    return [...STAGES.map((s) => `${s};dur=${ms(this.spent[s])}`), `total;dur=${ms(performance.now() - this.start)}`].join(", ");
  }
}
