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
  /** Key reads of the workspace that were under way when the window opened and have not ended. */
  awaiting: Set<KeyRead>;
  timer?: NodeJS.Timeout;
}

interface Scope {
  /** Documents of this scope on their way to GitHub. */
  inflight: number;
  window?: Window;
}

/** A request of the workspace reading its key: its look-ups reach the batcher right after. */
interface KeyRead {
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
 * A burst (50 tool calls at once) reaches the batcher spread over tens of milliseconds, each request
 * behind its own key read from PostgreSQL, so the first would go alone and the rest in several
 * documents. As PostgreSQL's commit_delay waits only when commit_siblings are active, a window also
 * waits for the workspace's key reads that were under way when it opened (never for later ones, so a
 * steady stream cannot hold it open; never past `windowMs`): those requests' look-ups follow at once.
 */
export class CrossRequestBatcher {
  private readonly scopes = new Map<string, Scope>();
  /** Each workspace's key reads under way; an entry goes when its last read ends. */
  private readonly keyReads = new Map<string, Set<KeyRead>>();

  constructor(private readonly windowMs: number) {}

  /** A request of `tenant` starts reading its key; call the returned function when the read ends, however it ends. */
  keyReadStarted(tenant: string): () => void {
    const read: KeyRead = { windows: [] };
    let reads = this.keyReads.get(tenant);
    if (!reads) this.keyReads.set(tenant, (reads = new Set()));
    reads.add(read);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      reads.delete(read);
      if (reads.size === 0 && this.keyReads.get(tenant) === reads) this.keyReads.delete(tenant);
      for (const { scope, scopeKey, window } of read.windows) {
        window.awaiting.delete(read);
        // The read's look-ups join the window within this turn (promise jobs and DataLoader's tick); send after them.
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
    const window: Window = { lookups: [], index: new Map(), waiters: [], send, awaiting: new Set(this.keyReads.get(tenant)) };
    for (const read of window.awaiting) read.windows.push({ scope, scopeKey, window });
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
      if (scope.window?.awaiting.size === 0) this.flush(scopeKey, scope);
      else if (!scope.window && scope.inflight === 0) this.scopes.delete(scopeKey);
    });
  }
}
