import { createHash } from "node:crypto";
import { Access, acceptedPermission, fullNameOf } from "./access";
import { NOT_ACCESSIBLE } from "./errors";
import type { RegisteredKey } from "./key-registry";
import { encodeNodeId } from "./node-id";
import { parseSearchQuery, type SearchTerm } from "./search-syntax";
import type { EmulatorStore, FileRecord, RepositoryRecord } from "./store";

// REST `GET /search/code` (GraphQL has no code search): legacy code search over the store's files.

export const MAX_CODE_QUERY = 256;
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

function repositoryJson(repo: RepositoryRecord, store: EmulatorStore): Record<string, unknown> {
  const owner = store.owner(repo.ownerLogin);
  const type = owner?.__typename === "Organization" ? "Organization" : "User";
  return {
    id: repo.databaseId,
    node_id: encodeNodeId("Repository", repo.databaseId),
    name: repo.name,
    full_name: fullNameOf(repo),
    private: repo.isPrivate,
    owner: owner
      ? { login: owner.login, id: owner.databaseId, node_id: encodeNodeId(type, owner.databaseId), type, html_url: `https://github.com/${owner.login}` }
      : null,
    html_url: `https://github.com/${fullNameOf(repo)}`,
    description: repo.description,
    fork: false,
    url: `${API}/repos/${fullNameOf(repo)}`,
  };
}

function positiveInt(text: string | null, fallback: number): number {
  const n = Number(text);
  return text !== null && Number.isInteger(n) && n > 0 ? n : fallback;
}

export function searchCode(request: CodeSearchRequest, key: RegisteredKey, store: EmulatorStore): CodeSearchResult {
  const access = new Access(key);
  if (access.level("contents") === null) {
    return {
      status: 403,
      headers: { "x-accepted-github-permissions": acceptedPermission("contents", "read") },
      body: { message: NOT_ACCESSIBLE, documentation_url: DOCS, status: "403" },
    };
  }
  const q = request.search.get("q");
  if (!q || q.trim() === "") return validationFailed(undefined, "missing");
  if (q.length > MAX_CODE_QUERY) return validationFailed(`The search is longer than ${MAX_CODE_QUERY} characters.`, "invalid");
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
    .sort((a, b) => fullNameOf(a.repo).localeCompare(fullNameOf(b.repo)) || a.file.path.localeCompare(b.file.path));

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
  return {
    status: 200,
    headers: links.length > 0 ? { link: links.join(", ") } : {},
    body: { total_count: matches.length, incomplete_results: false, items },
  };
}
