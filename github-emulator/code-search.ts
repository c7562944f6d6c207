import { createHash } from "node:crypto";
import { Access, acceptedPermission, fullNameOf } from "./access";
import { NOT_ACCESSIBLE } from "./errors";
import type { RegisteredKey } from "./key-registry";
import { encodeNodeId } from "./node-id";
import { parseSearchQuery, searchLimitProblem, type SearchTerm } from "./search-syntax";
import type { EmulatorStore, FileRecord, RepositoryRecord } from "./store";

// REST `GET /search/code` (GraphQL has no code search): legacy code search over the store's files.

export const MAX_CODE_QUERY = 256;
/** The qualifiers legacy code search knows ("Searching code (legacy)"); any other `x:y` is text. */
export const CODE_QUALIFIERS: ReadonlySet<string> = new Set(["repo", "org", "user", "in", "path", "filename", "extension", "language", "size", "fork"]);
const SAML_MESSAGE = "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.";
const MAX_RESULTS = 1000;
const DOCS = "https://docs.github.com/rest/search/search#search-code";
const SEARCH_DOCS = "https://docs.github.com/v3/search/";
const API = "https://api.github.com";

export interface CodeSearchRequest {
  search: URLSearchParams;
  textMatch: boolean;
  /** Where this answer's pages live (for the `link` header). */
  pageUrl: string;
}

export interface CodeSearchResult {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

const LANGUAGES: Record<string, string[]> = {
  typescript: ["ts", "tsx"], javascript: ["js", "jsx", "mjs", "cjs"], markdown: ["md", "markdown"],
  python: ["py"], go: ["go"], ruby: ["rb"], java: ["java"], shell: ["sh", "bash", "zsh"], json: ["json"],
  yaml: ["yml", "yaml"], css: ["css"], html: ["html", "htm"], rust: ["rs"], vim: ["vim"],
};

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
}

function validationFailed(message: string | undefined, code: string): CodeSearchResult {
  const error: Record<string, string> = { resource: "Search", field: "q", code };
  if (message) error.message = message;
  return { status: 422, headers: {}, body: { message: "Validation Failed", errors: [error], documentation_url: SEARCH_DOCS, status: "422" } };
}

function pathMatches(path: string, wanted: string): boolean {
  const p = wanted.replace(/^\/+|\/+$/g, "");
  if (p === "") return !path.includes("/");
  return path === p || path.startsWith(`${p}/`) || path.includes(`/${p}/`) || path.startsWith(p);
}

function fileFilter(term: SearchTerm): ((file: FileRecord) => boolean) | undefined {
  const value = term.value.toLowerCase();
  switch (term.qualifier) {
    case "path": return (f) => pathMatches(f.path.toLowerCase(), value);
    case "filename": return (f) => f.path.toLowerCase().slice(f.path.lastIndexOf("/") + 1) === value;
    case "extension": return (f) => extensionOf(f.path) === value.replace(/^\./, "");
    case "language": return (f) => (LANGUAGES[value] ?? [value]).includes(extensionOf(f.path));
    default: return undefined;
  }
}

interface Match { text: string; indices: [number, number] }

/** Every occurrence of the words, one fragment per matched line with a line of context each side. */
function textMatches(file: FileRecord, words: string[], objectUrl: string): unknown[] {
  const lines = file.content.split("\n");
  const out: unknown[] = [];
  let coveredTo = -1;
  lines.forEach((line, i) => {
    if (i <= coveredTo || !words.some((w) => line.toLowerCase().includes(w))) return;
    const from = Math.max(0, i - 1);
    coveredTo = Math.min(lines.length - 1, i + 1);
    const fragment = lines.slice(from, coveredTo + 1).join("\n");
    const lower = fragment.toLowerCase();
    const matches: Match[] = [];
    for (const word of words) {
      for (let at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + word.length)) {
        matches.push({ text: fragment.slice(at, at + word.length), indices: [at, at + word.length] });
      }
    }
    matches.sort((a, b) => a.indices[0] - b.indices[0]);
    out.push({ object_url: objectUrl, object_type: "FileContent", property: "content", fragment, matches });
  });
  return out;
}

/** GitHub's "Simple User", as REST nests accounts (a repository's owner); organizations sit under /users too. */
export function simpleUserJson(login: string, id: number, type: "User" | "Organization"): Record<string, unknown> {
  const url = `${API}/users/${login}`;
  return {
    login, id, node_id: encodeNodeId(type, id), avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`, gravatar_id: "",
    url, html_url: `https://github.com/${login}`, followers_url: `${url}/followers`, following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`, starred_url: `${url}/starred{/owner}{/repo}`, subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`, repos_url: `${url}/repos`, events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`, type, user_view_type: "public", site_admin: false,
  };
}

