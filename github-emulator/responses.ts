import { randomBytes } from "node:crypto";
import type { RegisteredKey } from "./key-registry";
import type { RateLimitResource, RateLimitState } from "./types";

/** What a handler answers; the server adds the request id and latency, and records the status. */
export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  /** Serialised as JSON; omitted for 304. */
  body?: unknown;
  cost?: number;
  /** A GraphQL mutation (recorded as `isMutation`). */
  isMutation?: boolean;
}

export const GRAPHQL_DOCS = "https://docs.github.com/graphql";
export const REST_DOCS = "https://docs.github.com/rest";

export const TIMEOUT_MESSAGE =
  "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.";

export const SECONDARY_LIMIT_DOCS =
  "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits";

export function secondaryLimitMessage(requestId: string): string {
  return (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
    `If you reach out to GitHub Support for help, please include the request ID ${requestId}.`
  );
}

/** Shaped like GitHub's, e.g. "C2A4:3E3C:1B9A2F0:1C3F4E6:65A0B1C2". */
export function newRequestId(): string {
  const hex = (bytes: number) => randomBytes(bytes).toString("hex").toUpperCase();
  return `${hex(2)}:${hex(2)}:${hex(4).slice(1)}:${hex(4).slice(1)}:${hex(4)}`;
}

/** "2027-01-01 00:00:00 UTC", the format of GitHub-Authentication-Token-Expiration. */
export function expirationHeader(date: Date): string {
  return date.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

export function jsonHeaders(mediaType: "github.v4" | "github.v3"): Record<string, string> {
  return { "content-type": "application/json; charset=utf-8", "x-github-media-type": `${mediaType}; format=json` };
}

export function rateLimitHeaders(state: RateLimitState, resource: RateLimitResource): Record<string, string> {
  return {
    "x-ratelimit-limit": String(state.limit),
    "x-ratelimit-remaining": String(state.remaining),
    "x-ratelimit-used": String(state.used),
    "x-ratelimit-reset": String(Math.floor(state.resetAt.getTime() / 1000)),
    "x-ratelimit-resource": resource,
  };
}

/** Scopes (classic keys only) and expiry, sent on every authenticated answer. */
export function keyHeaders(key: RegisteredKey, acceptedScopes = ""): Record<string, string> {
  const headers: Record<string, string> = {};
  if (key.type === "classic") {
    headers["x-oauth-scopes"] = key.scopes.join(", ");
    headers["x-accepted-oauth-scopes"] = acceptedScopes;
  }
  if (key.expiresAt) headers["github-authentication-token-expiration"] = expirationHeader(key.expiresAt);
  return headers;
}

/** 401 for a missing or bad key: `x-ratelimit-limit: 0`, as GitHub sends. */
export function unauthorized(message: string, documentationUrl: string, resource: RateLimitResource): EmulatorResponse {
  const resetAt = new Date(Date.now() + 60 * 60 * 1000);
  return {
    status: 401,
    headers: { ...jsonHeaders(resource === "graphql" ? "github.v4" : "github.v3"), ...rateLimitHeaders({ limit: 0, used: 0, remaining: 0, resetAt }, resource) },
    body: { message, documentation_url: documentationUrl, status: "401" },
  };
}

export function badCredentials(resource: RateLimitResource): EmulatorResponse {
  return unauthorized("Bad credentials", resource === "graphql" ? GRAPHQL_DOCS : REST_DOCS, resource);
}

export function notFoundResponse(documentationUrl = REST_DOCS): EmulatorResponse {
  return { status: 404, headers: jsonHeaders("github.v3"), body: { message: "Not Found", documentation_url: documentationUrl, status: "404" } };
}

export function rateLimitedMessage(userId: number, remaining: number): string {
  return remaining === 0
    ? `API rate limit already exceeded for user ID ${userId}.`
    : `API rate limit exceeded for user ID ${userId}.`;
}
