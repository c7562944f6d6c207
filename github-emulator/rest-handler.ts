import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { searchCode, simpleUserJson } from "./code-search";
import { listOrganizations, listUserRepos } from "./rest-accounts";
import { ITEM_ROUTES } from "./rest-items";
import type { Authentication, RegisteredKey } from "./key-registry";
import { assertAnswer, findOperation, refuseQuery, type OpenApiOperation } from "./openapi";
import type { RateLimiter } from "./rate-limits";
import { gitHubDateTime } from "./resolver-kit";
import {
  badCredentials, jsonHeaders, keyHeaders, notFoundResponse, rateLimitHeaders,
  unauthorized, type EmulatorResponse,
} from "./responses";
import type { EmulatorStore, UserRecord } from "./store";
import type { RateLimitResource } from "./types";

export interface RestRequest {
  method: string;
  /** Path below the REST base (`/user` for both `/user` and GHES's `/api/v3/user`). */
  path: string;
  search: URLSearchParams;
  headers: IncomingHttpHeaders;
  auth: Authentication;
  /** This REST base as the client reached it (`http://host:port` or `.../api/v3`), for `link` headers. */
  base: string;
}

export interface RestDeps {
  store: EmulatorStore;
  limiter: RateLimiter;
}

export interface RouteResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RestRoute {
  method: string;
  pattern: RegExp;
  /** Where GitHub points an unauthenticated caller. */
  docs: string;
  /** The budget the route draws on (core unless said). */
  resource?: RateLimitResource;
  handle(request: RestRequest, key: RegisteredKey, deps: RestDeps, params: string[]): RouteResult;
}

/** GET /user: GitHub's "Private User", what a key's own user sees. */
export function restUser(user: UserRecord, store: EmulatorStore): Record<string, unknown> {
  const owned = store.repositoriesOf(user.login);
  const privateRepos = owned.filter((r) => r.isPrivate).length;
  return {
    ...simpleUserJson(user.login, user.databaseId, "User"),
    user_view_type: "private",
    name: user.name,
    company: user.company,
    blog: "",
    location: user.location,
    email: user.email || null,
    notification_email: user.email || null,
    hireable: null,
    bio: user.bio,
    twitter_username: null,
    public_repos: owned.length - privateRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: gitHubDateTime(user.createdAt),
    updated_at: gitHubDateTime(user.updatedAt),
    private_gists: 0,
    total_private_repos: privateRepos,
    owned_private_repos: privateRepos,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { name: "free", space: 976562499, collaborators: 0, private_repos: 10000 },
  };
}

function wantsTextMatches(request: RestRequest): boolean {
  const accept = request.headers.accept ?? "";
  return /application\/vnd\.github(\.v3)?\.text-match\+json/.test(accept);
}

// Add REST endpoints here.
const ROUTES: RestRoute[] = [
  {
    method: "GET",
    pattern: /^\/user\/?$/,
    docs: "https://docs.github.com/rest/users/users#get-the-authenticated-user",
    handle: (_request, key, deps) => ({ status: 200, body: restUser(key.user, deps.store) }),
  },
  {
    method: "GET",
    pattern: /^\/user\/repos\/?$/,
    docs: "https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user",
    handle: (request, key, deps) => listUserRepos(request.search, `${request.base}/user/repos`, key, deps.store),
  },
  {
    method: "GET",
    pattern: /^\/organizations\/?$/,
    docs: "https://docs.github.com/rest/orgs/orgs#list-organizations",
    handle: (request, _key, deps) => listOrganizations(request.search, `${request.base}/organizations`, deps.store),
  },
  {
    method: "GET",
    pattern: /^\/search\/code\/?$/,
    docs: "https://docs.github.com/rest/search/search#search-code",
    resource: "code_search",
    handle: (request, key, deps) => searchCode(
      { search: request.search, textMatch: wantsTextMatches(request), pageUrl: `${request.base}/search/code` }, key, deps.store,
    ),
  },
  // An issue, its comments, a pull request, its reviews, its head's status and check runs (rest-items.ts).
  ...ITEM_ROUTES,
];

function etagOf(token: string, body: unknown): string {
  // GitHub's ETags depend on the key as well as the content.
  return `W/"${createHash("sha256").update(token).update(JSON.stringify(body)).digest("hex").slice(0, 32)}"`;
}

/**
 * Every REST answer is checked against GitHub's OpenAPI description (openapi.ts): one that does not
 * match it throws, and the server answers 500 "GitHub emulator error: ...". Paths the description
 * lacks have no operation and get GitHub's 404 unchecked.
 */
export function handleRest(request: RestRequest, deps: RestDeps): EmulatorResponse {
  const operation = findOperation(request.method, request.path);
  const response = answerRest(request, deps, operation);
  if (operation) assertAnswer(operation, response, wantsTextMatches(request));
  return response;
}

function answerRest(request: RestRequest, deps: RestDeps, operation: OpenApiOperation | undefined): EmulatorResponse {
  const { auth } = request;
  if (auth.kind === "invalid") return badCredentials("core");
  const match = ROUTES.map((route) => ({ route, m: route.pattern.exec(request.path) })).find(
    ({ route, m }) => m !== null && route.method === request.method,
  );
  if (!match?.m) {
    if (auth.kind === "none") return notFoundResponse();
    const charged = deps.limiter.charge(auth.key.user.databaseId, "core", 1);
    const response = notFoundResponse();
    return { ...response, headers: { ...response.headers, ...keyHeaders(auth.key), ...rateLimitHeaders(charged.state, "core") } };
  }
  const { route, m } = match;
  if (!operation) throw new Error(`the route ${route.method} ${route.pattern} is not in GitHub's OpenAPI description`);
  if (!operation.spec.responses) throw new Error(`the route ${route.method} ${operation.template} is served but missing from SERVED_TEMPLATES (openapi.ts)`);
  const resource = route.resource ?? "core";
  if (auth.kind === "none") return unauthorized("Requires authentication", route.docs, resource);
  const key = auth.key;
  const userId = key.user.databaseId;
  // Undeclared or ill-typed query parameters are refused after authentication, charged like the route's own 422s.
  const result = refuseQuery(operation, request.search) ?? route.handle(request, key, deps, m.slice(1));
  const etag = etagOf(key.token, result.body);
  const base = { ...jsonHeaders("github.v3"), ...keyHeaders(key) };
  // A conditional request answered 304 is free, as on GitHub.
  if (result.status === 200 && request.headers["if-none-match"] === etag) {
    return { status: 304, headers: { ...base, etag, ...rateLimitHeaders(deps.limiter.peek(userId, resource), resource) } };
  }
  const charged = deps.limiter.charge(userId, resource, 1);
  const limitHeaders = rateLimitHeaders(charged.state, resource);
  if (!charged.ok) {
    // GitHub answers a spent budget (code search: 10 a minute) with 403 and remaining 0; wait for x-ratelimit-reset.
    const message = `API rate limit exceeded for user ID ${userId}.`;
    const body = { message, documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api", status: "403" };
    return { status: 403, headers: { ...base, ...limitHeaders }, body };
  }
  const headers = { ...base, ...limitHeaders, ...result.headers };
  return { status: result.status, headers: result.status === 200 ? { ...headers, etag } : headers, body: result.body };
}
