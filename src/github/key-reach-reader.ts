import type { KeyReach } from "../integrations/key-reach";

/**
 * One REST GET with the key being read about. Whoever calls readKeyReach decides how each call is sent:
 * the session sends every one through its gate (the key confirmed current before each, the tenant's lane,
 * the rate-limit blocks), as every upstream call of a request must be; connect and renew, before anything
 * is stored, through the client within their deadline.
 */
export type RestGet = <T>(route: string, params: Record<string, string | number>, accept: string) => Promise<{ data: T; headers: Headers }>;

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
async function organizationLogin(get: RestGet, id: string): Promise<string> {
  const { data } = await get<{ id: number; login: string }[]>("/organizations", { since: Number(id) - 1, per_page: 1 }, JSON_ACCEPT);
  return data[0]?.id === Number(id) ? data[0].login : id;
}

/**
 * What a key reaches: its user's repositories (as owner, collaborator or organization member) that the
 * key can see, from REST `GET /user/repos` (which lists a fine-grained key's granted repositories), and the
 * SSO organizations GitHub kept back. Read at connect and renew, and again when the search scope is refreshed.
 */
export async function readKeyReach(get: RestGet, login: string): Promise<KeyReach> {
  // The key's own user is always an owner it may search, repositories or not.
  const owners = new Map<string, boolean>([[login, false]]);
  let repositories = 0;
  let privateRepositories = 0;
  let complete = false;
  const sso = new Set<string>();
  for (let page = 1; page <= MAX_REACH_PAGES; page++) {
    const { data, headers } = await get<RestRepository[]>("/user/repos", { affiliation: "owner,collaborator,organization_member", sort: "full_name", per_page: 100, page }, JSON_ACCEPT);
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
  const ssoOrganizations = await Promise.all([...sso].slice(0, MAX_SSO_NAMES).map((id) => organizationLogin(get, id)));
  return {
    repositories,
    privateRepositories,
    complete,
    owners: [...owners].map(([login, organization]) => ({ login, organization })).sort((a, b) => Number(b.organization) - Number(a.organization)),
    ssoOrganizations,
  };
}
