import { executeLookups, MAX_LOOKUPS_PER_DOCUMENT, type LookupOutcome, type SendDocument } from "./execute-lookups";
import { lookupCacheKey, type Lookup } from "./lookup";

interface Waiter {
  /** Where each of this request's look-ups sits in the shared list. */
  indices: number[];
  resolve: (outcome: LookupOutcome) => void;
}

interface Window {
  lookups: Lookup[];
  index: Map<string, number>;
  waiters: Waiter[];
  send: SendDocument;
  timer?: NodeJS.Timeout;
}

/**
 * Look-ups that different requests of one tenant make within a few milliseconds share upstream
 * documents. A window belongs to one integration and key version, so no document ever mixes tenants
 * or keys; it closes after `windowMs`, or at once when it holds a full document.
 */
export class CrossRequestBatcher {
  private readonly open = new Map<string, Window>();

  constructor(private readonly windowMs: number) {}

  run(scope: string, lookups: readonly Lookup[], send: SendDocument): Promise<LookupOutcome> {
    let w = this.open.get(scope);
    if (!w) {
      w = { lookups: [], index: new Map(), waiters: [], send };
      this.open.set(scope, w);
      const window = w;
      w.timer = setTimeout(() => this.dispatch(scope, window), this.windowMs);
    }
    const window = w;
    const indices = lookups.map((l) => {
      const key = lookupCacheKey(l);
      let at = window.index.get(key);
      if (at === undefined) {
        at = window.lookups.push(l) - 1;
        window.index.set(key, at);
      }
      return at;
    });
    const outcome = new Promise<LookupOutcome>((resolve) => window.waiters.push({ indices, resolve }));
    if (window.lookups.length >= MAX_LOOKUPS_PER_DOCUMENT) this.dispatch(scope, window);
    return outcome;
  }

  private dispatch(scope: string, w: Window): void {
    if (this.open.get(scope) !== w) return; // already sent
    this.open.delete(scope);
    clearTimeout(w.timer);
    void executeLookups(w.lookups, w.send).then((outcome) => {
      for (const waiter of w.waiters) waiter.resolve({ results: waiter.indices.map((i) => outcome.results[i]), rateLimit: outcome.rateLimit });
    });
  }
}
