import { ErrorCode, GatewayError } from "../errors";
import { GitHubTokenType } from "../../entities/integration-enums";
import { searchScopeOf, type KeyReach } from "../integrations/key-reach";
import type { Logger } from "../logger";
import { textOf } from "./gate/github-http";
import { wholeData, type GitHubGate } from "./gate/github-gate";
import type { UpstreamCall } from "./gate/upstream-call";
import { GatewayKeyCheckDocument, type GatewayKeyCheckQuery } from "./generated/github-operations";
import { parseExpiration, parseScopes } from "./key-headers";
import { readKeyReach } from "./key-reach-reader";

export interface KeyFacts {
  accountLogin: string;
  /** What the key can reach, for the card (src/integrations/key-reach.ts). */
  reach: KeyReach;
  /** Search qualifiers for the owners the key can see, derived from `reach`. */
  searchScope: string[];
  scopes: string[];
  expiresAt: Date | null;
}

/** A key to check: for which workspace (its upstream lane), until when (epoch ms), logged by whom. */
export interface KeyCheck {
  tenant: string;
  key: string;
  tokenType: GitHubTokenType;
  deadline: number;
  log: Logger;
}

/** Classic keys need `repo` for private repositories' issues and pull requests (the product guide). */
const REQUIRED_CLASSIC_SCOPES = ["repo"];

/**
 * Asks GitHub who a key belongs to, what it may do, what it reaches and when it expires, before the
 * gateway stores it; throws a GatewayError when GitHub refuses it or has not answered by the deadline.
 * The check asks for nothing a key might lack a scope for (`viewer { login }`): a classic key with `repo`
 * alone must pass, as the product guide recommends it. Its calls go through the gate in the workspace's
 * lane, and the whole check ends by `deadline` (the connect or renew request's REQUEST_TIMEOUT_MS): a
 * GitHub that hangs costs the request its own time, not GITHUB_TIMEOUT_MS per call.
 */
export async function inspectKey(gate: GitHubGate, check: KeyCheck): Promise<KeyFacts> {
  const { key, tokenType } = check;
  const call: UpstreamCall = { tenant: check.tenant, auth: { key }, deadline: check.deadline, log: check.log, budget: { latest: null } };
  let response;
  let data: GatewayKeyCheckQuery;
  try {
    response = await gate.graphql<GatewayKeyCheckQuery>(call, textOf(GatewayKeyCheckDocument), {});
    data = wholeData(response);
  } catch (e) {
    if (e instanceof GatewayError && e.code === ErrorCode.GITHUB_TOKEN_REJECTED) {
      throw new GatewayError(ErrorCode.GITHUB_TOKEN_REJECTED, "GitHub rejected this key (Bad credentials): check that it was copied whole and has not expired or been revoked.", {}, e);
    }
    throw e;
  }
  const scopes = parseScopes(response.headers.get("x-oauth-scopes"));
  if (tokenType === GitHubTokenType.CLASSIC) {
    // `repo` implies its sub-scopes; nothing implies `repo`.
    const missing = REQUIRED_CLASSIC_SCOPES.filter((s) => !scopes.includes(s));
    if (missing.length > 0) {
      throw new GatewayError(
        ErrorCode.BAD_USER_INPUT,
        `This classic key lacks the ${missing.map((s) => `'${s}'`).join(", ")} scope. Create a key with the repo scope, or a fine-grained key.`,
        { field: "token" },
      );
    }
  }
  const accountLogin = data.viewer.login;
  const reach = await readKeyReach((route, params, accept) => gate.rest(call, route, params, accept, "core"), accountLogin);
  return {
    accountLogin,
    reach,
    searchScope: searchScopeOf(reach),
    scopes,
    expiresAt: parseExpiration(response.headers.get("github-authentication-token-expiration")),
  };
}
