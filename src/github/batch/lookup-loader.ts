import DataLoader from "dataloader";
import type { GitHubGate } from "../gate/github-gate";
import type { StoredKeyCall } from "../gate/upstream-call";
import type { CrossRequestBatcher } from "./cross-request-batcher";
import { executeLookups, type SendDocument } from "./execute-lookups";
import { lookupCacheKey, type AnyLookupResult, type Lookup } from "./lookup";

export interface LookupBatching {
  /** False: one upstream document per look-up (GITHUB_BATCHING=off, the benchmark's baseline). */
  enabled: boolean;
  /** Present when look-ups of concurrent requests share documents (GITHUB_BATCH_WINDOW_MS > 0). */
  crossRequest?: CrossRequestBatcher;
}

/**
 * A per-request DataLoader for one stored key version: every look-up a request's resolvers make in one
 * tick goes to the gate as one aliased document, or joins the window that requests of the same
 * integration and key version share (so no document mixes workspaces or keys).
 */
export function createLookupLoader(gate: GitHubGate, call: StoredKeyCall, batching: LookupBatching): DataLoader<Lookup, AnyLookupResult, string> {
  const send: SendDocument = (text, variables, lookups) => gate.graphql(call, text, variables, { lookups });
  const { id, keyVersion } = call.auth.integration;
  const shared = batching.enabled && batching.crossRequest ? { batcher: batching.crossRequest, scope: { tenant: call.tenant, key: `${id}:${keyVersion}` } } : undefined;
  return new DataLoader<Lookup, AnyLookupResult, string>(
    async (lookups) => {
      const outcome = shared ? await shared.batcher.run(shared.scope, lookups, send) : await executeLookups(lookups, send);
      // A shared document was sent with whichever request opened the window: each request keeps its budget.
      if (outcome.rateLimit) call.budget.latest = outcome.rateLimit;
      return outcome.results;
    },
    { cacheKeyFn: lookupCacheKey, batch: batching.enabled },
  );
}
