import type { KeyReach } from "../integrations/key-reach";
import { callWithin, type GitHubClient } from "./github-client";

/** Pages of 100 repositories read per key; a user with more is counted as "at least" this many. */
export const MAX_REACH_PAGES = 5;
/** SAML SSO organizations named per key (GitHub names them only by ID). */
export const MAX_SSO_NAMES = 5;

interface RestRepository {
  private: boolean;
  owner: { login: string; type: string } | null;
}

const JSON_ACCEPT = "application/vnd.github+json";

/**
 * `X-GitHub-SSO: partial-results; organizations=21955855,20582480`: a list GitHub answered without some
 * SAML SSO organizations' resources, because the key is not authorised for them (GitHub's REST
 * authentication docs). GraphQL lists leave them out without saying so, hence REST here.
 */
export function ssoOrganizationIds(header: string | null): string[] {
  const m = /partial-results;\s*organizations=([\d,\s]+)/i.exec(header ?? "");
  return m ? m[1].split(",").map((id) => id.trim()).filter((id) => /^\d+$/.test(id)) : [];
}

/** GitHub lists organizations in ID order from `since`: the one after `id - 1` is `id`, if it still exists. */
async function organizationLogin(client: GitHubClient, key: string, id: string, deadline: number | undefined): Promise<string> {
  const { data } = await client.rest<{ id: number; login: string }[]>(key, "/organizations", { since: Number(id) - 1, per_page: 1 }, JSON_ACCEPT, callWithin(deadline));
  return data[0]?.id === Number(id) ? data[0].login : id;
}

/**
 * What a key reaches: its user's repositories (as owner, collaborator or organization member) that the
 * key can see, from REST `GET /user/repos` (which lists a fine-grained key's granted repositories), and the
 * SSO organizations GitHub kept back. Read at connect and renew, and again when the search scope is refreshed;
 * with a `deadline` (epoch ms), every call fits in the time left before it.
 */
export async function readKeyReach(client: GitHubClient, key: string, login: string, deadline?: number): Promise<KeyReach> {
  // The key's own user is always an owner it may search, repositories or not.
  const owners = new Map<string, boolean>([[login, false]]);
  let repositories = 0;
  let privateRepositories = 0;
  let complete = false;
  const sso = new Set<string>();
  for (let page = 1; page <= MAX_REACH_PAGES; page++) {
    const { data, headers } = await client.rest<RestRepository[]>(
      key,
      "/user/repos",
      { affiliation: "owner,collaborator,organization_member", sort: "full_name", per_page: 100, page },
      JSON_ACCEPT,
      callWithin(deadline),
    );
    for (const id of ssoOrganizationIds(headers.get("x-github-sso"))) sso.add(id);
    for (const repo of data) {
      repositories++;
      if (repo.private) privateRepositories++;
      if (repo.owner) owners.set(repo.owner.login, repo.owner.type === "Organization");
    }
    if (data.length < 100) {
      complete = true;
      break;
    }
  }
  const ssoOrganizations = await Promise.all([...sso].slice(0, MAX_SSO_NAMES).map((id) => organizationLogin(client, key, id, deadline)));
  return {
    repositories,
    privateRepositories,
    complete,
    owners: [...owners].map(([login, organization]) => ({ login, organization })).sort((a, b) => Number(b.organization) - Number(a.organization)),
    ssoOrganizations,
  };
}
