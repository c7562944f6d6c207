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

interface Scope {
  /** Documents of this scope on their way to GitHub. */
  inflight: number;
  window?: Window;
}

/**
 * Look-ups that different requests of one tenant make close together share upstream documents, the
 * way Nagle's algorithm shares packets: with nothing of the tenant's in flight, a request's look-ups
 * go at once (a lone request waits for nothing); while a document is in flight, new look-ups gather
 * in a window that goes when that document answers, when it is full, or after `windowMs`, whichever
 * comes first. A scope is one integration and key version, so no document mixes tenants or keys.
 */
export class CrossRequestBatcher {
  private readonly scopes = new Map<string, Scope>();

  constructor(private readonly windowMs: number) {}

  run(scopeKey: string, lookups: readonly Lookup[], send: SendDocument): Promise<LookupOutcome> {
    let scope = this.scopes.get(scopeKey);
    if (!scope) this.scopes.set(scopeKey, (scope = { inflight: 0 }));
    const window = (scope.window ??= this.openWindow(scopeKey, scope, send));
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
    if (scope.inflight === 0 || window.lookups.length >= MAX_LOOKUPS_PER_DOCUMENT) this.flush(scopeKey, scope);
    return outcome;
  }

  private openWindow(scopeKey: string, scope: Scope, send: SendDocument): Window {
    const window: Window = { lookups: [], index: new Map(), waiters: [], send };
    window.timer = setTimeout(() => this.flush(scopeKey, scope), this.windowMs);
    return window;
  }

  private flush(scopeKey: string, scope: Scope): void {
    const w = scope.window;
    if (!w) return;
    scope.window = undefined;
    clearTimeout(w.timer);
    scope.inflight++;
    void executeLookups(w.lookups, w.send).then((outcome) => {
      for (const waiter of w.waiters) waiter.resolve({ results: waiter.indices.map((i) => outcome.results[i]), rateLimit: outcome.rateLimit });
      scope.inflight--;
      if (scope.window) this.flush(scopeKey, scope);
      else if (scope.inflight === 0) this.scopes.delete(scopeKey);
    });
  }
}
