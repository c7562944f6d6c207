import { GitHubTokenType } from "../../entities/integration-enums";
import type { KeyReach } from "../../entities/integration.entity";

// The shape is the entity's (the jsonb column it is stored in); the rules about it live here.
export type { KeyReach };

/** More owners than this would make every unscoped search's query long; past it the scope is cut. */
export const MAX_SCOPE_OWNERS = 20;

/** Search qualifiers for the owners a key reaches: `org:` for organizations, `user:` for users. */
export function searchScopeOf(reach: KeyReach): string[] {
  return reach.owners.slice(0, MAX_SCOPE_OWNERS).map((o) => `${o.organization ? "org" : "user"}:${o.login}`);
}

/** What an admin should know about a key's reach, in plain words for the card. */
export function reachAdvice(reach: KeyReach, tokenType: GitHubTokenType): string[] {
  const advice: string[] = [];
  for (const org of reach.ssoOrganizations) {
    advice.push(`GitHub keeps back ${/^\d+$/.test(org) ? `the organization with ID ${org}` : org}'s repositories until the key is authorised for its SAML single sign-on (on GitHub: Settings, Developer settings, Personal access tokens, Configure SSO).`);
  }
  if (reach.repositories === 0) {
    advice.push("The key reaches no repository: grant it repositories on GitHub, or register a key of a user who has access.");
  } else if (tokenType === GitHubTokenType.FINE_GRAINED && reach.privateRepositories === 0) {
    advice.push("The key reaches no private repository. A fine-grained key sees only the repositories of its resource owner that it was granted; when that owner is an organization that requires approval, the key reads public repositories only until an owner approves it.");
  }
  return advice;
}
