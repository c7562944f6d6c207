import { ErrorCode, GatewayError } from "../errors";
import { GitHubTokenType } from "../../entities/integration-enums";
import { searchScopeOf, type KeyReach } from "../integrations/key-reach";
import { callWithin, type GitHubClient } from "./github-client";
import { GatewayKeyCheckDocument } from "./generated/github-operations";
import { readKeyReach } from "./key-reach-reader";
import { toGatewayError } from "./to-gateway-error";

export interface KeyFacts {
  accountLogin: string;
  /** What the key can reach, for the card (src/integrations/key-reach.ts). */
  reach: KeyReach;
  /** Search qualifiers for the owners the key can see, derived from `reach`. */
  searchScope: string[];
  scopes: string[];
  expiresAt: Date | null;
}

/** Classic keys need `repo` for private repositories' issues and pull requests (the product guide). */
const REQUIRED_CLASSIC_SCOPES = ["repo"];

/** `GitHub-Authentication-Token-Expiration: 2027-01-01 00:00:00 UTC` (or a numeric offset). */
export function parseExpiration(value: string | null): Date | null {
  if (!value) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})\s*(UTC|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const zone = !m[3] || m[3] === "UTC" ? "Z" : m[3].replace(/^([+-]\d{2})(\d{2})$/, "$1:$2");
  const d = new Date(`${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function parseScopes(value: string | null): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

/**
 * Asks GitHub who a key belongs to, what it may do, what it reaches and when it expires, before the
 * gateway stores it. The check asks for nothing a key might lack a scope for (`viewer { login }`):
 * a classic key with `repo` alone must pass, as the product guide recommends it. The whole check ends
 * by `deadline` (the connect or renew request's REQUEST_TIMEOUT_MS): each of its calls gets only the time
 * left, so a GitHub that hangs costs the request its own time, not GITHUB_TIMEOUT_MS per call.
 */
export async function inspectKey(client: GitHubClient, key: string, tokenType: GitHubTokenType, deadline?: number): Promise<KeyFacts> {
  let response;
  try {
    response = await client.query(key, GatewayKeyCheckDocument, {}, callWithin(deadline));
  } catch (e) {
    const mapped = toGatewayError(e);
    if (mapped.code === ErrorCode.GITHUB_TOKEN_REJECTED) {
      throw new GatewayError(ErrorCode.GITHUB_TOKEN_REJECTED, "GitHub rejected this key (Bad credentials): check that it was copied whole and has not expired or been revoked.", {}, e);
    }
    throw mapped;
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
  const accountLogin = response.data.viewer.login;
  let reach: KeyReach;
  try {
    reach = await readKeyReach((route, params, accept) => client.rest(key, route, params, accept, callWithin(deadline)), accountLogin);
  } catch (e) {
    throw toGatewayError(e);
  }
  return {
    accountLogin,
    reach,
    searchScope: searchScopeOf(reach),
    scopes,
    expiresAt: parseExpiration(response.headers.get("github-authentication-token-expiration")),
  };
}
