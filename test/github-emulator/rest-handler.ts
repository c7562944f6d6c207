import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { searchCode } from "./code-search";
import { encodeNodeId } from "./node-id";
import type { Authentication, RegisteredKey } from "./key-registry";
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

interface RouteResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface RestRoute {
  method: string;
  pattern: RegExp;
  /** Where GitHub points an unauthenticated caller. */
  docs: string;
  /** The budget the route draws on (core unless said). */
  resource?: RateLimitResource;
  handle(request: RestRequest, key: RegisteredKey, deps: RestDeps, params: string[]): RouteResult;
}

export function restUser(user: UserRecord): Record<string, unknown> {
  return {
    login: user.login,
    id: user.databaseId,
    node_id: encodeNodeId("User", user.databaseId),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.databaseId}?v=4`,
    html_url: `https://github.com/${user.login}`,
    type: "User",
    site_admin: false,
    name: user.name,
    company: user.company,
    location: user.location,
    email: user.email || null,
    bio: user.bio,
    created_at: gitHubDateTime(user.createdAt),
    updated_at: gitHubDateTime(user.updatedAt),
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
    handle: (_request, key) => ({ status: 200, body: restUser(key.user) }),
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
];

function etagOf(token: string, body: unknown): string {
  // GitHub's ETags depend on the key as well as the content.
  return `W/"${createHash("sha256").update(token).update(JSON.stringify(body)).digest("hex").slice(0, 32)}"`;
}

export function handleRest(request: RestRequest, deps: RestDeps): EmulatorResponse {
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
  const resource = route.resource ?? "core";
  if (auth.kind === "none") return unauthorized("Requires authentication", route.docs, resource);
  const key = auth.key;
  const userId = key.user.databaseId;
  const result = route.handle(request, key, deps, m.slice(1));
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
