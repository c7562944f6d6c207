import DataLoader from "dataloader";
import type { CrossRequestBatcher } from "./cross-request-batcher";
import { executeLookups, type LookupOutcome, type SendDocument } from "./execute-lookups";
import { lookupCacheKey, type AnyLookupResult, type Lookup } from "./lookup";

export interface LookupLoaderOptions {
  send: SendDocument;
  /** False: one upstream document per look-up (the benchmark's "no DataLoader" baseline). */
  batching: boolean;
  /** Shares documents with other requests of the same integration and key version (`scope`). */
  crossRequest?: { batcher: CrossRequestBatcher; scope: string };
  onRateLimit(rateLimit: NonNullable<LookupOutcome["rateLimit"]>): void;
}

/**
 * A per-request DataLoader: every look-up a request's resolvers make in one tick goes upstream as one
 * aliased document (or joins the tenant's open window shared with other requests).
 */
export function createLookupLoader(o: LookupLoaderOptions): DataLoader<Lookup, AnyLookupResult, string> {
  return new DataLoader<Lookup, AnyLookupResult, string>(
    async (lookups) => {
      const outcome = o.crossRequest ? await o.crossRequest.batcher.run(o.crossRequest.scope, lookups, o.send) : await executeLookups(lookups, o.send);
      if (outcome.rateLimit) o.onRateLimit(outcome.rateLimit);
      return outcome.results;
    },
    { cacheKeyFn: lookupCacheKey, batch: o.batching },
  );
}
