import { GitHubTokenType } from "./integration-enums";

/**
 * What a key can reach on GitHub, read when it is registered and refreshed with the search scope
 * (src/github/key-reach-reader.ts). Real keys see less than they seem (a fine-grained key sees one owner's
 * granted repositories; one awaiting an organization's approval reads public ones only; a classic key is
 * kept out of SAML SSO organizations it is not authorised for), and the card says so.
 */
export interface KeyReach {
  /** Repositories of the key's user (as owner, collaborator or organization member) that the key can see. */
  repositories: number;
  privateRepositories: number;
  /** False when the user has more repositories than the gateway reads (it counts the first pages only). */
  complete: boolean;
  /** Owners of those repositories: the owners an unscoped search is limited to. */
  owners: { login: string; organization: boolean }[];
  /** Organizations that keep their repositories back until the key is authorised for their SAML SSO (logins, or IDs when unnamed). */
  ssoOrganizations: string[];
}

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
