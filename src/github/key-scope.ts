import type { GitHubClient } from "./github-client";
import { GatewayKeyScopeDocument, type GatewayKeyScopeFieldsFragment } from "./generated/github-operations";

/** More owners than this would make every unscoped search's query long; past it the scope is cut. */
export const MAX_SCOPE_OWNERS = 20;
const MAX_PAGES = 5;

/**
 * The owners whose repositories a key can see, as search qualifiers: `org:` for the organisations
 * the key's user belongs to, `user:` for other owners. A search that names no repository is limited
 * to these, so it never reaches into all of public GitHub. The first page comes with the key check;
 * further pages are fetched only for keys that see more than 100 repositories.
 */
export async function searchScopeOf(client: GitHubClient, key: string, first: GatewayKeyScopeFieldsFragment): Promise<string[]> {
  const orgs = new Set((first.organizations.nodes ?? []).flatMap((o) => (o ? [o.login] : [])));
  const users = new Set<string>([first.login]);
  let page = first;
  for (let n = 1; ; n++) {
    for (const r of page.repositories.nodes ?? []) if (r) users.add(r.owner.login);
    if (!page.repositories.pageInfo.hasNextPage || n >= MAX_PAGES) break;
    page = (await client.query(key, GatewayKeyScopeDocument, { after: page.repositories.pageInfo.endCursor })).data.viewer;
  }
  const qualifiers = [...[...orgs].map((o) => `org:${o}`), ...[...users].filter((u) => !orgs.has(u)).map((u) => `user:${u}`)];
  return qualifiers.slice(0, MAX_SCOPE_OWNERS);
}
