import { searchScopeOf } from "../integrations/key-reach";
import type { GitHubGate } from "./gate/github-gate";
import type { KeyWriteBacks, StoredKeyCall } from "./gate/upstream-call";
import { readKeyReach } from "./key-reach-reader";

/** How long the owners a key could see at its last reading stand, before a search reads them again. */
const SCOPE_TTL_MS = 3600_000;

/**
 * Search qualifiers for the owners the stored key can see: those stored with the integration while younger
 * than SCOPE_TTL_MS (the key may have gained or lost repositories since), else read again through the gate
 * (each page an upstream call of its own, in the workspace's lane, the key confirmed before each) and stored.
 */
export async function currentSearchScope(gate: GitHubGate, call: StoredKeyCall, writeBacks: KeyWriteBacks): Promise<string[]> {
  const { integration } = call.auth;
  const age = Date.now() - (integration.searchScopeRefreshedAt?.getTime() ?? 0);
  if (age < SCOPE_TTL_MS && integration.searchScope.length > 0) return integration.searchScope;
  const reach = await readKeyReach((route, params, accept) => gate.rest(call, route, params, accept, "core"), integration.accountLogin);
  await writeBacks.storeReach(integration.id, integration.keyVersion, reach, call.log);
  return searchScopeOf(reach);
}
