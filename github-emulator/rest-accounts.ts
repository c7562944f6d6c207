import { Access, fullNameOf } from "./access";
import { repositoryJson } from "./code-search";
import type { RegisteredKey } from "./key-registry";
import { encodeNodeId } from "./node-id";
import { gitHubDateTime } from "./resolver-kit";
import { linkHeader, positiveInt } from "./rest-paging";
import type { EmulatorStore, RepositoryRecord } from "./store";

// REST routes about the key's own account: GET /user/repos (what the gateway reads a key's reach from) and
// GET /organizations (GitHub's list of every organization by ID, which names an organization known by ID).

const API = "https://api.github.com";

export interface ListAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** GitHub's full "Repository" object, as GET /user/repos lists it. */
export function fullRepositoryJson(repo: RepositoryRecord, store: EmulatorStore): Record<string, unknown> {
  const open = store.issuesOf(repo.databaseId).filter((i) => i.state === "OPEN").length;
  const name = fullNameOf(repo);
  return {
    ...repositoryJson(repo, store),
    clone_url: `https://github.com/${name}.git`, git_url: `git://github.com/${name}.git`, ssh_url: `git@github.com:${name}.git`,
    svn_url: `https://github.com/${name}`, mirror_url: null, homepage: null, language: null, license: null,
    default_branch: repo.defaultBranch, forks: 0, forks_count: 0, stargazers_count: 0, watchers: 0, watchers_count: 0,
    open_issues: open, open_issues_count: open, size: 0, has_downloads: true, has_issues: true, has_projects: true,
    has_wiki: false, has_pages: false, archived: false, disabled: false, visibility: repo.isPrivate ? "private" : "public",
    pushed_at: gitHubDateTime(repo.updatedAt), created_at: gitHubDateTime(repo.createdAt), updated_at: gitHubDateTime(repo.updatedAt),
  };
}

type Affiliation = "owner" | "collaborator" | "organization_member";
const AFFILIATIONS: readonly Affiliation[] = ["owner", "collaborator", "organization_member"];

function affiliated(repo: RepositoryRecord, login: string, affiliations: ReadonlySet<Affiliation>, store: EmulatorStore): boolean {
  const l = login.toLowerCase();
  if (affiliations.has("owner") && repo.ownerLogin.toLowerCase() === l) return true;
  if (affiliations.has("collaborator") && repo.collaboratorLogins.some((c) => c.toLowerCase() === l)) return true;
  const org = store.organization(repo.ownerLogin);
  return affiliations.has("organization_member") && org !== undefined && org.memberLogins.some((m) => m.toLowerCase() === l);
}

/**
 * GET /user/repos: the repositories the key's user is affiliated with that the key can see (a fine-grained
 * key lists its granted repositories). Those of SAML SSO organizations the key is not authorised for are
 * left out and named by ID in `X-GitHub-SSO: partial-results; organizations=...` (GitHub's REST
 * authentication docs). `type` cannot be combined with `visibility` or `affiliation` (422), as documented.
 */
export function listUserRepos(search: URLSearchParams, pageUrl: string, key: RegisteredKey, store: EmulatorStore): ListAnswer {
  if (search.has("type") && (search.has("visibility") || search.has("affiliation"))) {
    const body = { message: "Validation Failed", errors: [{ resource: "Repository", field: "type", code: "invalid" }], documentation_url: "https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user", status: "422" };
    return { status: 422, body, headers: {} };
  }
  const access = new Access(key, store);
  const type = search.get("type") ?? "all";
  const affiliations = new Set<Affiliation>(type === "owner" ? ["owner"] : type === "member" ? ["collaborator", "organization_member"]
    : (search.get("affiliation")?.split(",").map((a) => a.trim()).filter((a): a is Affiliation => (AFFILIATIONS as readonly string[]).includes(a)) ?? AFFILIATIONS));
  const visibility = type === "public" || type === "private" ? type : (search.get("visibility") ?? "all");
  const candidates = store.allRepositories().filter((r) => affiliated(r, key.user.login, affiliations, store)
    && (visibility === "all" || (visibility === "private") === r.isPrivate));
  const sort = search.get("sort") ?? "full_name";
  const sign = (search.get("direction") ?? (sort === "full_name" ? "asc" : "desc")) === "asc" ? 1 : -1;
  const keyOf = (r: RepositoryRecord) => (sort === "created" ? r.createdAt.toISOString() : sort === "full_name" ? fullNameOf(r).toLowerCase() : r.updatedAt.toISOString());
  const repos = candidates.filter((r) => access.canSee(r)).sort((a, b) => sign * (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const perPage = Math.min(100, positiveInt(search.get("per_page"), 30));
  const page = positiveInt(search.get("page"), 1);
  const lastPage = Math.max(1, Math.ceil(repos.length / perPage));
  const omitted = access.ssoOmitted(candidates);
  const headers: Record<string, string> = {
    ...linkHeader(pageUrl, search, page, lastPage),
    ...(omitted.length > 0 ? { "x-github-sso": `partial-results; organizations=${omitted.map((o) => o.databaseId).join(",")}` } : {}),
  };
  return { status: 200, headers, body: repos.slice((page - 1) * perPage, page * perPage).map((r) => fullRepositoryJson(r, store)) };
}

/** GET /organizations?since=ID: every organization with an ID above `since`, in ID order ("Organization Simple"). */
export function listOrganizations(search: URLSearchParams, pageUrl: string, store: EmulatorStore): ListAnswer {
  const since = Number(search.get("since") ?? 0);
  const perPage = Math.min(100, positiveInt(search.get("per_page"), 30));
  const orgs = store.allOrganizations().filter((o) => o.databaseId > since).sort((a, b) => a.databaseId - b.databaseId).slice(0, perPage);
  const body = orgs.map((o) => {
    const url = `${API}/orgs/${o.login}`;
    return {
      login: o.login, id: o.databaseId, node_id: encodeNodeId("Organization", o.databaseId), url,
      repos_url: `${url}/repos`, events_url: `${url}/events`, hooks_url: `${url}/hooks`, issues_url: `${url}/issues`,
      members_url: `${url}/members{/member}`, public_members_url: `${url}/public_members{/member}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${o.databaseId}?v=4`, description: o.description,
    };
  });
  const last = orgs[orgs.length - 1];
  const next: Record<string, string> = last && orgs.length === perPage ? { link: `<${pageUrl}?since=${last.databaseId}&per_page=${perPage}>; rel="next"` } : {};
  return { status: 200, headers: next, body };
}
