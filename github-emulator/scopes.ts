import type { GitHubErrorJson } from "./errors";
import type { RegisteredKey } from "./key-registry";

/**
 * Fields a classic key may select only with one of these scopes. GitHub checks them before it runs the
 * document and refuses the whole of it (`data: null`, type INSUFFICIENT_SCOPES): mntnr/name-your-contributors
 * #67 and #72 (`email` without a user scope, `Organization.name` without `read:org`), antfu-collective/
 * sponsorkit#6. GitHub publishes no full table; these are the fields reported, plus the viewer's
 * organizations and an organization's members and teams, which REST refuses without `read:org` ("You need
 * at least read:org scope or user scope to list your organizations") — the stricter reading.
 */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  "Organization.name": ["read:org", "write:org", "admin:org"],
  "Organization.description": ["read:org", "write:org", "admin:org"],
  "Organization.membersWithRole": ["read:org", "write:org", "admin:org"],
  "Organization.teams": ["read:org", "write:org", "admin:org"],
  "Organization.team": ["read:org", "write:org", "admin:org"],
  "User.organizations": ["read:org", "write:org", "admin:org", "user"],
  "User.email": ["user:email", "read:user", "user"],
};

/** The INSUFFICIENT_SCOPES refusal for the first field the key's scopes do not cover, if any. */
export function insufficientScopes(key: RegisteredKey, fields: ReadonlyMap<string, { line: number; column: number }>): GitHubErrorJson | undefined {
  if (key.type !== "classic") return undefined; // fine-grained keys meet FORBIDDEN at the field instead
  for (const [coordinate, at] of fields) {
    const needed = REQUIRED[coordinate];
    if (!needed || key.scopes.some((s) => needed.includes(s))) continue;
    const field = coordinate.split(".")[1];
    const list = (scopes: readonly string[]) => `[${scopes.map((s) => `'${s}'`).join(", ")}]`;
    return {
      type: "INSUFFICIENT_SCOPES",
      locations: [at],
      message: `Your token has not been granted the required scopes to execute this query. The '${field}' field requires one of the following scopes: ${list(needed)}, but your token has only been granted the: ${list(key.scopes)} scopes. Please modify your token's scopes at: https://github.com/settings/tokens.`,
    };
  }
  return undefined;
}