// The URL templates of GitHub's "Minimal Repository", all of which its OpenAPI description requires.
const REPOSITORY_URLS: Array<[string, string]> = [
  ["archive_url", "/{archive_format}{/ref}"], ["assignees_url", "/assignees{/user}"], ["blobs_url", "/git/blobs{/sha}"],
  ["branches_url", "/branches{/branch}"], ["collaborators_url", "/collaborators{/collaborator}"], ["comments_url", "/comments{/number}"],
  ["commits_url", "/commits{/sha}"], ["compare_url", "/compare/{base}...{head}"], ["contents_url", "/contents/{+path}"],
  ["contributors_url", "/contributors"], ["deployments_url", "/deployments"], ["downloads_url", "/downloads"], ["events_url", "/events"],
  ["forks_url", "/forks"], ["git_commits_url", "/git/commits{/sha}"], ["git_refs_url", "/git/refs{/sha}"], ["git_tags_url", "/git/tags{/sha}"],
  ["hooks_url", "/hooks"], ["issue_comment_url", "/issues/comments{/number}"], ["issue_events_url", "/issues/events{/number}"],
  ["issues_url", "/issues{/number}"], ["keys_url", "/keys{/key_id}"], ["labels_url", "/labels{/name}"], ["languages_url", "/languages"],
  ["merges_url", "/merges"], ["milestones_url", "/milestones{/number}"], ["notifications_url", "/notifications{?since,all,participating}"],
  ["pulls_url", "/pulls{/number}"], ["releases_url", "/releases{/id}"], ["stargazers_url", "/stargazers"], ["statuses_url", "/statuses/{sha}"],
  ["subscribers_url", "/subscribers"], ["subscription_url", "/subscription"], ["tags_url", "/tags"], ["teams_url", "/teams"],
  ["trees_url", "/git/trees{/sha}"],
];

export function repositoryJson(repo: RepositoryRecord, store: EmulatorStore): Record<string, unknown> {
  const owner = store.owner(repo.ownerLogin);
  const type = owner?.__typename === "Organization" ? "Organization" : "User";
  const url = `${API}/repos/${fullNameOf(repo)}`;
  return {
    id: repo.databaseId,
    node_id: encodeNodeId("Repository", repo.databaseId),
    name: repo.name,
    full_name: fullNameOf(repo),
    private: repo.isPrivate,
    owner: owner ? simpleUserJson(owner.login, owner.databaseId, type) : null,
    html_url: `https://github.com/${fullNameOf(repo)}`,
    description: repo.description,
    fork: false,
    url,
    ...Object.fromEntries(REPOSITORY_URLS.map(([name, suffix]) => [name, `${url}${suffix}`])),
  };
}

/**
 * GitHub's "best match" (its REST search docs: results are sorted by best match unless `sort` says
 * otherwise): more occurrences of the words first; ties in a fixed order unrelated to names or paths.
 */
function bestMatch(words: string[]): (a: { file: FileRecord }, b: { file: FileRecord }) => number {
  const score = (file: FileRecord) => words.reduce((sum, w) => sum + file.content.toLowerCase().split(w).length - 1, 0);
  const shuffle = (file: FileRecord) => createHash("sha1").update(`${file.repositoryId}:${file.path}`).digest().readUInt32BE(0);
  return (a, b) => score(b.file) - score(a.file) || shuffle(a.file) - shuffle(b.file);
}

function positiveInt(text: string | null, fallback: number): number {
  const n = Number(text);
  return text !== null && Number.isInteger(n) && n > 0 ? n : fallback;
}

