import { executeLookups, MAX_LOOKUPS_PER_DOCUMENT, type LookupOutcome, type SendDocument } from "./execute-lookups";
import { lookupCacheKey, type Lookup } from "./lookup";
import type { FairTurns } from "../../limits/fair-turns";

interface Waiter {
  /** Where each of this request's look-ups sits in the shared list. */
  indices: number[];
  resolve: (outcome: LookupOutcome) => void;
}

interface Window {
  tenant: string;
  lookups: Lookup[];
  index: Map<string, number>;
  waiters: Waiter[];
  send: SendDocument;
  /** Requests of the workspace that were on their way when the window opened and have not arrived. */
  awaiting: Set<OnTheWay>;
  timer?: NodeJS.Timeout;
}

interface Scope {
  /** Documents of this scope on their way to GitHub. */
  inflight: number;
  window?: Window;
}

/** A request of the workspace admitted but not yet at GitHub: its look-ups, if any, are coming. */
interface OnTheWay {
  since: number;
  windows: { scope: Scope; scopeKey: string; window: Window }[];
}

/** One integration and key version: no document mixes workspaces or keys. */
export interface BatchScope {
  tenant: string;
  /** The integration and key version. */
  key: string;
}

/**
 * Look-ups that different requests of one tenant make close together share upstream documents, the
 * way Nagle's algorithm shares packets: with nothing of the tenant's in flight, a request's look-ups
 * go at once (a lone request waits for nothing); while a document is in flight, new look-ups gather
 * in a window that goes when that document answers, when it is full, or after `windowMs`, whichever
 * comes first.
 *
 * A burst (50 tool calls, 200 requests at once) reaches the batcher spread over tens of milliseconds:
 * each request is parsed, checked and executed in turn on one thread, so the first would go alone and the
 * rest in several documents. As PostgreSQL's commit_delay waits only when commit_siblings are active, a
 * window also waits for the workspace's requests that were on their way when it opened (admitted, with
 * their GitHub session made, and not yet past their key): never for later ones, so a steady stream
 * cannot hold it open; never past `windowMs`. A request that never reaches GitHub (a card read) counts
 * until it ends, and no longer than `windowMs` in any case.
 */
export class CrossRequestBatcher {
  private readonly scopes = new Map<string, Scope>();
  /** Each workspace's requests on their way; an entry goes when its last one arrives or ends. */
  private readonly onTheWay = new Map<string, Set<OnTheWay>>();

  constructor(
    private readonly windowMs: number,
    private readonly turns?: FairTurns,
  ) {}

  /**
   * A request of `tenant` is on its way to GitHub; call the returned function once its key is loaded (its
   * look-ups follow at once) or it ends, whichever comes first; calling it again does nothing.
   */
  onItsWay(tenant: string, now = Date.now()): () => void {
    const request: OnTheWay = { since: now, windows: [] };
    let requests = this.onTheWay.get(tenant);
    if (!requests) this.onTheWay.set(tenant, (requests = new Set()));
    // No window waits for one older than windowMs: a request whose end was never reported is dropped here.
    for (const old of requests) {
      if (old.since > now - this.windowMs) break;
      requests.delete(old);
    }
    requests.add(request);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      requests.delete(request);
      if (requests.size === 0 && this.onTheWay.get(tenant) === requests) this.onTheWay.delete(tenant);
      for (const { scope, scopeKey, window } of request.windows) {
        window.awaiting.delete(request);
        // Its look-ups join the window within this turn (promise jobs and DataLoader's tick); send after them.
        if (window.awaiting.size === 0 && scope.inflight === 0) setImmediate(() => scope.window === window && this.flush(scopeKey, scope));
      }
    };
  }

  run(batchScope: BatchScope, lookups: readonly Lookup[], send: SendDocument): Promise<LookupOutcome> {
    const scopeKey = batchScope.key;
    let scope = this.scopes.get(scopeKey);
    if (!scope) this.scopes.set(scopeKey, (scope = { inflight: 0 }));
    const window = (scope.window ??= this.openWindow(batchScope, scope, send));
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
    if (window.lookups.length >= MAX_LOOKUPS_PER_DOCUMENT || (scope.inflight === 0 && window.awaiting.size === 0)) this.flush(scopeKey, scope);
    return outcome;
  }

  private openWindow({ tenant, key: scopeKey }: BatchScope, scope: Scope, send: SendDocument): Window {
    const since = Date.now() - this.windowMs;
    const awaiting = new Set([...(this.onTheWay.get(tenant) ?? [])].filter((r) => r.since > since));
    const window: Window = { tenant, lookups: [], index: new Map(), waiters: [], send, awaiting };
    for (const request of awaiting) request.windows.push({ scope, scopeKey, window });
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
      for (const waiter of w.waiters) {
        const hand = () => waiter.resolve({ results: waiter.indices.map((i) => outcome.results[i]), rateLimit: outcome.rateLimit });
        if (this.turns && w.waiters.length > 1) void this.turns.wait(w.tenant).then(hand);
        else hand();
      }
      scope.inflight--;
      if (scope.window?.awaiting.size === 0) this.flush(scopeKey, scope);
      else if (!scope.window && scope.inflight === 0) this.scopes.delete(scopeKey);
    });
  }
}