export function searchCode(request: CodeSearchRequest, key: RegisteredKey, store: EmulatorStore): CodeSearchResult {
  const access = new Access(key, store);
  if (access.level("contents") === null) {
    return {
      status: 403,
      headers: { "x-accepted-github-permissions": acceptedPermission("contents", "read") },
      body: { message: NOT_ACCESSIBLE, documentation_url: DOCS, status: "403" },
    };
  }
  const q = request.search.get("q");
  if (!q || q.trim() === "") return validationFailed(undefined, "missing");
  // 256 characters not counting qualifiers or operators, at most five AND/OR/NOT (GitHub's REST search docs).
  const tooLong = searchLimitProblem(q, CODE_QUALIFIERS);
  if (tooLong) return validationFailed(tooLong, "invalid");
  const perPage = Math.min(100, positiveInt(request.search.get("per_page"), 30));
  const page = positiveInt(request.search.get("page"), 1);
  if ((page - 1) * perPage >= MAX_RESULTS) return validationFailed("Only the first 1000 search results are available", "invalid");

  const scopes: SearchTerm[] = [];
  const filters: Array<(file: FileRecord) => boolean> = [];
  const words: string[] = [];
  const inPath = { path: false, file: true };
  for (const term of parseSearchQuery(q)) {
    if (term.qualifier === "repo" || term.qualifier === "org" || term.qualifier === "user") { scopes.push(term); continue; }
    if (term.qualifier === "in") {
      const where = term.value.toLowerCase().split(",");
      inPath.path = where.includes("path");
      inPath.file = where.includes("file");
      continue;
    }
    const filter = term.qualifier ? fileFilter(term) : undefined;
    if (filter) filters.push(term.negated ? (f) => !filter(f) : filter);
    else if (!term.negated) words.push((term.qualifier ? `${term.qualifier}:${term.value}` : term.value).toLowerCase());
  }
  // A scope in a SAML SSO organization the key is not authorised for is refused as GitHub refuses the
  // organization's resources: 403 with `x-github-sso` (GitHub's REST authentication docs).
  const ssoScope = scopes.map((s) => access.ssoBlock(s.value.split("/")[0] ?? "")).find((org) => org !== undefined);
  if (ssoScope) {
    return {
      status: 403,
      headers: { "x-github-sso": `required; url=https://github.com/orgs/${ssoScope.login}/sso?authorization_request=${createHash("sha1").update(key.token).digest("hex").slice(0, 20)}` },
      body: { message: SAML_MESSAGE, documentation_url: "https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/" },
    };
  }
  const visible = (repo: RepositoryRecord | undefined): repo is RepositoryRecord => repo !== undefined && access.canRead(repo, "contents");
  const unknownScope = scopes.some((s) => s.qualifier === "repo"
    ? !visible(store.repository(s.value.split("/")[0] ?? "", s.value.split("/")[1] ?? ""))
    : store.owner(s.value) === undefined);
  if (unknownScope) {
    return validationFailed("The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.", "invalid");
  }
  const inScope = (repo: RepositoryRecord) => scopes.length === 0 || scopes.some((s) =>
    s.qualifier === "repo" ? fullNameOf(repo).toLowerCase() === s.value.toLowerCase() : repo.ownerLogin.toLowerCase() === s.value.toLowerCase());
  const matches = store.allFiles()
    .map((file) => ({ file, repo: store.repositoryById(file.repositoryId) }))
    .filter((entry): entry is { file: FileRecord; repo: RepositoryRecord } => visible(entry.repo) && inScope(entry.repo))
    .filter(({ file }) => filters.every((f) => f(file)))
    .filter(({ file }) => {
      const text = [inPath.file ? file.content : "", inPath.path ? file.path : ""].join("\n").toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .sort(bestMatch(words));
  // Results a SAML SSO organization kept back are left out, and the header says whose (REST authentication docs).
  const omitted = scopes.length === 0 ? access.ssoOmitted(store.allFiles().flatMap((f) => store.repositoryById(f.repositoryId) ?? [])) : [];

  const reachable = Math.min(matches.length, MAX_RESULTS);
  const items = matches.slice((page - 1) * perPage, page * perPage).map(({ file, repo }) => {
    const ref = createHash("sha1").update(`${repo.databaseId}/${repo.defaultBranch}`).digest("hex");
    const path = file.path.split("/").map(encodeURIComponent).join("/");
    const url = `${API}/repositories/${repo.databaseId}/contents/${path}?ref=${ref}`;
    const item: Record<string, unknown> = {
      name: file.path.slice(file.path.lastIndexOf("/") + 1),
      path: file.path,
      sha: file.sha,
      url,
      git_url: `${API}/repositories/${repo.databaseId}/git/blobs/${file.sha}`,
      html_url: `https://github.com/${fullNameOf(repo)}/blob/${ref}/${path}`,
      repository: repositoryJson(repo, store),
      score: 1,
    };
    if (request.textMatch) item.text_matches = inPath.file ? textMatches(file, words, url) : [];
    return item;
  });
  const lastPage = Math.max(1, Math.ceil(reachable / perPage));
  const link = (n: number, rel: string) => {
    const params = new URLSearchParams(request.search);
    params.set("page", String(n));
    return `<${request.pageUrl}?${params.toString()}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, "prev")] : []),
    ...(page < lastPage ? [link(page + 1, "next"), link(lastPage, "last")] : []),
    ...(page > 1 ? [link(1, "first")] : []),
  ];
  const sso: Record<string, string> = omitted.length > 0 ? { "x-github-sso": `partial-results; organizations=${omitted.map((o) => o.databaseId).join(",")}` } : {};
  return {
    status: 200,
    headers: links.length > 0 ? { link: links.join(", "), ...sso } : sso,
    body: { total_count: matches.length, incomplete_results: false, items },
  };
}
